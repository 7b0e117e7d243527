"""Zip and tar archives, walked inside as folders and read in place.

Each member of a known kind is a Source whose display path is the archive's
followed by `/` and the member's name (`news.zip/2021/a.txt`; its id is made
from that path like any file's). Members are read from the archive when they
are indexed: nothing is ever extracted or written to disk.

Passed over: folders, links, devices, hidden members (`.name`, `__MACOSX/`),
members of other kinds and archives inside archives (counted as skipped).
Reported and passed over: a member whose name is absolute or climbs out with
`..` (it could only be written outside the archive's folder), an encrypted
member, and members past the expansion limit — all members together may expand
to at most compressed.expansion_limit(the archive's size), so a zip or tar bomb
is listed only up to that point. An archive that cannot be listed (corrupt,
truncated) is reported; what it held before stays in the index.
"""

from __future__ import annotations

import os
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import ArticleParseError
from ..models import Failure
from .compressed import expansion_limit, too_large
from .discover import Member, Source, Walk, display_path, kind_of

_READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, NotImplementedError,
                RuntimeError, ValueError)
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class _Entry:
    name: str
    offset: int
    size: int
    problem: str = ""  # why it is reported and passed over


def unsafe_name(name: str) -> bool:
    """Whether a member name is absolute or climbs out of the archive's folder."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/") if part)


def _zip_entries(path: str) -> Iterator[_Entry]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            problem = "encrypted: not read" if info.flag_bits & 0x1 else ""
            yield _Entry(info.filename, info.header_offset, info.file_size, problem)


def _tar_entries(path: str) -> Iterator[_Entry]:
    with tarfile.open(path, "r:*") as archive:
        while (info := archive.next()) is not None:
            if not info.isreg():
                continue
            problem = "a sparse file: not read" if info.issparse() else ""
            yield _Entry(info.name, info.offset_data, info.size, problem)


def add_members(walk: Walk, archive: Source, seen: set[str]) -> None:
    """Add the members of `archive` to the walk as sources; report what cannot be read."""
    entries = _zip_entries if archive.kind == "zip" else _tar_entries
    total, listed = 0, 0
    try:
        budget = expansion_limit(os.path.getsize(archive.real_path))
        for entry in entries(archive.real_path):
            listed += 1
            total += entry.size
            if total > budget:
                walk.failures.append(Failure(archive.path, f"{too_large(budget)} (members from "
                                                           f"{display_path(entry.name)!r} on are not read)"))
                return
            _add_member(walk, archive, entry, seen)
    except _READ_ERRORS as exc:
        where = f"after {listed} member(s)" if listed else "at its start"
        walk.failures.append(Failure(archive.path, f"cannot read the {archive.kind} archive {where}: "
                                                   f"{exc or type(exc).__name__}"))
        walk.unreadable.append(archive.path)  # keep what was indexed from it


def _add_member(walk: Walk, archive: Source, entry: _Entry, seen: set[str]) -> None:
    name = entry.name
    if unsafe_name(name):
        walk.failures.append(Failure(archive.path, f"member {display_path(name)!r}: an absolute path or "
                                                   "one that climbs out with '..': not read"))
        return
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    found = kind_of(name)
    if _hidden(name) or found is None or found[0] in ("zip", "tar"):
        walk.skipped += 1
        return
    shown = display_path(name)
    source = Source(f"{archive.path}/{shown}", f"{archive.rel}/{shown}", found[0], "", found[1],
                    Member(archive.real_path, archive.kind, name, entry.offset, entry.size), archive.fields)
    if entry.problem:
        walk.failures.append(Failure(source.path, entry.problem))
    elif source.path not in seen:
        seen.add(source.path)
        walk.sources.append(source)


class _OpenArchive:
    """The archive this process read last, kept open: members are read in
    order, so a compressed tar is decompressed once, not once per member.
    A process forked from this one opens its own (file offsets are shared)."""

    def __init__(self) -> None:
        self.key: tuple = ()
        self.handle = None
        self.zip_infos: dict = {}

    def get(self, member: Member):
        stat = os.stat(member.archive)
        key = (member.archive, stat.st_mtime_ns, stat.st_size, os.getpid())
        if self.key != key:
            self.close()
            if member.fmt == "zip":
                self.handle = zipfile.ZipFile(member.archive)
                self.zip_infos = {info.header_offset: info for info in self.handle.infolist()}
            else:
                self.handle = tarfile.open(member.archive, "r:*")
            self.key = key
        return self.handle

    def close(self) -> None:
        if self.handle is not None and self.key and self.key[-1] == os.getpid():
            self.handle.close()
        self.key, self.handle, self.zip_infos = (), None, {}


_OPEN = _OpenArchive()


def _read(member: Member, source: Source) -> bytes:
    archive = _OPEN.get(member)
    if member.fmt == "tar":
        archive.fileobj.seek(member.offset)
        return archive.fileobj.read(member.size)
    info = _OPEN.zip_infos.get(member.offset)
    if info is None or info.filename != member.name:
        raise ArticleParseError(source.path, "no longer in the archive")
    with archive.open(info) as handle:
        return handle.read(member.size + 1)


def read_member(source: Source) -> bytes:
    """The bytes of an archive member. Raises ArticleParseError when they cannot be read."""
    member = source.member
    try:
        data = _read(member, source)
    except _READ_ERRORS as exc:
        _OPEN.close()
        raise ArticleParseError(source.path, f"cannot read it from the archive ({exc or type(exc).__name__})"
                                ) from None
    if len(data) != member.size:
        raise ArticleParseError(source.path, f"the archive holds {len(data):,} bytes of it, not {member.size:,} "
                                             "(truncated, or changed since it was listed)")
    return data
