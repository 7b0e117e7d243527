"""REPL settings: a small INI file in the user's config folder, plus where history lives.

    $XDG_CONFIG_HOME/searchkit/config.ini   (default ~/.config/searchkit/config.ini)
    $XDG_STATE_HOME/searchkit/history       (default ~/.local/state/searchkit/history)

    [repl]
    limit = 10              # hits per page
    sort = relevance        # relevance | date
    editing_mode = emacs    # emacs | vi
    color = auto            # auto | always | never  (NO_COLOR always wins)
    pager = less -R         # used when $PAGER is unset; empty: never page

    [colors]                # prompt_toolkit style strings, by token class
    field = ansicyan bold

No prompt_toolkit here: this module is plain data and files.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

SORTS = ("relevance", "date")
EDITING_MODES = ("emacs", "vi")
COLOR_CHOICES = ("auto", "always", "never")
DEFAULT_PAGER = "less -R"


@dataclass(frozen=True)
class Settings:
    limit: int = 10
    sort: str = "relevance"
    editing_mode: str = "emacs"
    color: str = "auto"
    pager: str = DEFAULT_PAGER
    colors: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # bad values met while reading the file (the default was kept)


def _user_dir(variable: str, fallback: str) -> Path:
    base = os.environ.get(variable) or ""
    if not os.path.isabs(base):  # the XDG spec: relative paths are invalid, ignore them
        base = os.path.join(os.path.expanduser("~"), fallback)
    return Path(base) / "searchkit"


def config_path() -> Path:
    return _user_dir("XDG_CONFIG_HOME", ".config") / "config.ini"


def history_path() -> Path:
    return _user_dir("XDG_STATE_HOME", os.path.join(".local", "state")) / "history"


def ensure_private_file(path: Path) -> Path:
    """Create `path` (and its folder, 0700) if needed; the file is always mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def _choice(section, key: str, choices: tuple[str, ...], default: str, problems: list[str]) -> str:
    value = section.get(key, default).strip().lower()
    if value in choices:
        return value
    problems.append(f"{key} = {value!r} is not one of {', '.join(choices)}; using {default!r}")
    return default


def _limit(section, default: int, problems: list[str]) -> int:
    text = section.get("limit", str(default)).strip()
    if text.isdigit() and 1 <= int(text) <= 1000:
        return int(text)
    problems.append(f"limit = {text!r} is not a number from 1 to 1000; using {default}")
    return default


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the config file; a missing file gives the defaults, a bad value is reported."""
    path = config_path() if path is None else path
    parser = configparser.ConfigParser(inline_comment_prefixes=("#", ";"))
    defaults = Settings()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        return replace(defaults, problems=(f"{path}: {exc}",))
    section = parser["repl"] if parser.has_section("repl") else {}
    problems: list[str] = []
    return Settings(
        limit=_limit(section, defaults.limit, problems),
        sort=_choice(section, "sort", SORTS, defaults.sort, problems),
        editing_mode=_choice(section, "editing_mode", EDITING_MODES, defaults.editing_mode, problems),
        color=_choice(section, "color", COLOR_CHOICES, defaults.color, problems),
        pager=section.get("pager", defaults.pager).strip(),
        colors=dict(parser["colors"]) if parser.has_section("colors") else {},
        problems=tuple(f"{path}: {p}" for p in problems),
    )


def color_enabled(settings: Settings, is_tty: bool) -> bool:
    """NO_COLOR (https://no-color.org) always wins; then the setting; `auto` means a terminal."""
    if os.environ.get("NO_COLOR") or settings.color == "never":
        return False
    return settings.color == "always" or (is_tty and os.environ.get("TERM") != "dumb")


def pager_command(settings: Settings) -> str:
    """$PAGER, else the configured pager (an empty string means: never page)."""
    return os.environ.get("PAGER", settings.pager).strip()
