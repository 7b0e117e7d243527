"""The README's commands and examples are run, so they never rot."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A working folder holding a copy of seeds/, as a fresh checkout has."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    setup = README.split("## Set up a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in re.findall(r"```sh\n(.*?)```", setup, flags=re.DOTALL)]
    assert len(commands) == 2
    main_job, test_command = commands
    assert "searchkit index seeds" in main_job
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_python_examples_run(project_copy):
    for block in code_blocks("python"):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})
        assert out.getvalue().strip()


def test_cluster_examples_run(project_copy, opensearch_index_url):
    """The README's cluster example, on a test node's index holding the seeds."""
    import searchkit

    searchkit.index_folder(["seeds"], opensearch_index_url)
    blocks = re.findall(r"```python cluster\n(.*?)```", README, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        code = re.sub(r"opensearch://[^\"]+", opensearch_index_url, block)
        namespace: dict = {}
        exec(compile(code, "README.md", "exec"), namespace)
        assert namespace["results"].total >= 1


def test_console_examples_run(project_copy):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    commands = [line[2:] for block in code_blocks("console") for line in block.splitlines()
                if line.startswith("$ ")]
    assert len(commands) >= 5
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "searchkit"
        done = subprocess.run([sys.executable, "-m", "searchkit", *argv[1:]], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr


def test_every_cli_command_is_documented():
    from searchkit.cli import COMMANDS

    for command in COMMANDS:
        assert f"searchkit {command}" in README, command
