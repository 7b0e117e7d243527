"""Near-duplicate articles (wire copies, re-posts), grouped at query time.

Each article has a sketch of its word pairs (analysis/sketch.py), made when it
is indexed. Two articles whose estimated resemblance reaches SIMILARITY are
copies: the lower-ranked one folds into the higher as "+N similar"
(Hit.duplicates, Hit.duplicate_ids). `benchmarks/duplicates_eval.py` chose the
threshold on Reuters stories and perturbed copies of them: at 0.45, 99.95% of
copies that differ from their original by about 5% of their words fold, and
99.5% of copies that differ from each other by about 10%, while 3 in 173,000
pairs of distinct stories on one topic do (5 more are stories Reuters filed twice).
"""

from __future__ import annotations

from itertools import chain, islice, repeat

from ..analysis.sketch import make_sketch, read_sketches, resemblance

SIMILARITY = 0.45
LOOKAHEAD = 10  # items in a row that fold into no shown group before grouping stops
MAX_SCAN = 2000  # items looked at in all, however many copies rank together
FIRST_BATCH = 32  # items whose sketches are read first (a page of few copies needs about 21)
BATCH = 64  # items whose sketches are read together after those


def group_duplicates(items, raw_sketch_of, threshold: float = SIMILARITY, needed: int | None = None,
                     lookahead: int = LOOKAHEAD, most: int = MAX_SCAN,
                     batches: tuple[int, int] = (FIRST_BATCH, BATCH),
                     shown: int | None = None) -> list[tuple[object, list]]:
    """Fold near-duplicates into the first (best-ranked) of their group.

    `items` may be a lazy iterable in rank order; `raw_sketch_of(item)` is its
    stored sketch (analysis/sketch.py; None or NO_SKETCH for an article too short
    to compare). Returns [(kept item, [folded items])] in the original order.
    With `needed`, stops once that many groups are found and then `lookahead`
    items in a row have folded into none of the first `shown` (default `needed`):
    copies rank next to each other, so the shown groups get their copies and later
    items would only open groups that are never shown. A page asks for one group
    more than it shows, to know whether a next page has any; that group's copies
    need not be read. Never looks at more than `most` items.
    Candidate groups are found through shared bins, so the cost stays linear in
    the number of items. Items are taken `batches[0]`, then `batches[1]` at a
    time, and their sketches read together (read_sketches); (1, 1) takes them
    one by one, for items that cost a request or a sketch each (a cluster's hits)."""
    groups: list[tuple[object, list, object]] = []
    by_bin: dict[int, list[int]] = {}
    quiet = None  # items in a row, after the needed-th group, that folded into no shown group
    shown = needed if shown is None else shown
    items, seen, size = iter(items), 0, batches[0]
    while seen < most and (quiet is None or quiet < lookahead):
        batch = list(islice(items, min(size, most - seen)))
        if not batch:
            break
        size = batches[1]
        for item, sketch in zip(batch, read_sketches([raw_sketch_of(item) for item in batch])):
            if quiet is not None and quiet >= lookahead:
                return [(kept, folded) for kept, folded, _ in groups]
            seen += 1
            into = _matching_group(sketch, groups, by_bin, threshold) if sketch is not None else None
            if into is not None:
                groups[into][1].append(item)
                if quiet is not None:
                    quiet = 0 if into < shown else quiet + 1
                continue
            if sketch is not None:
                for key in sketch.keys:
                    by_bin.setdefault(key, []).append(len(groups))
            groups.append((item, [], sketch))
            if quiet is not None:
                quiet += 1
            elif needed is not None and len(groups) == needed:
                quiet = 0
    return [(kept, folded) for kept, folded, _ in groups]


def _matching_group(sketch, groups, by_bin, threshold: float) -> int | None:
    """The first group whose kept article resembles `sketch` enough; None when none does."""
    candidates = set(chain.from_iterable(map(by_bin.get, sketch.keys, repeat(()))))
    for index in sorted(candidates):
        if resemblance(sketch, groups[index][2]) >= threshold:
            return index
    return None


def stored_sketches(reader):
    """docnum -> its stored sketch (bytes), from the index's sketch column."""
    from ..index.schema import F
    from .readers import fixed_bytes

    return fixed_bytes(reader, F.SKETCH)


def text_sketch(title: str, body: str) -> bytes:
    """The sketch of an article's text, made now (for an engine that stores none)."""
    return make_sketch(title, body)
