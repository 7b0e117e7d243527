"""Counting over ALL matches of a query (not just the page): entities and timeline."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from itertools import chain, repeat
from collections.abc import Iterable

from ..index.documents import encode_entities, entity_kind
from ..index.schema import F, number_day
from ..models import ENTITY_KINDS, Entity, Facet, FacetValue, TimelineBucket
from .name_merges import MERGED_KINDS, Merges, alias_key, plan_merges
from .readers import cached_column

INTERVALS = ("day", "week", "month", "year")


def count_entities(reader, docnums: Iterable[int], top: int = 10, kinds=ENTITY_KINDS,
                   merges: Merges | None = None) -> tuple[Facet, ...]:
    """Top entity names per kind, each counted once per article; equal counts in
    name order. With `merges` (see name_merges.py), a short form counts under its
    full name, an article naming both forms once.

    Counts the stored entity lines themselves (each article's set of lines,
    C-level all the way) and decodes only the distinct lines at the end."""
    lines: Counter = Counter()
    if reader.doc_count():
        coded = _distinct_lines(reader)
        if coded is not None:
            per_article, table = _merged_lines(reader, coded, merges) if merges else coded
            if hasattr(docnums, "dtype"):  # a numpy array (dense.DenseScores.docnums)
                counts = _counted_with_arrays(reader, per_article, docnums)
                found = _top_of_counts(_line_kinds(reader, table), table, counts, top, kinds)
                return tuple(Facet(kind, values) for kind, values in found.items())
            else:
                counts = Counter()
                counts.update(chain.from_iterable(map(per_article.__getitem__, docnums)))
            lines.update(dict(zip(map(table.__getitem__, counts), counts.values())))
        else:
            stored = map(cached_column(reader, F.ENTITIES).__getitem__, docnums)
            line_sets = map(set, map(bytes.split, filter(None, stored), repeat(b"\n")))
            if merges:
                renamed = _renamed_lines(merges)
                line_sets = ({renamed.get(line, line) for line in lines_of} for lines_of in line_sets)
            lines.update(chain.from_iterable(line_sets))
    return tuple(Facet(kind, values) for kind, values in _top_per_kind(lines, top, kinds).items())


def index_merges(reader, aliases=None) -> Merges:
    """The name merges of the whole index (name_merges.plan_merges), planned once per
    kept reader (one index generation) and alias file."""
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("name merges", alias_key(aliases))
    if key not in cache:
        counts: dict[str, Counter] = {kind: Counter() for kind in MERGED_KINDS}
        if reader.doc_count():
            for line, number in _all_line_counts(reader).items():
                code, _, name = line.partition(b"\t")
                kind = entity_kind(code)
                if kind in counts and name:
                    counts[kind][name.decode("utf-8")] += number
        cache[key] = plan_merges(counts, aliases)
    return cache[key]


def _all_line_counts(reader) -> Counter:
    """Articles per stored entity line over the whole index."""
    coded = _distinct_lines(reader)
    if coded is not None:
        per_article, table = coded
        counts = Counter(chain.from_iterable(per_article))
        return Counter(dict(zip(map(table.__getitem__, counts), counts.values())))
    column = cached_column(reader, F.ENTITIES)
    stored = map(column.__getitem__, reader.all_doc_ids())
    return Counter(chain.from_iterable(map(set, map(bytes.split, filter(None, stored), repeat(b"\n")))))


def _renamed_lines(merges: Merges) -> dict[bytes, bytes]:
    """Stored line of each short form -> the stored line of its full name."""
    out = {}
    for (kind, short), full in merges.full_of.items():
        out[encode_entities([Entity(short, kind)])] = encode_entities([Entity(full, kind)])
    return out


def _counted_with_arrays(reader, per_article: list, docnums) -> dict[int, int]:
    """Articles per line number over `docnums` (a numpy array): the numbers of all
    articles laid end to end (made once per kept reader and per_article), the
    chosen articles' runs gathered and counted by numpy."""
    import numpy as np

    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("entity line arrays", id(per_article))
    if key not in cache or cache[key][0] is not per_article:
        sizes = np.fromiter(map(len, per_article), dtype=np.int64, count=len(per_article))
        flat = np.fromiter(chain.from_iterable(per_article), dtype=np.int64, count=int(sizes.sum()))
        starts = np.cumsum(sizes) - sizes
        cache[key] = (per_article, (flat, sizes, starts))  # per_article kept: its id stays its own
    flat, sizes, starts = cache[key][1]
    chosen = sizes[docnums]
    ends = np.cumsum(chosen)
    # the place in `flat` of each chosen article's k-th line: its start + k
    places = np.repeat(starts[docnums] - (ends - chosen), chosen) + np.arange(int(ends[-1]) if len(ends) else 0)
    return np.bincount(flat[places])


