"""One article file -> Articles (or Failures), whatever its format."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import ArticleParseError
from ..models import Article, Failure
from .decode import decode_text
from .discover import Source

MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # a single-article file larger than this is truncated


def parse_source(source: Source, data: bytes) -> Iterator[Article | Failure]:
    """Parse the bytes of one file found by the walk. Never raises for bad content:
    a file that cannot be read as articles yields a Failure with the reason."""
    try:
        yield from _parse(source, data)
    except ArticleParseError as exc:
        yield Failure(source.path, exc.reason)
    except RecursionError:
        yield Failure(source.path, "structure nested too deeply to read")


def _parse(source: Source, data: bytes) -> Iterator[Article | Failure]:
    if not data.strip():
        raise ArticleParseError(source.path, "empty file")
    if source.kind == "jsonl":
        from .jsonl import parse_jsonl

        text, notes = decode_text(data, source.path)
        for item in parse_jsonl(text, source.path):
            yield _with_notes(item, notes)
        return
    notes: tuple[str, ...] = ()
    if len(data) > MAX_ARTICLE_BYTES:
        data = data[:MAX_ARTICLE_BYTES]
        notes = (f"{source.path}: larger than {MAX_ARTICLE_BYTES // 2**20} MB; truncated",)
    if source.kind == "html":
        from .html import parse_html

        yield _with_notes(parse_html(data, path=source.path), notes)
        return
    from .text import parse_seed_text

    text, decode_notes = decode_text(data, source.path)
    yield _with_notes(parse_seed_text(text, source.path, source.rel), notes + decode_notes)


def _with_notes(item: Article | Failure, notes: tuple[str, ...]) -> Article | Failure:
    if not notes or isinstance(item, Failure):
        return item
    from dataclasses import replace

    return replace(item, warnings=notes + item.warnings)


def read_source(source: Source) -> bytes:
    """The file's bytes. Raises ArticleParseError when it cannot be read."""
    try:
        with open(source.path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ArticleParseError(source.path, f"cannot read ({exc.strerror or exc})") from None
