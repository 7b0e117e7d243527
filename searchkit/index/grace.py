"""Index storage that gives searches time to finish before old segment files go.

Whoosh opens a segment's files lazily, while a search runs. When a writer in
another process commits, it deletes the files of the segments it merged away,
and a search that opened the previous generation then fails on a missing
`.col` or `.pst` file. `GraceStorage` keeps superseded segment files for
GRACE_SECONDS after a writer first asked to delete them, recording the request
in a small ledger; a later commit deletes them. Tables of contents are deleted
at once: a missing one only makes an opening reader retry with the newest.
"""

from __future__ import annotations

import json
import mmap
import os
import time

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

GRACE_SECONDS = 120.0
LEDGER = ".searchkit-superseded.json"  # a dot file: Whoosh's own cleaning passes over it


class GraceStorage(FileStorage):
    def _ledger_path(self) -> str:
        return os.path.join(self.folder, LEDGER)

    def _read_ledger(self) -> dict[str, float]:
        try:
            with open(self._ledger_path(), encoding="utf-8") as handle:
                ledger = json.load(handle)
            return {str(k): float(v) for k, v in ledger.items()} if isinstance(ledger, dict) else {}
        except (OSError, ValueError, TypeError):
            return {}

    def _write_ledger(self, ledger: dict[str, float]) -> None:
        """Atomic, and safe with several processes (a lost entry is only asked
        for again at the next commit, with a later time)."""
        temporary = f"{self._ledger_path()}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(ledger, handle)
            os.replace(temporary, self._ledger_path())
        except OSError:
            try:
                os.remove(temporary)
            except OSError:
                pass

    def delete_file(self, name: str) -> None:
        if name.endswith(".toc") or name.startswith("."):
            super().delete_file(name)
            return
        now = time.time()
        ledger = self._read_ledger()
        ledger.setdefault(name, now)
        for old, since in list(ledger.items()):
            if now - since >= GRACE_SECONDS:
                try:
                    super().delete_file(old)
                except FileNotFoundError:
                    pass
                del ledger[old]
        self._write_ledger(ledger)

    def open_file(self, name: str, **kwargs):
        """A segment file for reading, mapped into memory where the system allows:
        Whoosh reads a search's term infos, block headers and stored fields as many
        small seek-and-reads, each a system call on a plain file and a slice of
        memory on a mapped one."""
        handle = open(self._fpath(name), "rb")
        if os.name == "posix":
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                mapped = None
            if mapped is not None:
                handle.close()
                return MappedFile(mapped, name=name, **kwargs)
        return StructFile(handle, name=name, **kwargs)


class MappedFile(StructFile):
    """A StructFile over a read-only memory map (get leaves the position after
    what it read, as StructFile.get's seek-and-read does)."""

    def get(self, position: int, length: int) -> bytes:
        end = position + length
        self.file.seek(min(end, len(self.file)))
        return self.file[position:end]
