"""Running queries against the index and copying what we need out of Whoosh.

Whoosh hits die with their searcher: every result here is copied into our own
plain objects inside the `with ix.searcher()` block.
"""

from __future__ import annotations

import os
from collections import Counter

from whoosh import query as wq

from ..analysis.analyzers import text_analyzer
from ..errors import ArticleNotFound
from ..index.schema import NAME_SEPARATOR, F, number_day
from ..models import FullArticle, Hit, IndexStats, Results, TimelineBucket
from .facets import article_days, build_timeline, count_entities
from .query import parse_query
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


def _hit(stored: dict, score: float, rank: int, terms: frozenset[str] | None) -> Hit:
    return Hit(
        id=stored.get(F.ID, ""),
        title=stored.get(F.TITLE, ""),
        score=float(score or 0.0),
        rank=rank,
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
        snippet=make_snippet(stored.get(F.BODY, ""), terms) if terms is not None else None,
    )


def _full_article(stored: dict) -> FullArticle:
    return FullArticle(
        id=stored.get(F.ID, ""),
        title=stored.get(F.TITLE, ""),
        body=stored.get(F.BODY, ""),
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


def run_search(ix, text: str, limit: int = 10, page: int = 1, sort: str = "relevance",
               syntax: bool = True, facets: int = 0, snippets: bool = True) -> Results:
    """Search; `facets` > 0 also counts the top entities over all matches."""
    parsed = parse_query(text, ix.schema, syntax=syntax)
    limit, page = max(1, int(limit)), max(1, int(page))
    sortedby = {"sortedby": F.DATE, "reverse": True} if sort == "date" else {}
    with ix.searcher(weighting=weighting()) as searcher:
        results = searcher.search(parsed.query, limit=page * limit, **sortedby)
        terms = _highlight_terms(parsed.query, searcher.reader()) if snippets else None
        first = (page - 1) * limit
        hits = tuple(
            _hit(results[i].fields(), results[i].score, i + 1, terms)
            for i in range(first, min(len(results.top_n), page * limit))
        )
        facet_values = ()
        if facets:
            docnums = searcher.docs_for_query(parsed.query)
            facet_values = count_entities(searcher.reader(), docnums, top=facets)
        return Results(
            query=text, total=len(results), hits=hits, page=page, limit=limit, sort=sort,
            warnings=parsed.warnings, facets=facet_values,
        )


def count_query_entities(ix, text: str | None, top: int = 10, syntax: bool = True):
    """Entity facets over the matches of `text`, or over the whole index when None."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if text:
            docnums = searcher.docs_for_query(parse_query(text, ix.schema, syntax=syntax).query)
        else:
            docnums = reader.all_doc_ids()
        return count_entities(reader, docnums, top=top)


def query_timeline(ix, text: str, interval: str = "auto", syntax: bool = True,
                   normalise: bool = False) -> tuple[str, tuple[TimelineBucket, ...]]:
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docnums = searcher.docs_for_query(parse_query(text, ix.schema, syntax=syntax).query)
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


def index_stats(ix, path: str, top: int = 10) -> IndexStats:
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
            top_entities=count_entities(reader, reader.all_doc_ids(), top=top),
            size_bytes=_folder_size(path),
        )
