"""End to end: the real `searchkit repl` in a pseudo-terminal, typed at like a user would."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from test_repl_support import isolated_home, repl_index  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB0-9]|\r")
CURSOR_QUERY = b"\x1b[6n"


class Terminal:
    """A child process on a pty of `rows` x `columns`; answers cursor-position queries."""

    def __init__(self, argv: list[str], env: dict, rows: int = 24, columns: int = 100) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.master = master
        self.seen = b""

    def read_until(self, pattern: bytes, timeout: float = 10.0) -> str:
        """Read until `pattern` matches the text (escapes removed) read since the last call."""
        start, deadline = len(self.seen), time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if CURSOR_QUERY in data:
                os.write(self.master, b"\x1b[1;1R")
            self.seen += data
            text = ANSI.sub(b"", self.seen[start:])
            if re.search(pattern, text, re.S):
                return text.decode("utf-8", "replace")
        raise AssertionError(f"no {pattern!r} in {ANSI.sub(b'', self.seen[start:])[-1500:]!r}")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.process.wait(10)
        finally:
            os.close(self.master)


@pytest.fixture
def terminal(repl_index):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PAGER="cat", TERM="xterm", NO_COLOR="1")
    term = Terminal([sys.executable, "-m", "searchkit", "repl", "--index", str(repl_index)], env)
    yield term
    if term.process.poll() is None:
        term.process.kill()
        term.close()


def test_search_open_and_leave_in_a_real_terminal(terminal):
    terminal.read_until(rb"searchkit>")
    terminal.type("afghanistan\r")
    listing = terminal.read_until(rb"articles match.*\n 10\. .*id: .*searchkit>")
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\. \d{4}-\d\d-\d\d ", listing, re.M)]
    assert numbers == list(range(1, 11))
    first_title = re.search(r"^\s*1\. \d{4}-\d\d-\d\d (.{30})", listing, re.M)[1]
    terminal.type(":open 1\r")
    article = terminal.read_until(re.escape(first_title.encode()) + rb".*\n.*searchkit>")
    assert article.index(":open 1") < article.index(first_title)
    terminal.type("\x04")
    assert terminal.close() == 0
    assert b"Traceback" not in terminal.seen
