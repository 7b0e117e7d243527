"""Postings of a segment kept in memory by term, written out a block at a time.

Whoosh's PostingPool keeps one tuple per posting (about 190 bytes), spills
sorted runs to disk when full, merges them back in sorted order and hands the
field writer one posting per call: on Reuters, writing the segment was 40% of
indexing. Here postings go straight into per-term arrays (about 20 bytes
each) as documents are added — a term's documents arrive in docnum order —
and the segment is written field by field, term by term, a whole block of
postings at a time through Whoosh 3's own block writer, so the files are the
ones Whoosh would write. Past `limitmb` (a single huge file, a big merge) the
pool hands everything to Whoosh's pool, which spills to disk, and carries on
as Whoosh would. tests/test_writer_fastindex.py compares whole indexes.
"""

from __future__ import annotations

from array import array
from itertools import islice
from operator import le, sub

from whoosh.formats import Positions

from .positions import ZippedPositions, narrowest_typecode

TERM_BYTES = 260  # a term's entry: two arrays, a list, a tuple, the key
POSTING_BYTES = 24  # a docnum, a weight, a reference to its value
# Terms with fewer postings are stored in the term table itself instead of as a
# block of the postings file: about half the terms of a news segment occur in
# one article, and a block costs two pickles and a header. Whoosh 3 reads
# inlined postings (W3TermInfo.inlined_postings).
INLINE_POSTINGS = 2


def compact_array(typecode: str, data: bytes) -> array:
    """Unpickles a CompactArray (index files name this function: it must stay here)."""
    out = array(typecode)
    out.frombytes(data)
    return out


class CompactArray(array):
    """An array that pickles as its bytes. Whoosh pickles blocks at protocol 2,
    where an array pickles as a list: unpickling it made one int or float object
    per posting, and that was most of reading a block."""

    def __reduce_ex__(self, protocol):
        return (compact_array, (self.typecode, self.tobytes()))


def _smallest(values) -> CompactArray:
    """`values` (non-negative ints) in the narrowest unsigned array that holds them."""
    return CompactArray(narrowest_typecode(max(values, default=0)), values)


class PackedValues:
    """A block's posting values (encoded positions) as one bytes object and the end
    offset of each, as indexes written before ZippedPositions (positions.py) hold
    them; Whoosh indexes a block's values with [i] (W3LeafMatcher.value), which
    this serves. Nothing writes it now; index files name this class: it must stay
    importable here."""

    __slots__ = ("data", "ends")

    def __init__(self, data: bytes, ends: array) -> None:
        self.data = data
        self.ends = ends

    def __reduce__(self):
        return (PackedValues, (self.data, self.ends))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.ends)))]
        ends = self.ends
        if index < 0:
            index += len(ends)
        return self.data[ends[index - 1] if index else 0:ends[index]]

    def __iter__(self):
        data, start = self.data, 0
        for end in self.ends:
            yield data[start:end]
            start = end


def _packed_ids(post):
    """W3PostingsWriter._mini_ids: the gaps between docnums, as a compact array (one
    object to unpickle; Whoosh's reader delta-decodes any sequence of ints)."""
    ids = post._ids
    gaps = array("I", ids[:1])
    gaps.extend(map(sub, islice(ids, 1, None), ids))
    return _smallest(gaps)


def _packed_weights(post):
    """W3PostingsWriter._mini_weights, with a compact array instead of a tuple of floats
    (whole numbers below 256, as term frequencies are, one byte each)."""
    weights = post._weights
    first = weights[0]
    if first == 1.0 and weights.count(1.0) == len(weights):
        return None
    if weights.count(first) == len(weights):
        return first
    if all(map(float.is_integer, weights)) and max(weights) < 0x100:
        return CompactArray("B", map(int, weights))  # term frequencies: a byte each
    return CompactArray("f", weights)


def _packed_values(post):
    """W3PostingsWriter._mini_values for positions: one ZippedPositions."""
    return ZippedPositions.of(post._values, post._values_compression)


