"""Maps of scores (docnum -> score): summing two, and the cut-off of the best N."""

from __future__ import annotations

import heapq
import itertools
from operator import add


def add_into(out: dict, more: dict) -> None:
    """out += more, key by key, with C-level maps."""
    if not out:
        out.update(more)
        return
    common = list(more.keys() & out.keys())
    summed = list(map(add, map(out.__getitem__, common), map(more.__getitem__, common)))
    out.update(more)
    out.update(zip(common, summed))


def window_threshold(values: list[float], window: int) -> float:
    """The `window`-th largest of `values` (0 < window < len(values)). The maxima of
    `window` disjoint slices are `window` of the values, so the smallest of them is
    at most the answer: only the values above it go through the heap."""
    if len(values) > 16 * window:
        floor = min(max(values[start::window]) for start in range(window))
        values = list(itertools.compress(values, map(floor.__le__, values)))
    return heapq.nlargest(window, values)[-1]
