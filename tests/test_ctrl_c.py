"""Ctrl-C that arrives while a destructor runs (whoosh frees a file lock each time a writer
is done with it): the command stops with "searchkit: interrupted", never an "Exception
ignored … Traceback" on stderr and a run that goes on (searchkit/interrupt.py).

Found by test_interrupt.py, whose random Ctrl-C landed there about once in a few runs; here
the signal is sent from inside the destructor, so it lands there every time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import ROOT

DESTRUCTOR_SENDS_CTRL_C = """
import os, signal, sys, time
class Lock:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10_000))  # the handler runs here, inside the destructor
if sys.argv[1] == "handled":
    from searchkit import interrupt
    interrupt.install()
try:
    Lock()
    time.sleep(5)
    print("went on")
except KeyboardInterrupt:
    print("interrupted")
"""


def run_python(code: str, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", **env_extra)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_python_alone_loses_a_ctrl_c_that_lands_in_a_destructor():
    """What the handler is for: Python's own prints a traceback and goes on."""
    done = run_python(DESTRUCTOR_SENDS_CTRL_C, "python")
    assert done.stdout.strip() == "went on"
    assert "Exception ignored" in done.stderr and "KeyboardInterrupt" in done.stderr


def test_the_handler_interrupts_after_the_destructor_returns():
    done = run_python(DESTRUCTOR_SENDS_CTRL_C, "handled")
    assert done.stdout.strip() == "interrupted"
    assert done.stderr == ""


def test_index_interrupted_in_a_lock_destructor_says_so_in_one_line(tmp_path):
    docs, index, marker = tmp_path / "docs", tmp_path / "ix", tmp_path / "sent"
    docs.mkdir()
    for number in range(300):  # a commit every 10 articles: locks are freed while work remains
        (docs / f"{number:03d}.txt").write_text(
            f"date 2021-03-{number % 28 + 1:02d}\nKABUL: Article {number} about the envoys.\n", encoding="utf-8")
    done = run_python(f"""
        import os, signal, sys
        from whoosh.util import filelock
        original = filelock.LockBase.__del__
        def __del__(self):
            if not os.path.exists({str(marker)!r}):
                open({str(marker)!r}, "w").close()
                os.kill(os.getpid(), signal.SIGINT)
            original(self)
        filelock.LockBase.__del__ = __del__
        from searchkit.cli import console
        sys.argv = ["searchkit", "index", {str(docs)!r}, "--index", {str(index)!r}]
        sys.exit(console())
        """, SEARCHKIT_BATCH="10")
    assert marker.exists(), "no lock was freed: the test sent no signal"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert done.stderr.strip().splitlines()[-1] == "searchkit: interrupted"
