"""Running queries against the index and copying what we need out of Whoosh.

Whoosh hits die with their searcher: every result here is copied into our own
plain objects inside the `with ix.searcher()` block.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from operator import itemgetter

from whoosh import query as wq

from ..analysis.analyzers import text_analyzer
from ..errors import ArticleNotFound
from ..index.documents import ranked_text
from ..index.schema import NAME_SEPARATOR, F, number_day
from ..models import FullArticle, Hit, IndexStats, Results, TimelineBucket
from .facets import article_days, build_timeline, count_entities, index_merges
from .dense import DenseScores
from .duplicates import LOOKAHEAD, group_duplicates, stored_sketches
from .evaluate import and_maybe_scores, matching_docs
from . import feedback as _feedback
from .feedback import feedback_words, kept_first, wants_feedback
from . import limits
from .limits import cap_expansions, score_all
from .query import DEFAULT_OPERATOR, parse_query
from .readers import article_ids, cached_column, unsigned_numbers
from .score_maps import window_threshold
from .suggest import SUGGEST_BELOW, suggest_query
from .snippets import make_snippet

SORTS = ("relevance", "date")
_TEXT_FIELDS = {F.TITLE, F.BODY}
_NAME_FIELDS = {F.PERSON, F.ORG, F.PLACE, F.DATELINE, F.AUTHOR}


def weighting(recency=None):
    from .scoring import weighting as news_weighting

    return news_weighting(recency)


def _names(stored: dict, field: str) -> tuple[str, ...]:
    value = stored.get(field) or ""
    return tuple(name for name in value.split(NAME_SEPARATOR) if name)


def _existing_terms(q: wq.Query, reader, cap: int = 500):
    """(field, text) of the query's terms found in the index, wildcards expanded.

    Leaf by leaf: whoosh3's Query.existing_terms skips every field after the
    first one (it reuses a variable), so it cannot be used here."""
    found = 0
    for leaf in q.leaves():
        for field, text in leaf.expanded_terms(reader):
            if found >= cap:
                return
            if (field, text) in reader:
                found += 1
                yield field, text


def _highlight_terms(q: wq.Query, reader) -> frozenset[str]:
    """The analysed words to highlight in body text, wildcards expanded."""
    terms: set[str] = set()
    for field, text in _existing_terms(q, reader):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if field in _TEXT_FIELDS:
            terms.add(text)
        elif field in _NAME_FIELDS:
            terms.update(token.text for token in text_analyzer()(text))
    return frozenset(terms)


def _article_fields(stored: dict) -> dict:
    """What a Hit and a FullArticle share, from one document's stored fields."""
    return dict(
        id=stored.get(F.ID, ""),
        title=stored.get(F.TITLE, ""),
        date=number_day(stored.get(F.DATE) or 0),
        date_source=stored.get(F.DATE_SOURCE),
        dateline=stored.get(F.DATELINE),
        path=stored.get(F.PATH) or None,
        url=stored.get(F.URL),
        source=stored.get(F.SOURCE),
        people=_names(stored, F.PERSON),
        orgs=_names(stored, F.ORG),
        places=_names(stored, F.PLACE),
        authors=_names(stored, F.AUTHOR),
    )


def _hit(stored: dict, score: float, rank: int, terms: frozenset[str] | None) -> Hit:
    snippet = make_snippet(stored.get(F.BODY, ""), terms) if terms is not None else None
    return Hit(score=float(score or 0.0), rank=rank, snippet=snippet, **_article_fields(stored))


def _full_article(stored: dict) -> FullArticle:
    return FullArticle(body=stored.get(F.BODY, ""), **_article_fields(stored))


