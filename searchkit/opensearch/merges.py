"""Name merges on the cluster (search/name_merges.py): planned once per update, applied
after the terms aggregations count.

`plan_cluster_merges` reads every person name's article count (a composite aggregation,
a page at a time) after an update has written and refreshed, and plans the merges; the
engine keeps the plan in the mapping's _meta, so a search reads it with the _meta it
already reads (no extra request). Facets count the other names as before (the top
ones, the merged names excluded) and, over the articles that store a merged name, each
group of forms once per article (a script maps every form to its full name), and
`merged_facets` ranks the two together.
"""

from __future__ import annotations

from ..analysis.gazetteer import normalise_key
from ..models import Facet, FacetValue
from ..search.name_merges import MERGED_KINDS, Merges, alias_names, plan_merges
from .client import WHOLE, retrying

PAGE = 5000
MERGED_SUFFIX = "_merged"

def name_counts(client, index: str, kind: str) -> dict[str, int]:
    """Articles per stored name of `kind` over the whole index."""
    counts: dict[str, int] = {}
    after = None
    while True:
        composite = {"size": PAGE, "sources": [{"name": {"terms": {"field": f"{kind}.raw"}}}]}
        if after is not None:
            composite["after"] = after
        answer = retrying(client.search, index=index, body={"size": 0, "aggs": {"names": {"composite": composite}}},
                          params=WHOLE)["aggregations"]["names"]
        for bucket in answer["buckets"]:
            counts[bucket["key"]["name"]] = bucket["doc_count"]
        after = answer.get("after_key")
        if not answer["buckets"] or after is None:
            return counts


def plan_cluster_merges(client, index: str, aliases=None) -> Merges:
    client.indices.refresh(index=index)
    return plan_merges({kind: name_counts(client, index, kind) for kind in MERGED_KINDS}, aliases)


def stored_merges(meta: dict, aliases=None) -> Merges:
    """The plan kept in _meta, less the short forms the alias file now mentions."""
    rows = meta.get("name_merges", [])
    if aliases:
        mentioned = {(kind, name) for kind in MERGED_KINDS for name in alias_names(aliases, kind)}
        rows = [row for row in rows if (row[0], normalise_key(row[1])) not in mentioned]
    return Merges.from_json(rows)


def merged_aggs(aggs: dict, merges: Merges) -> dict:
    """facet_aggs with, for each kind that has merges, the merged names (every one of
    them) counted in an aggregation of their own and left out of the kind's top."""
    out = dict(aggs)
    for kind, body in aggs.items():
        involved = merges.involved(kind) if merges else []
        if involved:
            terms = body["terms"]
            out[kind] = {"terms": {**terms, "exclude": involved}}
            out[kind + MERGED_SUFFIX] = {"terms": {"field": terms["field"], "include": involved,
                                                   "size": len(involved)}}
    return out


def merged_facets(search, query: dict | None, aggregations: dict, facets: tuple[Facet, ...], top: int,
                  merges: Merges, leave_out: set[tuple[str, str]] = frozenset()) -> tuple[Facet, ...]:
    """`facets` (from merged_aggs' answer) with each group of forms counted under its full
    name. A group's count is the sum of its forms' when at most one form matched; a group
    of several matched forms that can reach the top is counted exactly (an article may
    store two forms) by a second request, `search(body)`, over the same `query`."""
    groups: dict[str, dict[str, list]] = {}
    for facet in facets:
        merged = aggregations.get(facet.kind + MERGED_SUFFIX)
        if merged is not None:
            groups[facet.kind] = _groups(facet, merged["buckets"], top, merges, leave_out)
    exact = _exact_counts(search, query, groups)
    out = []
    for facet in facets:
        if facet.kind not in groups:
            out.append(facet)
            continue
        values = [FacetValue(full, exact.get((facet.kind, full), sum(counts.values())))
                  for full, counts in groups[facet.kind].items()]
        out.append(Facet(facet.kind, tuple(sorted([*facet.values, *values], key=lambda v: (-v.count, v.name))[:top])))
    return tuple(out)


def _groups(facet: Facet, buckets: list[dict], top: int, merges: Merges, leave_out) -> dict[str, dict]:
    """full name -> {form: articles} of the groups that can reach the top."""
    groups: dict[str, dict[str, int]] = {}
    for bucket in buckets:
        full = merges.canonical(facet.kind, bucket["key"])
        if (facet.kind, full.lower()) not in leave_out:
            groups.setdefault(full, {})[bucket["key"]] = bucket["doc_count"]
    least = sorted([v.count for v in facet.values] + [max(c.values()) for c in groups.values()], reverse=True)
    floor = least[top - 1] if len(least) >= top else 0
    return {full: counts for full, counts in groups.items() if sum(counts.values()) >= floor}


def _exact_counts(search, query: dict | None, groups: dict[str, dict[str, dict]]) -> dict[tuple[str, str], int]:
    filters = {f"{kind}\t{full}": {"terms": {f"{kind}.raw": sorted(counts)}}
               for kind, by_full in groups.items() for full, counts in by_full.items() if len(counts) > 1}
    if not filters:
        return {}
    body = {"size": 0, "track_total_hits": False, "aggs": {"exact": {"filters": {"filters": filters}}}}
    if query is not None:
        body["query"] = query
    buckets = search(body)["aggregations"]["exact"]["buckets"]
    return {tuple(key.split("\t", 1)): bucket["doc_count"] for key, bucket in buckets.items()}
