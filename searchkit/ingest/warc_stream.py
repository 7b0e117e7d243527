"""The records of a large WARC file, read as a stream (record mode, indexing process side).

A plain `.warc` is cut at its records' boundaries by reading each record's headers
and skipping its `Content-Length`; a `.warc.gz` at its gzip members (one record per
member, as crawlers write them): each member is inflated to find where it ends,
and handed out still compressed. A record's number is its byte offset in the file
(the member's in a `.warc.gz`), as in `warc.py`'s messages and ids. Memory holds
one record at a time.

A stretch that is no record is a Failure with its offset, and reading goes on at
the next record; a file cut inside a record or a member is Damage (the articles
indexed from the rest of the file stay).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from ..models import Failure
from .discover import Source
from .record_stream import Damage, RawRecord
from .warc_records import MAX_RATIO, MEMBER_ALLOWANCE

READ = 1024 * 1024
_STEP = 16 * 1024 * 1024  # the most output one inflate call may make
MAX_HEADER_BYTES = 64 * 1024
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_VERSION = re.compile(rb"(?:^|\n)WARC/\d+\.\d+\r?\n")
_GZIP_MAGIC = b"\x1f\x8b\x08"


def splittable_warc(source: Source) -> bool:
    """Whether a WARC can be read record by record: a plain WARC, or a .warc.gz whose
    first gzip member ends early (one member per record, not the file gzipped whole)."""
    if source.compression not in ("", "gz"):
        return False
    try:
        with open(source.real_path, "rb") as handle:
            head = handle.read(4 * READ)
    except OSError:
        return False
    if not source.compression:
        return head.lstrip(b"\r\n").startswith(b"WARC/")
    if not head.startswith(_GZIP_MAGIC):
        return False
    inflater = zlib.decompressobj(wbits=31)
    try:
        inflater.decompress(head, MEMBER_ALLOWANCE)
    except zlib.error:
        return False
    return inflater.eof


def warc_records(source: Source) -> Iterator[RawRecord | Failure]:
    handle = open(source.real_path, "rb")  # noqa: SIM115 — closed when the generator ends
    with handle:
        if source.compression == "gz":
            yield from _members(handle, source.path)
        else:
            yield from _plain(handle, source.path)


class _Buffer:
    """A window on the file: `data` starts at file offset `base`."""

    def __init__(self, handle) -> None:
        self.handle, self.data, self.base, self.eof = handle, b"", 0, False

    def fill(self, size: int) -> bool:
        """At least `size` bytes held, unless the file ends first; False then."""
        while len(self.data) < size and not self.eof:
            block = self.handle.read(max(READ, size - len(self.data)))
            self.eof = not block
            self.data += block
        return len(self.data) >= size

    def drop(self, count: int) -> None:
        self.data, self.base = self.data[count:], self.base + count


def _plain(handle, path: str) -> Iterator[RawRecord | Failure]:
    buf = _Buffer(handle)
    while True:
        buf.fill(MAX_HEADER_BYTES)
        buf.drop(len(buf.data) - len(buf.data.lstrip(b"\r\n")))
        if not buf.data and buf.eof:
            return
        if not buf.data.startswith(b"WARC/"):
            yield from _resync(buf, path, "no WARC record here")
            continue
        head = _HEAD_END.search(buf.data, 0, MAX_HEADER_BYTES)
        length = _content_length(buf.data[:head.start()]) if head else None
        if head is None or length is None:
            reason = "record headers never end" if head is None else "corrupt record headers (no valid Content-Length)"
            yield Failure(path, f"record at byte {buf.base}: {reason}")
            buf.drop(1)
            yield from _resync(buf, path, None)
            continue
        end = head.end() + length
        if not buf.fill(end):
            yield Damage(path, f"record at byte {buf.base}: record cut short: Content-Length {length}, "
                               f"only {len(buf.data) - head.end()} bytes left")
            return
        yield RawRecord(buf.base, 0, buf.data[:end])
        buf.drop(end)


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep and name.strip().lower() == b"content-length":
            try:
                number = int(value.strip())
            except ValueError:
                return None
            return number if number >= 0 else None
    return None


def _resync(buf: _Buffer, path: str, reason: str | None) -> Iterator[Failure]:
    """Skip to the next version line; report the stretch skipped when `reason` is given."""
    skipped = 0
    while True:
        found = _VERSION.search(buf.data, 1)
        if found is not None:
            cut = found.start() + (buf.data[found.start():found.start() + 1] == b"\n")
            break
        if buf.eof:
            cut = len(buf.data)
            break
        keep = len(buf.data) - 16
        skipped += max(0, keep)
        buf.drop(max(0, keep))
        buf.fill(len(buf.data) + READ)
    if reason and (buf.data[:cut].strip(b"\r\n\t \x00") or skipped):
        yield Failure(path, f"record at byte {buf.base - skipped}: {reason}; skipped {skipped + cut} bytes "
                            f"up to the next record")
    buf.drop(cut)


def _members(handle, path: str) -> Iterator[RawRecord | Failure]:
    buf = _Buffer(handle)
    while True:
        buf.fill(READ)
        if not buf.data:
            return
        if not buf.data.startswith(_GZIP_MAGIC):
            found = buf.data.find(_GZIP_MAGIC, 1)
            stretch = buf.data if found < 0 else buf.data[:found]
            if stretch.strip(b"\r\n\t \x00"):
                yield Failure(path, f"record at byte {buf.base}: not gzip data; skipped {len(stretch)} bytes "
                                    "up to the next gzip member")
            buf.drop(len(stretch))
            continue
        size, problem = _member_size(buf)
        if problem:
            if size is None:  # the file ends inside the member
                yield Damage(path, f"record at byte {buf.base}: {problem}")
                return
            yield Failure(path, f"record at byte {buf.base}: {problem}")
            found = buf.data.find(_GZIP_MAGIC, 1)
            buf.drop(len(buf.data) if found < 0 else found)
            continue
        yield RawRecord(buf.base, 0, buf.data[:size])
        buf.drop(size)


def _member_size(buf: _Buffer) -> tuple[int | None, str]:
    """The compressed size of the member at the start of `buf` (read on as needed), or a
    problem: corrupt data, a decompression bomb, or (size None) a cut. The output is
    counted, never kept, a bounded step at a time."""
    inflater = zlib.decompressobj(wbits=31)
    fed = out = 0
    while not inflater.eof:
        if fed >= len(buf.data) and not buf.fill(fed + READ) and fed >= len(buf.data):
            return None, "gzip member cut short (the file ends inside it)"
        pending = buf.data[fed:fed + READ]
        fed += len(pending)
        while pending and not inflater.eof:
            try:
                out += len(inflater.decompress(pending, _STEP))
            except zlib.error as exc:
                return 0, f"corrupt gzip data ({exc})"
            if out > max(MEMBER_ALLOWANCE, MAX_RATIO * fed):
                return 0, f"gzip member expands beyond {MAX_RATIO} times its size (a decompression bomb?); skipped"
            pending = inflater.unconsumed_tail
    return fed - len(inflater.unused_data), ""
