"""Reading Whoosh 3 postings a block at a time, for the evaluator.

Straight from the block data (ids delta-decoded with itertools.accumulate,
weights and values as stored), so that scoring can run C-level maps over a
whole block. Also each segment's one-byte field lengths in one read, and the
phrase helpers: the positions of one word in many documents (Places), two-word
adjacency, words in order within a slop.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, compress
from operator import and_, eq, not_, or_

from ..index.lengths import length_bytes
from ..index.positions import decode
from .term_scores import pick


class Leaf:
    """One segment: its searcher, docnum offset and deletions."""

    def __init__(self, searcher, offset: int) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()


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


class Places:
    """The positions of one word in a list of documents: document i's `counts[i]`
    positions start at `starts[i]` in `flat` (one list for all, no object per
    document)."""

    __slots__ = ("flat", "starts", "counts")

    def __init__(self) -> None:
        self.flat: list[int] = []
        self.starts: list[int] = []
        self.counts: list[int] = []

    def __getitem__(self, at: int) -> list[int]:
        start = self.starts[at]
        return self.flat[start:start + self.counts[at]]

    def __len__(self) -> int:
        return len(self.starts)

    def firsts(self) -> tuple:
        """Each document's first position."""
        return pick(self.flat, self.starts) if self.starts else ()

    def add(self, block_values, at, decoded: dict) -> None:
        """The positions of the postings at indexes `at` (all when None) of a block:
        from a ZippedPositions block's arrays, or decoded (through `decoded`) from
        Whoosh's encoding in blocks written before it."""
        packed = getattr(block_values, "packed", None)
        block = packed() if packed is not None else block_values
        base = len(self.flat)
        if hasattr(block, "starts"):  # a PositionsBlock
            self.flat.extend(block.flat)
            starts, counts = block.starts, block.counts
            if at is None:
                self.starts.extend(map(base.__add__, starts[:-1]) if base else starts[:-1])
                self.counts.extend(counts)
            else:
                self.starts.extend(map(base.__add__, pick(starts, at)))
                self.counts.extend(pick(counts, at))
            return
        if at is None:
            values = list(block)
        elif hasattr(block, "ends"):  # PackedValues: slices of one bytes object
            begins = block.ends[:-1]
            begins.insert(0, 0)
            values = list(map(block.data.__getitem__, map(slice, pick(begins, at), pick(block.ends, at))))
        else:
            values = list(pick(block, at))
        for value in values:
            places = decoded.get(value)
            if places is None:
                places = decoded[value] = decode(value)
            self.starts.append(len(self.flat))
            self.counts.append(len(places))
            self.flat.extend(places)


def columns(blocks, docnums: set[int], places: bool = True) -> tuple[list, list, Places]:
    """(sorted docnums, their tfs, their positions) for the documents of `docnums`
    in a term's blocks (in docnum order), with C-level picks per block."""
    found: list[int] = []
    tfs: list = []
    positions = Places()
    decoded: dict = {}
    for ids, weights, block_values in blocks:
        common = docnums.intersection(ids)
        if not common:
            continue
        if len(common) == len(ids):
            found.extend(ids)
            tfs.extend(weights)
            if places:
                positions.add(block_values, None, decoded)
            continue
        if len(common) * 16 < len(ids):  # a few: binary searches
            common = sorted(common)
            at = [bisect_left(ids, docnum) for docnum in common]
        else:  # many: a membership mask over the block (its ids are in order)
            mask = list(map(common.__contains__, ids))
            common = list(compress(ids, mask))
            at = list(compress(range(len(ids)), mask))
        found.extend(common)
        tfs.extend(pick(weights, at))
        if places:
            positions.add(block_values, at, decoded)
    return found, tfs, positions


def adjacent(first: Places, second: Places) -> list[bool]:
    """For each document, whether the second word follows the first somewhere: the
    first positions are compared with C-level maps, which settles every document
    where each word occurs once; the others are checked position by position when
    that comparison fails."""
    found = list(map(eq, map((1).__add__, first.firsts()), second.firsts()))
    several = map(and_, map(not_, found), map(or_, map((1).__lt__, first.counts),
                                                    map((1).__lt__, second.counts)))
    flat_a, starts_a, counts_a = first.flat, first.starts, first.counts
    flat_b, starts_b, counts_b = second.flat, second.starts, second.counts
    for at in compress(range(len(found)), several):
        start_a, start_b = starts_a[at], starts_b[at]
        found[at] = not set(map((1).__add__, flat_a[start_a:start_a + counts_a[at]])).isdisjoint(
            flat_b[start_b:start_b + counts_b[at]])
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
