"""JSON Lines: one article per line.

Keys: `text` (or `body`) required; optional `id`, `title`, `date`, `url`,
`source`, `author`/`authors`, `dateline`. A broken line is reported with its
line number and the other lines still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..analysis.datelines import split_dateline
from ..analysis.dates import DateError, date_warnings, parse_date
from ..models import Article, Failure
from .text import derive_title


def _authors(row: dict) -> tuple[str, ...]:
    value = row.get("authors", row.get("author"))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(str(name).strip() for name in value if str(name).strip())


def _text_field(row: dict, key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def article_from_row(row: dict, path: str, lineno: int) -> Article:
    """Build an Article from one decoded JSON object. Raises ValueError with a reason."""
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    body = _text_field(row, "text") or _text_field(row, "body") or ""
    if not body.strip():
        raise ValueError("no 'text' or 'body'")
    where = f"{path}:{lineno}"
    warnings: list[str] = []
    day = None
    raw_date = _text_field(row, "date")
    if raw_date:
        try:
            day = parse_date(raw_date)
        except DateError as exc:
            warnings.append(f"{where}: {exc}; indexed without a date")
    warnings.extend(date_warnings(day, where))
    place = _text_field(row, "dateline")
    if not place:
        place, _ = split_dateline(body)
    title = (_text_field(row, "title") or "").strip()
    article_id = _text_field(row, "id") or f"{path}#{lineno}"
    return Article(
        id=article_id.strip(),
        body=body.strip(),
        title=title or derive_title(split_dateline(body)[1]),
        title_derived=not title,
        date=day,
        date_source="field" if day else None,
        dateline=place,
        url=_text_field(row, "url"),
        source=_text_field(row, "source"),
        authors=_authors(row),
        path=path,
        warnings=tuple(warnings),
    )


def parse_jsonl(text: str, path: str) -> Iterator[Article | Failure]:
    """Yield an Article per good line and a Failure (with the line number) per bad one."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield article_from_row(json.loads(line), path, lineno)
        except json.JSONDecodeError as exc:
            yield Failure(path, f"line {lineno}: broken JSON ({exc.msg} at column {exc.colno})")
        except (ValueError, TypeError, AttributeError) as exc:
            yield Failure(path, f"line {lineno}: {exc}")
