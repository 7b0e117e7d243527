"""Fused analysis for indexing: the terms, positions and weights the schema's
analysers give, computed in one loop instead of a chain of generators.

Whoosh analyses a field by passing one Token object through a generator per
filter; on Reuters that was a quarter of the indexing time. Here a field
whose analyser is recognised exactly — a RegexTokenizer followed, in this
order, by any of PossessiveFilter, LowercaseFilter, StopFilter, StemFilter,
into the Positions format — is analysed by one function with the same
result. Any other analyser or format keeps Whoosh's own path, so a change to
`analysis/analyzers.py` can never make the index disagree with the query
side. tests/test_writer_fastindex.py checks the equality on real text.

The writer gets a patched copy of the schema; the schema written into the
index is always the clean original (`toc_schema`).
"""

from __future__ import annotations

import pickle
import types

from whoosh import formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import PostingPool

from ..analysis import analyzers

_W3_ADD = W3FieldWriter.add
PossessiveFilter = getattr(analyzers, "PossessiveFilter", LowercaseFilter)
MAX_CACHED_WORDS = 500_000
_ORDER = (PossessiveFilter, LowercaseFilter, StopFilter, StemFilter)

# Checked at install: the fused path must give exactly what Whoosh gives.
PROBE = (
    "ISLAMABAD: Pakistan's spymasters met the CIA's Director, William Burns, in May 2021; "
    "they're said to have used U.S. data. The talks, which were \"frank\", ran 3-4 hours. "
    "A an THE of O'Neill’s Ünïcode naïve café x's ab's 1,000,000 e-mail mid-air"
)


class FusedAnalysis:
    """One field's analyser as a single function: text -> Whoosh posting items."""

    def __init__(self, tokenizer, filters, field_boost: float) -> None:
        self.finditer = tokenizer.expression.finditer
        kinds = {type(f): f for f in filters}
        self.possessive = PossessiveFilter in kinds
        self.lower = LowercaseFilter in kinds
        stop = kinds.get(StopFilter)
        self.stops = stop.stops if stop else None
        self.minsize = stop.min if stop else 0
        self.maxsize = stop.max if stop else None
        self.renumber = bool(stop and stop.renumber)
        stem = kinds.get(StemFilter)
        self.stem = stem._stem if stem else None
        self.ignore = stem.ignore if stem else frozenset()
        self.field_boost = field_boost
        self.encode_positions = formats.Positions().encode
        self.terms: dict[str, str | None] = {}  # token -> indexed form (a pure function of it)
        self.singles: dict[int, bytes] = {}

    def term(self, word: str) -> str | None:
        """The indexed form of one token, or None when it is a stop word."""
        if self.possessive and len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            word = word[:-2]
        if self.lower:
            word = word.lower()
        if self.stops is not None:
            size = len(word)
            if size < self.minsize or (self.maxsize is not None and size > self.maxsize) or word in self.stops:
                return None
        if self.stem is not None and word not in self.ignore:
            word = self.stem(word)
        return word

    def positions(self, text: str) -> dict[str, list[int]]:
        """word -> positions, numbered as Whoosh numbers them."""
        out: dict[str, list[int]] = {}
        terms, term, renumber = self.terms, self.term, self.renumber
        if len(terms) > MAX_CACHED_WORDS:
            terms.clear()
        first, kept = None, 0
        for index, match in enumerate(self.finditer(text)):
            raw = match.group(0)
            try:
                word = terms[raw]
            except KeyError:
                word = terms[raw] = term(raw)
            if word is None:
                continue
            if renumber:  # Whoosh's StopFilter: the first kept word keeps its number
                if first is None:
                    first = index
                position = first + kept
                kept += 1
            else:
                position = index
            places = out.get(word)
            if places is None:
                out[word] = [position]
            else:
                places.append(position)
        return out

    def encode(self, places: list[int]) -> bytes:
        if len(places) == 1:  # most postings: cache the encoding of a lone position
            single = self.singles.get(places[0])
            if single is None:
                single = self.singles[places[0]] = self.encode_positions(places)
            return single
        return self.encode_positions(places)

    def __call__(self, value, **kwargs):
        if not isinstance(value, str):
            raise TypeError("fused analysis takes text only")
        boost, encode = self.field_boost, self.encode
        return [(word.encode("utf-8"), len(places), float(len(places)) * boost, encode(places))
                for word, places in self.positions(value).items()]


def fused_analysis(field) -> FusedAnalysis | None:
    """A FusedAnalysis for `field`, or None when its analysis is not one we reproduce."""
    if not getattr(field, "indexed", False) or type(getattr(field, "format", None)) is not formats.Positions:
        return None
    analyzer = getattr(field, "analyzer", None)
    if type(analyzer) is not CompositeAnalyzer:
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
        return None
    kinds = [type(f) for f in filters]
    if any(kind not in _ORDER for kind in kinds) or len(set(kinds)) != len(kinds):
        return None
    if kinds != sorted(kinds, key=_ORDER.index):
        return None
    stop = next((f for f in filters if type(f) is StopFilter), None)
    stem = next((f for f in filters if type(f) is StemFilter), None)
    if stop is not None and not isinstance(stop.stops, frozenset | set):
        return None
    if stem is not None and not callable(getattr(stem, "_stem", None)):
        return None
    fused = FusedAnalysis(tokenizer, filters, field.format.field_boost)
    if sorted(fused(PROBE)) != sorted(field.index(PROBE)):
        return None
    return fused


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
