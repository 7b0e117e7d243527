"""More like this, co-occurring entities, and explain — lookups around one article or entity."""

from __future__ import annotations

import re
from collections import Counter

from ..index.documents import decode_entities
from ..index.schema import ENTITY_FIELDS, F
from ..models import Facet, FacetValue, Results
from .evaluate import matching_docs
from .explain import Explanation, explain_hit, find_docnum, with_feedback
from .readers import cached_column
from .query import DEFAULT_OPERATOR, parse_query

SIMILAR_TERMS = 12
_ENTITY_QUERY = re.compile(r"^\s*(person|org|place):\s*\"?([^\"]+?)\"?\s*$", re.IGNORECASE)


def similar_articles(ix, article_id: str, limit: int = 10) -> Results:
    """Articles sharing the key terms (Bo1-weighted) of article `article_id`."""
    from .searcher import _hit, weighting

    with ix.searcher(weighting=weighting()) as searcher:
        docnum = find_docnum(searcher, article_id)
        body = searcher.stored_fields(docnum).get(F.BODY, "")
        found = searcher.more_like(docnum, F.BODY, text=body, top=limit, numterms=SIMILAR_TERMS)
        hits = tuple(_hit(hit.fields(), hit.score, rank, None)
                     for rank, hit in enumerate(found, start=1))
        return Results(query=f"similar:{article_id}", total=len(hits), hits=hits, limit=limit)


def entity_query(text: str) -> tuple[str, tuple[str, str] | None]:
    """`person:Faiz Hamid` -> ('person:"Faiz Hamid"', ('person', 'faiz hamid'))."""
    match = _ENTITY_QUERY.match(text)
    if not match:
        return text, None
    kind, name = match[1].lower(), " ".join(match[2].split())
    return f'{kind}:"{name}"', (kind, name.lower())


def cooccurring(ix, text: str, top: int = 10, syntax: bool = True, today=None,
                aliases=None, asked: str | None = None) -> tuple[Facet, ...]:
    """Entities that appear most in the articles matching `text` (counted once
    per article, names merged across the index); for `kind:Name`, the entity itself
    (every form of it) is left out; `asked` is the query before widening, when it was."""
    from .facets import index_merges

    query_text, target = entity_query(text)
    if asked is not None and target is None:
        target = entity_query(asked)[1]
    parsed = parse_query(query_text, ix.schema, syntax=syntax, today=today, operator=DEFAULT_OPERATOR)
    counters = {kind: Counter() for kind in ENTITY_FIELDS}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if not reader.doc_count():
            return tuple(Facet(kind, ()) for kind in counters)
        column = cached_column(reader, F.ENTITIES)
        merges = index_merges(reader, aliases)
        left_out = {(target[0], form.lower()) for form in merges.forms(*target)} if target else set()
        for docnum in sorted(matching_docs(searcher, parsed.query)):
            names = {(e.kind, merges.canonical(e.kind, e.name)) for e in decode_entities(column[docnum])}
            for kind, name in names:
                if (kind, name.lower()) in left_out:
                    continue
                if kind in counters:
                    counters[kind][name] += 1
    return tuple(Facet(kind, tuple(FacetValue(n, c) for n, c in _most_common(counters[kind], top)))
                 for kind in counters)


def _most_common(counter: Counter, top: int) -> list[tuple[str, int]]:
    """The top names, equal counts in name order (as the facets): the same every run."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]


def explain_article(ix, text: str, article_id: str, syntax: bool = True, today=None,
                    recency: float = 0.0, feedback: bool | None = None) -> Explanation:
    """As the search ranks: with feedback for plain-mode text unless `feedback` is False."""
    from .feedback import wants_feedback
    from .searcher import _recency, added_words, feedback_for, weighting

    parsed = parse_query(text, ix.schema, syntax=syntax, today=today)
    model = _recency(recency, today)
    with ix.searcher(weighting=weighting(model)) as searcher:
        docnum = find_docnum(searcher, article_id)
        q = parsed.query
        if parsed.fallback is not None and not searcher.search(q, limit=1).scored_length():
            q = parsed.fallback
        scores = matching_docs(searcher, q)
        plain = explain_hit(searcher, q, docnum, article_id, text, model, scores)
        if not wants_feedback(feedback, syntax, "relevance"):
            return plain
        kept, words = feedback_for(searcher, scores)
        if not words:
            return plain
        added = explain_hit(searcher, added_words(words), docnum, article_id, text, model)
        return with_feedback(plain, added, tuple(word.surface for word in words), kept == docnum)