def _top_of_counts(line_kinds, table: list, counts, top: int, kinds) -> dict[str, tuple[FacetValue, ...]]:
    """_top_per_kind from an array of articles per line number: per kind, only the
    lines counted at least as often as its top-th are decoded and sorted."""
    import numpy as np

    line_kinds = line_kinds[:len(counts)]
    out = {}
    for kind in kinds:
        number = ENTITY_KINDS.index(kind) if kind in ENTITY_KINDS else -2
        codes = np.flatnonzero((line_kinds == number) & (counts > 0)) if top > 0 else []
        if not len(codes):
            out[kind] = ()
            continue
        numbers = counts[codes]
        if len(codes) > top:
            floor = np.partition(numbers, len(numbers) - top)[len(numbers) - top]
            codes, numbers = codes[numbers >= floor], numbers[numbers >= floor]
        chosen = sorted((-number, table[code].partition(b"\t")[2].decode("utf-8"))
                        for code, number in zip(codes.tolist(), numbers.tolist()))
        out[kind] = tuple(FacetValue(name, -negative) for negative, name in chosen[:top])
    return out


def _line_kinds(reader, table: list):
    """Each line number's kind as its place in ENTITY_KINDS (-1: no name), made once per
    kept reader and table."""
    import numpy as np

    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("line kinds", id(table))
    if key not in cache or cache[key][0] is not table:
        kinds = []
        for line in table:
            code, _, name = line.partition(b"\t")
            kind = entity_kind(code)
            kinds.append(ENTITY_KINDS.index(kind) if name and kind in ENTITY_KINDS else -1)
        cache[key] = (table, np.array(kinds, dtype=np.int64))  # table kept: its id stays its own
    return cache[key][1]


def _merged_lines(reader, coded: tuple[list, list], merges: Merges) -> tuple[list, list]:
    """_distinct_lines with each short form's number replaced by its full name's,
    made once per kept reader and merge plan."""
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("merged entity lines", id(merges))
    if key not in cache or cache[key][0] is not merges:
        per_article, table = coded
        numbers = {line: number for number, line in enumerate(table)}
        table = list(table)
        renamed: dict[int, int] = {}
        for short, full in _renamed_lines(merges).items():
            if short in numbers:
                if full not in numbers:
                    numbers[full] = len(table)
                    table.append(full)
                renamed[numbers[short]] = numbers[full]
        if renamed:
            touched = renamed.keys()
            get = renamed.get
            per_article = [tuple({get(n, n) for n in lines}) if not touched.isdisjoint(lines) else lines
                           for lines in per_article]
        cache[key] = (merges, (per_article, table))  # merges kept: its id stays its own
    return cache[key][1]


