"""NEAR, and the operator checks that run before Whoosh's parser.

    pakistan NEAR/5 taliban              both words within 5 positions, either order
    "prime minister" NEAR/5 election     the phrase and the word within 5, either order
    pakistan NEAR taliban                the default distance (10)

check_near() checks the text first (a word or a quoted phrase on each side, of
the same field), so an error can name its position; NearPlugin then builds the
query in each field, one clause per order since Whoosh's proximity keeps the
words in order: two proximity phrases ("a b"~5 OR "b a"~5) for two words, two
span queries (SpanNear2) when a side is a phrase, whose words must stay together
(a proximity phrase would let them drift apart).
"""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin
from whoosh.qparser.taggers import FnTagger
from whoosh.query.spans import SpanNear2

from ..errors import QuerySyntaxError

NEAR_DEFAULT = 10
_SIDE = r"(?:([A-Za-z_]\w*):)?([^\s()\"~:]+)"  # a word, or a quoted phrase once masked
_NEAR = re.compile(r"(?<!\S)" + _SIDE + r"\s+NEAR(?:/(\d+))?\s+" + _SIDE + r"(?!\S)")
_NEAR_WORD = re.compile(r"(?<![\w\"])NEAR(?:/\d*)?(?![\w\"])")
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")


def check_near(text: str) -> None:
    """Each NEAR needs a word or a quoted phrase on each side, of the same field:
    otherwise an error that names its position."""
    masked = _strip_quoted(text)
    for match in _NEAR.finditer(masked):
        field_a, _, _, field_b, _ = match.groups()
        if (field_a or None) != (field_b or None):
            raise QuerySyntaxError(
                f"NEAR at position {match.start() + 1} joins words of different fields", match.start())
    stray = _NEAR_WORD.search(_NEAR.sub(lambda match: " " * len(match[0]), masked))
    if stray:
        raise QuerySyntaxError(f"NEAR at position {stray.start() + 1} needs a word or a quoted phrase "
                               "on each side (pakistan NEAR/5 taliban)", stray.start())


class _SpanNear(SpanNear2):
    boost = 1.0  # Whoosh's Or.normalize reads it from every clause; SpanNear2 has none


class NearPlugin(Plugin):
    """`a NEAR/n b` in Whoosh's parser (after check_near has passed the text)."""

    class Near(syntax.MarkerNode):
        def __init__(self, slop: str | None = None) -> None:
            self.slop = int(slop) if slop else NEAR_DEFAULT

    def taggers(self, parser):
        return [(FnTagger(r"(?<!\S)NEAR(?:/(?P<slop>\d+))?(?!\S)", self.Near, "near"), 0)]

    def filters(self, parser):
        return [(self.do_near, 505)]  # after the per-field copies (110) and whitespace (500)

    def do_near(self, parser, group):
        nodes: list = []
        for node in group:
            if isinstance(node, syntax.GroupNode):
                node = self.do_near(parser, node)
            if nodes and isinstance(nodes[-1], self.Near):
                near = nodes.pop()
                if not nodes:
                    raise QuerySyntaxError("NEAR needs a word or a quoted phrase on each side")
                nodes.append(NearNode(nodes.pop(), node, near.slop))
            else:
                nodes.append(node)
        group.nodes = nodes
        return group


class NearNode(syntax.SyntaxNode):
    has_boost = True

    def __init__(self, a, b, slop: int) -> None:
        self.a, self.b, self.slop, self.boost = a, b, slop, 1.0
        self.startchar, self.endchar = a.startchar, b.endchar

    def r(self) -> str:
        return f"NEAR/{self.slop}({self.a!r}, {self.b!r})"

    def query(self, parser):
        left, right = _words_by_field(parser, self.a), _words_by_field(parser, self.b)
        clauses = [_near_query(field, words, right[field][0], self.slop, boost * self.boost)
                   for field, (words, boost) in left.items() if field in right]
        return wq.Or(clauses) if len(clauses) != 1 else clauses[0]


def _words_by_field(parser, node) -> dict[str, tuple[list[str], float]]:
    """{field: (analysed words, boost)} of a side: a word or a phrase, in one field
    or copied into each default field."""
    copies = node.nodes if type(node) is syntax.OrGroup else [node]  # the default fields' copies
    if not all(type(copy) is syntax.WordNode or isinstance(copy, PhrasePlugin.PhraseNode)
               for copy in copies):
        raise QuerySyntaxError("NEAR needs a word or a quoted phrase on each side")
    if not all(parser.schema[copy.fieldname].format.supports("positions") for copy in copies):
        raise QuerySyntaxError(f"NEAR works on words, not on {copies[0].fieldname}: values")
    return {copy.fieldname: ([token.text for token in
                              parser.schema[copy.fieldname].tokenize(copy.text, mode="query")], copy.boost)
            for copy in copies}


def _near_query(field: str, a: list[str], b: list[str], slop: int, boost: float) -> wq.Query:
    if not a or not b:  # a side of stop words only: the other side alone
        return _side(field, a or b, boost) if a or b else wq.NullQuery
    if len(a) == len(b) == 1:
        return wq.Or([wq.Phrase(field, a + b, slop=slop, boost=boost),
                      wq.Phrase(field, b + a, slop=slop, boost=boost)])
    # each order on its own: SpanNear2(ordered=False) misses a phrase that starts
    # more than `slop` before the other side, however close its end
    first, second = _side(field, a, boost), _side(field, b, boost)
    return wq.Or([_SpanNear([first, second], slop=slop), _SpanNear([second, first], slop=slop)])


def _side(field: str, words: list[str], boost: float) -> wq.Query:
    if len(words) == 1:
        return wq.Term(field, words[0], boost=boost)
    return wq.Phrase(field, words, boost=boost)


def _strip_quoted(text: str) -> str:
    """Quoted text becomes one placeholder word of the same length."""
    return re.sub(r'"[^"]*"', lambda m: "q" * len(m[0]), text)


def check_operators(text: str) -> None:
    """AND / OR at the start or end of the query, or two in a row: an error with a position."""
    tokens = [(m.start(), m[0]) for m in re.finditer(r"[^\s()]+|[()]", _strip_quoted(text))]
    previous = None
    for index, (position, token) in enumerate(tokens):
        is_binary = token in _BINARY
        at_edge = index == 0 or index == len(tokens) - 1 or tokens[index + 1][1] == ")" \
            or (previous is not None and previous[1] == "(")
        if is_binary and at_edge:
            raise QuerySyntaxError(f"'{token}' at position {position + 1} needs a word on each side",
                                   position)
        if is_binary and previous is not None and previous[1] in _BINARY + ("NOT",):
            raise QuerySyntaxError(f"'{previous[1]} {token}' at position {previous[0] + 1}: "
                                   "two operators in a row", previous[0])
        if token == "NOT" and index == len(tokens) - 1:
            raise QuerySyntaxError(f"'NOT' at position {position + 1} needs a word after it", position)
        previous = (position, token)
