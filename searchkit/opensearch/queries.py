"""The read side of OpenSearchIndex: each SearchIndex method as requests to the cluster.

Query text -> search/tree.py's parse (searchkit's own parser) -> compile.py
(Query DSL) -> the cluster -> results.py (searchkit's models). Near-duplicate
grouping, snippets and the timeline's buckets are the embedded engine's own
code, run on what the cluster returns.
"""

from __future__ import annotations

from ..errors import TooManyClauses
from ..models import Facet, IndexStats, Results
from ..search.duplicates import LOOKAHEAD, group_duplicates, text_sketch
from ..search.facets import build_timeline_counts
from ..search.query import DEFAULT_OPERATOR
from ..search.related import entity_query
from ..search.searcher import FALLBACK_WARNING
from ..search.suggest import SUGGEST_BELOW
from . import results
from .client import WHOLE, retrying
from .compile import compile_query, recency_query
from .merges import merged_aggs, merged_facets

MAX_WINDOW = 10_000  # OpenSearch's index.max_result_window
EXPORT_PAGE = 1000
FEEDBACK_LEFT_OUT = ("ranked without feedback: the text with the words it would add has more clauses "
                     "than the cluster allows (indices.query.bool.max_clause_count)")
SIMILAR_TERMS = 12  # as search/related.py


def _parse(text: str, syntax: bool, today, operator: str | None = None):
    from ..search.tree import parse_tree

    return parse_tree(text, syntax=syntax, today=today, operator=operator or DEFAULT_OPERATOR)


def _scored(tree, today, recency: float) -> dict:
    query = compile_query(tree)
    if recency:
        from ..search.dates_query import resolve_today
        from ..search.scoring import RECENCY_HALF_LIFE_DAYS

        query = recency_query(query, resolve_today(today), recency, RECENCY_HALF_LIFE_DAYS)
    return query


def _sort(sort: str) -> list:
    if sort == "date":
        return [{"date": {"order": "desc", "missing": "_last"}}, {"_score": "desc"}, {"key": "asc"}]
    return [{"_score": "desc"}, {"key": "asc"}]


def _terms(tree, snippets: bool):
    """What to highlight in an article's body (None: no snippets): the query's words,
    and the article's own words that its prefixes, wildcards and fuzzy words match."""
    if not snippets:
        return None
    from ..search.tree import highlight_terms

    return lambda body: highlight_terms(tree, body)


def _sketch(source: dict):
    """An article's near-duplicate sketch, made from its text as the embedded index makes it."""
    body = source.get("body", "")
    return text_sketch(source.get("title", ""), body[source.get("body_offset", 0):])


def _hits_on_demand(ix, body: dict, query: dict, found: dict):
    """The hits found, then the following ones, fetched only when grouping asks for
    them (a page of many copies folds more than the first window holds)."""
    hits = found["hits"]["hits"]
    yield from hits
    start, size = len(hits), body["size"]
    total = min(found["hits"]["total"]["value"], MAX_WINDOW)
    while hits and start < total:
        size = min(size * 4, total - start)
        more = {key: value for key, value in body.items() if key != "aggs"}
        hits = ix._search({**more, "query": query, "from": start, "size": size,
                           "track_total_hits": False})["hits"]["hits"]
        yield from hits
        start += len(hits)


def _with_feedback(ix, tree, query: dict, best: list, today, recency: float):
    """search/feedback.py on the cluster, from the first search's `best` hits: (the widened
    query, the hit to keep first, the words added); the query and None when there is
    nothing to add. The kept hit still holds its first score: see _rescored."""
    from ..search import tree as t

    words = _feedback_words(ix, best)
    if not words:
        return query, None, ()
    return _scored(t.AndMaybe(tree, _added(words)), today, recency), best[0], words


def _feedback_words(ix, best: list) -> tuple:
    from ..search.feedback import feedback_words

    if not best:
        return ()
    return feedback_words(((hit["_source"].get("body", ""), hit.get("_score")) for hit in best),
                          lambda pool: _frequencies(ix, pool))


def _added(words):
    """The feedback words as the body terms they add (each stemmed by the body's analyser)."""
    from ..search import tree as t

    return t.Or(tuple(t.Term("body", word.surface, word.boost) for word in words))


def _frequencies(ix, words) -> tuple[int, dict[str, int]]:
    """feedback.Frequencies in one request: the articles, and those with each word in the body
    (the word as the body's analyser makes it, as the added words are matched)."""
    filters = {word.stem: {"match": {"body": word.surface}} for word in words}
    found = ix._search({"size": 0, "track_total_hits": True, "query": {"match_all": {}},
                        "aggs": {"words": {"filters": {"filters": filters}}}})
    buckets = found["aggregations"]["words"]["buckets"]
    return found["hits"]["total"]["value"], {stem: bucket["doc_count"] for stem, bucket in buckets.items()}


