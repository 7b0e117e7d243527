"""Long output through a pager ($PAGER or `less -R`); short output straight to the terminal.

The REPL takes a `Pager` object, so tests pass their own and no real pager ever runs there.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Callable

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def visible_width(line: str) -> int:
    return len(_ANSI.sub("", line))


def fits(text: str, rows: int, columns: int) -> bool:
    """Whether `text` fits on the screen, leaving room for the prompt and the toolbar."""
    room = max(1, rows - 3)
    used = 0
    for line in text.split("\n"):
        used += max(1, -(-visible_width(line) // max(1, columns)))
        if used > room:
            return False
    return True


class Pager:
    """Runs `command` with the text on its standard input."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __call__(self, text: str) -> bool:
        """Show `text` in the pager; False when there is none or it failed (then print instead)."""
        if not self.command:
            return False
        try:
            argv = shlex.split(self.command)
        except ValueError:
            return False
        env = dict(os.environ)
        env.setdefault("LESS", "-R")  # colours survive a bare `less`
        try:
            completed = subprocess.run(argv, input=text + "\n", text=True, env=env, check=False)
        except (OSError, ValueError):
            return False
        return completed.returncode == 0 or completed.returncode == 1 and argv[0].endswith("less")


def show(text: str, page: bool, size: tuple[int, int], pager: Callable[[str], bool],
         echo: Callable[[str], None]) -> None:
    """Page `text` when asked to and it does not fit in `size` (rows, columns); else echo it."""
    rows, columns = size
    if page and not fits(text, rows, columns) and pager(text):
        return
    echo(text)
