"""Settings file, colours, history file mode, and when output goes to the pager."""

from __future__ import annotations

import stat

from searchkit.repl import pager as paging
from searchkit.repl.config import (
    Settings, color_enabled, config_path, ensure_private_file, load_settings, pager_command,
)
from searchkit.repl.style import make_style
from searchkit.repl.toolbar import toolbar_text
from test_repl_support import isolated_home  # noqa: F401


def write_config(text: str):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    return path


def test_defaults_without_a_file(isolated_home):
    assert config_path() == isolated_home / "config" / "searchkit" / "config.ini"
    assert load_settings() == Settings()


def test_settings_are_read_from_the_config_file():
    write_config("[repl]\nlimit = 25\nsort = date  # newest first\nediting_mode = vi\ncolor = never\n"
                 "pager = more\n[colors]\nfield = ansired\n")
    settings = load_settings()
    assert (settings.limit, settings.sort, settings.editing_mode, settings.color) == (25, "date", "vi", "never")
    assert settings.pager == "more" and settings.colors == {"field": "ansired"}
    assert settings.problems == ()


def test_bad_values_keep_the_defaults_and_are_reported():
    write_config("[repl]\nlimit = lots\nsort = size\n")
    settings = load_settings()
    assert (settings.limit, settings.sort) == (10, "relevance")
    assert len(settings.problems) == 2 and "limit" in settings.problems[0]
    write_config_broken = config_path()
    write_config_broken.write_text("no section here\n")
    assert load_settings().problems


def test_no_color_always_wins(monkeypatch):
    assert color_enabled(Settings(), is_tty=True)
    assert not color_enabled(Settings(), is_tty=False)
    assert color_enabled(Settings(color="always"), is_tty=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not color_enabled(Settings(color="always"), is_tty=True)


def test_pager_comes_from_the_environment_then_the_settings(monkeypatch):
    monkeypatch.delenv("PAGER")
    assert pager_command(Settings()) == "less -R"
    monkeypatch.setenv("PAGER", "most")
    assert pager_command(Settings()) == "most"


def test_private_files_are_mode_0600(tmp_path):
    path = ensure_private_file(tmp_path / "state" / "history")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_only_long_output_is_paged():
    seen, echoed = [], []
    pager = lambda text: seen.append(text) or True  # noqa: E731
    paging.show("short", True, (24, 80), pager, echoed.append)
    paging.show("\n".join(["line"] * 30), True, (24, 80), pager, echoed.append)
    paging.show("\n".join(["line"] * 30), False, (24, 80), pager, echoed.append)
    assert len(seen) == 1 and len(echoed) == 2
    assert not paging.fits("x" * 500, rows=5, columns=80)  # wrapped lines count
    assert paging.fits("\x1b[1m" + "x" * 70 + "\x1b[0m", rows=5, columns=80)  # escapes do not


def test_a_failed_or_absent_pager_falls_back_to_printing():
    echoed = []
    paging.show("\n".join(["line"] * 30), True, (24, 80), lambda text: False, echoed.append)
    assert len(echoed) == 1
    assert paging.Pager("")("text") is False


def test_toolbar_text_and_styles():
    assert toolbar_text("index", None, "date", None) == " index │ sort: date"
    assert make_style(False).style_rules and make_style(True, {"field": "ansired"}).style_rules


def test_the_toolbar_follows_the_index_and_tells_when_it_grew(tmp_path):
    import searchkit
    from searchkit.repl.commands import Repl
    from searchkit.repl.toolbar import Toolbar
    from test_repl_support import build_index

    index = build_index(tmp_path)
    grew = []
    toolbar = Toolbar(Repl(str(index)), changed=lambda: grew.append(True))
    toolbar.read()
    assert "15 articles" in toolbar()[0][1] and not grew
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "z.txt").write_text("date 2021-10-01\nZANZIBAR: Ferries resumed.\n")
    searchkit.index_folder([extra], index)
    toolbar.read()
    assert "16 articles" in toolbar()[0][1] and grew == [True]
