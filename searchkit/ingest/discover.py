"""Walking the folders to index: which files are articles, and their ids.

File names are bytes on POSIX and need not be UTF-8, and they may hold
newlines. Everything past the walk (the index, reports, JSON) sees the
*display path*: the real path with undecodable bytes written as `\\xNN` and
control characters as `\\n`, `\\t`, `\\x1b`… — always valid, printable, one
line. The real path is kept in `Source.fs_path` to open the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Failure

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Source:
    """One article file found by the walk. `rel` is its path below the root it was found in.

    `path` and `rel` are display paths (see the module doc); `fs_path` opens the file."""

    path: str  # absolute
    rel: str
    kind: str
    fs_path: str = ""

    @property
    def real_path(self) -> str:
        return self.fs_path or self.path


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

    `unreadable` lists folders that exist but could not be listed: files indexed
    from below them before are kept, not removed."""

    sources: list[Source] = field(default_factory=list)
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _source(path: Path, root: Path) -> Source | None:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return None
    rel = path.name if path == root else path.relative_to(root).as_posix()
    return Source(display_path(path), display_path(rel), kind, str(path))


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


def discover(paths: Iterable[str | os.PathLike]) -> Walk:
    """Find the article files below `paths` (files or folders), recursively.

    Hidden files and folders are passed over; files with other suffixes are
    counted as skipped; symbolic links to folders are not followed (no loops);
    pipes, devices, broken links and link loops are reported as failures."""
    walk = Walk()
    seen: set[str] = set()
    for given in paths:
        root = Path(os.path.abspath(given))
        if not root.exists():
            walk.failures.append(Failure(display_path(given), "no such file or folder"))
            continue
        walk.roots.append(str(root))
        candidates = _walk_folder(root, walk) if root.is_dir() else iter([root])
        for path in candidates:
            source = _source(path, root)
            if source is None:
                walk.skipped += 1
            elif source.path not in seen:
                seen.add(source.path)
                problem = _not_regular(path)
                if problem:
                    walk.failures.append(Failure(source.path, problem))
                else:
                    walk.sources.append(source)
    return walk