BLOCK_PICKLE_PROTOCOL = 4  # Whoosh pickles blocks at protocol 2, where bytes are a latin-1 string


def _write_packed_block(post, last: bool = False) -> None:
    """W3PostingsWriter._write_block, with the block's data pickled at protocol 4. At
    protocol 2 a bytes object (an array's, the compressed positions) is pickled as a
    latin-1 string encoded again when it is read: a 2,048-posting block took 12.4 µs
    to unpickle against 6.0 µs, and was 24% larger. Whoosh's reader takes any protocol."""
    import pickle
    import zlib

    from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC
    from whoosh.util.numeric import length_to_byte

    if not post._blockcount:
        post._postfile.write(WHOOSH3_HEADER_MAGIC)
    post._terminfo.add_block(post)
    data = pickle.dumps((post._mini_ids(), post._mini_weights(), post._mini_values()), BLOCK_PICKLE_PROTOCOL)
    compression = post._compression if len(data) >= COMPRESSION_MIN_SIZE else 0
    if compression:
        data = zlib.compress(data, compression)
    ids = post._ids
    info = pickle.dumps((len(ids), ids[-1], post._maxweight, compression, length_to_byte(post._minlength),
                         length_to_byte(post._maxlength)), 2)
    length = len(info) + len(data)
    post._postfile.write_int(-length if last else length)
    post._postfile.write(info)
    post._postfile.write(data)
    post._blockcount += 1
    post._new_block()


def pack_blocks(post) -> None:
    """Make a W3PostingsWriter write compact arrays into its blocks, pickled at
    protocol 4, and, for a field with positions, the positions compressed apart from
    the rest of the block (other kinds of values keep Whoosh's own writing). Once per
    postings writer (a field)."""
    import types

    if "_mini_ids" in vars(post):
        return

    post._mini_ids = types.MethodType(_packed_ids, post)
    post._mini_weights = types.MethodType(_packed_weights, post)
    post._write_block = types.MethodType(_write_packed_block, post)
    if type(post._format) is Positions:
        post._mini_values = types.MethodType(_packed_values, post)
        post._values_compression = post._compression or 0
        post._compression = 0


class TermPool:
    """Stands in for Whoosh's PostingPool on a SegmentWriter."""

    def __init__(self, spill_pool, limitmb: int) -> None:
        self.fields: dict[str, dict[bytes, tuple]] = {}
        self.fieldnames: set[str] = set()
        self.size = 0
        self.limit = limitmb * 1024 * 1024
        self._spill_pool = spill_pool  # () -> a Whoosh PostingPool, made when needed
        self.spilled = None  # that pool, once this one outgrew its limit

    def _terms(self, fieldname: str) -> dict:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        """One (fieldname, btext, docnum, weight, value) posting (merges add these)."""
        if self.spilled is not None:
            self.spilled.add(item)
            return
        fieldname, btext, docnum, weight, value = item
        terms = self._terms(fieldname)
        entry = terms.get(btext)
        if entry is None:
            entry = terms[btext] = (array("I"), array("f"), [])
            self.size += TERM_BYTES + len(btext)
        entry[0].append(docnum)
        entry[1].append(weight)
        if value:
            entry[2].append(value)
        self.size += POSTING_BYTES
        if self.size > self.limit:
            self._spill()

    def add_field(self, fieldname: str, docnum: int, items, boost: float) -> int:
        """A document's analysed field; returns the sum of the term frequencies."""
        if not isinstance(items, list):
            items = list(items)
        if self.spilled is not None:
            length = 0
            for btext, freq, weight, value in items:
                length += freq
                self.spilled.add((fieldname, btext, docnum, weight * boost, value))
            return length
        terms = self._terms(fieldname)
        length = 0
        added = 0
        for btext, freq, weight, value in items:
            length += freq
            entry = terms.get(btext)
            if entry is None:
                entry = terms[btext] = (array("I"), array("f"), [])
                added += TERM_BYTES + len(btext)
            entry[0].append(docnum)
            entry[1].append(weight * boost)
            if value:
                entry[2].append(value)
        self.size += added + POSTING_BYTES * len(items)
        if self.size > self.limit:
            self._spill()
        return length

    def _spill(self) -> None:
        pool = self._spill_pool()
        for fieldname, terms in self.fields.items():
            for btext, (ids, weights, values) in terms.items():
                if values and len(values) != len(ids):
                    raise ValueError(f"{fieldname}: postings with and without values")
                vals = values if values else [None] * len(ids)
                for docnum, weight, value in zip(ids, weights, vals):
                    pool.add((fieldname, btext, docnum, weight, value))
        self.fields.clear()
        self.spilled = pool

    def iter_postings(self):
        """Every posting in Whoosh's order: field, term, docnum."""
        if self.spilled is not None:
            return self.spilled.iter_postings()
        return (
            (fieldname, btext, docnum, weight, value)
            for fieldname in sorted(self.fields)
            for btext, (ids, weights, values) in sorted(self.fields[fieldname].items())
            for docnum, weight, value in zip(ids, weights, values or [None] * len(ids))
        )

    def cleanup(self) -> None:
        if self.spilled is not None:
            self.spilled.cleanup()
        self.fields.clear()


