"""One writer per index folder, across processes.

Whoosh takes its own WRITELOCK for each writer, but searchkit commits in
batches and reopens a writer after each commit: without a lock held for the
whole run, a second `searchkit index` could slip in between two batches.
This lock is held from the start of an update (or a rebuild) to its end.

It is an OS lock (`flock` on POSIX, `msvcrt.locking` on Windows) on the file
`searchkit.lock` in the index folder: the operating system releases it when
the process dies, so a killed run never leaves a stale lock behind. The file
itself stays; its presence means nothing.

Locks are re-entrant within a process (the CLI holds the lock around a
rebuild and the update that follows it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexLocked

LOCK_FILE = "searchkit.lock"
POLL_SECONDS = 0.2

_held: dict[str, list[int]] = {}  # realpath of the folder -> [fd, depth]


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def _acquire(folder: Path, wait: float | None, on_wait: Callable[[], None] | None) -> int:
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    try:
        while not _try_lock(fd):
            if deadline is not None and time.monotonic() >= deadline:
                raise IndexLocked(f"another 'searchkit index' is writing to {str(folder)!r}")
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def writing(folder: str | os.PathLike, wait: float | None = 0.0,
            on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the index folder's write lock (creating the folder if needed).

    wait: seconds to wait for another writer (None: as long as it takes);
    on_wait is called once when the wait begins. Raises IndexLocked."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(path)
    entry = _held.get(key)
    if entry is None:
        entry = _held[key] = [_acquire(path, wait, on_wait), 0]
    entry[1] += 1
    try:
        yield
    finally:
        entry[1] -= 1
        if entry[1] == 0:
            del _held[key]
            try:
                _unlock(entry[0])
            finally:
                os.close(entry[0])
