"""Compressed files (`.gz`, `.bz2`, `.xz`) -> their bytes, with the standard library.

Decompression streams: the output grows a bounded step at a time and stops at
`expansion_limit(compressed size)`, so a decompression bomb is reported, never
expanded without bound. A stream that ends early (a truncated download) or is
corrupt keeps what came before the damage, and the damage is reported with its
byte offset in the compressed file; several streams in a row (`cat a.gz b.gz`,
pbzip2, multi-stream xz) are read one after the other.
"""

from __future__ import annotations

import bz2
import lzma
import os
import zlib
from collections.abc import Iterator

from ..errors import ArticleParseError
from ..models import Failure

# Expanded sizes: at most MAX_RATIO times the compressed size (text compresses
# 3-20x; a bomb 1000x and more), but always MIN_EXPANDED for small files, and
# never more than MAX_EXPANDED (the file is held in memory whole).
MAX_RATIO = 200
MIN_EXPANDED = 64 * 1024 * 1024
MAX_EXPANDED = 4 * 1024 * 1024 * 1024
_FEED = 64 * 1024  # compressed bytes handed to the decompressor at a time (lost with it if corrupt)
_STEP = 16 * 1024 * 1024  # the most output one call may produce
_NAMES = {"gz": "gzip", "bz2": "bzip2", "xz": "xz"}
_MAGIC = {"gz": b"\x1f\x8b", "bz2": b"BZh", "xz": b"\xfd7zXZ\x00"}
_ERRORS = (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError)


def expansion_limit(compressed_size: int) -> int:
    """How many bytes `compressed_size` bytes may expand to before we call it a bomb."""
    return min(MAX_EXPANDED, max(MIN_EXPANDED, MAX_RATIO * compressed_size))


def too_large(limit: int) -> str:
    return (f"expands to more than {limit / 2**20:,.0f} MB (over {MAX_RATIO}x its compressed size, "
            "or past the limit of a file held in memory): not read — a decompression bomb?")


class _Cut(Exception):
    """The compressed data ended before its end-of-stream marker."""


class _Damage(Exception):
    """A decompressor refused the data near byte `pos`."""

    def __init__(self, pos: int, error: Exception) -> None:
        super().__init__(str(error))
        self.pos = pos


class _Inflater:
    """One compressed stream, behind one interface for zlib, bz2 and lzma."""

    def __init__(self, method: str) -> None:
        self.zlib = method == "gz"
        if self.zlib:
            self.engine = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif method == "bz2":
            self.engine = bz2.BZ2Decompressor()
        else:
            self.engine = lzma.LZMADecompressor()

    @property
    def eof(self) -> bool:
        return self.engine.eof

    @property
    def needs_input(self) -> bool:
        if self.zlib:
            return not self.engine.unconsumed_tail
        return self.engine.needs_input

    def step(self, chunk: bytes, room: int) -> bytes:
        """Decompress `chunk` (b"" to go on with what is held), at most `room` bytes out."""
        if self.zlib:
            return self.engine.decompress(self.engine.unconsumed_tail + chunk, room)
        return self.engine.decompress(chunk, room)

    def drain(self) -> bytes:
        """What the decompressor still holds when the input has run out."""
        return self.engine.flush() if self.zlib else b""

    @property
    def leftover(self) -> int:
        """Bytes fed past the end of the stream."""
        return len(self.engine.unused_data)


def _one_stream(method: str, data: bytes, pos: int, out: bytearray, limit: int) -> int:
    """Decompress the stream starting at `pos` into `out`; return where it ended.
    Raises _Cut, _Damage or OverflowError (past `limit`)."""
    inflater = _Inflater(method)
    view = memoryview(data)
    while not inflater.eof:
        room = min(_STEP, limit + 1 - len(out))
        if room <= 0:
            raise OverflowError
        chunk = b""
        if inflater.needs_input:
            if pos >= len(data):
                out += inflater.drain()
                raise _Cut
            chunk, pos = bytes(view[pos:pos + _FEED]), min(pos + _FEED, len(data))
        try:
            out += inflater.step(chunk, room)
        except _ERRORS as exc:
            raise _Damage(pos - len(chunk), exc) from None
    if len(out) > limit:
        raise OverflowError
    return pos - inflater.leftover


