"""The whole session driven through prompt_toolkit's pipe input and dummy output."""

from __future__ import annotations

import stat
import subprocess
import sys

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from searchkit.repl.app import run_repl
from searchkit.repl.config import config_path, history_path, load_settings
from test_repl_support import isolated_home, repl_index, write_corpus  # noqa: F401

ENTER, CTRL_C, CTRL_D = "\r", "\x03", "\x04"


def drive(index: str, keys: str):
    """Run the REPL on `keys`; returns (exit code, lines echoed, texts sent to the pager)."""
    echoed: list[str] = []
    paged: list[str] = []

    def pager(text: str) -> bool:
        paged.append(text)
        return True

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            code = run_repl(index, pager=pager, echo=echoed.append, settings=load_settings())
    return code, echoed, paged


def test_a_query_then_open_then_ctrl_d(repl_index):
    code, echoed, paged = drive(str(repl_index), f"afghanistan{ENTER}:open 1{ENTER}{CTRL_D}")
    assert code == 0
    assert "articles match" in paged[0]  # ten hits do not fit in 40 rows: the pager got them
    assert any("CIA chief William Burns" in text for text in echoed + paged[1:])


def test_ctrl_c_clears_the_line_and_the_session_goes_on(repl_index):
    code, echoed, paged = drive(str(repl_index), f"oil{CTRL_C}kabul{ENTER}{CTRL_D}")
    assert code == 0
    assert any("1 articles match" in text for text in echoed)  # `kabul`, not `oilkabul`


def test_errors_are_one_line_and_quit_leaves(repl_index):
    code, echoed, _ = drive(str(repl_index), f'person:"Wil{ENTER}:opne{ENTER}:quit{ENTER}oil{ENTER}')
    errors = [line for line in echoed if "error" in line or "unknown command" in line]
    assert len(errors) == 2 and all("\n" not in line for line in errors)
    assert "did you mean :open?" in errors[1]
    assert code == 0 and not any("articles match" in line for line in echoed)  # left at :quit


def test_history_is_saved_privately_in_the_state_folder(repl_index, isolated_home):
    drive(str(repl_index), f"kabul{ENTER}{CTRL_D}")
    path = history_path()
    assert path.is_relative_to(isolated_home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "+kabul" in path.read_text()


def test_the_default_index_is_built_from_seeds_first(tmp_path, monkeypatch):
    write_corpus(tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    code, echoed, _ = drive("index", f"kabul{ENTER}{CTRL_D}")
    assert code == 0 and (tmp_path / "index").is_dir()
    assert any(line.startswith("Indexed 15 articles") for line in echoed)
    assert any("1 articles match" in line for line in echoed)


def test_a_missing_index_is_reported_and_the_session_goes_on(tmp_path):
    code, echoed, _ = drive(str(tmp_path / "nowhere"), f"kabul{ENTER}:help{ENTER}{CTRL_D}")
    assert code == 0
    assert any(line.startswith("error:") for line in echoed)
    assert any(":timeline" in text for text in echoed)


def test_importing_searchkit_leaves_prompt_toolkit_out():
    code = "import sys, searchkit; print('prompt_toolkit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_ctrl_r_finds_a_query_from_an_earlier_session(repl_index):
    drive(str(repl_index), f"kabul{ENTER}{CTRL_D}")
    code, echoed, _ = drive(str(repl_index), f"\x12kab{ENTER}{ENTER}{CTRL_D}")
    assert any("1 articles match" in line for line in echoed)


def test_vi_mode_comes_from_the_settings(repl_index):
    config = config_path()
    config.parent.mkdir(parents=True)
    config.write_text("[repl]\nediting_mode = vi\nlimit = 2\n")
    # vi: Escape leaves insert mode, `0` goes home, `i` inserts there
    code, echoed, _ = drive(str(repl_index), f"bul\x1b0ika\r{CTRL_D}")
    assert any("1 articles match; showing 1–1" in line for line in echoed)
