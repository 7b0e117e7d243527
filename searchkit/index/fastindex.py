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

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import PostingPool

from ..analysis.fused import fused_analysis

_W3_ADD = W3FieldWriter.add


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
            length = self.reader.doc_field_length
            lengths = self.cache[fieldname] = [length(d, fieldname) for d in range(self.count)]
        return lengths

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


def flush_segment(writer) -> None:
    """SegmentWriter._flush_segment, with the lengths preloaded (and lean
    posting writes when the codec is Whoosh 3's, as the default is)."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader() if writer.codec.length_stats else None
    lengths = PreloadedLengths(reader) if reader is not None else None
    fieldwriter = writer.fieldwriter
    if type(fieldwriter) is W3FieldWriter and W3FieldWriter.add is _W3_ADD:
        fieldwriter.add = types.MethodType(lean_add, fieldwriter)
    fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
    writer.fieldwriter.close()
    if reader is not None:
        reader.close()


def speed_up(writer, limitmb: int, tempstorage=None) -> None:
    """Fused analysis, a lean posting pool (in `tempstorage`, default the
    writer's own) and preloaded lengths for one Whoosh SegmentWriter."""
    install(writer)
    if tempstorage is not None:
        writer._tempstorage = tempstorage
    writer.pool = LeanPostingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    writer._flush_segment = types.MethodType(flush_segment, writer)
