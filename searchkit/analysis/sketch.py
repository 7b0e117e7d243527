"""Near-duplicate sketches: what an article's text looks like to copy detection.

An article's features are the pairs of neighbouring words of its body and of its
title (kept apart). Its sketch is a one-permutation MinHash of them: each
feature's hash picks one of BINS bins and keeps, per bin, the smallest 16-bit
value; an empty bin holds EMPTY. Two sketches' share of equal bins (among the
bins either fills) estimates the Jaccard resemblance of the two feature sets.

Word pairs rather than longer shingles: a dropped word breaks two pairs and a
swapped pair three, so copies that differ by 5% of their words keep a
resemblance near 0.8 (4-word shingles fell to about 0.5, below any safe
threshold), while word order still counts, which a bag of words would not.

The sketch is 128 bytes, made when the article is indexed (a column), with
hashes that are the same in every process and on every machine (CRC-32 of each
word pair, spread by a multiplication), so a sketch stored today compares with
one made tomorrow; about 70 microseconds an article.
`benchmarks/duplicates_eval.py` measures the choice on Reuters copies.
"""

from __future__ import annotations

import re
import struct
import zlib
from itertools import compress, islice
from operator import add

BINS = 64
FEATURE_BINS = BINS - 1  # the last bin holds a short article's numbers
EMPTY = 0xFFFF
MIN_WORDS = 4  # a body of fewer words has no sketch (never folds)
SHORT_WORDS = 25  # a body of fewer words keeps its numbers apart: they tell one report from the next
SIZE = 2 * BINS
NO_SKETCH = b"\xff" * SIZE  # every bin empty
_PACK = struct.Struct(f"<{BINS}H")
_ODD = 0x9E3779B97F4A7C15  # spreads a 32-bit CRC over 64 bits (multiplication mod 2**64)
_MASK64 = (1 << 64) - 1
_TITLE_SALT = 0x5EED
KEY_BINS = 16  # filled bins through which candidate copies are looked up (copies share most)
_NUMBER = re.compile(rb"\d+(?:[.,/]\d+)*")


def _pair_hashes(words: list[bytes], salt: int) -> set[int]:
    """CRC-32s of pairs of neighbouring words. Done by zlib in C: a word's CRC continued
    over the next word."""
    first = map(zlib.crc32, words, [salt] * len(words))
    return set(map(zlib.crc32, words[1:], first))


def _words(text: str) -> list[bytes]:
    """Words as split by white space, lower-cased, punctuation kept."""
    return (text or "").lower().encode("utf-8", "surrogatepass").split()


def _numbers(title: str, body: str) -> int:
    """A short article's numbers as a 15-bit set (a bit per number, by its hash; 0 for none).
    Never EMPTY, which a long article holds."""
    found = set(_NUMBER.findall(f"{title}\n{body}".encode("utf-8", "surrogatepass")))
    return sum({1 << (zlib.crc32(number) % 15) for number in found})


def make_sketch(title: str, body: str) -> bytes:
    """The article's sketch; NO_SKETCH when its body has fewer than MIN_WORDS words."""
    words = _words(body)
    if len(words) < MIN_WORDS:
        return NO_SKETCH
    features = _pair_hashes(words, 0) | _pair_hashes(_words(title), _TITLE_SALT)
    bins = [EMPTY] * BINS
    for crc in features:
        value = (crc * _ODD) & _MASK64  # high bits depend on every bit of the CRC
        slot, low = value >> 58, (value >> 40) & 0xFFFF
        if slot < FEATURE_BINS and low < bins[slot]:
            bins[slot] = low
    if len(words) < SHORT_WORDS:
        bins[FEATURE_BINS] = _numbers(title, body)
    return _PACK.pack(*bins)


class Sketch:
    """A sketch made ready for fast comparison: its feature bins as one integer, which of
    them are empty, and a short article's numbers."""

    __slots__ = ("bits", "empty", "numbers", "keys")

    def __init__(self, data: bytes, keys: list[int] | None = None) -> None:
        self.bits = int.from_bytes(data[:2 * FEATURE_BINS], "little")
        self.empty = _LOW_BITS & ~_nonzero_bins(self.bits ^ _ALL_EMPTY)  # bins equal to EMPTY
        self.numbers = int.from_bytes(data[2 * FEATURE_BINS:], "little")
        if keys is None:  # the first KEY_BINS filled bins, C-level: bin << 16 | its value
            values = _PACK_FEATURES.unpack_from(data)
            keys = list(islice(compress(map(add, _KEY_OFFSETS, values), map(_EMPTY_NE, values)), KEY_BINS))
        self.keys = keys


_LOW_BITS = sum(1 << (16 * i) for i in range(FEATURE_BINS))  # the lowest bit of every feature bin
_ALL_EMPTY = _LOW_BITS * EMPTY
_PACK_FEATURES = struct.Struct(f"<{FEATURE_BINS}H")
_EMPTY_NE = EMPTY.__ne__
_KEY_OFFSETS = [index << 16 for index in range(FEATURE_BINS)]


def _nonzero_bins(value: int) -> int:
    """Bins of `value` with any bit set, as that bin's lowest bit."""
    value |= value >> 1
    value |= value >> 2
    value |= value >> 4
    value |= value >> 8
    return value & _LOW_BITS


def resemblance(a: Sketch, b: Sketch) -> float:
    """The estimated Jaccard resemblance of two articles' word pairs (0.0 to 1.0); 0.0 for
    two short articles where each has a number the other lacks (the same template, another
    report: 350,000 tonnes against 200,000). A number one copy dropped is no such difference."""
    x, y = a.numbers, b.numbers
    if x != EMPTY and y != EMPTY and x & ~y and y & ~x:
        return 0.0
    both_empty = (a.empty & b.empty).bit_count()
    union = FEATURE_BINS - both_empty
    if not union:
        return 0.0
    equal = FEATURE_BINS - _nonzero_bins(a.bits ^ b.bits).bit_count()
    return (equal - both_empty) / union


def _comparable(data: bytes | None) -> bool:
    """Whether `data` is a stored sketch of an article long enough to compare."""
    return bool(data) and len(data) == SIZE and data != NO_SKETCH


def read_sketch(data: bytes | None) -> Sketch | None:
    """A stored sketch made ready for comparison; None for a short article (or none stored)."""
    return Sketch(data) if _comparable(data) else None


ARRAYS_FROM = 64  # sketches read together past which their key bins are found with numpy


def read_sketches(raws: list) -> list[Sketch | None]:
    """read_sketch of each. Many at once find their key bins as one array (finding them
    one by one costs 5 to 7 microseconds a sketch, more than comparing two sketches)."""
    if len(raws) < ARRAYS_FROM:
        return [read_sketch(raw) for raw in raws]
    import numpy as np

    kept = [_comparable(raw) for raw in raws]
    rows = np.frombuffer(b"".join(raw if ok else NO_SKETCH for raw, ok in zip(raws, kept)),
                         dtype="<u2").reshape(len(raws), BINS)[:, :FEATURE_BINS]
    filled = rows != EMPTY
    chosen = filled & (np.cumsum(filled, axis=1) <= KEY_BINS)
    keys = (rows | (np.arange(FEATURE_BINS, dtype=np.int64) << 16))[chosen].tolist()
    ends = np.cumsum(chosen.sum(axis=1)).tolist()
    sketches, start = [], 0
    for raw, ok, end in zip(raws, kept, ends):
        sketches.append(Sketch(raw, keys[start:end]) if ok else None)
        start = end
    return sketches
