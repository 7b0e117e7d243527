"""One article file -> Articles (or Failures), whatever its format.

`read_source` gives a file's bytes (an archive member's from its archive);
`parse_source` expands them when compressed and hands them to the parser of
the file's kind. WARC, news XML and feed parsers are imported when first used.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from dataclasses import replace

from ..errors import ArticleParseError
from ..models import Article, Failure
from .columns import FIELD_KINDS
from .compressed import decompress
from .decode import decode_text
from .discover import Source

# A single-article file larger than this is truncated (with a warning). Long
# news articles run to ~100 KB of text; HTML pages carry markup and scripts.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
MAX_HTML_BYTES = 20 * 1024 * 1024


def parse_source(source: Source, data: bytes) -> Iterator[Article | Failure]:
    """Parse the bytes of one file found by the walk (as read_source gives them).
    Never raises for bad content: a file that cannot be read as articles yields
    a Failure with the reason; a record that cannot, a Failure with its position."""
    try:
        if source.compression and not (source.kind == "warc" and source.compression == "gz"):
            data, problems = decompress(data, source.compression, source.path)
            yield from problems
        yield from _parse(source, data)
    except ArticleParseError as exc:
        yield Failure(source.path, exc.reason)
    except RecursionError:
        yield Failure(source.path, "structure nested too deeply to read")


def content_hash(source: Source, data: bytes) -> str:
    """The hash that tells whether a file changed: of its bytes, and of the field
    mapping for the formats it applies to (a new mapping re-reads them)."""
    digest = hashlib.sha1(data)
    if source.fields and source.kind in FIELD_KINDS:
        digest.update(repr(source.fields).encode("utf-8"))
    return digest.hexdigest()


def _parse(source: Source, data: bytes) -> Iterator[Article | Failure]:
    if not data:
        raise ArticleParseError(source.path, "empty file")
    if not data.strip():
        raise ArticleParseError(source.path, "only whitespace, no text")
    if source.kind in _RECORDS:
        yield from _RECORDS[source.kind](source, data)
        return
    if source.kind in ("text", "html"):
        yield _one_article(source, data)
        return
    yield from _parse_xml(source, data)


def _text_records(source: Source, data: bytes) -> Iterator[Article | Failure]:
    """JSON Lines, JSON, CSV and TSV: decoded as text, then a record at a time."""
    text, notes = decode_text(data, source.path)
    if source.kind == "jsonl":
        from .jsonl import parse_jsonl

        items = parse_jsonl(text, source.path, source.rel, source.fields)
    elif source.kind == "json":
        from .jsonfile import parse_json

        items = parse_json(text, source.path, source.rel, source.fields)
    else:
        from .delimited import parse_delimited

        items = parse_delimited(text, source.path, source.rel, source.kind, source.fields)
    for item in items:
        yield _with_notes(item, notes)


def _records_warc(source: Source, data: bytes) -> Iterator[Article | Failure]:
    parse_warc = _plug_in(source, "warc", "parse_warc", "WARC files")
    yield from parse_warc(data, source.path, source.rel)


_RECORDS = {"jsonl": _text_records, "json": _text_records, "csv": _text_records, "tsv": _text_records,
            "warc": _records_warc}


def _parse_xml(source: Source, data: bytes) -> Iterator[Article | Failure]:
    """`.xml` by its content (a news item or a feed); `.rss`/`.atom` feeds; `.nitf` news XML."""
    if source.kind == "xml":
        is_news_xml = _plug_in(source, "newsxml", "is_news_xml", "NITF and NewsML-G2 files")
        is_feed = _plug_in(source, "feeds", "is_feed", "RSS and Atom feeds")
        if is_news_xml(data):
            kind = "newsxml"
        elif is_feed(data):
            kind = "feed"
        else:
            raise ArticleParseError(source.path, "not a news XML (NITF, NewsML-G2) or feed (RSS, Atom) file")
    else:
        kind = source.kind
    if kind == "feed":
        parse = _plug_in(source, "feeds", "parse_feed", "RSS and Atom feeds")
    else:
        parse = _plug_in(source, "newsxml", "parse_news_xml", "NITF and NewsML-G2 files")
    yield from parse(data, source.path, source.rel)


def _plug_in(source: Source, module: str, name: str, what: str):
    """A parser from a module of this package, imported when first needed."""
    try:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)
    except (ImportError, AttributeError) as exc:
        raise ArticleParseError(source.path, f"{what} cannot be read: their reader is not available ({exc})"
                                ) from None


def _one_article(source: Source, data: bytes) -> Article | Failure:
    """A file of one article: seed text or HTML, its id the file's path."""
    notes: tuple[str, ...] = ()
    limit = MAX_HTML_BYTES if source.kind == "html" else MAX_ARTICLE_BYTES
    if len(data) > limit:
        notes = (f"{source.path}: {len(data) / 2**20:.0f} MB, larger than {limit // 2**20} MB; "
                 f"only its first {limit // 2**20} MB are indexed",)
        data = truncate(data, limit)
    if source.kind == "html":
        from .html import parse_html, require_text

        article = require_text(parse_html(data, path=source.path), source.path)
        # Ids are relative to the indexed folder, as for text files.
        return _with_notes(replace(article, id=source.rel), notes)
    from .text import parse_seed_text

    text, decode_notes = decode_text(data, source.path)
    return _with_notes(parse_seed_text(text, source.path, source.rel), notes + decode_notes)


def _with_notes(item: Article | Failure, notes: tuple[str, ...]) -> Article | Failure:
    if not notes or isinstance(item, Failure):
        return item
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
    """The file's bytes, as stored (still compressed). Raises ArticleParseError when
    it cannot be read."""
    if source.member is not None:
        from .archives import read_member

        return read_member(source)
    try:
        with open(source.real_path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ArticleParseError(source.path, f"cannot read ({exc.strerror or exc})") from None
