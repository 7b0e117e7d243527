"""The backend-neutral query tree, lowered from the query Whoosh's parser builds.

search/query.py stays the only parser. parse_tree() runs it over a *surface*
schema (title and body analysed without stemming), so the tree holds the
lower-cased words of the query, stop words removed ("elections"), and an engine
that stems with its own analyser (a cluster) compiles it: see opensearch/compile.py.

The nodes are plain frozen dataclasses; nothing here imports Whoosh until a query
is parsed. Scores compose as in the embedded engine (search/evaluate.py): And, Or
and AndMaybe add their children's scores, a Not scores 1 for each document it
keeps, a date range or an Exists scores its boost.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Union

from ..errors import QuerySyntaxError

TEXT_FIELDS = ("title", "body")  # ranked words: surface forms in the tree
NAME_FIELDS = ("person", "org", "place", "dateline", "author")  # highlighted like searcher.py


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words in order; slop as Whoosh: 1 = adjacent, n = each word at most n
    positions after the one before."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Near:
    """Clauses (Term or Phrase, one field) in order, the gap between the end of one
    and the start of the next at most slop - 1 positions (Whoosh's SpanNear2)."""

    clauses: tuple["Node", ...]
    slop: int
    ordered: bool = True
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    field: str
    pattern: str  # * any letters, ? one letter
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    field: str
    text: str
    maxdist: int = 1
    prefix: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class DateRange:
    """Inclusive days; None for an open end."""

    start: _dt.date | None
    end: _dt.date | None
    boost: float = 1.0


@dataclass(frozen=True)
class Exists:
    field: str
    boost: float = 1.0


@dataclass(frozen=True)
class MatchAll:
    boost: float = 1.0


@dataclass(frozen=True)
class MatchNone:
    pass


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    child: "Node"
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    positive: "Node"
    negative: "Node"
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe:
    required: "Node"
    optional: "Node"
    boost: float = 1.0


@dataclass(frozen=True)
class Require:
    """`scored` gives the score, `filter` must match too and adds nothing."""

    scored: "Node"
    filter: "Node"
    boost: float = 1.0


Node = Union[Term, Phrase, Near, Prefix, Wildcard, Fuzzy, DateRange, Exists, MatchAll, MatchNone,
             And, Or, Not, AndNot, AndMaybe, Require]


@dataclass(frozen=True)
class ParsedTree:
    query: Node
    warnings: tuple[str, ...] = ()
    fallback: Node | None = None  # the OR form, run when the AND form finds nothing ("and-or")


# -- parsing ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def surface_schema():
    """The index schema with unstemmed title and body: the parser keeps the words as typed."""
    from ..index.schema import build_schema

    return build_schema(stem=False)


def parse_tree(text: str, syntax: bool = True, today=None, operator: str | None = None) -> ParsedTree:
    """Parse the user's query with search/query.py and lower it to the neutral tree.
    Raises QuerySyntaxError as parse_query does, and for a form no cluster can run."""
    from .query import DEFAULT_OPERATOR, parse_query

    parsed = parse_query(text, surface_schema(), syntax=syntax, today=today,
                         operator=operator or DEFAULT_OPERATOR)
    if not syntax:
        return ParsedTree(plain_tree(text))
    fallback = lower(parsed.fallback) if parsed.fallback is not None else None
    return ParsedTree(lower(parsed.query), tuple(parsed.warnings), fallback)


def plain_tree(text: str) -> Node:
    """Plain mode: every word OR-ed over title and body, a repeat counting more, as
    query.plain_query weighs it (by the Whoosh stem); the tree keeps the first
    surface form of each stem."""
    from ..analysis.analyzers import surface_analyzer
    from .query import DEFAULT_FIELDS, FIELD_BOOSTS, query_word_counts
    from .scoring import query_term_weight

    counts = query_word_counts(text)
    if not counts:
        raise QuerySyntaxError("the query has no searchable words", 0)
    surface: dict[str, str] = {}
    for token in surface_analyzer()(text):
        surface.setdefault(stem(token.text), token.text)
    return Or(tuple(Term(field, surface[word], FIELD_BOOSTS[field] * query_term_weight(count))
                    for word, count in counts.items() for field in DEFAULT_FIELDS))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The embedded index's form of a surface word (Whoosh's text analyser)."""
    from ..analysis.analyzers import text_analyzer

    return " ".join(token.text for token in text_analyzer()(word)) or word


# -- lowering Whoosh's query -----------------------------------------------------------------


def lower(q) -> Node:
    """A Whoosh query (from parse_query over surface_schema()) as a neutral tree."""
    from whoosh import query as wq

    if isinstance(q, type(wq.NullQuery)):
        return MatchNone()
    for kind, lowering in _lowerings():
        if isinstance(q, kind):
            return lowering(q)
    raise unsupported(q)


@lru_cache(maxsize=1)
def _lowerings() -> tuple:
    """(Whoosh class, lowering), subclasses before their bases."""
    from whoosh import query as wq
    from whoosh.query.spans import SpanNear2

    boost = _boost
    return (
        (wq.FuzzyTerm, lambda q: Fuzzy(q.fieldname, _text(q.text), int(q.maxdist), int(q.prefixlength),
                                       boost(q))),
        (wq.Prefix, lambda q: Prefix(q.fieldname, _text(q.text), boost(q))),
        (wq.Wildcard, lambda q: Wildcard(q.fieldname, _text(q.text), boost(q))),
        (wq.Term, lambda q: Term(q.fieldname, _text(q.text), boost(q))),
        (wq.Phrase, lambda q: Phrase(q.fieldname, tuple(map(_text, q.words)), int(q.slop), boost(q))),
        (wq.NumericRange, _lower_range),
        (wq.Every, lambda q: Exists(q.fieldname, boost(q)) if q.fieldname not in (None, "", "*")
         else MatchAll(boost(q))),
        (SpanNear2, _lower_near),
        (wq.ConstantScoreQuery, lambda q: Require(MatchAll(), lower(q.child), float(q.score))),
        (wq.Require, lambda q: Require(lower(q.a), lower(q.b), boost(q))),
        (wq.AndMaybe, lambda q: AndMaybe(lower(q.a), lower(q.b), boost(q))),  # and query.PlusMaybe
        (wq.AndNot, lambda q: AndNot(lower(q.a), lower(q.b), boost(q))),
        (wq.Not, lambda q: Not(lower(q.query), boost(q))),
        (wq.Or, _lower_compound(Or)),  # and query.ImplicitOr
        (wq.DisjunctionMax, _lower_compound(Or)),
        (wq.And, _lower_compound(And)),
    )


def _boost(q) -> float:
    return float(getattr(q, "boost", 1.0))


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _lower_range(q) -> Node:
    """A date range of YYYYMMDD numbers: exclusive ends become the next or previous day."""
    from ..index.schema import F, number_day

    if q.fieldname != F.DATE:
        raise unsupported(q)
    try:
        start = number_day(q.start) + _dt.timedelta(days=bool(q.startexcl)) if q.start is not None else None
        end = number_day(q.end) - _dt.timedelta(days=bool(q.endexcl)) if q.end is not None else None
    except (OverflowError, ValueError, TypeError):  # past year 9999 or before year 1: no day
        return MatchNone()
    return DateRange(start, end, _boost(q))


def _lower_near(q) -> Node:
    if q.mindist != 1:
        raise unsupported(q)
    return Near(tuple(map(lower, q.qs)), int(q.slop), bool(q.ordered), _boost(q))


def _lower_compound(kind):
    def lowering(q) -> Node:
        if getattr(q, "minmatch", 0) or getattr(q, "scale", None):
            raise unsupported(q)
        return compound(kind, tuple(map(lower, q.subqueries)), _boost(q))

    return lowering


def compound(kind, children: tuple[Node, ...], boost: float = 1.0) -> Node:
    """And/Or of children, less the ones the embedded engine merges: Whoosh drops a
    clause equal to an earlier one once stemmed (`election elections`), and an And or
    Or of one clause is that clause, boosts multiplied."""
    kept: dict = {}
    for child in children:
        kept.setdefault(stemmed(child), child)
    children = tuple(kept.values())
    if len(children) != 1:
        return kind(children, boost)
    only = children[0]
    if boost == 1.0 or isinstance(only, MatchNone):
        return only
    return dataclasses.replace(only, boost=only.boost * boost)


def unsupported(q) -> QuerySyntaxError:
    return QuerySyntaxError(f"this query form ({type(q).__name__}) is not supported on a cluster index",
                            None, hint="search the embedded index, or rephrase the query")


def _map_children(node: Node, fn) -> Node:
    """The node with `fn` applied to each of its direct sub-nodes."""
    changes = {}
    for item in dataclasses.fields(node):
        value = getattr(node, item.name)
        if isinstance(value, tuple) and value and not isinstance(value[0], str):
            changes[item.name] = tuple(map(fn, value))
        elif dataclasses.is_dataclass(value):
            changes[item.name] = fn(value)
    return dataclasses.replace(node, **changes) if changes else node


def children_of(node: Node) -> list[Node]:
    """The direct sub-nodes of a node."""
    found: list[Node] = []
    _map_children(node, lambda child: found.append(child) or child)
    return found


def stemmed(node: Node) -> Node:
    """The node with title/body words in their Whoosh (stemmed) form: two clauses the
    embedded engine sees as one (`election elections`) have the same stemmed node."""
    if isinstance(node, (Term, Fuzzy)) and node.field in TEXT_FIELDS:
        return dataclasses.replace(node, text=stem(node.text))
    if isinstance(node, Phrase) and node.field in TEXT_FIELDS:
        return dataclasses.replace(node, words=tuple(map(stem, node.words)))
    return _map_children(node, stemmed)


# -- highlighting -------------------------------------------------------------------------


def highlight_terms(node: Node, text: str | None = None) -> frozenset[str]:
    """The analysed (stemmed) words of the tree's title/body clauses, and the analysed
    words of its entity-field clauses, for search/snippets.make_snippet (as searcher.py
    picks them). Words under a NOT are left out. Prefix, wildcard and fuzzy clauses add
    the words of `text` (an article's body) that they match, when it is given."""
    from ..analysis.analyzers import text_analyzer

    terms: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (Not, AndNot)):
            stack.extend((item.positive,) if isinstance(item, AndNot) else ())
            continue
        if isinstance(item, (Prefix, Wildcard, Fuzzy)):
            words: Iterable[str] = _matched_words(item, text) if text else ()
        elif isinstance(item, (Term, Phrase)):
            words = (item.text,) if isinstance(item, Term) else item.words
        else:
            stack.extend(children_of(item))
            continue
        if item.field in TEXT_FIELDS or item.field in NAME_FIELDS:
            terms.update(token.text for word in words for token in text_analyzer()(word))
    return frozenset(terms)


def _matched_words(leaf: Prefix | Wildcard | Fuzzy, text: str) -> set[str]:
    """The words of `text`, in the form the embedded index holds for the leaf's field
    (stemmed for title and body, lower-cased for names), that the leaf matches."""
    from ..analysis.analyzers import name_analyzer, text_analyzer

    analyzer = text_analyzer() if leaf.field in TEXT_FIELDS else name_analyzer()
    words = {token.text for token in analyzer(text)}
    if isinstance(leaf, Prefix):
        return {word for word in words if word.startswith(leaf.text)}
    if isinstance(leaf, Wildcard):
        pattern = re.escape(leaf.pattern).replace(r"\*", ".*").replace(r"\?", ".")
        return set(filter(re.compile(pattern + r"\Z").match, words))
    target = stem(leaf.text) if leaf.field in TEXT_FIELDS else leaf.text
    return {word for word in words
            if word[:leaf.prefix] == target[:leaf.prefix] and within_edits(word, target, leaf.maxdist)}


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether Levenshtein's distance (no transpositions, as Whoosh's FuzzyTerm) is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
        if min(row) > limit:
            return False
    return row[-1] <= limit
