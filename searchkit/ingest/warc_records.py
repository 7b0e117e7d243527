"""WARC framing, read with the standard library: bytes -> records.

A WARC file (ISO 28500, WARC/1.0 and 1.1) is a sequence of records, each a
version line (`WARC/1.1`), header lines, an empty line, a block of exactly
`Content-Length` bytes, and two CRLFs. A `.warc.gz` is the same records, each
compressed as its own gzip member. `iter_records(data)` takes either (gzip is
recognised by its magic bytes) and yields a `WarcRecord` per record and a
`WarcError` per corrupt stretch, with its byte offset; reading then goes on at
the next record it can find, so one bad record never hides the rest.

Offsets are those of the file: in a `.warc.gz` the offset of the record's gzip
member (what CDX indexes store), plus the offset inside the member when one
member holds several records (a whole file gzipped at once).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

MAX_HEADER_BYTES = 64 * 1024
# A gzip member may expand to this much before its ratio is checked; past it,
# more than MAX_RATIO times its compressed size is taken for a decompression bomb.
MEMBER_ALLOWANCE = 64 * 1024 * 1024
MAX_RATIO = 200
_FEED = 64 * 1024  # compressed bytes handed to zlib at a time

_VERSION = re.compile(rb"WARC/\d+\.\d+\r?\n")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_GZIP_MAGIC = b"\x1f\x8b\x08"


@dataclass(frozen=True)
class WarcRecord:
    """One record: its headers (names in lower case) and where its block lies in `data`."""

    offset: int  # of the record in the file (of its gzip member in a .warc.gz)
    inner: int  # offset inside the decompressed member (0 for a plain WARC)
    headers: dict[str, str]
    data: bytes
    start: int
    end: int

    @property
    def kind(self) -> str:
        return self.headers.get("warc-type", "").strip().lower()

    @property
    def where(self) -> str:
        return describe_offset(self.offset, self.inner)

    def block(self) -> bytes:
        return self.data[self.start:self.end]


@dataclass(frozen=True)
class WarcError:
    offset: int
    inner: int
    reason: str

    @property
    def where(self) -> str:
        return describe_offset(self.offset, self.inner)


def describe_offset(offset: int, inner: int = 0) -> str:
    if inner:
        return f"record at byte {inner} of the gzip member at byte {offset}"
    return f"record at byte {offset}"


def is_gzip(data: bytes) -> bool:
    return data.startswith(_GZIP_MAGIC)


def iter_records(data: bytes, base_offset: int = 0) -> Iterator[WarcRecord | WarcError]:
    """Every record of a WARC or .warc.gz held in memory, in order.

    `base_offset` is added to every offset (for a slice of a larger file)."""
    if is_gzip(data):
        yield from _gzip_records(data, base_offset)
    else:
        for item in _plain_records(data):
            yield _shift(item, base_offset)


def _shift(item, by: int, inner: bool = False):
    if inner:  # the item's offset is inside a gzip member starting at `by`
        return replace(item, offset=by, inner=item.offset)
    return replace(item, offset=item.offset + by) if by else item


# --- a plain WARC ---------------------------------------------------------------------------

def _next_record(data: bytes, pos: int) -> int:
    """The offset of the next version line at or after `pos` (len(data) when none)."""
    while True:
        found = data.find(b"WARC/", pos)
        if found < 0:
            return len(data)
        if (found == 0 or data[found - 1] == 0x0A) and _VERSION.match(data, found):
            return found
        pos = found + 1


def _skip_newlines(data: bytes, pos: int) -> int:
    end = len(data)
    while pos < end and data[pos] in b"\r\n":
        pos += 1
    return pos


def _plain_records(data: bytes) -> Iterator[WarcRecord | WarcError]:
    pos = _skip_newlines(data, 0)
    while pos < len(data):
        if not data.startswith(b"WARC/", pos):
            found = _next_record(data, pos)
            if data[pos:found].strip(b"\r\n\t \x00"):
                yield WarcError(pos, 0, f"no WARC record here; skipped {found - pos} bytes "
                                        f"up to the next record")
            pos = found
            continue
        item, pos = _read_record(data, pos)
        yield item
        pos = _skip_newlines(data, pos)


def _parse_headers(raw: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    last = ""
    for line in raw.decode("utf-8", "replace").splitlines()[1:]:
        if line[:1] in (" ", "\t") and last:  # a folded header line
            headers[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"header line without a colon: {line[:60]!r}")
        last = name.strip().lower()
        headers[last] = value.strip()
    return headers


def _read_record(data: bytes, pos: int) -> tuple[WarcRecord | WarcError, int]:
    """The record at `pos` and where reading goes on."""
    head = _HEAD_END.search(data, pos, min(len(data), pos + MAX_HEADER_BYTES))
    if head is None:
        return WarcError(pos, 0, "record headers never end"), _next_record(data, pos + 1)
    def resume() -> int:  # where to go on after a corrupt record
        return _next_record(data, head.end())

    try:
        headers = _parse_headers(data[pos:head.start()])
        length = int(headers.get("content-length", ""))
        if length < 0:
            raise ValueError
    except ValueError as exc:
        reason = str(exc) if "colon" in str(exc) else "no valid Content-Length"
        return WarcError(pos, 0, f"corrupt record headers ({reason})"), resume()
    start, end = head.end(), head.end() + length
    if end > len(data):
        return WarcError(pos, 0, f"record cut short: Content-Length {length}, "
                                 f"only {len(data) - start} bytes left"), resume()
    after = _skip_newlines(data, end)
    if after < len(data) and not data.startswith(b"WARC/", after):
        return WarcError(pos, 0, f"block does not end where Content-Length {length} says"), resume()
    return WarcRecord(pos, 0, headers, data, start, end), end


# --- a .warc.gz: one gzip member per record -------------------------------------------------

def _limit(fed: int) -> int:
    return max(MEMBER_ALLOWANCE, MAX_RATIO * fed)


def _inflate(data: bytes, pos: int) -> tuple[bytes, int, str]:
    """Decompress the member at `pos`: (output, its compressed size, problem or "")."""
    view = memoryview(data)
    inflater = zlib.decompressobj(wbits=31)
    parts: list[bytes] = []
    size = fed = 0
    while not inflater.eof and pos + fed < len(data):
        chunk = view[pos + fed:pos + fed + _FEED]
        fed += len(chunk)
        try:  # never more than one byte past the limit comes out
            out = inflater.decompress(chunk, _limit(fed) - size + 1)
        except zlib.error as exc:
            return b"", fed, f"corrupt gzip data ({exc})"
        size += len(out)
        parts.append(out)
        if size > _limit(fed):
            return b"", fed, (f"gzip member expands beyond {MAX_RATIO} times its size "
                              f"(a decompression bomb?); skipped")
    if not inflater.eof:
        return b"".join(parts), fed, "gzip member cut short (the file ends inside it)"
    return b"".join(parts), fed - len(inflater.unused_data), ""


def _gzip_records(data: bytes, base: int) -> Iterator[WarcRecord | WarcError]:
    pos = 0
    while pos < len(data):
        if not data.startswith(_GZIP_MAGIC, pos):
            found = data.find(_GZIP_MAGIC, pos)
            found = len(data) if found < 0 else found
            if data[pos:found].strip(b"\r\n\t \x00"):
                yield WarcError(base + pos, 0, f"not gzip data; skipped {found - pos} bytes "
                                               f"up to the next gzip member")
            pos = found
            continue
        out, used, problem = _inflate(data, pos)
        if problem and not out:
            yield WarcError(base + pos, 0, problem)
            found = data.find(_GZIP_MAGIC, pos + 1)
            pos = len(data) if found < 0 else found
            continue
        for item in _plain_records(out):
            if not (problem and isinstance(item, WarcError)):  # the cut is reported once
                yield _shift(item, base + pos, inner=True)
        if problem:  # cut short: the records complete before the cut were read
            yield WarcError(base + pos, 0, problem)
        pos += used
