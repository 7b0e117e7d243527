"""A faster Whoosh writer: fused analysis (analysis/fused.py), a lean posting
pool and posting writes.

Whoosh analyses a field by passing one Token object through a generator per
filter; on Reuters that was a quarter of the indexing time. A field whose
analyser analysis/fused.py recognises exactly is analysed by one function with
the same result. Any other analyser or format keeps Whoosh's own path, so a
change to `analysis/analyzers.py` can never make the index disagree with the
query side. tests/test_writer_fastindex.py checks the equality on real text.

The writer gets a patched copy of the schema; the schema written into the
index is always the clean original (`toc_schema`).
"""

from __future__ import annotations

import pickle
import types

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool

from ..analysis.fused import fused_analysis
from .lengths import length_bytes
from .postings import TermPool, pack_blocks, write_postings

_W3_ADD = W3FieldWriter.add
_BYTE_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]
# zlib level for posting blocks. Whoosh uses 3; on Reuters level 1 gave an index
# 0.7% larger for 5% less indexing time (readers take any level).
BLOCK_COMPRESSION = 1
BLOCK_POSTINGS = 2048  # postings per block (Whoosh: 128; 512 before: at 25x, 2048 gave p95 0.68x)


def install(writer) -> list[str]:
    """Give `writer` a schema copy whose recognised fields analyse fused.
    Returns the names of those fields."""
    if hasattr(writer, "toc_schema"):
        return []  # already installed
    clean = writer.schema
    patched = pickle.loads(pickle.dumps(clean, 2))
    names = []
    for name, field in patched.items():
        fused = fused_analysis(field)
        if fused is not None:
            field.index = fused  # an instance attribute: shadows FieldType.index
            names.append(name)
    if names:
        writer.toc_schema = clean
        writer.schema = patched
    return names


def toc_schema(writer):
    """The schema to write into the index: never the patched copy."""
    return getattr(writer, "toc_schema", writer.schema)


class LeanPostingPool(PostingPool):
    """Whoosh's PostingPool without the per-posting type assertions: the same
    postings, the same size accounting (and so the same spills to disk)."""

    def add(self, item) -> None:
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class PreloadedLengths:
    """Field lengths for writing postings, read once per field and document
    instead of once per posting (Whoosh asks for the length of every posting)."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.count = reader.doc_count_all()
        self.cache: dict[str, list] = {}

    def _lengths(self, fieldname: str) -> list:
        lengths = self.cache.get(fieldname)
        if lengths is None:
            lengths = self.cache[fieldname] = self._read(fieldname)
        return lengths

    def _read(self, fieldname: str) -> list:
        """Every document's length, as doc_field_length gives it (None for a stored
        0), from the length column's bytes in one read when it is Whoosh 3's."""
        raw = length_bytes(self.reader, fieldname, self.count)
        if raw is None:
            length = self.reader.doc_field_length
            return [length(d, fieldname) for d in range(self.count)]
        return list(map(_BYTE_LENGTHS.__getitem__, raw))

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        return self._lengths(fieldname)[docnum]

    def doc_field_length_reader(self, fieldname: str, default=0):
        return self._lengths(fieldname).__getitem__


def lean_add(fieldwriter, docnum: int, weight, vbytes: bytes, length) -> None:
    """W3FieldWriter.add and W3PostingsWriter.add_posting in one call, without
    the per-posting type assertions: the same block contents and statistics."""
    post = fieldwriter._postwriter
    ids = post._ids
    if len(ids) >= post._blocklimit:
        post._write_block()
        ids = post._ids
    ids.append(docnum)
    post._weights.append(weight)
    if weight > post._maxweight:
        post._maxweight = weight
    if vbytes:
        post._values.append(vbytes)
    if length:
        shortest = post._minlength
        if shortest is None or length < shortest:
            post._minlength = length
        if length > post._maxlength:
            post._maxlength = length


def _start_packed_term(fieldwriter, btext: bytes) -> None:
    """W3FieldWriter.start_term, its postings writer writing compact blocks (as
    write_postings does): a segment whose postings spilled to disk (a big merge)
    gets the same block format as any other, not Whoosh's pickled tuples, which
    take 15x as long to read."""
    W3FieldWriter.start_term(fieldwriter, btext)
    pack_blocks(fieldwriter._postwriter)


def flush_segment(writer) -> None:
    """SegmentWriter._flush_segment, with the lengths preloaded and, for Whoosh 3's
    codec (the default), postings written a block at a time from the TermPool."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader() if writer.codec.length_stats else None
    lengths = PreloadedLengths(reader) if reader is not None else None
    fieldwriter = writer.fieldwriter
    lean = type(fieldwriter) is W3FieldWriter and W3FieldWriter.add is _W3_ADD
    pool = writer.pool
    if lean and isinstance(pool, TermPool) and pool.spilled is None:
        write_postings(fieldwriter, writer.schema, lengths, pool)
    else:
        if lean:
            fieldwriter.add = types.MethodType(lean_add, fieldwriter)
            fieldwriter.start_term = types.MethodType(_start_packed_term, fieldwriter)
        fieldwriter.add_postings(writer.schema, lengths, pool.iter_postings())
    writer.fieldwriter.close()
    if reader is not None:
        reader.close()


def add_document(writer, **fields) -> None:
    """SegmentWriter.add_document for schemas without term vectors or spelling
    fields (checked by speed_up): each analysed field goes to the TermPool in
    one call instead of one call per posting."""
    writer._check_state()
    perdocwriter = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    pool = writer.pool
    docboost = writer._doc_boost(fields)
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                items = field.index(value)
                added = pool.add_field(fieldname, docnum, items, writer._field_boost(fields, fieldname, docboost))
                if field.scorable:
                    length = added
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    except ValueError:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def _plain_fields(schema) -> bool:
    return not any(field.vector or field.separate_spelling() for _, field in schema.items())


def speed_up(writer, limitmb: int, tempstorage=None) -> None:
    """Fused analysis, an in-memory TermPool (spilling, past `limitmb`, to a lean
    Whoosh pool in `tempstorage`, default the writer's own) and preloaded
    lengths for one Whoosh SegmentWriter."""
    install(writer)
    if tempstorage is not None:
        writer._tempstorage = tempstorage
    if isinstance(writer.codec, W3Codec):  # this writer's own codec object
        writer.codec._compression = BLOCK_COMPRESSION
        writer.codec._blocklimit = BLOCK_POSTINGS
    segment = writer.newsegment
    writer.pool = TermPool(lambda: LeanPostingPool(writer._tempstorage, segment, limitmb=limitmb), limitmb)
    if _plain_fields(writer.schema):
        writer.add_document = types.MethodType(add_document, writer)
    writer._flush_segment = types.MethodType(flush_segment, writer)
