"""Colours of the prompt line, the completion menu and the toolbar, by token class."""

from __future__ import annotations

from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

DEFAULT_COLORS = {
    "prompt": "ansigreen bold",
    "command": "ansimagenta bold",
    "argument": "",
    "operator": "ansiyellow bold",
    "field": "ansicyan bold",
    "unknown-field": "ansiyellow underline",
    "phrase": "ansigreen",
    "date": "ansiblue",
    "wildcard": "ansimagenta",
    "paren": "bold",
    "error": "ansiwhite bg:ansired",
    "word": "",
    "bottom-toolbar": "reverse",
    "toolbar.key": "bold",
}
PLAIN = {"bottom-toolbar": "reverse", "error": "underline", "prompt": "bold"}


def make_style(color: bool, overrides: dict[str, str] | None = None) -> Style:
    """The default colours with the user's `[colors]` on top; only bold/underline without colour."""
    rules = dict(DEFAULT_COLORS, **(overrides or {})) if color else dict(PLAIN)
    return Style([(name, value) for name, value in rules.items() if value])


def color_depth(color: bool) -> ColorDepth | None:
    """None lets prompt_toolkit choose (it honours NO_COLOR too); 1 bit when colour is off."""
    return None if color else ColorDepth.DEPTH_1_BIT
