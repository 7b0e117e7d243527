"""Persistent history in the user's state folder, readable by the user alone (mode 0600)."""

from __future__ import annotations

from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from .config import ensure_private_file, history_path


def make_history(path: Path | None = None) -> tuple[History, str | None]:
    """A file history at `path` (default: the state folder), or an in-memory one and why."""
    path = history_path() if path is None else path
    try:
        return FileHistory(str(ensure_private_file(path))), None
    except OSError as exc:
        return InMemoryHistory(), f"history is not saved: cannot write {path} ({exc.strerror or exc})"
