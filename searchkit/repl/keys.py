"""Extra keys. prompt_toolkit already gives Ctrl-R (history search), Ctrl-C (raises, so the
loop clears the line), Ctrl-D (leaves), → (accepts a suggestion) and the Emacs/Vi keys."""

from __future__ import annotations

from prompt_toolkit.application.current import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings


@Condition
def _line_empty() -> bool:
    return not get_app().current_buffer.text


def _run(event, line: str) -> None:
    buffer = event.current_buffer
    buffer.text = line
    buffer.validate_and_handle()


def make_key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("pagedown", filter=_line_empty)
    def _next(event) -> None:
        _run(event, ":next")

    @bindings.add("pageup", filter=_line_empty)
    def _prev(event) -> None:
        _run(event, ":prev")

    @bindings.add("f1")
    def _help(event) -> None:
        _run(event, ":help")

    return bindings
