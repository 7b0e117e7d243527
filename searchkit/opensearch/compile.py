"""The neutral query tree (search/tree.py) -> OpenSearch's Query DSL. Pure: no client.

Scores compose as in the embedded engine (search/evaluate.py): bool `must` and
`should` add their clauses' scores; a NOT scores 1 for each document it keeps (a
match_all beside the must_not, as Whoosh's inverse matcher); ranges and `exists`
score their boost. A phrase scores as Whoosh scores it, the sum of its words' BM25
in that field, with the positions checked by a non-scoring filter (match_phrase,
or intervals for proximity and NEAR).
"""

from __future__ import annotations

import datetime as _dt

from ..search import tree as t
from .mapping import DATE_FORMAT, KEYWORD_FIELDS

MAX_FUZZINESS = 2  # Lucene's Levenshtein automata stop at 2 edits


def compile_query(node: t.Node) -> dict:
    """The value of a search request's "query" for one tree."""
    try:
        compiler = _COMPILERS[type(node)]
    except KeyError:
        raise TypeError(f"not a query tree node: {node!r}") from None
    return compiler(node)


def _boosted(params: dict, boost: float) -> dict:
    if boost != 1.0:
        params["boost"] = boost
    return params


def _term(node: t.Term) -> dict:
    if node.field in KEYWORD_FIELDS:
        return {"term": {node.field: _boosted({"value": node.text}, node.boost)}}
    return {"match": {node.field: _boosted({"query": node.text}, node.boost)}}


def _word_scores(field: str, words, boost: float) -> dict:
    """The words' BM25 scores in `field`, summed (how Whoosh scores a phrase)."""
    if len(words) == 1:
        return _term(t.Term(field, words[0], boost))
    return {"bool": _boosted({"must": [_term(t.Term(field, word)) for word in words]}, boost)}


def _phrase(node: t.Phrase) -> dict:
    if len(node.words) == 1:
        return _term(t.Term(node.field, node.words[0], node.boost))
    if node.slop <= 1:
        where = {"match_phrase": {node.field: {"query": " ".join(node.words)}}}
    else:
        where = {"intervals": {node.field: _phrase_rule(node.words, node.slop)}}
    scored = _word_scores(node.field, node.words, node.boost)
    return {"bool": {"must": [scored], "filter": [where]}}


def _phrase_rule(words, slop: int) -> dict:
    """An intervals rule: the words in order, each within `slop` positions of the one
    before (Whoosh's per-word slop; nested, as one rule would cap the total gaps).
    `mode` replaces the `ordered` flag OpenSearch 2 deprecates."""
    if slop <= 1:
        return {"match": {"query": " ".join(words), "mode": "ordered", "max_gaps": 0}}
    if len(words) <= 2:
        return {"match": {"query": " ".join(words), "mode": "ordered", "max_gaps": slop - 1}}
    return {"all_of": {"mode": "ordered", "max_gaps": slop - 1,
                       "intervals": [{"match": {"query": words[0]}}, _phrase_rule(words[1:], slop)]}}


def _clause_rule(node: t.Node) -> dict:
    if isinstance(node, t.Term):
        return {"match": {"query": node.text}}
    if isinstance(node, t.Phrase):
        return _phrase_rule(node.words, node.slop)
    raise TypeError(f"NEAR takes words and phrases, not {node!r}")


def _clause_field(node: t.Node) -> str:
    if not isinstance(node, (t.Term, t.Phrase)):
        raise TypeError(f"NEAR takes words and phrases, not {node!r}")
    return node.field


def _near(node: t.Near) -> dict:
    fields = {_clause_field(clause) for clause in node.clauses}
    if len(fields) != 1:
        raise TypeError(f"NEAR joins clauses of one field: {node!r}")
    field = fields.pop()
    scored = [_word_scores(field, clause.words if isinstance(clause, t.Phrase) else (clause.text,),
                           clause.boost) for clause in node.clauses]
    rule = {"all_of": {"mode": "ordered" if node.ordered else "unordered", "max_gaps": max(0, node.slop - 1),
                       "intervals": [_clause_rule(clause) for clause in node.clauses]}}
    return {"bool": _boosted({"must": scored, "filter": [{"intervals": {field: rule}}]}, node.boost)}


