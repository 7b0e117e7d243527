"""Which column (CSV, TSV) or key (JSON) holds which article field.

CSV columns are found by their usual names, case-insensitively, with spaces
and hyphens read as underscores (`Publish Date` is `publish_date`); when a
header has two names for one field, the earlier name in COLUMN_NAMES wins.
JSON and JSON Lines keep their own keys (`text`/`body`, `title`, `date`…).

A field mapping (`searchkit index --field text=content`, library
`fields={"text": "content"}`) names the column or key of a field outright and
overrides both — where a file (or a JSON object) has that column or key: one
that lacks it keeps to the usual names, so that one mapping serves a folder of
mixed files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import SearchkitError

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "date": ("date", "published", "publish_date", "pubdate", "published_at", "publication_date"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline"),
    "source": ("source", "publisher"),
    "dateline": ("dateline",),
}
FIELD_NAMES = tuple(COLUMN_NAMES)
FIELD_KINDS = ("csv", "tsv", "json", "jsonl")  # the formats a field mapping applies to


def normalise(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def check_fields(fields: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """A field mapping as sources carry it: sorted (field, column) pairs.
    Raises SearchkitError for an unknown field or an empty column name."""
    pairs = []
    for name, column in (fields or {}).items():
        field = str(name).strip().lower()
        if field not in COLUMN_NAMES:
            raise SearchkitError(f"unknown article field {name!r} in the field mapping",
                                 hint=f"the fields are: {', '.join(FIELD_NAMES)}")
        if not str(column).strip():
            raise SearchkitError(f"no column named for the field {field!r}",
                                 hint="write FIELD=COLUMN, e.g. --field text=content")
        pairs.append((field, str(column).strip()))
    return tuple(sorted(pairs))


def header_columns(header: Sequence[str], fields: tuple[tuple[str, str], ...] = ()) -> dict[str, int]:
    """field -> the index of its column in a CSV header."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        positions.setdefault(normalise(cell), index)
    found = {}
    for field, names in COLUMN_NAMES.items():
        index = next((positions[name] for name in names if name in positions), None)
        if index is not None:
            found[field] = index
    for field, column in fields:
        if normalise(column) in positions:
            found[field] = positions[normalise(column)]
    return found


def remap_keys(row: dict, fields: tuple[tuple[str, str], ...]) -> dict:
    """A JSON object with the values of mapped keys it has copied to the field
    names that jsonl.article_from_row reads (`text`, `title`…)."""
    if not fields or not isinstance(row, dict):
        return row
    mapped = dict(row)
    for field, key in fields:
        if key in row:
            mapped[field] = row[key]
            if field == "author":
                mapped.pop("authors", None)
            if field == "text":
                mapped.pop("body", None)
    return mapped
