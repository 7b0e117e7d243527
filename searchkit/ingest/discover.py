"""Walking the folders to index: which files are articles, and their ids."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Failure

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class Source:
    """One article file found by the walk. `rel` is its path below the root it was found in."""

    path: str  # absolute
    rel: str
    kind: str


@dataclass
class Walk:
    """What a walk found: article files in order, plus what it skipped or failed to read."""

    sources: list[Source] = field(default_factory=list)
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _source(path: Path, root: Path) -> Source | None:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return None
    rel = path.name if path == root else path.relative_to(root).as_posix()
    return Source(str(path), rel, kind)


def _walk_folder(root: Path, walk: Walk) -> Iterator[Path]:
    def report(error: OSError) -> None:
        walk.failures.append(Failure(str(error.filename or root), f"cannot read folder ({error.strerror})"))

    for folder, dirs, files in os.walk(root, onerror=report):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name):
                yield Path(folder) / name


def discover(paths: Iterable[str | os.PathLike]) -> Walk:
    """Find the article files below `paths` (files or folders), recursively.

    Hidden files and folders are passed over; files with other suffixes are
    counted as skipped; symbolic links to folders are not followed (no loops)."""
    walk = Walk()
    seen: set[str] = set()
    for given in paths:
        root = Path(os.path.abspath(given))
        if not root.exists():
            walk.failures.append(Failure(str(given), "no such file or folder"))
            continue
        walk.roots.append(str(root))
        candidates = _walk_folder(root, walk) if root.is_dir() else iter([root])
        for path in candidates:
            source = _source(path, root)
            if source is None:
                walk.skipped += 1
            elif source.path not in seen:
                seen.add(source.path)
                walk.sources.append(source)
    return walk