def _top_per_kind(lines: Counter, top: int, kinds) -> dict[str, tuple[FacetValue, ...]]:
    """The `top` most counted names of each kind, equal counts in name order. A stored
    line is one (kind, name), so the lines are read in count order and decoded only
    until every kind has its `top` (and the names tied with the last of them)."""
    chosen: dict[str, list[tuple[int, str]]] = {kind: [] for kind in kinds}
    boundary: dict[str, int] = {}
    open_kinds = set(kinds) if top > 0 else set()
    for line, number in lines.most_common():
        if not open_kinds:
            break
        code, _, name = line.partition(b"\t")
        kind = entity_kind(code)
        if not name or kind not in open_kinds:
            continue
        if kind in boundary and number < boundary[kind]:
            open_kinds.discard(kind)
            continue
        chosen[kind].append((-number, name.decode("utf-8")))
        if len(chosen[kind]) == top:
            boundary[kind] = number
    return {kind: tuple(FacetValue(name, -negative) for negative, name in sorted(chosen[kind])[:top])
            for kind in kinds}


def _distinct_lines(reader) -> tuple[list, list] | None:
    """(each article's distinct stored entity lines as numbers, the line of each
    number) for the whole index, made once per kept reader (about 0.2 s for 100,000
    articles) when the column loads whole. Counting small numbers is twice as fast
    as counting the lines themselves."""
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    if "entity lines" not in cache:
        column = cached_column(reader, F.ENTITIES)
        found = None
        if isinstance(column, list):
            numbers: dict[bytes, int] = {}
            number = numbers.setdefault
            per_article = [tuple({number(line, len(numbers)) for line in data.split(b"\n")}) if data else ()
                           for data in column]
            found = (per_article, list(numbers))
        cache["entity lines"] = found
    return cache["entity lines"]


def article_days(reader, docnums: Iterable[int]) -> Iterable[_dt.date | None]:
    if not reader.doc_count():
        return
    column = cached_column(reader, F.DATE)
    for docnum in docnums:
        yield number_day(column[docnum])


def bucket_start(day: _dt.date, interval: str) -> _dt.date:
    if interval == "day":
        return day
    if interval == "week":
        return day - _dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def bucket_label(start: _dt.date, interval: str) -> str:
    if interval == "day":
        return start.isoformat()
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if interval == "month":
        return start.strftime("%Y-%m")
    return str(start.year)


def choose_interval(first: _dt.date, last: _dt.date, max_buckets: int = 60) -> str:
    """The finest interval that keeps the timeline under max_buckets bars."""
    span = (last - first).days + 1
    for interval, days in (("day", 1), ("week", 7), ("month", 30.4), ("year", 365.25)):
        if span / days <= max_buckets:
            return interval
    return "year"


def next_bucket(start: _dt.date, interval: str) -> _dt.date:
    if interval == "day":
        return start + _dt.timedelta(days=1)
    if interval == "week":
        return start + _dt.timedelta(days=7)
    if interval == "month":
        return (start.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def build_timeline(
    match_days: list[_dt.date], all_days: Counter | None, interval: str = "auto"
) -> tuple[str, tuple[TimelineBucket, ...]]:
    """Buckets from the first to the last matching day, empty ones included."""
    return build_timeline_counts(Counter(match_days), all_days, interval)


def build_timeline_counts(
    day_counts: Counter, all_days: Counter | None, interval: str = "auto"
) -> tuple[str, tuple[TimelineBucket, ...]]:
    """build_timeline from the number of matches per day."""
    if not day_counts:
        return (interval if interval != "auto" else "month"), ()
    first, last = min(day_counts), max(day_counts)
    if interval == "auto":
        interval = choose_interval(first, last)
    counts: Counter = Counter()
    for day, count in day_counts.items():
        counts[bucket_start(day, interval)] += count
    totals: Counter = Counter()
    if all_days is not None:
        for day, count in all_days.items():
            totals[bucket_start(day, interval)] += count
    buckets = []
    start = bucket_start(first, interval)
    while start <= last:
        buckets.append(TimelineBucket(start, bucket_label(start, interval), counts[start], totals[start]))
        try:
            start = next_bucket(start, interval)
        except (OverflowError, ValueError):  # the last bucket of year 9999
            break
    return interval, tuple(buckets)