def decompress(data: bytes, method: str, path: str) -> tuple[bytes, list[Failure]]:
    """The expanded bytes of a compressed file, plus a Failure for damage found
    (what came before it is kept). Raises ArticleParseError when nothing can be
    read: not compressed this way at all, or a decompression bomb."""
    name = _NAMES[method]
    if not data.startswith(_MAGIC[method]):
        raise ArticleParseError(path, f"not {name} data (it does not start as {name} files do)")
    limit = expansion_limit(len(data))
    out = bytearray()
    problems: list[Failure] = []
    pos = 0
    while pos < len(data):
        try:
            pos = _one_stream(method, data, pos, out, limit)
        except OverflowError:
            raise ArticleParseError(path, too_large(limit)) from None
        except _Cut:
            problems.append(Failure(path, f"{name} data cut off at byte {len(data):,} (a truncated file?): "
                                          f"the {len(out):,} bytes before the cut are read"))
            break
        except _Damage as exc:
            problems.append(Failure(path, f"corrupt {name} data near byte {exc.pos:,} ({exc}): "
                                          f"the {len(out):,} bytes before it are read"))
            break
        if not data[pos:].strip(b"\0"):  # padding after the last stream
            break
        if not data.startswith(_MAGIC[method], pos):
            problems.append(Failure(path, f"{len(data) - pos:,} bytes after the end of the {name} data "
                                          f"(from byte {pos:,}) are not {name}: ignored"))
            break
    return bytes(out), problems


def iter_expanded(handle, method: str, path: str, block: int) -> Iterator[bytes | Failure]:
    """decompress() as a stream: the expanded bytes of an open compressed file, about
    `block` bytes at a time, never holding the whole. Damage is a Failure after the bytes
    before it; a bomb (past MAX_RATIO times the compressed size) raises ArticleParseError.
    Nothing is held in memory, so no MAX_EXPANDED applies."""
    name = _NAMES[method]
    limit = max(MIN_EXPANDED, MAX_RATIO * os.fstat(handle.fileno()).st_size)
    chunk = handle.read(_FEED)
    if not chunk.startswith(_MAGIC[method]):
        raise ArticleParseError(path, f"not {name} data (it does not start as {name} files do)")
    inflater, out = _Inflater(method), bytearray()
    fed = total = 0
    while True:
        room = min(_STEP, limit + 1 - total)
        try:
            piece = inflater.step(chunk, room)
        except _ERRORS as exc:
            yield bytes(out)
            yield Failure(path, f"corrupt {name} data near byte {fed:,} ({exc}): "
                                f"the {total:,} bytes before it are read")
            return
        fed, chunk = fed + len(chunk), b""
        total += len(piece)
        if total > limit:
            raise ArticleParseError(path, too_large(limit))
        out += piece
        if len(out) >= block:
            yield bytes(out)
            out.clear()
        if inflater.eof:
            tail = inflater.engine.unused_data
            following = tail + handle.read(_FEED)
            while following and not following.strip(b"\0"):  # padding after the last stream
                following = handle.read(_FEED)
            if not following:
                break
            if not following.startswith(_MAGIC[method]):
                yield bytes(out)
                yield Failure(path, f"bytes after the end of the {name} data (from byte "
                                    f"{fed - len(tail):,}) are not {name}: ignored")
                return
            fed -= len(tail)
            inflater, chunk = _Inflater(method), following
        elif inflater.needs_input:
            chunk = handle.read(_FEED)
            if not chunk:
                out += inflater.drain()
                yield bytes(out)
                yield Failure(path, f"{name} data cut off at byte {fed:,} (a truncated file?): "
                                    f"the {total:,} bytes before the cut are read")
                return
    if out:
        yield bytes(out)
