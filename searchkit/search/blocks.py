"""Reading Whoosh 3 postings a block at a time, for the evaluator.

Straight from the block data (ids delta-decoded with itertools.accumulate,
weights and values as stored), so that scoring can run C-level maps over a
whole block. Also each segment's one-byte field lengths in one read, and the
phrase helpers that work on encoded positions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, compress, repeat
from operator import eq, or_
from pickle import loads

from ..index.lengths import length_bytes
from .term_scores import pick


class Leaf:
    """One segment: its searcher, docnum offset, deletions and length bytes per field."""

    def __init__(self, searcher, offset: int) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self._lengths: dict[str, bytes] = {}

    def length_bytes(self, fieldname: str) -> bytes:
        found = self._lengths.get(fieldname)
        if found is None:
            found = length_bytes_of(self.reader, fieldname)
            self._lengths[fieldname] = found
        return found


def length_bytes_of(reader, fieldname: str) -> bytes:
    """Every document's one-byte length of `fieldname` (zeros when it stores none)."""
    count = reader.doc_count_all()
    found = length_bytes(reader._perdoc, fieldname, count)
    return found if found is not None else bytes(count)


class Ones(tuple):
    """The weights of a block whose postings all occur once (Whoosh stores None)."""


def term_info(reader, fieldname: str, btext: bytes):
    """The segment's W3TermInfo of a term, or None."""
    from whoosh.reading import TermNotFound

    terms = getattr(reader, "_terms", None)  # an empty index has an EmptyReader
    if terms is None:
        return None
    try:
        return terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError):
        return None


def postings(reader, fieldname: str, btext: bytes, values: bool = False, info=None, offset: int = 0,
             wanted: list[int] | None = None):
    """(ids, weights[, values]) of a term's postings, one block at a time, read
    straight from Whoosh's block data (deletions not removed); ids plus `offset`.
    With `wanted` (sorted ids), a block whose id range holds none of them is
    skipped from its header, unread."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    terms = reader._terms
    info = info or term_info(reader, fieldname, btext)
    if info is None:
        return
    if info.is_inlined():
        ids, weights, block_values = info.inlined_postings()
        if offset:
            ids = tuple(map(offset.__add__, ids))
        weights = weights if weights else Ones((1.0,) * len(ids))
        yield (ids, weights, block_values) if values else (ids, weights)
        return
    start, length = info.extent()
    matcher = W3LeafMatcher(terms._postfile, start, length, reader.schema[fieldname].format)
    previous = offset - 1  # the last id of the block before
    while True:
        if wanted is not None:
            last = offset + matcher._maxid
            at = bisect_right(wanted, previous)
            previous = last
            if at == len(wanted):
                return
            if wanted[at] > last:
                if matcher._lastblock:
                    return
                matcher._goto(matcher._nextoffset)
                continue
        matcher._read_data()
        ids, weights, block_values = matcher._data[:3]
        if matcher._byteids:
            if offset:
                ids = tuple(map(offset.__add__, ids))
        else:  # delta-decoded, as W3LeafMatcher._read_ids does
            ids = tuple(accumulate(ids, initial=offset))[1:]
        if weights is None:  # every posting of the block occurs once
            weights = Ones((1.0,) * len(ids))
        elif isinstance(weights, float):
            weights = (weights,) * len(ids)
        yield (ids, weights, block_values) if values else (ids, weights)
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def columns(blocks, docnums: set[int], values: bool = True) -> tuple[list, list, list]:
    """(sorted docnums, their tfs, their encoded positions) for the documents of
    `docnums` in a term's blocks (in docnum order), with C-level picks per block."""
    found: list[int] = []
    tfs: list = []
    encoded: list = []
    for ids, weights, block_values in blocks:
        common = docnums.intersection(ids)
        if not common:
            continue
        if len(common) == len(ids):
            found.extend(ids)
            tfs.extend(weights)
            if values:
                encoded.extend(values_at(unzipped(block_values), None))
            continue
        common = sorted(common)
        found.extend(common)
        if len(common) * 16 < len(ids):  # a few: binary searches beat a dict of the block
            at = [bisect_left(ids, docnum) for docnum in common]
        else:
            at = pick(dict(zip(ids, range(len(ids)))), common)
        tfs.extend(pick(weights, at))
        if values:
            encoded.extend(values_at(unzipped(block_values), at))
    return found, tfs, encoded


def values_at(block_values, at) -> list[bytes]:
    """block_values[i] for i in `at` (all when None); PackedValues are sliced with
    C-level maps."""
    ends = getattr(block_values, "ends", None)
    if ends is None:
        return list(block_values) if at is None else list(pick(block_values, at))
    starts = ends[:-1]
    starts.insert(0, 0)
    if at is not None:
        starts, ends = pick(starts, at), pick(ends, at)
    return list(map(block_values.data.__getitem__, map(slice, starts, ends)))


def unzipped(values):
    """A block's values ready to index: ZippedValues (index/postings.py) inflate once."""
    packed = getattr(values, "packed", None)
    return packed() if packed is not None else values


def decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions: a 4-byte count, then pickled gaps."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[4:])))


def positions(value: bytes, decoded: dict) -> list[int]:
    """decode_positions through a memo: many postings share a value (one word at position p)."""
    found = decoded.get(value)
    if found is None:
        found = decoded[value] = decode_positions(value)
    return found


_SEVERAL = -2  # stands for the first position of a value with more than one
SINGLE_POSITIONS = 4096  # lone positions decoded by table lookup (an article's first 4,096 words)
_singles: dict[bytes, int] = {}


def _single_positions() -> dict[bytes, int]:
    """Encoded value -> position, for a word that occurs once at positions below
    SINGLE_POSITIONS: Whoosh's own encoding of each, made once (about 2 ms)."""
    if not _singles:
        from whoosh.formats import Positions

        encode = Positions().encode
        _singles.update((encode([place]), place) for place in range(SINGLE_POSITIONS))
    return _singles


def adjacent(first: list[bytes], second: list[bytes], decoded: dict) -> list[bool]:
    """For each document, whether the second word follows the first (a two-word
    phrase): compared with C-level maps where each word occurs once in the
    document, which is most documents; position by position elsewhere."""
    singles = _single_positions()
    starts = list(map(singles.get, first, repeat(_SEVERAL)))
    follows = list(map(singles.get, second, repeat(_SEVERAL)))
    found = list(map(eq, map((1).__add__, starts), follows))
    several = map(or_, map(_SEVERAL.__eq__, starts), map(_SEVERAL.__eq__, follows))
    for at in compress(range(len(found)), several):
        found[at] = not set(map((1).__add__, positions(first[at], decoded))).isdisjoint(
            positions(second[at], decoded))
    return found


def in_order_within(positions: list[list[int]], slop: int) -> bool:
    """Whether the words occur in order, each within `slop` positions of the span
    before it (Whoosh's SpanNear2 with ordered=True, mindist=1, on sorted positions)."""
    spans = {(place, place) for place in positions[0]}
    for following in positions[1:]:
        found = set()
        for start, end in spans:
            for place in following[bisect_left(following, start):]:
                if place > end + slop:
                    break
                distance = 0 if place <= end else place - end
                if 1 <= distance <= slop:
                    found.add((start, max(end, place)))
        if not found:
            return False
        spans = found
    return bool(spans)
