"""Records of a JSON Lines, CSV or TSV file -> Articles, a batch at a time (worker side).

The counterpart of `record_stream.py`: a batch of records cut from one file
is parsed exactly as the whole file would be (same ids, same messages, same
positions), by the same functions. Ids stay unique within a batch as within
a file (`RecordIds`); across batches, `index/record_ids.py` sees to it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..models import Article, Failure
from .columns import header_columns
from .delimited import FIELD_LIMIT, row_article
from .discover import Source
from .jsonl import parse_line
from .record_stream import Layout, RawRecord
from .records import RecordIds


def decode_record(record: RawRecord, path: str) -> tuple[str, tuple[str, ...]]:
    """A record's text; invalid UTF-8 is replaced, with a note giving its line."""
    try:
        return record.data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        return record.data.decode("utf-8", errors="replace"), (
            f"{path}: line {record.line}: invalid UTF-8 (at byte {exc.start} of the line) "
            "replaced with \ufffd",)


def parse_records(source: Source, layout: Layout, records: Iterable[RawRecord], skipped=None
                  ) -> Iterator[tuple[RawRecord, Article | Failure]]:
    """Each record with its Article or Failure (blank CSV rows give nothing; WARC records
    that hold no page are counted in the Counter `skipped`)."""
    if layout.kind == "warc":
        yield from _warc(source, records, Counter() if skipped is None else skipped)
        return
    ids = RecordIds(source.path)
    columns = header_columns(list(layout.header), source.fields) if layout.header else {}
    for record in records:
        text, notes = decode_record(record, source.path)
        if layout.kind == "jsonl":
            item = parse_line(text, record.number, source.path, source.rel, source.fields, ids)
        else:
            item = _row(text, record, layout, columns, source, ids)
            if item is None:
                continue
        if notes and isinstance(item, Article):
            item = replace(item, warnings=notes + item.warnings)
        yield record, item


def _row(text: str, record: RawRecord, layout: Layout, columns: dict[str, int], source: Source,
         ids: RecordIds) -> Article | Failure | None:
    where = f"row {record.number} (line {record.line})"
    if "text" not in columns:
        return Failure(source.path, f"{where}: no text column in the header")
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=True))
    except csv.Error as exc:
        return Failure(source.path, f"{where}: {exc}")
    finally:
        csv.field_size_limit(previous)
    if not rows or rows == [[]]:
        return None
    cells = rows[0] if len(rows) == 1 else [cell for row in rows for cell in row]
    return row_article(cells, layout.header, columns, source.path, source.rel, record.number, where, ids)


def _warc(source: Source, records: Iterable[RawRecord], skipped: Counter):
    from .warc import record_item
    from .warc_records import iter_records

    seen: set[str] = set()
    for record in records:
        for framed in iter_records(record.data, record.number):
            item = record_item(framed, source.path, source.rel, seen, skipped)
            if item is not None:
                yield record, item