def _ranked(searcher, scores: dict[int, float], window: int | None, sort: str) -> list[tuple[int, float]]:
    """The best `window` (docnum, score) pairs (all when None): by score, ties to the
    earlier article; with sort="date", newest first, then by score."""
    if isinstance(scores, DenseScores):
        return scores.best(window) if sort != "date" else scores.by_date(_day_array(searcher.reader()))[:window]
    if sort == "date":
        day = _day_numbers(searcher.reader())
        return sorted(scores.items(), key=lambda item: (-day(item[0]), -item[1], item[0]))[:window]
    if window is not None and window < len(scores):
        values = list(scores.values())
        floor = window_threshold(values, window)  # the window-th best: ties with it are kept too
        kept = list(itertools.compress(scores, map(floor.__le__, values)))
        items = list(zip(kept, map(scores.__getitem__, kept)))
    else:
        items = list(scores.items())
    items.sort(key=itemgetter(0))  # then by score, best first: a stable sort keeps ties in docnum order
    items.sort(key=itemgetter(1), reverse=True)
    return items[:window]


def _day_numbers(reader):
    """docnum -> YYYYMMDD, 0 for an undated article (the column holds the largest
    number there, which would sort it as the newest)."""
    column = unsigned_numbers(reader, F.DATE)
    if column is None:
        dates = cached_column(reader, F.DATE)
        return lambda docnum: number_day(dates[docnum]) and dates[docnum] or 0
    days, missing = column
    return lambda docnum: 0 if days[docnum] == missing else days[docnum]


def _day_array(reader):
    """_day_numbers as a numpy array (for DenseScores), kept with the reader."""
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    found = cache.get("day array")
    if found is None:
        from .dense import numpy

        day = _day_numbers(reader)
        found = cache["day array"] = numpy().array([day(docnum) for docnum in range(reader.doc_count_all())],
                                                   dtype="int64")
    return found


def _ranked_lazily(searcher, scores: dict[int, float], window: int, sort: str):
    """The (docnum, score) pairs in rank order, the best `window` first and the rest
    only when asked for (a page of many copies folds more than a window holds)."""
    if sort == "date":  # sorted whole in any case
        yield from _ranked(searcher, scores, None, sort)
        return
    done = 0
    while True:
        ranked = _ranked(searcher, scores, window, sort)
        yield from ranked[done:]
        if len(ranked) < window:
            return
        done, window = len(ranked), window * 8


def _page_hits(searcher, ranked, page: int, limit: int, terms, group: bool) -> tuple[tuple[Hit, ...], bool | None]:
    """The page's hits, and whether a later page has any (None: not known); with `group`,
    near-duplicates fold into their best-ranked copy."""
    from dataclasses import replace

    stored_fields = searcher.stored_fields
    id_of = article_ids(searcher.reader())
    first = (page - 1) * limit
    more = None
    if group:
        sketch_of = stored_sketches(searcher.reader())
        grouped = group_duplicates(ranked, lambda item: sketch_of(item[0]), needed=first + limit + 1,
                                   shown=first + limit)
        more = len(grouped) > first + limit
    else:
        grouped = [(item, []) for item in itertools.islice(ranked, first + limit)]
    hits = []
    for rank, ((docnum, score), folded) in enumerate(grouped[first:first + limit], start=first + 1):
        hit = _hit(stored_fields(docnum), score, rank, terms)
        if folded:
            ids = tuple(id_of(item[0]) for item in folded)
            hit = replace(hit, duplicates=len(ids), duplicate_ids=ids)
        hits.append(hit)
    return tuple(hits), more


FALLBACK_WARNING = "no article has all the words; showing articles with any of them"


def _collect(searcher, parsed):
    """Score every match (then the OR fallback's when nothing matched) within the
    time limit: (query run, {docnum: score}, warnings, whether the time ran out)."""
    q, warnings = cap_expansions(parsed.query, searcher.reader())
    scores, timed_out = score_all(searcher, q)
    if not scores and parsed.fallback is not None:
        q, more = cap_expansions(parsed.fallback, searcher.reader())
        scores, timed_out = score_all(searcher, q)
        if scores:
            warnings = warnings + more + [FALLBACK_WARNING]
    if timed_out:
        warnings.append(f"the search took longer than {limits.TIME_LIMIT:g} s; "
                        "showing the matches found so far")
    return q, scores, warnings, timed_out


