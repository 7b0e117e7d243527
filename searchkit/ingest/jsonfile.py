"""JSON files (`.json`): an array of article objects, or one article object.

The objects have the keys of JSON Lines (see jsonl.py). An array is read item
by item, so a broken item — or a file cut off in the middle — is reported with
its item number, line and column, and the items before it are kept.

Ids: an object's `id`; else `REL#N` for the Nth item of an array (from 1), or
`REL` for a file holding one object (REL: the path relative to the base folder).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from ..models import Article, Failure
from .jsonl import load_object
from .records import RecordIds

_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def parse_json(text: str, path: str, rel: str, fields=()) -> Iterator[Article | Failure]:
    """Yield an Article per good object and a Failure per bad item."""
    start = _skip(text, 0)
    if not text.startswith("[", start):
        yield from _one_object(text, path, rel, fields)
        return
    ids = RecordIds(path)
    pos, number = _skip(text, start + 1), 0
    if text.startswith("]", pos):
        yield Failure(path, "an empty JSON array: no articles")
        return
    while True:
        number += 1
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield Failure(path, f"item {number}: broken JSON ({exc.msg} at {_where(text, exc.pos)}); "
                                "the items after it are not read")
            return
        except RecursionError:
            yield Failure(path, f"item {number}: JSON nested too deeply; the items after it are not read")
            return
        yield _item(value, path, rel, fields, number, ids)
        pos = _skip(text, pos)
        if text.startswith("]", pos):
            break
        if not text.startswith(",", pos):
            yield Failure(path, f"after item {number}: ',' or ']' expected at {_where(text, pos)}; "
                                "the items after it are not read")
            return
        pos = _skip(text, pos + 1)
    if text[pos + 1:].strip():
        yield Failure(path, f"text after the closing ']', at {_where(text, _skip(text, pos + 1))}: ignored")


def _item(value, path: str, rel: str, fields, number: int, ids: RecordIds) -> Article | Failure:
    try:
        article = load_object(value, path, number, rel, fields)
    except (ValueError, TypeError, AttributeError) as exc:
        return Failure(path, f"item {number}: {exc}")
    return ids.claim(article, article.id, f"{rel}#{number}", f"item {number}")


def _one_object(text: str, path: str, rel: str, fields) -> Iterator[Article | Failure]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(path, f"broken JSON ({exc.msg} at {_where(text, exc.pos)})")
        return
    except RecursionError:
        yield Failure(path, "JSON nested too deeply")
        return
    if not isinstance(value, dict):
        yield Failure(path, "neither an array of article objects nor an article object")
        return
    try:
        article = load_object(value, path, 1, rel, fields)
    except (ValueError, TypeError, AttributeError) as exc:
        yield Failure(path, str(exc))
        return
    yield replace(article, id=rel) if article.id == f"{rel}#1" else article
