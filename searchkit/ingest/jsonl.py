"""JSON Lines: one article per line.

Keys: `text` (or `body`) required; optional `id`, `title`, `date`, `url`,
`source`, `author`/`authors`, `dateline` (a field mapping can name other keys:
see columns.py). A broken line is reported with its line number and the other
lines still load.

Ids: the line's `id`, else `REL#LINE` (REL: the file's path relative to the
base folder, LINE counted from 1); an `id` that an earlier line of the file
already used gives `REL#LINE` too, with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace

from ..analysis.datelines import parse_dateline, split_dateline
from ..analysis.dates import DateError, date_warnings, parse_date
from ..models import Article, Failure
from .columns import remap_keys
from .records import RecordIds
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


def article_from_row(row: dict, path: str, lineno: int, rel: str | None = None) -> Article:
    """Build an Article from one decoded JSON object. Raises ValueError with a reason.

    The id is the row's `id`, else `REL#LINENO` (`rel` defaults to `path`)."""
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
    if place:  # a whole dateline given as the field ("SALVADOR, Feb 26 -") gives its place
        given = parse_dateline(place.strip() + " .")
        place = given.place if given is not None else place.strip()
    else:
        place, _ = split_dateline(body)
    title = (_text_field(row, "title") or "").strip()
    article_id = (_text_field(row, "id") or "").strip() or f"{rel or path}#{lineno}"
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value):
    """Replace lone surrogates (JSON allows `"\\ud800"`; UTF-8 cannot hold them) with U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {_scrub(key): _scrub(item) for key, item in value.items()}
    return value


def load_object(row, path: str, number: int, rel: str, fields=(), scrub: bool = True) -> Article:
    """article_from_row for a decoded JSON value, after the field mapping, with
    lone surrogates replaced (when `scrub` says the text may hold some)."""
    row = remap_keys(row, fields)
    if scrub and _SURROGATE.search(json.dumps(row, ensure_ascii=False)):
        article = article_from_row(_scrub(row), path, number, rel)
        note = f"{path}:{number}: lone UTF-16 surrogate escapes replaced with \ufffd"
        return replace(article, warnings=(note,) + article.warnings)
    return article_from_row(row, path, number, rel)


def parse_jsonl(text: str, path: str, rel: str | None = None, fields=()) -> Iterator[Article | Failure]:
    """Yield an Article per good line and a Failure (with the line number) per bad one.
    `rel` (default `path`) makes the ids of lines without one; `fields` is a field mapping.
    Lines end at `\n` only (JSON Lines): a U+2028 inside a string is no line break."""
    rel = rel or path
    ids = RecordIds(path)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield parse_line(line, lineno, path, rel, fields, ids)


def parse_line(line: str, lineno: int, path: str, rel: str, fields, ids: RecordIds) -> Article | Failure:
    """One line of a JSON Lines file: an Article, or a Failure with the line number."""
    try:
        article = load_object(json.loads(line), path, lineno, rel, fields, "\\u" in line.lower())
        return ids.claim(article, article.id, f"{rel}#{lineno}", f"line {lineno}")
    except json.JSONDecodeError as exc:
        return Failure(path, f"line {lineno}: broken JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return Failure(path, f"line {lineno}: JSON nested too deeply")
    except (ValueError, TypeError, AttributeError) as exc:
        return Failure(path, f"line {lineno}: {exc}")