def _frequencies(searcher):
    """feedback.Frequencies from the index: its articles, and those with each word in the body."""
    def frequencies(words):
        return searcher.doc_count(), {word.stem: searcher.doc_frequency(F.BODY, word.stem) for word in words}

    return frequencies


def feedback_for(searcher, scores) -> tuple[int | None, tuple]:
    """The first search's best docnum and the words its best articles lend (search/feedback.py);
    (None, ()) without matches or words."""
    best = _ranked(searcher, scores, _feedback.FEEDBACK_ARTICLES, "relevance") if scores else []
    if not best:
        return None, ()
    articles = []
    for docnum, score in best:
        stored = searcher.stored_fields(docnum)
        articles.append((ranked_text(stored.get(F.TITLE), stored.get(F.BODY), stored.get(F.TITLE_DERIVED)), score))
    words = feedback_words(articles, _frequencies(searcher))
    return (best[0][0], words) if words else (None, ())


def added_words(words) -> wq.Query:
    """The feedback words as the body terms they add."""
    return wq.Or([wq.Term(F.BODY, word.stem, boost=word.boost) for word in words])


def _with_feedback(searcher, q, scores):
    """Pseudo-relevance feedback (search/feedback.py): (the widened query's scores, the
    first search's best (docnum, score) to keep first, the words added). Without
    matches the first search stands."""
    kept, words = feedback_for(searcher, scores)
    if not words:
        return scores, None, ()
    added = added_words(words)
    if getattr(searcher.weighting, "use_final", False):  # recency scales the sum: score it whole
        widened_scores, timed_out = score_all(searcher, wq.AndMaybe(q, added))
    else:  # the query's scores are those just computed: only the added words are scored
        extra, timed_out = score_all(searcher, added)
        widened_scores = and_maybe_scores(scores, extra)
    if timed_out:
        return scores, None, ()
    return widened_scores, (kept, widened_scores[kept]), words


def run_search(ix, text: str, limit: int = 10, page: int = 1, sort: str = "relevance",
               syntax: bool = True, facets: int = 0, snippets: bool = True, today=None,
               recency: float = 0.0, operator: str = DEFAULT_OPERATOR, group: bool = True,
               aliases=None, feedback: bool | None = None) -> Results:
    """Search; `facets` > 0 also counts the top entities over all matches (names merged
    across the index, `aliases` leaving the names they mention alone).

    `recency` > 0 multiplies scores by a factor that decays with age (see
    scoring.Recency); `group` folds near-duplicates into "+N similar"; `feedback`
    re-ranks with the best articles' words (None: for plain-mode text; feedback.py)."""
    parsed = parse_query(text, ix.schema, syntax=syntax, today=today, operator=operator)
    limit, page = max(1, int(limit)), max(1, int(page))
    # With grouping, room for pages of copies (more is ranked when they need it).
    window = page * limit * (4 if group else 1) + (LOOKAHEAD if group else 0)
    with ix.searcher(weighting=weighting(_recency(recency, today))) as searcher:
        q, scores, warnings, timed_out = _collect(searcher, parsed)
        terms = _highlight_terms(q, searcher.reader()) if snippets else None
        kept, words = None, ()
        if wants_feedback(feedback, syntax, sort) and not timed_out:
            scores, kept, words = _with_feedback(searcher, q, scores)
        ranked = kept_first(_ranked_lazily(searcher, scores, window, sort), kept, key=itemgetter(0))
        hits, more = _page_hits(searcher, ranked, page, limit, terms, group)
        facet_values = ()
        if facets:
            reader = searcher.reader()
            matched = scores.docnums if isinstance(scores, DenseScores) else scores.keys()
            facet_values = count_entities(reader, matched, top=facets, merges=index_merges(reader, aliases))
        suggestion = None
        if syntax and (len(scores) < SUGGEST_BELOW or FALLBACK_WARNING in warnings):
            suggestion = suggest_query(searcher, text)
        return Results(
            query=text, total=len(scores), hits=hits, page=page, limit=limit, sort=sort,
            warnings=tuple(parsed.warnings) + tuple(warnings), facets=facet_values,
            suggestion=suggestion, more=more, feedback=tuple(word.surface for word in words),
        )


