"""Walking the folders to index: which files are articles, and their ids.

A file's kind comes from its suffix (`kind_of`): `.txt`, `.html`/`.htm`,
`.jsonl`, `.json`, `.csv`, `.tsv`, `.warc`, `.xml`/`.rdf` (news XML or a
feed, told by the content), `.rss`/`.atom`, `.nitf`/`.newsml`, each optionally compressed as `.gz`, `.bz2` or `.xz`; `.zip` and `.tar`
(`.tar.gz`/`.tgz`, `.tar.bz2`, `.tar.xz`) archives are walked inside as
folders (see `archives.py`), a member's display path being the archive's
followed by `/` and the member's name: `news.zip/2021/a.txt`.

`Source.rel`, which ids are made from, is the path relative to the walk's
*base*: the folder of the index's first root (the first path ever indexed
into it), so that a file keeps its id whichever root finds it, and two
files of the same name in two roots get two ids (`x.txt`, `../other/x.txt`).

File names are bytes on POSIX and need not be UTF-8, and they may hold
newlines. Everything past the walk (the index, reports, JSON) sees the
*display path*: the real path with undecodable bytes written as `\\xNN` and
control characters as `\\n`, `\\t`, `\\x1b`… — always valid, printable, one
line. The real path is kept in `Source.fs_path` to open the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Failure
from .columns import check_fields

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "json",
            ".csv": "csv", ".tsv": "tsv", ".warc": "warc", ".xml": "xml", ".rdf": "xml",
            ".rss": "feed", ".atom": "feed", ".nitf": "newsxml", ".newsml": "newsxml"}
COMPRESSIONS = {".gz": "gz", ".bz2": "bz2", ".xz": "xz"}
ARCHIVES = {".zip": "zip", ".tar": "tar", ".tgz": "tar", ".tbz2": "tar", ".tbz": "tar", ".txz": "tar"}
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Member:
    """Where an archive member's bytes are: in the archive at `archive` (a real
    path), format `fmt` ("zip" or "tar"), at `offset` (a zip member's header,
    a tar member's data), `size` bytes once expanded."""

    archive: str
    fmt: str
    name: str
    offset: int
    size: int


@dataclass(frozen=True)
class Source:
    """One article file found by the walk. `rel` is its path relative to the walk's base.

    `path` and `rel` are display paths (see the module doc); `fs_path` opens the
    file. `compression` is "gz", "bz2", "xz" or ""; `member` is set for a file
    inside an archive; `fields` maps article fields to the columns (or JSON keys)
    that hold them, overriding the usual names."""

    path: str  # absolute
    rel: str
    kind: str
    fs_path: str = ""
    compression: str = ""
    member: Member | None = None
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def real_path(self) -> str:
        return self.fs_path or self.path


def kind_of(name: str) -> tuple[str, str] | None:
    """(kind, compression) of a file name, or None when it is not an article file.
    Archives have the kind "zip" or "tar" (a tar's compression is read from its content)."""
    lower = name.lower()
    stem, suffix = os.path.splitext(lower)
    if suffix in ARCHIVES:
        return ARCHIVES[suffix], ""
    compression = COMPRESSIONS.get(suffix, "")
    if compression:
        stem, suffix = os.path.splitext(stem)
        if suffix == ".tar":
            return "tar", ""
    kind = SUFFIXES.get(suffix)
    return (kind, compression) if kind else None


def display_path(path: str | os.PathLike | bytes) -> str:
    """A path as valid, printable, one-line text (identical for ordinary names)."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    text = os.fspath(path)
    if text.isprintable():
        return text
    out = []
    for char in text:
        if 0xDC80 <= ord(char) <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{ord(char):04x}")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(_CONTROL_ESCAPES.get(char, f"\\x{ord(char):02x}"))
        else:
            out.append(char)
    return "".join(out)


@dataclass
class Walk:
    """What a walk found: article files in order, plus what it skipped or failed to read.

    `unreadable` lists folders (and archives) that exist but could not be
    listed: files indexed from below them before are kept, not removed. `base`
    is the folder the sources' `rel` paths are relative to."""

    sources: list[Source] = field(default_factory=list)
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    base: str = ""


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _source(path: Path, base: str, fields: tuple[tuple[str, str], ...]) -> Source | None:
    found = kind_of(path.name)
    if found is None:
        return None
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    return Source(display_path(path), display_path(rel), found[0], str(path), found[1], fields=fields)


def _holds_index(files: list[str]) -> bool:
    """Whether a folder's files are a searchkit index's: its searchkit.json and Whoosh's tables."""
    return "searchkit.json" in files and any(name.startswith("_") and name.endswith(".toc") for name in files)


def _walk_folder(root: Path, walk: Walk) -> Iterator[Path]:
    def report(error: OSError) -> None:
        folder = error.filename or root
        if os.path.lexists(folder):
            walk.unreadable.append(display_path(folder))
            reason = f"cannot read folder ({error.strerror})"
        else:
            reason = "folder disappeared during the walk"
        walk.failures.append(Failure(display_path(folder), reason))

    for folder, dirs, files in os.walk(root, onerror=report):
        if _holds_index(files):  # an index folder below the corpus (`searchkit index .`)
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name):
                yield Path(folder) / name


def _not_regular(path: Path) -> str | None:
    """Why a file cannot be read as an article (a FIFO would block the run), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return "not a regular file (device, pipe or socket)"


def discover(paths: Iterable[str | os.PathLike], base: str | os.PathLike | None = None,
             fields: Mapping[str, str] | None = None) -> Walk:
    """Find the article files below `paths` (files or folders), recursively.

    Hidden files and folders are passed over; files with other suffixes are
    counted as skipped; symbolic links to folders are not followed (no loops);
    pipes, devices, broken links and link loops are reported as failures.
    Archives are listed (not extracted): each member of a known kind is a source.

    `base` is the folder `rel` paths are relative to (default: the first of
    `paths` that exists, or the folder of that file); `fields` maps article
    fields to the CSV columns or JSON keys that hold them (see columns.py;
    SearchkitError for an unknown field)."""
    walk = Walk(base=os.path.abspath(base) if base else "")
    mapping = check_fields(fields)
    seen: set[str] = set()
    for given in paths:
        root = Path(os.path.abspath(given))
        if not root.exists():
            walk.failures.append(Failure(display_path(given), "no such file or folder"))
            continue
        walk.roots.append(str(root))
        walk.base = walk.base or str(root if root.is_dir() else root.parent)
        candidates = _walk_folder(root, walk) if root.is_dir() else iter([root])
        for path in candidates:
            _add(walk, _source(path, walk.base, mapping), path, seen)
    return walk


def _add(walk: Walk, source: Source | None, path: Path, seen: set[str]) -> None:
    if source is None:
        walk.skipped += 1
        return
    if source.path in seen:
        return
    seen.add(source.path)
    problem = _not_regular(path)
    if problem:
        walk.failures.append(Failure(source.path, problem))
    elif source.kind in ("zip", "tar"):
        from .archives import add_members

        add_members(walk, source, seen)
    else:
        walk.sources.append(source)
