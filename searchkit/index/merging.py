"""Keeping the number of segments bounded as the index grows.

While indexing, each commit merges small segments by tiers (writer.merge_tiers)
but never past MAX_MERGED_ARTICLES, so that the build stays linear. Without
more, a 25x Reuters index ends with 48 segments and every query term is
looked up in each. `compact` merges on by the same tiers with no size cap
(MERGE_FACTOR segments of one tier into one of the next), a group per commit:
each article is merged about once more, and the index keeps at most
MERGE_FACTOR - 1 segments per tier (a few for half a million articles);
writer.COMPACT_AFTER_UPDATE runs it at the end of every update (off for now:
see there). `SearchIndex.optimize()` (`searchkit optimize`) merges everything
into `max_segments` (default one).

Every merge is an ordinary commit: a new segment is written beside the old
ones and the table of contents switches to it at once, so a process killed
during a merge leaves the previous state (and the next commit removes the
half-written files); searches keep reading the state they opened (see
grace.py). Merged postings go through the writer's TermPool, which spills to
disk past MERGE_MEMORY_MB, so a merge's memory does not grow with the index.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from . import writer as writing

MERGE_MEMORY_MB = 128


@dataclass(frozen=True)
class MergeReport:
    segments_before: int
    segments_after: int
    merges: int
    articles_merged: int
    seconds: float


def tier_of(segment) -> int:
    size = segment.doc_count() / writing.MERGE_UNIT
    return int(math.log(size, writing.MERGE_FACTOR)) if size > 1 else 0


def tier_group(segments: list, cap: int | None) -> list:
    """The MERGE_FACTOR smallest segments of the lowest tier that has as many
    (and whose articles add up to at most `cap`); [] when there is none."""
    tiers: dict[int, list] = {}
    for segment in segments:
        tiers.setdefault(tier_of(segment), []).append(segment)
    for tier in sorted(tiers):
        chosen = sorted(tiers[tier], key=lambda segment: segment.doc_count())[:writing.MERGE_FACTOR]
        if len(chosen) == writing.MERGE_FACTOR and (cap is None or sum(s.doc_count() for s in chosen) <= cap):
            return chosen
    return []


def smallest_group(segments: list, max_segments: int) -> list:
    """The smallest segments that, merged into one, leave `max_segments`; with
    one segment left that holds deleted articles, that segment (to drop them)."""
    if len(segments) <= max_segments:
        if len(segments) == 1 and segments[0].has_deletions():
            return list(segments)
        return []
    return sorted(segments, key=lambda segment: segment.doc_count())[:len(segments) - max_segments + 1]


def merge_group(writer, segments: list, chosen: list) -> list:
    """Add the chosen segments to the writer (in index order, so docnums keep
    their order); return the segments kept as they are."""
    from whoosh.reading import SegmentReader

    chosen_ids = {id(segment) for segment in chosen}
    for segment in segments:
        if id(segment) in chosen_ids:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return [segment for segment in segments if id(segment) not in chosen_ids]


def live_segments(ix) -> list:
    return [segment for segment in ix._segments() if segment.doc_count() > 0]


def _merge_once(ix, choose) -> int:
    """One commit that merges the group `choose(live segments)` picks; the
    number of articles merged (0: nothing to merge, nothing committed)."""
    merged = 0

    def policy(writer, segments):
        nonlocal merged
        live = [segment for segment in segments if segment.doc_count() > 0]
        chosen = choose(live)
        merged = sum(segment.doc_count() for segment in chosen)
        return merge_group(writer, live, chosen) if chosen else live

    if not choose(live_segments(ix.refresh())):
        return 0
    writer = writing.open_writer(ix, MERGE_MEMORY_MB)
    writing.commit_writer(writer, policy=policy)
    return merged


def compact(ix, max_segments: int | None = None) -> MergeReport:
    """Merge until no tier holds MERGE_FACTOR segments (no size cap) or, with
    `max_segments`, until at most that many segments remain. Commits once per
    merge; the caller holds the index's write lock."""
    started = time.perf_counter()
    before = len(live_segments(ix.refresh()))
    merges = articles = 0
    if max_segments is not None:
        count = max(1, int(max_segments))
        articles = _merge_once(ix, lambda live: smallest_group(live, count))
        merges = 1 if articles else 0
    else:
        while True:
            merged = _merge_once(ix, lambda live: tier_group(live, None))
            if not merged:
                break
            merges += 1
            articles += merged
    after = len(live_segments(ix.refresh()))
    return MergeReport(before, after, merges, articles, time.perf_counter() - started)
