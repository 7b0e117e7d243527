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

from ..analysis.sketch import read_sketch, resemblance

SIMILARITY = 0.45
LOOKAHEAD = 10  # items in a row that fold into no shown group before grouping stops
MAX_SCAN = 2000  # items looked at in all, however many copies rank together


def group_duplicates(items, sketch_of, threshold: float = SIMILARITY, needed: int | None = None,
                     lookahead: int = LOOKAHEAD, most: int = MAX_SCAN) -> list[tuple[object, list]]:
    """Fold near-duplicates into the first (best-ranked) of their group.

    `items` may be a lazy iterable in rank order; `sketch_of(item)` is its
    Sketch (None for an article too short to compare). Returns [(kept item,
    [folded items])] in the original order. With `needed`, stops once that
    many groups are found and then `lookahead` items in a row have folded into
    none of them: copies rank next to each other, so the shown groups get
    their copies and later items would only open groups that are never shown.
    Never looks at more than `most` items. Candidate groups are found through
    shared bins, so the cost stays linear in the number of items."""
    groups: list[tuple[object, list, object]] = []
    by_bin: dict[tuple[int, int], list[int]] = {}
    quiet = None  # items in a row, after the needed-th group, that folded into no shown group
    for seen, item in enumerate(items):
        if seen >= most or (quiet is not None and quiet >= lookahead):
            break
        sketch = sketch_of(item)
        into = _matching_group(sketch, groups, by_bin, threshold) if sketch is not None else None
        if into is not None:
            groups[into][1].append(item)
            if quiet is not None:
                quiet = 0 if into < needed else quiet + 1
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
    candidates = {g for key in sketch.keys for g in by_bin.get(key, ())}
    for index in sorted(candidates):
        if resemblance(sketch, groups[index][2]) >= threshold:
            return index
    return None


def stored_sketches(reader):
    """docnum -> Sketch (None for a short article), from the index's sketch column."""
    from ..index.schema import F
    from .readers import fixed_bytes

    value = fixed_bytes(reader, F.SKETCH)
    return lambda docnum: read_sketch(value(docnum))


def text_sketch(title: str, body: str):
    """The Sketch of an article's text, made now (for an engine that stores none)."""
    from ..analysis.sketch import make_sketch

    return read_sketch(make_sketch(title, body))
