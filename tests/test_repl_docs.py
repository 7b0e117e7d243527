"""docs/repl.md: every command and key is documented, and the sample session's lines run."""

from __future__ import annotations

import re
from pathlib import Path

from searchkit.repl.commands import COMMANDS, KEYS, Repl
from test_repl_support import isolated_home, repl_index  # noqa: F401

DOC = (Path(__file__).resolve().parents[1] / "docs" / "repl.md").read_text(encoding="utf-8")


def test_every_command_and_key_is_documented():
    for command in COMMANDS:
        assert f"| `:{command.name}" in DOC or f"`:{command.name}` /" in DOC or f"/ `:{command.name}`" in DOC, command.name
    for key, _ in KEYS:
        for part in key.split(" / "):
            assert part.split(" ")[0] in DOC, key


def test_the_sample_session_runs(repl_index, tmp_path, monkeypatch):
    """Each line typed in the sample session runs on a real index without an internal error."""
    monkeypatch.chdir(tmp_path)
    session = re.search(r"```text\n(.*?)```", DOC, re.S)[1]
    lines = re.findall(r"^searchkit> (.+)$", session, re.M)
    assert len(lines) >= 6
    repl = Repl(str(repl_index))
    for line in lines:
        output = repl.evaluate(line)
        assert not output.text.startswith("internal error"), (line, output.text)
    assert (tmp_path / "oil.csv").exists()
