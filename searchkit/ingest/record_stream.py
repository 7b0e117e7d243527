"""The records of one large JSON Lines, CSV or TSV file, read as a stream (WARC: warc_stream.py).

This is the indexing process's side of record mode (see
`searchkit/index/record_sync.py`): the file is read once, a block at a time
(expanded on the fly when compressed), and cut into records on their
boundaries, so that the records can be parsed by several workers and compared
one by one with what the index holds. Memory stays bounded by the block size
and the largest record, whatever the size of the file.

- JSON Lines: a record is a line (`\\n`, with `\\r\\n` read as `\\n`); its number is
  its line number, counted from 1. Blank lines are no records but are counted.
- CSV and TSV: a record is a row; a row runs over several lines while a quote
  is open (RFC 4180: inside quotes, a quote is doubled, so a row ends at a line
  end where it holds an even number of quotes). A line with an odd number of
  quotes that the csv module reads as a whole row (a stray quote inside a cell,
  which it keeps as a character) is a row of its own, as the csv module reads
  it. Rows are numbered as a spreadsheet numbers them, blank rows included; the
  first non-blank row is the header.

Record mode needs UTF-8 text (a UTF-8 byte order mark is dropped): a file in
another encoding is read whole, as before (`utf8_head`).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import ArticleParseError
from ..models import Failure
from .compressed import iter_expanded
from .delimited import FIELD_LIMIT, guess_delimiter
from .discover import Source

RECORD_KINDS = ("jsonl", "csv", "tsv", "warc")
BLOCK_BYTES = 8 * 1024 * 1024
MAX_RECORD_BYTES = 64 * 1024 * 1024  # a CSV row still open past this: a quote that never closes


@dataclass(frozen=True)
class RawRecord:
    """One record as read: its number (line or row), first line, bytes, and where it starts
    in the (expanded) file. The bytes carry no line ending."""

    number: int
    line: int
    data: bytes


@dataclass(frozen=True)
class Damage(Failure):
    """Damage to the stream (a truncated or corrupt compressed file, a quote that never
    closes): the records after it are not read."""


@dataclass(frozen=True)
class Layout:
    """What parsing a record needs besides its bytes: for CSV and TSV, the delimiter and the
    header row (its cells and row number)."""

    kind: str
    delimiter: str = ""
    header: tuple[str, ...] = ()
    header_row: int = 0


def record_kind(source: Source) -> bool:
    """Whether a file can be read in record mode (not inside an archive; a WARC plain or
    gzipped)."""
    if source.kind == "warc" and source.compression not in ("", "gz"):
        return False
    return source.kind in RECORD_KINDS and source.member is None


def read_blocks(source: Source) -> Iterator[bytes | Failure]:
    """The file's bytes (expanded when compressed) a block at a time; damage to the
    compressed data is a Failure after the bytes before it. Raises ArticleParseError."""
    try:
        handle = open(source.real_path, "rb")
    except OSError as exc:
        raise ArticleParseError(source.path, f"cannot read ({exc.strerror or exc})") from None
    with handle:
        if source.compression:
            yield from iter_expanded(handle, source.compression, source.path, BLOCK_BYTES)
            return
        while True:
            try:
                block = handle.read(BLOCK_BYTES)
            except OSError as exc:
                raise ArticleParseError(source.path, f"cannot read ({exc.strerror or exc})") from None
            if not block:
                return
            yield block


def utf8_head(source: Source) -> bool:
    """Whether the file starts as UTF-8 text (what record mode reads)."""
    try:
        for block in read_blocks(source):
            if isinstance(block, Failure):
                return False
            head = block[:1 << 20]
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
                return False
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:  # a character cut by the head's end is fine
                return exc.reason == "unexpected end of data" and len(head) < len(block)
            return True
        return False
    except ArticleParseError:
        return False


def _lines(source: Source) -> Iterator[tuple[bytes, int] | Failure]:
    """(line without its ending, line number) for every line, and Failures for damage."""
    rest = b""
    number = 0
    first = True
    for block in read_blocks(source):
        if isinstance(block, Failure):
            yield Damage(block.path, block.reason)
            continue
        if first:
            block = block.removeprefix(codecs.BOM_UTF8)
            first = False
        rest += block
        lines = rest.split(b"\n")
        rest = lines.pop()
        for line in lines:
            number += 1
            yield line.removesuffix(b"\r"), number
        if len(rest) > MAX_RECORD_BYTES:
            raise ArticleParseError(source.path, f"line {number + 1} is longer than "
                                                 f"{MAX_RECORD_BYTES // 2**20} MB")
    if rest:
        yield rest.removesuffix(b"\r"), number + 1


def iter_records(source: Source) -> tuple[Layout, Iterator[RawRecord | Failure]]:
    """The file's layout and its records (with a Failure for what cannot be read).
    Raises ArticleParseError when the file cannot be read at all."""
    if source.kind == "jsonl":
        return Layout("jsonl"), _jsonl_records(source)
    if source.kind == "warc":
        from .warc_stream import warc_records

        return Layout("warc"), warc_records(source)
    lines = _lines(source)
    header: list[str] | None = None
    row = 0
    delimiter = "\t" if source.kind == "tsv" else ""
    for item in lines:
        if isinstance(item, Failure):
            raise ArticleParseError(source.path, item.reason.split(": ", 1)[-1])
        row += 1
        line, number = item
        if line.strip():
            text = line.decode("utf-8", errors="replace")
            delimiter = delimiter or guess_delimiter(text)
            header = _one_row(text, delimiter)
            break
    if header is None:
        raise ArticleParseError(source.path, "no header row")
    layout = Layout(source.kind, delimiter, tuple(header), row)
    return layout, _csv_records(source, lines, row, layout)


def _one_row(text: str, delimiter: str) -> list[str] | None:
    """The cells of `text` when the csv module reads it as exactly one whole row, else None."""
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        rows = list(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(previous)
    return rows[0] if len(rows) == 1 else None


def _jsonl_records(source: Source) -> Iterator[RawRecord | Failure]:
    for item in _lines(source):
        if isinstance(item, Failure):
            yield item
        elif item[0].strip():
            yield RawRecord(item[1], item[1], item[0])


def _csv_records(source: Source, lines, row: int, layout: Layout) -> Iterator[RawRecord | Failure]:
    parts: list[bytes] = []
    quotes = size = start_line = 0
    for item in lines:
        if isinstance(item, Failure):
            yield item
            continue
        line, number = item
        if not parts:
            row += 1
            start_line = number
            if line.count(b'"') % 2 and _one_row(line.decode("utf-8", "replace"), layout.delimiter):
                yield RawRecord(row, number, line)  # a stray quote, kept as a character
                continue
        parts.append(line)
        quotes += line.count(b'"')
        size += len(line) + 1
        if quotes % 2 == 0:
            yield RawRecord(row, start_line, b"\n".join(parts))
            parts, quotes, size = [], 0, 0
        elif size > MAX_RECORD_BYTES:
            break
    if parts:
        yield Damage(source.path, f"row {row} (line {start_line}): a quote opened in this row never "
                                   "closes; the rest of the file is not read")

