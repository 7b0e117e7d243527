"""Query text -> a Whoosh query plus warnings.

Syntax mode uses Whoosh's query language (AND / OR / NOT, + and -, phrases,
`field:value`, wildcards, ranges, `date:>=2021-09`) over friendly field names.
Plain mode (`syntax=False`) treats every character as text: for pasting a
sentence or a question.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    PlusMinusPlugin,
    syntax,
)

from ..analysis.analyzers import text_analyzer
from ..errors import QuerySyntaxError
from ..index.schema import QUERY_FIELDS, F
from .rewrite import NearPlugin

DEFAULT_FIELDS = (F.TITLE, F.BODY)
FIELD_BOOSTS = {F.TITLE: 0.5, F.BODY: 1.0}  # body holds the title too: see docs/ranking.md

_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)")
_FIELD_PREFIX = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):(?=\S)")


OPERATORS = ("and", "or", "and-or")
DEFAULT_OPERATOR = "or"  # measured best (benchmarks/ir_operator.py, docs/ranking.md)


@dataclass(frozen=True)
class ParsedQuery:
    query: wq.Query
    warnings: tuple[str, ...] = ()
    fallback: wq.Query | None = None  # the OR form, run when the AND form finds nothing


def _check_balance(text: str) -> None:
    """Unbalanced quotes and brackets: an error that names the position."""
    quote_at = None
    depth: list[int] = []
    for position, char in enumerate(text):
        if char == '"':
            quote_at = None if quote_at is not None else position
        elif quote_at is not None:
            continue
        elif char == "(":
            depth.append(position)
        elif char == ")":
            if not depth:
                raise QuerySyntaxError(f"unmatched ')' at position {position + 1}", position)
            depth.pop()
    if quote_at is not None:
        raise QuerySyntaxError(f"unclosed quote starting at position {quote_at + 1}", quote_at)
    if depth:
        raise QuerySyntaxError(f"unclosed '(' at position {depth[-1] + 1}", depth[-1])


def _unknown_fields(text: str) -> tuple[str, list[str]]:
    """Turn `persn:x` into the words `persn x`, with a did-you-mean warning."""
    warnings: list[str] = []

    def replace(match: re.Match) -> str:
        name = match[1]
        if name.lower() in QUERY_FIELDS:
            return name.lower() + ":"
        close = difflib.get_close_matches(name.lower(), QUERY_FIELDS, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        warnings.append(f"unknown field '{name}'{hint} (searched as a word)")
        return name + " "

    return _FIELD_PREFIX.sub(replace, text), warnings


def _parser(schema, group=None):
    from whoosh.qparser import AndGroup

    parser = MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts=FIELD_BOOSTS,
                              group=group or AndGroup)
    # + and - are operators only at the start of a word ("2021-13" is one term).
    plus_minus = _PlusMinus(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-")
    for plugin in (GtLtPlugin(), FuzzyTermPlugin(), plus_minus, NearPlugin()):
        parser.add_plugin(plugin)
    return parser


def _errors(q: wq.Query) -> list[str]:
    found = []
    stack = [q]
    while stack:
        node = stack.pop()
        error = getattr(node, "error", None)
        if error:
            found.append(str(error))
        stack.extend(node.children())
    return found


def query_word_counts(text: str) -> dict[str, float]:
    """How many times each word of `text` counts in the query: the mean of its
    occurrences and of the sentences (or ;-clauses) it occurs in.

    A word that comes back in another sentence is what the text is about; a
    repeat inside one sentence is mostly a list or a restatement ("bone, bone
    cells, bone diseases", "hypertrophy ... (hypertrophy)") and counts half.
    Measured in docs/ranking.md."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    occurrences: Counter = Counter()
    sentences: dict[str, set[int]] = {}
    for token in text_analyzer()(text, chars=True):
        occurrences[token.text] += 1
        sentences.setdefault(token.text, set()).add(bisect_right(ends, token.startchar))
    return {word: (count + len(sentences[word])) / 2 for word, count in occurrences.items()}


def plain_query(text: str) -> wq.Query:
    """Every word of `text` OR-ed over title and body; no operators.

    A word repeated in the query counts more (query term frequency, as in
    BM25 and bm25s; Whoosh's own parser drops repeats): see query_word_counts."""
    from .scoring import query_term_weight

    counts = query_word_counts(text)
    if not counts:
        raise QuerySyntaxError("the query has no searchable words", 0)
    return wq.Or([
        wq.Term(field, term, boost=FIELD_BOOSTS[field] * query_term_weight(count))
        for term, count in counts.items() for field in DEFAULT_FIELDS
    ])


def parse_query(text: str, schema, syntax: bool = True, today=None,
                operator: str = DEFAULT_OPERATOR) -> ParsedQuery:
    """Parse the user's query. Raises QuerySyntaxError for a query that cannot be run.

    `operator` joins words that have no operator between them: "and", "or",
    or "and-or" (AND, with the OR form as `fallback`). `today` fixes the day
    that relative dates count from (default: SEARCHKIT_TODAY, else the clock)."""
    if not text or not text.strip():
        raise QuerySyntaxError("empty query", 0, hint="type some words to search for")
    bad = _SURROGATE.search(text)  # e.g. undecodable bytes in a command-line argument
    if bad:
        raise QuerySyntaxError(f"the query holds an undecodable character at position {bad.start() + 1}",
                               bad.start())
    if operator not in OPERATORS:
        raise QuerySyntaxError(f"unknown operator {operator!r}", None, hint="use and, or or and-or")
    if not syntax:
        return ParsedQuery(plain_query(text))
    from .dates_query import resolve_today, rewrite_dates
    from .rewrite import check_near, check_operators

    _check_balance(text)
    check_operators(text)
    check_near(text)
    cleaned, warnings = _unknown_fields(rewrite_dates(text, resolve_today(today)))
    if operator == "or":
        return ParsedQuery(_or_query(schema, cleaned), tuple(warnings))
    q = _parse(schema, cleaned, False)
    # "and-or": when the AND finds nothing, run what "or" mode would
    fallback = _or_query(schema, cleaned) if operator == "and-or" and _has_words_to_loosen(q) else None
    return ParsedQuery(q, tuple(warnings), fallback)


def _or_query(schema, cleaned: str) -> wq.Query:
    """Free words OR-ed; field filters, NOT and +words stay required."""
    try:
        return require_filters(_parse(schema, cleaned, True))
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply", None) from None


def _is_text_clause(q: wq.Query) -> bool:
    return all(leaf.field() in DEFAULT_FIELDS for leaf in q.leaves())


class ImplicitOr(wq.Or):
    """Words joined without an operator, in "or" mode (explicit ORs stay wq.Or)."""


class ImplicitOrGroup(syntax.OrGroup):
    qclass = ImplicitOr


class PlusMaybe(wq.AndMaybe):
    """`+word` clauses (required) with the other clauses of their group (optional)."""


class _PlusMaybeGroup(syntax.AndMaybeGroup):
    qclass = PlusMaybe


class _PlusMinus(PlusMinusPlugin):
    """+ and - that keep the meaning of the unmarked words around them.

    Whoosh rebuilds the group as AndMaybe(+words, OrGroup(rest)): in "and" mode
    that made the unmarked words optional, and in "or" mode it hid field filters
    and NOTs in the optional part. Here "and" mode keeps every word required, and
    "or" mode keeps the rest an implicit OR, so require_filters lifts its filters."""

    def do_plusminus(self, parser, group):
        required, optional, banned = syntax.AndGroup(), [], syntax.OrGroup()
        target = optional
        for node in group:
            node = self._nested(parser, node)
            if isinstance(node, self.Plus):
                target = required
            elif isinstance(node, self.Minus):
                target = banned
            else:
                target.append(node)
                target = optional
        if isinstance(group, syntax.AndGroup):  # "and" mode: + adds nothing
            required.extend(optional)
            optional = []
        rest = (ImplicitOrGroup if isinstance(group, ImplicitOrGroup) else syntax.OrGroup)(optional)
        result = _PlusMaybeGroup([required, rest]) if required and optional else required or rest
        return syntax.AndNotGroup([result, banned]) if banned else result

    def _nested(self, parser, node):
        """+ and - inside brackets, `(+a b)`: Whoosh reads only the top level."""
        if not isinstance(node, syntax.GroupNode):
            return node
        if any(isinstance(child, (self.Plus, self.Minus)) for child in node):
            rebuilt = self.do_plusminus(parser, node)
            rebuilt.set_boost(node.boost)
            return rebuilt
        node.nodes = [self._nested(parser, child) for child in node]
        return node


def _implicit_or_group():
    return ImplicitOrGroup


def _is_filter(q: wq.Query) -> bool:
    return isinstance(q, wq.Not) or not _is_text_clause(q)


def require_filters(q: wq.Query) -> wq.Query:
    """In words joined without an operator, the field filters (date:, person:, …)
    and NOTs must hold; the free words are OR-ed. Explicit ORs are left alone."""
    if isinstance(q, PlusMaybe):
        return _require_plus_filters(q)
    q = q.apply(require_filters) if not q.is_leaf() else q
    if not isinstance(q, ImplicitOr):
        return q
    filters = [c for c in q.subqueries if _is_filter(c)]
    words = [c for c in q.subqueries if c not in filters]
    if not filters:
        return wq.Or(words, boost=q.boost)
    return wq.And(filters + ([wq.Or(words)] if words else []), boost=q.boost)


def _require_plus_filters(q: PlusMaybe) -> wq.Query:
    """`+oil prices date:2020`: the date joins the required `+oil`, `prices` stays optional."""
    rest = list(q.b.subqueries) if isinstance(q.b, ImplicitOr) else [q.b]
    filters = [require_filters(c) for c in rest if _is_filter(c)]
    words = [require_filters(c) for c in rest if not _is_filter(c)]
    required = require_filters(q.a)
    if filters:
        required = wq.And([required] + filters)
    if not words:
        return required
    return wq.AndMaybe(required, words[0] if len(words) == 1 else wq.Or(words))


def _has_words_to_loosen(q: wq.Query) -> bool:
    """An AND (perhaps with a NOT) of two or more free-word clauses."""
    if isinstance(q, wq.AndNot):
        return _has_words_to_loosen(q.a)
    return isinstance(q, wq.And) and sum(map(_is_text_clause, q.subqueries)) >= 2


def _parse(schema, cleaned: str, any_word: bool) -> wq.Query:
    try:
        q = _parser(schema, _implicit_or_group() if any_word else None).parse(cleaned)
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply", None) from None
    except (IndexError, AssertionError):  # whoosh's parser trips on e.g. "<0", "x ANDMAYBE:ANDMAYBE"
        raise QuerySyntaxError("cannot parse the query: an operator (< > ANDMAYBE …) has nothing to "
                               "apply to", hint="quote words that contain operators") from None
    errors = _errors(q)
    if errors:
        raise QuerySyntaxError(f"bad query: {errors[0]}")
    if isinstance(q, wq.NullQuery.__class__) or q is wq.NullQuery:
        raise QuerySyntaxError("the query has no searchable words (only stop words?)", 0)
    return q
