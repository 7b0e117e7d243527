"""BM25 of a whole block of postings with a few C-level calls.

A term's score in a document is idf * (K1 + 1) * tf / (tf + norm), where norm
depends only on the field's one-byte length. Both tf (an integer: how often the
word occurs) and that byte are small, so (K1 + 1) * tf / (tf + norm) is read from
a table indexed by tf * 256 + length byte, one row per tf, made once per reader
and field. For a block, the length bytes of its documents come from one
itemgetter over the field's length bytes, the table keys from interleaving
those bytes with the tf bytes (bytearray slice assignment), and the ratios from
one more itemgetter: no Python-level work per posting, and the same arithmetic,
in the same order, as whoosh.scoring.bm25.
"""

from __future__ import annotations

import sys
from array import array
from operator import add, itemgetter, truediv

from whoosh.util.numeric import byte_to_length

_LENGTHS = [byte_to_length(i) for i in range(256)]
# where the length byte and the tf byte go in a native 16-bit key tf * 256 + byte
_LOW, _HIGH = (0, 1) if sys.byteorder == "little" else (1, 0)
MAX_TABLE_TF = 255  # a larger tf is scored by the formula


def norms(k1: float, b: float, average_length: float) -> list[float]:
    """K1 * ((1 - B) + B * length / average length) per length byte (whoosh.scoring.bm25)."""
    return [k1 * ((1 - b) + b * length / average_length) for length in _LENGTHS]


class RatioTable:
    """(K1 + 1) * tf / (tf + norm) at [tf * 256 + length byte], rows made as needed."""

    def __init__(self, k1: float, field_norms: list[float]) -> None:
        self.k1_plus_1 = k1 + 1
        self.norms = field_norms
        self.flat: list[float] = [0.0] * 256  # tf 0: never asked for
        self.rows = 1

    def ensure(self, tf: int) -> list[float]:
        """The table with rows up to `tf` (at most MAX_TABLE_TF)."""
        k1_plus_1 = self.k1_plus_1
        while self.rows <= tf:
            weight = float(self.rows)
            self.flat.extend([(k1_plus_1 * weight) / (weight + norm) for norm in self.norms])
            self.rows += 1
        return self.flat


def pick(values, indexes) -> tuple:
    """(values[i] for i in indexes) as a tuple, in one C-level call."""
    if len(indexes) == 1:
        return (values[indexes[0]],)
    return itemgetter(*indexes)(values)


def small_tfs(weights) -> bytes | None:
    """A block's term frequencies as bytes when all are whole numbers below 256, else None."""
    if type(weights) is array:
        if weights.typecode == "B":
            return weights.tobytes()
        if weights.typecode in "HIL":
            return bytes(weights) if max(weights, default=0) <= MAX_TABLE_TF else None
    elif type(weights) is list:  # ints gathered from blocks: bytes() takes them as they are
        try:
            return bytes(weights)
        except (TypeError, ValueError):
            pass
    try:
        if all(map(float.is_integer, map(float, weights))) and max(weights, default=0) <= MAX_TABLE_TF:
            return bytes(map(int, weights))
    except (TypeError, ValueError):
        pass
    return None


def table_keys(length_bytes: bytes, tfs: bytes) -> memoryview:
    """tf * 256 + length byte for each posting, as native 16-bit ints."""
    keys = bytearray(2 * len(tfs))
    keys[_LOW::2] = length_bytes
    keys[_HIGH::2] = tfs
    return memoryview(keys).cast("H")


def ratios(table: RatioTable, length_bytes: bytes, weights):
    """(K1 + 1) * tf / (tf + norm) for each posting of a block: from the table, or by
    the formula (lazily) when a tf is not a small whole number."""
    tfs = small_tfs(weights)
    if tfs is None:
        denominators = map(add, weights, map(table.norms.__getitem__, length_bytes))
        return map(truediv, map(table.k1_plus_1.__mul__, weights), denominators)
    flat = table.ensure(max(tfs, default=0))
    return pick(flat, table_keys(length_bytes, tfs))
