"""Ctrl-C for the `searchkit` command: a KeyboardInterrupt where the work can stop, never
inside a destructor.

Python raises KeyboardInterrupt at whatever line runs when SIGINT arrives. Inside a
destructor (`__del__`, such as the one whoosh's file lock runs each time a lock object is
freed) the exception cannot get out: the interpreter prints "Exception ignored in … Traceback
… KeyboardInterrupt" on stderr and the work goes on as if Ctrl-C had not been pressed. The
handler here raises it only outside destructors; inside one, it asks for the signal again a
few milliseconds later (SIGALRM), by which time the destructor has returned.

Only the command installs it (cli.console): the library leaves a program's signals alone.
"""

from __future__ import annotations

import signal
from types import FrameType

RETRY_SECONDS = 0.005
_DESTRUCTORS = frozenset({"__del__"})


def _in_destructor(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name in _DESTRUCTORS:
            return True
        frame = frame.f_back
    return False


def _interrupt(signum: int, frame: FrameType | None) -> None:
    if _in_destructor(frame):
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        return
    raise KeyboardInterrupt


def install() -> None:
    """Ctrl-C raises KeyboardInterrupt, outside destructors only (see the module). Where there
    is no interval timer (Windows) Python's own handler stays."""
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)


def ignore() -> None:
    """From here on Ctrl-C does nothing: the work is done and the interpreter shuts down,
    which frees the last locks (their destructors are where a signal would print)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
