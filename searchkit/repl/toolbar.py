"""The bottom toolbar: index, article count, date span, sort, page and result count.

The index figures are read by a background thread after each command, so the toolbar
follows articles another process adds, and drawing it never touches the disk.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from ..models import IndexStats, Results


_PASSWORD = re.compile(r"^([a-z+]+://[^@/:]*):[^@/]*@", re.IGNORECASE)


def index_label(index_path: str) -> str:
    """The index as shown on screen: a folder, or a cluster URL without any password in it."""
    return _PASSWORD.sub(r"\1@", index_path)


def toolbar_text(index_path: str, stats: IndexStats | None, sort: str, results: Results | None) -> str:
    parts = [f" {index_label(index_path)}"]
    if stats is not None:
        parts.append(f"{stats.articles} articles")
        if stats.first_date:
            parts.append(f"{stats.first_date}…{stats.last_date}")
    parts.append(f"sort: {sort}")
    if results is not None:
        parts.append(f"page {results.page}/{results.pages}")
        parts.append(f"{results.total} match" + ("" if results.total == 1 else "es"))
    return " │ ".join(parts)


class Toolbar:
    """Callable for PromptSession(bottom_toolbar=…); `repl` supplies sort and results."""

    def __init__(self, repl, invalidate: Callable[[], None] = lambda: None,
                 changed: Callable[[], None] = lambda: None) -> None:
        self.repl = repl
        self.invalidate = invalidate
        self.changed = changed  # called when the article count moves (another process indexed)
        self.stats: IndexStats | None = None
        self._lock = threading.Lock()

    def __call__(self):
        text = toolbar_text(self.repl.index_path, self.stats, self.repl.sort, self.repl.results)
        return [("class:bottom-toolbar", text), ("class:toolbar.key", "  F1 help · Ctrl-D quit ")]

    def refresh(self) -> None:
        """Re-read the index figures (in its own connection) without blocking the caller."""
        if self._lock.locked():
            return
        threading.Thread(target=self.read, name="searchkit-toolbar", daemon=True).start()

    def read(self) -> None:
        """Re-read the index figures now (refresh() does it in a thread)."""
        from ..api import SearchIndex

        with self._lock:
            before = self.stats
            try:
                with SearchIndex.open(self.repl.index_path) as ix:
                    self.stats = ix.stats(top=1)
            except Exception:  # noqa: BLE001 — a missing index shows as no figures
                self.stats = None
        if before is not None and self.stats is not None and before.articles != self.stats.articles:
            self.changed()
        self.invalidate()
