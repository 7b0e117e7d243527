"""CSV and TSV files with a header row: one article per row.

Columns are found by their usual names (see columns.py) or named by a field
mapping. `.tsv` files are split on tabs; `.csv` files on whichever of `,` `;`
tab `|` the header line holds most of (a comma when it holds none). Quoting is
RFC 4180's (`"…"`, a quote doubled inside). Cells may be of any size (the csv
module's default limit of 128 KB is lifted while reading).

Rows are numbered as a spreadsheet numbers them, the header being row 1. A
row with more or fewer cells than the header, or with a stray quote, is
reported with its row and line number and the other rows are indexed; a
quote that never closes is reported and ends the file (the rows before it
are kept).

Ids: `REL#ID` from the id column (`id` or `guid`), else `REL#ROW` (REL: the
file's path relative to the base folder); a blank or repeated id gives
`REL#ID@ROW` (`REL#@ROW` when blank), with a warning when repeated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import Article, Failure
from .columns import header_columns
from .jsonl import article_from_row
from .records import RecordIds

FIELD_LIMIT = 2**31 - 1
DELIMITERS = (",", ";", "\t", "|")


def guess_delimiter(text: str) -> str:
    """The delimiter of a CSV file, from its header line (outside quotes)."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = "".join(part for index, part in enumerate(line.split('"')) if index % 2 == 0)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _next_row(reader) -> list[str]:
    """The next row, with the csv module's field size limit lifted only meanwhile."""
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


class _Rows:
    """A csv reader that numbers its rows (header = row 1) and their first lines."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        self.row = 0
        self.line = 0

    def __iter__(self) -> Iterator[list[str] | csv.Error]:
        while True:
            self.line = self.reader.line_num + 1
            self.row += 1
            try:
                yield _next_row(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield exc

    @property
    def where(self) -> str:
        return f"row {self.row} (line {self.line})"


def parse_delimited(text: str, path: str, rel: str, kind: str = "csv",
                    fields=()) -> Iterator[Article | Failure]:
    """Yield an Article per good row and a Failure (with row and line) per bad one."""
    rows = _Rows(text, "\t" if kind == "tsv" else guess_delimiter(text))
    cells_seen = iter(rows)
    header = next((cells for cells in cells_seen if cells != []), None)
    if not isinstance(header, list):
        yield Failure(path, f"{rows.where}: unreadable header row ({header})" if header else "no header row")
        return
    columns = header_columns(header, fields)
    if "text" not in columns:
        yield Failure(path, f"no text column (text, body, content, article{_mapped(fields)}) in the header: "
                            f"{', '.join(cell.strip() for cell in header)}; name one with --field text=COLUMN")
        return
    ids = RecordIds(path)
    for cells in cells_seen:
        if isinstance(cells, csv.Error):
            if "unexpected end of data" in str(cells):
                yield Failure(path, f"{rows.where}: a quote opened in this row never closes; "
                                    "the rest of the file is not read")
                return
            yield Failure(path, f"{rows.where}: {cells}")
        elif cells:
            yield row_article(cells, header, columns, path, rel, rows.row, rows.where, ids)


def _mapped(fields) -> str:
    return "".join(f" or {column!r} by the field mapping" for field, column in fields if field == "text")


def row_article(cells: list[str], header, columns: dict[str, int], path: str, rel: str,
                row: int, where: str, ids: RecordIds) -> Article | Failure:
    """The article of one row (`row` its number, `where` its place for messages)."""
    if len(cells) != len(header):
        return Failure(path, f"{where}: {len(cells)} cells, the header has {len(header)}")
    record: dict = {field: cells[index] for field, index in columns.items() if cells[index].strip()}
    if ";" in record.get("author", ""):  # several authors: "Jane Roe; John Doe"
        record["author"] = record["author"].split(";")
    try:
        article = article_from_row(record, path, row, rel)
    except (ValueError, TypeError) as exc:
        return Failure(path, f"{where}: {exc}")
    if "id" not in columns:
        return ids.claim(article, f"{rel}#{row}", f"{rel}#{row}", where)
    key = record.get("id", "").strip()
    return ids.claim(article, f"{rel}#{key}" if key else f"{rel}#@{row}", f"{rel}#{key}@{row}",
                     where)
