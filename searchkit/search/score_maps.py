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


def add_block(out: dict, ids, values) -> None:
    """out[id] += value for a block of distinct ids: a membership mask finds the ids
    already in `out` (C-level), and only those are summed."""
    values = values if type(values) is tuple else tuple(values)
    mask = list(map(out.__contains__, ids))
    if any(mask):
        common = list(itertools.compress(ids, mask))
        summed = list(map(add, map(out.__getitem__, common), itertools.compress(values, mask)))
        out.update(zip(ids, values))
        out.update(zip(common, summed))
    else:
        out.update(zip(ids, values))


def window_floor(values: list[float], window: int) -> float:
    """A value at most the `window`-th largest of `values` (0 < window < len(values)):
    the maxima of `window` disjoint slices are `window` of the values, so the
    smallest of them is at most the answer. Without the slices (few values), the
    smallest value."""
    if len(values) > 16 * window:
        return min(max(values[start::window]) for start in range(window))
    return min(values)


def window_threshold(values: list[float], window: int) -> float:
    """The `window`-th largest of `values` (0 < window < len(values)); only the values
    from window_floor up go through the heap."""
    floor = window_floor(values, window)
    return heapq.nlargest(window, itertools.compress(values, map(floor.__le__, values)))[-1]
