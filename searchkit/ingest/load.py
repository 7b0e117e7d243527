"""One article file -> Articles (or Failures), whatever its format."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import ArticleParseError
from ..models import Article, Failure
from .decode import decode_text
from .discover import Source

# A single-article file larger than this is truncated (with a warning). Long
# news articles run to ~100 KB of text; HTML pages carry markup and scripts.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
MAX_HTML_BYTES = 20 * 1024 * 1024


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
    if not data:
        raise ArticleParseError(source.path, "empty file")
    if not data.strip():
        raise ArticleParseError(source.path, "only whitespace, no text")
    if source.kind == "jsonl":
        from .jsonl import parse_jsonl

        text, notes = decode_text(data, source.path)
        for item in parse_jsonl(text, source.path):
            yield _with_notes(item, notes)
        return
    notes: tuple[str, ...] = ()
    limit = MAX_HTML_BYTES if source.kind == "html" else MAX_ARTICLE_BYTES
    if len(data) > limit:
        notes = (f"{source.path}: {len(data) / 2**20:.0f} MB, larger than {limit // 2**20} MB; "
                 f"only its first {limit // 2**20} MB are indexed",)
        data = truncate(data, limit)
    if source.kind == "html":
        from .html import parse_html

        from dataclasses import replace

        article = parse_html(data, path=source.path)
        # Ids are relative to the indexed folder, as for text files.
        yield _with_notes(replace(article, id=source.rel), notes)
        return
    from .text import parse_seed_text

    text, decode_notes = decode_text(data, source.path)
    yield _with_notes(parse_seed_text(text, source.path, source.rel), notes + decode_notes)


def _with_notes(item: Article | Failure, notes: tuple[str, ...]) -> Article | Failure:
    if not notes or isinstance(item, Failure):
        return item
    from dataclasses import replace

    return replace(item, warnings=notes + item.warnings)


def truncate(data: bytes, limit: int) -> bytes:
    """The first `limit` bytes or fewer, never cutting a character in two, and
    after a line or word break when one is near."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 with a BOM
        return data[: limit - limit % 4]
    head = data[:limit]
    for breaker in (b"\n", b" "):
        cut = head.rfind(breaker, max(0, limit - 65536))
        if cut > 0:
            return head[: cut + 1]
    while head and head[-1] & 0xC0 == 0x80:  # a UTF-8 continuation byte
        head = head[:-1]
    if head and head[-1] >= 0xC0:  # the lead byte of the character cut
        head = head[:-1]
    return head


def read_source(source: Source) -> bytes:
    """The file's bytes. Raises ArticleParseError when it cannot be read."""
    try:
        with open(source.real_path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ArticleParseError(source.path, f"cannot read ({exc.strerror or exc})") from None