def _rescored(ix, widened: dict, kept: dict, hits: list) -> dict:
    """The kept hit with its score for the widened query: from the widened search's `hits`
    when they hold it (nearly always), else asked for with an ids filter."""
    for hit in hits:
        if hit["_id"] == kept["_id"]:
            return {**kept, "_score": hit.get("_score")}
    again = ix._search({"size": 1, "track_scores": True, "track_total_hits": False,
                        "query": {"bool": {"must": [widened], "filter": [{"ids": {"values": [kept["_id"]]}}]}}})
    scored = again["hits"]["hits"]
    return {**kept, "_score": scored[0].get("_score")} if scored else kept


def _best(ix, query: dict, found: dict | None = None) -> list:
    """The first search's best FEEDBACK_ARTICLES hits (from `found` when it holds them)."""
    from ..search import feedback

    wanted = feedback.FEEDBACK_ARTICLES
    hits = found["hits"]["hits"] if found is not None else []
    if found is not None and len(hits) >= min(wanted, found["hits"]["total"]["value"]):
        return hits[:wanted]
    return ix._search({"size": wanted, "query": query, "sort": _sort("relevance"),
                       "track_scores": True, "track_total_hits": False})["hits"]["hits"]


def run_search(ix, shown: str, text: str, limit: int, page: int, sort: str, syntax: bool, facets: int,
               snippets: bool, today, recency: float, operator: str | None, group: bool,
               feedback: bool | None = None) -> Results:
    from ..search.feedback import kept_first, wants_feedback

    parsed = _parse(text, syntax, today, operator)
    limit, page = max(1, int(limit)), max(1, int(page))
    window = min(page * limit * (4 if group else 1) + (LOOKAHEAD if group else 0), MAX_WINDOW)
    body = {"size": window, "track_total_hits": True, "sort": _sort(sort), "track_scores": True}
    merges = ix._merges() if facets else None
    if facets:
        body["aggs"] = merged_aggs(results.facet_aggs(facets), merges)
    with_feedback = wants_feedback(feedback, syntax, sort)
    first_body = {key: value for key, value in body.items() if key != "aggs"} if with_feedback else body
    tree, warnings = parsed.query, list(parsed.warnings)
    query = _scored(tree, today, recency)
    found = ix._search({**first_body, "query": query})
    if not found["hits"]["total"]["value"] and parsed.fallback is not None:
        fallback = _scored(parsed.fallback, today, recency)
        retry = ix._search({**first_body, "query": fallback})
        if retry["hits"]["total"]["value"]:
            found, tree, query = retry, parsed.fallback, fallback
            warnings.append(FALLBACK_WARNING)
    kept, words = None, ()
    if with_feedback:
        first_query, first_found = query, found
        if found["hits"]["total"]["value"]:
            query, kept, words = _with_feedback(ix, tree, query, _best(ix, query, found), today, recency)
        try:
            if kept is not None or facets:  # the widened ranking, or the facets the first request left out
                found = ix._search({**body, "query": query})
            if kept is not None:
                kept = _rescored(ix, query, kept, found["hits"]["hits"])
        except TooManyClauses:  # the text alone fits the cluster's limit, with the words it does not
            query, kept, words = first_query, None, ()
            found = ix._search({**body, "query": query}) if facets else first_found
            warnings.append(FEEDBACK_LEFT_OUT)
    terms = _terms(tree, snippets)
    first = (page - 1) * limit
    if group:
        stream = kept_first(_hits_on_demand(ix, body, query, found), kept, key=lambda hit: hit["_id"])
        items = ((hit["_source"], hit.get("_score")) for hit in stream)
        grouped = group_duplicates(items, lambda item: _sketch(item[0]), needed=first + limit + 1,
                                   shown=first + limit, batches=(1, 1))  # a hit past the first window costs a request
        more = len(grouped) > first + limit
    else:
        more = None
        items = [(hit["_source"], hit.get("_score"))
                 for hit in kept_first(found["hits"]["hits"], kept, key=lambda hit: hit["_id"])]
        grouped = [(item, []) for item in items[:first + limit]]
    hits = []
    for rank, ((source, score), folded) in enumerate(grouped[first:first + limit], start=first + 1):
        hit = results.to_hit(source, score, rank, terms)
        if folded:
            from dataclasses import replace

            ids = tuple(item[0].get("id", "") for item in folded)
            hit = replace(hit, duplicates=len(ids), duplicate_ids=ids)
        hits.append(hit)
    facet_values = _facets(ix, query, found.get("aggregations", {}), facets, merges) if facets else ()
    total = found["hits"]["total"]["value"]
    suggestion = None
    if syntax and (total < SUGGEST_BELOW or FALLBACK_WARNING in warnings):
        from .suggest import suggest_query

        suggestion = suggest_query(ix, shown)
    return Results(query=shown, total=total, hits=tuple(hits), page=page, limit=limit, sort=sort,
                   warnings=tuple(warnings), facets=facet_values, suggestion=suggestion, more=more,
                   feedback=tuple(word.surface for word in words))


