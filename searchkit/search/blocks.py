"""Reading Whoosh 3 postings a block at a time, for the evaluator.

Straight from the block data (ids delta-decoded with itertools.accumulate,
weights and values as stored), so that scoring can run C-level maps over a
whole block. Also each segment's one-byte field lengths in one read, and the
phrase helpers that work on encoded positions.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from pickle import loads

from ..index.lengths import length_bytes


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


def postings(reader, fieldname: str, btext: bytes, values: bool = False, info=None):
    """(ids, weights[, values]) of a term's postings, one block at a time, read
    straight from Whoosh's block data (deletions not removed)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    terms = reader._terms
    info = info or term_info(reader, fieldname, btext)
    if info is None:
        return
    if info.is_inlined():
        ids, weights, block_values = info.inlined_postings()
        weights = weights if weights else Ones((1.0,) * len(ids))
        yield (ids, weights, block_values) if values else (ids, weights)
        return
    offset, length = info.extent()
    matcher = W3LeafMatcher(terms._postfile, offset, length, reader.schema[fieldname].format)
    while True:
        matcher._read_data()
        ids, weights, block_values = matcher._data[:3]
        if not matcher._byteids:
            ids = tuple(accumulate(ids))  # delta-decoded, as W3LeafMatcher._read_ids does
        if weights is None:  # every posting of the block occurs once
            weights = Ones((1.0,) * len(ids))
        elif isinstance(weights, float):
            weights = (weights,) * len(ids)
        yield (ids, weights, block_values) if values else (ids, weights)
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def for_documents(blocks, docnums: set[int]) -> dict:
    """{docnum: (tf, encoded positions)} from a term's blocks, for `docnums` only."""
    out: dict = {}
    for ids, weights, values in blocks:
        common = docnums.intersection(ids)
        if common:
            where = dict(zip(ids, range(len(ids))))
            for docnum in common:
                at = where[docnum]
                out[docnum] = (weights[at], values[at])
    return out


def decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions: a 4-byte count, then pickled gaps."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[4:])))


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
