"""WARC web archives (`.warc`, `.warc.gz`) -> Articles.

Each `response` record whose HTTP payload is HTML (`Content-Type: text/html` or
`application/xhtml+xml`) with a 2xx status, and each `resource` record of those
types, is one article read by `parse_html`: its url is `WARC-Target-URI`, and
`WARC-Date` is its date of last resort, used only when the page itself gives
none (`date_source` "warc"). Request, revisit, metadata, warcinfo and other
records, non-HTML payloads and non-2xx responses (redirects, errors) are skipped
and counted: one warning on the file's last article sums them up. A corrupt
record is a Failure with its byte offset, and the records after it are read.

Ids: `<rel>#<WARC-Record-ID>` without its angle brackets, e.g.
`crawl/news.warc.gz#urn:uuid:0b1c…`. The record id is unique by the standard and
stable; the URL is not unique (a crawl may fetch a page twice). A record
without an id uses its URL; a key already seen in the file gets `@<offset>`.

Records are framed by `warc_records` (the standard library; see
benchmarks/warc_readers.py for why not warcio or fastwarc). Payloads sent with
`Transfer-Encoding: chunked` or `Content-Encoding: gzip`/`deflate` are decoded;
`br` needs the optional `brotli` module. The library never prints.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from ..analysis.dates import DateError, parse_date
from ..errors import ArticleParseError
from ..models import Article, Failure
from .html import parse_html, require_text
from .html_encoding import declared_encoding
from .warc_records import WarcError, WarcRecord, iter_records

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024  # as for an .html file
HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_STATUS = re.compile(rb"HTTP/\d(?:\.\d)?\s+(\d{3})")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


class _Skip(Exception):
    """A record that is not an article: its reason is counted, not reported."""


def parse_warc(data: bytes, path: str, rel: str, base_offset: int = 0
               ) -> Iterator[Article | Failure]:
    """Yield an Article per HTML page in a WARC (plain or gzip-compressed bytes) and a
    Failure per corrupt record, with its byte offset. `base_offset`: where `data`
    starts in the file, when it is a slice starting on a record boundary."""
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    held: Article | None = None  # the last article waits for the summary
    records = 0
    for record in iter_records(data, base_offset):
        records += 1
        item = record_item(record, path, rel, seen, skipped)
        if item is None:
            continue
        if isinstance(item, Article):
            if held is not None:
                yield held
            held = item
        else:
            yield item
    summary = _summary(path, skipped)
    if held is not None:
        yield replace(held, warnings=held.warnings + summary)
    elif summary:
        yield Failure(path, "no HTML page to index; " + summary[0].split(": ", 1)[1])
    elif not records:
        yield Failure(path, "no WARC records found")


def record_item(record: WarcRecord | WarcError, path: str, rel: str, seen: set[str],
                skipped: Counter) -> Article | Failure | None:
    """The article of one record, a Failure, or None for a record that holds no article
    (its reason counted in `skipped`). `seen`: the keys given so far in this file."""
    if isinstance(record, WarcError):
        return Failure(path, f"{record.where}: {record.reason}")
    try:
        return _record_article(record, path, rel, seen)
    except _Skip as skip:
        skipped[str(skip)] += 1
        return None


def skipped_summary(path: str, skipped: Counter) -> tuple[str, ...]:
    """The warning that sums up the records skipped in a file (none when none were)."""
    return _summary(path, skipped)


def _summary(path: str, skipped: Counter) -> tuple[str, ...]:
    if not skipped:
        return ()
    parts = ", ".join(f"{count} {reason}" for reason, count in skipped.most_common())
    total = sum(skipped.values())
    return (f"{path}: {total} WARC record{'s' * (total != 1)} skipped: {parts}",)


def _record_article(record: WarcRecord, path: str, rel: str, seen: set[str]
                    ) -> Article | Failure:
    """The article in one record; _Skip when it holds none; a Failure when it is broken."""
    uri = record.headers.get("warc-target-uri", "").strip("<> ") or None
    where = f"{record.where}" + (f" ({uri})" if uri else "")
    try:
        payload, content_type = _html_payload(record)
        article = _parse_page(payload, content_type, uri, f"{path}: {where}")
    except ArticleParseError as exc:
        return Failure(path, f"{where}: {exc.reason}")
    except ValueError as exc:
        return Failure(path, f"{where}: {exc}")
    key = record.headers.get("warc-record-id", "").strip("<> ") or uri or f"@{record.offset}"
    if key in seen:
        key = f"{key}@{record.offset}" + (f"+{record.inner}" if record.inner else "")
    seen.add(key)
    notes = [f"{path}: {where}: the crawler truncated this page ({record.headers[name]})"
             for name in ("warc-truncated",) if name in record.headers]
    article = replace(article, id=f"{rel}#{key}", path=path,
                      warnings=article.warnings + tuple(notes))
    return _with_warc_date(article, record, f"{path}: {where}")


def _with_warc_date(article: Article, record: WarcRecord, where: str) -> Article:
    """The capture date when the page gave none: a page is no younger than its capture."""
    if article.date is not None or "warc-date" not in record.headers:
        return article
    try:
        day = parse_date(record.headers["warc-date"])
    except DateError as exc:
        note = f"{where}: WARC-Date: {exc}; indexed without a date"
        return replace(article, warnings=article.warnings + (note,))
    return replace(article, date=day, date_source="warc")


def _html_payload(record: WarcRecord) -> tuple[bytes, str]:
    """(payload bytes, content type) of an HTML record; _Skip for any other record."""
    kind = record.kind or "untyped"
    if kind == "resource":
        content_type = record.headers.get("content-type", "")
        _check_html(content_type)
        return record.block(), content_type
    if kind != "response":
        raise _Skip(kind)
    status, headers, body = _split_http(record)
    if not 200 <= status < 300:
        raise _Skip(f"HTTP {status // 100}xx")
    content_type = headers.get("content-type") or record.headers.get(
        "warc-identified-payload-type", "")
    _check_html(content_type)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    return _decode_content(body, headers.get("content-encoding", "")), content_type


def _check_html(content_type: str) -> None:
    media = content_type.split(";", 1)[0].strip().lower()
    if media not in HTML_TYPES:
        raise _Skip("non-HTML")


def _split_http(record: WarcRecord) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of an HTTP response block."""
    data, start, end = record.data, record.start, record.end
    status = _STATUS.match(data, start, end)
    head = _HEAD_END.search(data, start, end)
    if status is None or head is None:
        if record.headers.get("content-type", "").lower().startswith("application/http"):
            raise ValueError("corrupt HTTP response headers")
        raise _Skip("non-HTTP response")
    headers: dict[str, str] = {}
    lines = data[start:head.start()].decode("latin-1").splitlines()[1:]
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(status[1]), headers, data[head.end():end]


