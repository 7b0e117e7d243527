"""OpenSearch responses -> searchkit's models (Hit, Facet, TimelineBucket, Explanation).

Copies what is needed out of the response, as the embedded engine copies out
of Whoosh: the models stay valid after the index is closed.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable

from ..models import Facet, FacetValue, FullArticle, Hit
from ..search.scoring import K1
from ..search.snippets import make_snippet
from .mapping import article_fields

ENTITY_KINDS = ("person", "org", "place")


def to_hit(source: dict, score: float | None, rank: int,
           terms: Callable[[str], frozenset[str]] | None) -> Hit:
    """A Hit from a document's _source; `terms(body)` gives the words to highlight
    in its snippet (None: no snippet)."""
    fields = article_fields(source)
    body = fields.pop("body", "")
    snippet = make_snippet(body, terms(body)) if terms is not None else None
    return Hit(score=float(score or 0.0), rank=rank, snippet=snippet, **fields)


def to_article(source: dict) -> FullArticle:
    return FullArticle(**article_fields(source))


def facet_aggs(top: int, kinds=ENTITY_KINDS) -> dict:
    """Terms aggregations: the top names of each kind over all matches, counted
    once per article, equal counts in name order (as the embedded facets)."""
    return {kind: {"terms": {"field": f"{kind}.raw", "size": top,
                             "order": [{"_count": "desc"}, {"_key": "asc"}]}} for kind in kinds}


def to_facets(aggregations: dict, top: int, kinds=ENTITY_KINDS, leave_out=None) -> tuple[Facet, ...]:
    """Facets from facet_aggs' answer; `leave_out` = (kind, lower-cased name) to skip."""
    facets = []
    for kind in kinds:
        values = []
        for bucket in aggregations.get(kind, {}).get("buckets", []):
            if leave_out and kind == leave_out[0] and bucket["key"].lower() == leave_out[1]:
                continue
            values.append(FacetValue(bucket["key"], bucket["doc_count"]))
        facets.append(Facet(kind, tuple(values[:top])))
    return tuple(facets)


def day_aggs() -> dict:
    return {"days": {"date_histogram": {"field": "date", "calendar_interval": "day",
                                        "min_doc_count": 1, "format": "yyyy-MM-dd"}}}


def day_counts(aggregations: dict) -> Counter:
    """{date: matches} from day_aggs' answer."""
    return Counter({_dt.date.fromisoformat(bucket["key_as_string"]): bucket["doc_count"]
                    for bucket in aggregations["days"]["buckets"] if bucket["doc_count"]})


def term_parts(explanation: dict):
    """(field, term, frequency, boost, score) of each term's weight in an explain tree."""
    description = explanation.get("description", "")
    if description.startswith("weight(") and " in " in description:
        inside = description[len("weight("):description.index(" in ")]
        field, _, term = inside.partition(":")
        # OpenSearch's BM25 folds (k1 + 1) into the boost it shows; the query's boost is the rest
        boost = (_detail(explanation, "boost") or 1.0 + K1) / (1.0 + K1)
        yield field, term, _detail(explanation, "freq"), round(boost, 6), explanation["value"]
        return
    for child in explanation.get("details", ()):
        yield from term_parts(child)


def _detail(explanation: dict, name: str) -> float | None:
    for child in explanation.get("details", ()):
        if child.get("description", "").startswith(name):
            return float(child["value"])
        found = _detail(child, name)
        if found is not None:
            return found
    return None