def write_postings(fieldwriter, schema, lengths, pool: TermPool) -> None:
    """The pool's postings through a W3FieldWriter, a block at a time; the same
    blocks, block statistics and term infos as FieldWriter.add_postings."""
    for fieldname in sorted(pool.fields):
        terms = pool.fields[fieldname]
        fieldwriter.start_field(fieldname, schema[fieldname])
        field_lengths = lengths.doc_field_length_reader(fieldname) if lengths else None
        for btext in sorted(terms):
            ids, weights, values = terms[btext]
            if values and len(values) != len(ids):
                raise ValueError(f"{fieldname}: postings with and without values")
            if not all(map(le, ids, islice(ids, 1, None))):  # merges add readers in docnum order
                order = sorted(range(len(ids)), key=ids.__getitem__)
                ids = array("I", (ids[i] for i in order))
                weights = array("f", (weights[i] for i in order))
                values = [values[i] for i in order] if values else values
            fieldwriter.start_term(btext)
            post = fieldwriter._postwriter
            pack_blocks(post)
            _write_term(post, ids, weights, values, field_lengths)
            if len(ids) < INLINE_POSTINGS:
                _finish_inlined(fieldwriter)
            else:
                fieldwriter.finish_term()
        fieldwriter.finish_field()


def _finish_inlined(fieldwriter) -> None:
    """W3FieldWriter.finish_term for a term whose postings go into the term table
    (W3PostingsWriter.finish_postings would, with an inline limit above 1, but
    calls a method whoosh3 renamed: its inlining path is never used)."""
    from whoosh.util.numeric import pack_ushort

    post = fieldwriter._postwriter
    terminfo = post._terminfo
    terminfo.add_block(post)
    terminfo.set_inlined(post._ids, post._weights, post._values)
    post._terminfo = None
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + fieldwriter._btext, terminfo.to_bytes())


def _write_term(post, ids, weights, values, field_lengths) -> None:
    """Fill W3PostingsWriter blocks whole; finish_term writes the last one."""
    size = post._blocklimit
    count = len(ids)
    for start in range(0, count, size):
        end = min(start + size, count)
        post._ids = block_ids = ids[start:end]
        post._weights = block_weights = weights[start:end]
        post._values = values[start:end] if values else []
        post._maxweight = max(0, max(block_weights))
        if field_lengths is not None:
            lengths = [length for length in map(field_lengths, block_ids) if length]
        else:
            lengths = []
        post._minlength = min(lengths) if lengths else None
        post._maxlength = max(lengths) if lengths else 0
        if end < count:
            post._write_block()