def _dechunk(body: bytes) -> bytes:
    """A body sent in chunks, joined (what precedes a broken chunk is kept)."""
    parts, pos = [], 0
    while pos < len(body):
        line_end = body.find(b"\n", pos)
        try:
            size = int(body[pos:line_end].split(b";", 1)[0].strip(), 16)
        except ValueError:
            break
        if size == 0 or line_end < 0:
            break
        parts.append(body[line_end + 1:line_end + 1 + size])
        pos = line_end + 1 + size
        pos += 2 if body.startswith(b"\r\n", pos) else int(body.startswith(b"\n", pos))
    if not parts and body.strip():
        raise ValueError("Transfer-Encoding chunked, but the body is not in chunks")
    return b"".join(parts)


def _decode_content(body: bytes, encoding: str) -> bytes:
    coding = encoding.strip().lower()
    if coding in ("", "identity", "none"):
        return body
    if coding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(wbits=47 if "gzip" in coding else 15)
        try:
            return inflater.decompress(body, MAX_PAYLOAD_BYTES + 1)
        except zlib.error:
            if coding == "deflate":  # servers often send raw deflate
                return _raw_deflate(body)
            raise ValueError(f"corrupt {coding}-compressed payload") from None
    if coding == "br":
        try:
            import brotli
        except ImportError:
            raise ValueError("brotli-compressed payload; pip install brotli to read it") from None
        try:
            return brotli.decompress(body)
        except brotli.error:
            raise ValueError("corrupt brotli-compressed payload") from None
    raise ValueError(f"unknown Content-Encoding {encoding!r}")


def _raw_deflate(body: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=-15).decompress(body, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise ValueError("corrupt deflate-compressed payload") from None


def _parse_page(payload: bytes, content_type: str, uri: str | None, where: str) -> Article:
    """parse_html on the payload; the HTTP charset is used when the page declares none."""
    notes: tuple[str, ...] = ()
    if len(payload) > MAX_PAYLOAD_BYTES:
        payload = payload[:MAX_PAYLOAD_BYTES]
        notes = (f"{where}: page larger than {MAX_PAYLOAD_BYTES // 2**20} MB; only its "
                 f"first {MAX_PAYLOAD_BYTES // 2**20} MB are indexed",)
    page: str | bytes = payload
    charset = _CHARSET.search(content_type)
    if charset and not payload.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) \
            and declared_encoding(payload) is None:
        try:
            page = payload.decode(charset[1])
        except (LookupError, UnicodeDecodeError):
            page = payload  # the header is wrong: let the page be sniffed
    article = require_text(parse_html(page, url=uri, path=where), where)
    return replace(article, warnings=notes + article.warnings) if notes else article