def iter_hits(ix, text: str, sort: str, syntax: bool, today, recency: float, snippets: bool,
              feedback: bool | None = None):
    """Every match, a page at a time from a point in time (consistent while it lasts), in
    run_search's order."""
    from ..search.feedback import wants_feedback

    parsed = _parse(text, syntax, today)
    tree = parsed.query
    if parsed.fallback is not None and not _count(ix, tree):
        tree = parsed.fallback
    terms = _terms(tree, snippets)
    query = _scored(tree, today, recency)
    kept = None
    if wants_feedback(feedback, syntax, sort):
        widened, kept, _ = _with_feedback(ix, tree, query, _best(ix, query), today, recency)
        if kept is not None:
            try:
                kept = _rescored(ix, widened, kept, [])
                query = widened
            except TooManyClauses:  # as run_search: ranked as the query alone
                kept = None
    if kept is not None:
        yield results.to_hit(kept["_source"], kept.get("_score"), 1, terms)
    yield from _exported(ix, query, sort, terms, kept["_id"] if kept is not None else None)


def _exported(ix, query: dict, sort: str, terms, left_out: str | None):
    """The hits of `query` but a kept first one (`left_out`), ranked from 2 when there is one."""
    with ix._errors():
        pit = retrying(ix.client.create_pit, index=ix.name,
                       params={"keep_alive": "5m", "allow_partial_pit_creation": "false"})["pit_id"]
    try:
        after, rank = None, 0 if left_out is None else 1
        while True:
            body = {"size": EXPORT_PAGE, "query": query, "sort": _sort(sort), "track_scores": True,
                    "pit": {"id": pit, "keep_alive": "5m"}, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            with ix._errors():
                page = retrying(ix.client.search, body=body, params=WHOLE)["hits"]["hits"]
            for hit in page:
                if hit["_id"] == left_out:
                    continue
                rank += 1
                yield results.to_hit(hit["_source"], hit.get("_score"), rank, terms)
            if len(page) < EXPORT_PAGE:
                return
            after = page[-1]["sort"]
    finally:
        with ix._errors():
            ix.client.delete_pit(body={"pit_id": [pit]})


def _count(ix, tree) -> int:
    with ix._errors():
        return retrying(ix.client.count, index=ix.name, body={"query": compile_query(tree)})["count"]


def _matches(text: str | None, syntax: bool, today=None) -> dict:
    """The query of all matches of `text` (every article for None), for counting."""
    if not text:
        return {"match_all": {}}
    return compile_query(_parse(text, syntax, today).query)


def similar(ix, found: dict, article_id: str, limit: int) -> Results:
    like = {"more_like_this": {"fields": ["body"], "like": [{"_index": found["_index"], "_id": found["_id"]}],
                               "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": SIMILAR_TERMS}}
    page = ix._search({"query": like, "size": limit})["hits"]["hits"]
    hits = tuple(results.to_hit(hit["_source"], hit["_score"], rank, None)
                 for rank, hit in enumerate(page, start=1))
    return Results(query=f"similar:{article_id}", total=len(hits), hits=hits, limit=limit)


def _facets(ix, query: dict | None, aggregations: dict, top: int, merges,
            target: tuple[str, str] | None = None) -> tuple[Facet, ...]:
    """Facets from the answer to merged_aggs over `query`: each short form counted under
    its full name; `target` (kind, lower-cased name) left out with every form of it."""
    facets = results.to_facets(aggregations, top, leave_out=target)
    if not merges:
        return facets
    left_out = {(target[0], form.lower()) for form in merges.forms(*target)} if target else set()
    return merged_facets(ix._search, query, aggregations, facets, top, merges, left_out)


def cooccur(ix, text: str, top: int, syntax: bool, today, asked: str | None = None) -> tuple[Facet, ...]:
    query_text, target = entity_query(text)
    if asked is not None and target is None:
        target = entity_query(asked)[1]
    merges = ix._merges()
    query = _matches(query_text, syntax, today)
    body = {"size": 0, "query": query, "aggs": merged_aggs(results.facet_aggs(top + 1), merges)}
    return _facets(ix, query, ix._search(body).get("aggregations", {}), top, merges, target)


def entities(ix, text: str | None, top: int, syntax: bool) -> tuple[Facet, ...]:
    merges = ix._merges()
    query = _matches(text, syntax)
    body = {"size": 0, "query": query, "aggs": merged_aggs(results.facet_aggs(top), merges)}
    return _facets(ix, query, ix._search(body).get("aggregations", {}), top, merges)


def timeline(ix, text: str, interval: str, normalise: bool, syntax: bool):
    body = {"size": 0, "query": _matches(text, syntax), "aggs": results.day_aggs()}
    days = results.day_counts(ix._search(body)["aggregations"])
    totals = None
    if normalise:
        totals = results.day_counts(ix._search({"size": 0, "aggs": results.day_aggs()})["aggregations"])
    return build_timeline_counts(days, totals, interval)


def explain(ix, text: str, found: dict, article_id: str, shown: str, syntax: bool, today, recency: float,
            feedback: bool | None = None):
    """As run_search ranks: with feedback for plain-mode text unless `feedback` is False (the
    query's parts and the added words' are explained apart, and their scores add up)."""
    from ..search import tree as t
    from ..search.explain import with_feedback
    from ..search.feedback import wants_feedback

    parsed = _parse(text, syntax, today)
    tree = parsed.query
    if parsed.fallback is not None and not _count(ix, tree):
        tree = parsed.fallback
    plain = _explained(ix, tree, found, article_id, shown, today, recency)
    if not wants_feedback(feedback, syntax, "relevance"):
        return plain
    best = _best(ix, _scored(tree, today, recency))
    words = _feedback_words(ix, best)
    if not words:
        return plain
    try:  # as run_search: a text that passes the clause limit with the words is ranked without them
        _count(ix, t.AndMaybe(tree, _added(words)))
    except TooManyClauses:
        return plain
    added = _explained(ix, _added(words), found, article_id, shown, today, recency)
    return with_feedback(plain, added, tuple(word.surface for word in words), best[0]["_id"] == found["_id"])


def _explained(ix, tree, found: dict, article_id: str, shown: str, today, recency: float):
    from ..search.explain import Explanation, TermScore
    from ..search.scoring import Recency

    with ix._errors():
        answer = ix.client.explain(index=found["_index"], id=found["_id"], body={"query": compile_query(tree)})
    matched = bool(answer.get("matched"))
    detail = answer.get("explanation", {})
    parts = tuple(TermScore(field, term, freq or 0.0, boost, score)
                  for field, term, freq, boost, score in results.term_parts(detail)) if matched else ()
    factor = 1.0
    if recency and matched:
        from ..search.dates_query import resolve_today

        day = results.to_article(found["_source"]).date
        factor = Recency(resolve_today(today), recency).factor(day)
    score = float(detail.get("value", 0.0)) * factor if matched else 0.0
    counted = abs(sum(part.score for part in parts) - float(detail.get("value", 0.0))) < 1e-3
    return Explanation(article_id, shown, score, parts, factor, matched, counted)


def stats(ix, top: int) -> IndexStats:
    aggs = {"first": {"min": {"field": "date", "format": "yyyy-MM-dd"}},
            "last": {"max": {"field": "date", "format": "yyyy-MM-dd"}},
            "undated": {"missing": {"field": "date"}}}
    merges = ix._merges()
    aggs.update(merged_aggs(results.facet_aggs(top), merges))
    found = ix._search({"size": 0, "track_total_hits": True, "aggs": aggs})
    answer = found["aggregations"]
    with ix._errors():
        store = ix.client.indices.stats(index=ix.name, metric="store")["_all"]["primaries"]["store"]
    import datetime as _dt

    def day(name: str):
        value = answer[name].get("value_as_string")
        return _dt.date.fromisoformat(value[:10]) if answer[name].get("value") is not None and value else None

    return IndexStats(path=ix.path, articles=found["hits"]["total"]["value"], first_date=day("first"),
                      last_date=day("last"), undated=answer["undated"]["doc_count"],
                      top_entities=_facets(ix, None, answer, top, merges), size_bytes=store["size_in_bytes"],
                      extractor=ix._recent_meta().get("extractor", {}).get(ix.origin) or "rules")
