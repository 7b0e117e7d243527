"""Ids unique within a file in record mode, as when a file is parsed whole.

A file parsed whole gives a repeated id to the later record's fallback
(`RecordIds`, with a warning). In record mode the records of one file are
parsed in separate jobs, and on a sync the unchanged records are not parsed at
all, so a repeat can only be seen afterwards: the workers report the ids they
indexed, this process keeps them in a Bloom filter (`IdRepeats`: 2 bytes per
record, whatever the length of the ids), and an id it may have seen before, or
an id indexed by a sync, is checked in the index once the update is committed
(`resolve_repeats`). The article of the lowest record number keeps the id; the
others are written again under their fallback, read from their stored fields
(no file is read again).
"""

from __future__ import annotations

import hashlib

from .documents import document_from_stored
from .record_sync import marker_of
from .schema import F


class IdRepeats:
    """The ids indexed from one file so far, in a Bloom filter that grows by layers (2
    bytes per id, whatever the ids' length); an id the filter may have seen is kept as a
    candidate (every repeat, and about 0.5% of the other ids), checked in the index by
    resolve_repeats."""

    FIRST_LAYER = 1 << 17  # ids in the first layer; each next layer holds twice as many

    def __init__(self) -> None:
        self.layers: list[tuple[bytearray, int]] = []  # (bits, number of bits): 16 per id
        self.capacity = self.count = 0  # of the last layer
        self.repeated: set[str] = set()

    def add(self, ids) -> None:
        blake2b, repeated = hashlib.blake2b, self.repeated
        for article_id in ids:
            digest = int.from_bytes(blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little")
            first, step = digest & 0xFFFFFFFF, (digest >> 32) | 1
            seen = False
            for bits, size in self.layers:  # three probes, spelt out: this runs per article
                one, two, three = first % size, (first + step) % size, (first + 2 * step) % size
                if bits[one >> 3] >> (one & 7) & 1 and bits[two >> 3] >> (two & 7) & 1 \
                        and bits[three >> 3] >> (three & 7) & 1:
                    seen = True
                    break
            if seen:
                repeated.add(article_id)
                continue
            if self.count >= self.capacity:
                self.capacity = self.FIRST_LAYER << len(self.layers)
                self.layers.append((bytearray(self.capacity * 2), self.capacity * 16))
                self.count = 0
            bits, size = self.layers[-1]
            for probe in (first % size, (first + step) % size, (first + 2 * step) % size):
                bits[probe >> 3] |= 1 << (probe & 7)
            self.count += 1


def _record_number(file_value: bytes) -> int:
    number = marker_of(file_value)[0].rpartition(":")[2]
    return int(number) if number.isdigit() else 0


def fallback_id(kind: str, rel: str, article_id: str, number: int) -> str:
    """The id a repeated id gives way to, as the format's parser makes it."""
    return f"{rel}#{number}" if kind == "jsonl" else f"{article_id}@{number}"


def resolve_repeats(writer, candidates: dict[str, tuple[object, set[str]]]) -> list[str]:
    """Give the later articles of every id repeated within one file their fallback id.

    `candidates`: path -> (its Source, ids that may be repeated). Returns the warnings,
    one per article renamed. The caller commits `writer`."""
    warnings: list[str] = []
    with writer.searcher() as searcher:
        if searcher.doc_count_all() == 0:
            return warnings
        reader = searcher.reader()
        column, entities = reader.column_reader(F.FILE), reader.column_reader(F.ENTITIES)

        def of_file(article_id: str, prefix: bytes) -> list[int]:
            """The live articles of one file with this id (most ids are in one article)."""
            if reader.doc_frequency(F.ID, article_id) < 2:
                return []
            return [docnum for docnum in searcher.document_numbers(**{F.ID: article_id})
                    if column[docnum].startswith(prefix)]

        for path, (source, ids) in candidates.items():
            taken: set[str] = set()
            prefix = path.encode("utf-8") + b"\x00"
            for article_id in sorted(ids):
                docnums = sorted(of_file(article_id, prefix), key=lambda docnum: _record_number(column[docnum]))
                if len(docnums) < 2:
                    continue
                first = _record_number(column[docnums[0]])
                for docnum in docnums[1:]:
                    number = _record_number(column[docnum])
                    wanted = fallback_id(source.kind, source.rel, article_id, number)
                    chosen, again = wanted, 1
                    while chosen in taken or any(column[docnum].startswith(prefix) for docnum
                                                 in searcher.document_numbers(**{F.ID: chosen})):
                        again += 1
                        chosen = f"{wanted}@{again}"
                    taken.add(chosen)
                    stored = dict(searcher.stored_fields(docnum))
                    stored[F.ID] = chosen
                    writer.delete_document(docnum)
                    writer.add_document(**document_from_stored(stored, column[docnum], entities[docnum]))
                    unit = "line" if source.kind == "jsonl" else "row"
                    warnings.append(f"{path}: {unit} {number}: the id {article_id!r} was used already "
                                    f"({unit} {first}); indexed as {chosen!r}")
    return warnings