def _fuzzy(node: t.Fuzzy) -> dict:
    from ..search.limits import WILDCARD_CAP

    params = {"query": node.text, "fuzziness": min(node.maxdist, MAX_FUZZINESS),
              "prefix_length": node.prefix, "fuzzy_transpositions": False,
              "max_expansions": WILDCARD_CAP, "fuzzy_rewrite": "constant_score"}
    return {"match": {node.field: _boosted(params, node.boost)}}


def _day(day: _dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date_range(node: t.DateRange) -> dict:
    if node.start is None and node.end is None:
        return _exists(t.Exists("date", node.boost))
    params = {"format": DATE_FORMAT}
    if node.start is not None:
        params["gte"] = _day(node.start)
    if node.end is not None:
        params["lte"] = _day(node.end)
    return {"range": {"date": _boosted(params, node.boost)}}


def _exists(node: t.Exists) -> dict:
    return {"exists": _boosted({"field": node.field}, node.boost)}


def _bool(boost: float, **clauses) -> dict:
    body = {occur: [compile_query(child) for child in children] for occur, children in clauses.items()}
    if "should" in body and "must" not in body:
        body["minimum_should_match"] = 1
    return {"bool": _boosted(body, boost)}


def _not(node: t.Not) -> dict:
    """Every document but the child's, each scoring 1 (times the boost)."""
    return {"bool": _boosted({"must": [{"match_all": {}}], "must_not": [compile_query(node.child)]},
                             node.boost)}


_COMPILERS = {
    t.Term: _term,
    t.Phrase: _phrase,
    t.Near: _near,
    t.Prefix: lambda node: {"prefix": {node.field: _boosted({"value": node.text}, node.boost)}},
    t.Wildcard: lambda node: {"wildcard": {node.field: _boosted({"value": node.pattern}, node.boost)}},
    t.Fuzzy: _fuzzy,
    t.DateRange: _date_range,
    t.Exists: _exists,
    t.MatchAll: lambda node: {"match_all": _boosted({}, node.boost)},
    t.MatchNone: lambda node: {"match_none": {}},
    t.And: lambda node: _bool(node.boost, must=node.children),
    t.Or: lambda node: _bool(node.boost, should=node.children),
    t.Not: _not,
    t.AndNot: lambda node: _bool(node.boost, must=[node.positive], must_not=[node.negative]),
    t.AndMaybe: lambda node: _bool(node.boost, must=[node.required], should=[node.optional]),
    t.Require: lambda node: _bool(node.boost, must=[node.scored], filter=[node.filter]),
}


def recency_query(query_dsl: dict, today: _dt.date, weight: float, half_life: float | None = None) -> dict:
    """`query_dsl` with each score multiplied by 1 + weight * 0.5 ** (age / half_life),
    age in days before `today` (search/scoring.py's Recency): an article dated after
    `today` gets the full 1 + weight, an undated one 1."""
    from ..search.scoring import RECENCY_HALF_LIFE_DAYS

    if not weight or weight <= 0:
        return query_dsl
    half_life = float(half_life or RECENCY_HALF_LIFE_DAYS)
    origin = today.isoformat()
    scale = f"{half_life:g}d" if half_life == int(half_life) else f"{round(half_life * 86_400_000)}ms"
    past = {"range": {"date": {"lte": origin, "format": DATE_FORMAT}}}
    future = {"range": {"date": {"gt": origin, "format": DATE_FORMAT}}}
    decay = {"date": {"origin": origin, "scale": scale, "offset": "0d", "decay": 0.5}}
    return {"function_score": {
        "query": query_dsl,
        "functions": [
            {"weight": 1},
            {"filter": past, "exp": decay, "weight": float(weight)},
            {"filter": future, "weight": float(weight)},
        ],
        "score_mode": "sum",
        "boost_mode": "multiply",
    }}