def _recency(weight: float, today):
    if not weight:
        return None
    from .dates_query import resolve_today
    from .scoring import Recency

    return Recency(resolve_today(today), weight)


def iter_hits(ix, text: str, sort: str = "relevance", syntax: bool = True, today=None,
              recency: float = 0.0, operator: str = DEFAULT_OPERATOR, snippets: bool = True,
              feedback: bool | None = None):
    """Every match as a Hit, in rank (or date) order, built one at a time: for
    exporting without holding all hits in memory (Whoosh keeps only docnums)."""
    parsed = parse_query(text, ix.schema, syntax=syntax, today=today, operator=operator)
    with ix.searcher(weighting=weighting(_recency(recency, today))) as searcher:
        q, scores, _, timed_out = _collect(searcher, parsed)
        terms = _highlight_terms(q, searcher.reader()) if snippets else None
        kept = None
        if wants_feedback(feedback, syntax, sort) and not timed_out:
            scores, kept, _ = _with_feedback(searcher, q, scores)
        ranked = kept_first(_ranked(searcher, scores, None, sort), kept, key=itemgetter(0))
        del scores
        for rank, (docnum, score) in enumerate(ranked, start=1):
            yield _hit(searcher.stored_fields(docnum), score, rank, terms)


def plan_index_merges(ix, aliases=None):
    """The name merges of the index's latest generation (see name_merges.py)."""
    with ix.searcher() as searcher:
        return index_merges(searcher.reader(), aliases)


def count_query_entities(ix, text: str | None, top: int = 10, syntax: bool = True, aliases=None):
    """Entity facets over the matches of `text`, or over the whole index when None."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if text:
            docnums = sorted(matching_docs(searcher, parse_query(text, ix.schema, syntax=syntax).query))
        else:
            docnums = reader.all_doc_ids()
        return count_entities(reader, docnums, top=top, merges=index_merges(reader, aliases))


def query_timeline(ix, text: str, interval: str = "auto", syntax: bool = True,
                   normalise: bool = False) -> tuple[str, tuple[TimelineBucket, ...]]:
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docnums = sorted(matching_docs(searcher, parse_query(text, ix.schema, syntax=syntax).query))
        days = [day for day in article_days(reader, docnums) if day]
        all_days = None
        if normalise:
            all_days = Counter(day for day in article_days(reader, reader.all_doc_ids()) if day)
        return build_timeline(days, all_days, interval)


def fetch_article(ix, article_id: str) -> FullArticle:
    with ix.searcher() as searcher:
        stored = searcher.document(id=article_id)
        if stored is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return _full_article(stored)


def _folder_size(path: str) -> int:
    total = 0
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if os.path.isfile(full):
            total += os.path.getsize(full)
    return total


def index_stats(ix, path: str, top: int = 10, aliases=None) -> IndexStats:
    with ix.searcher() as searcher:
        reader = searcher.reader()
        days = list(article_days(reader, reader.all_doc_ids()))
        dated = [day for day in days if day]
        return IndexStats(
            path=path,
            articles=reader.doc_count(),
            first_date=min(dated) if dated else None,
            last_date=max(dated) if dated else None,
            undated=len(days) - len(dated),
            top_entities=count_entities(reader, reader.all_doc_ids(), top=top, merges=index_merges(reader, aliases)),
            size_bytes=_folder_size(path),
        )
