"""The interactive prompt: one function builds the PromptSession, a short loop runs it.

    run_repl("index")   # what `searchkit` (no arguments, on a terminal) and `searchkit repl` call
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import History

from ..render.text import paint
from . import pager as paging
from .commands import Output, Repl, command_names
from .completer import SearchCompleter, Vocabulary
from .config import Settings, color_enabled, load_settings, pager_command
from .history import make_history
from .keys import make_key_bindings
from .lexer import QueryLexer
from .style import color_depth, make_style
from .toolbar import Toolbar, index_label

DEFAULT_INDEX = "index"
DEFAULT_INPUT = "seeds"
PROMPT = [("class:prompt", "searchkit> ")]


def terminal_size() -> tuple[int, int]:
    size = get_app_session().output.get_size()
    return size.rows, size.columns


def build_session(repl: Repl, settings: Settings, color: bool, history: History,
                  vocabulary: Vocabulary, toolbar: Toolbar) -> PromptSession:
    """The PromptSession with history, suggestions, completion, highlighting and the toolbar."""
    return PromptSession(
        PROMPT,
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        enable_history_search=False,  # ↑ walks the history; Ctrl-R searches it
        completer=SearchCompleter(vocabulary, hits=lambda: repl.results.hits if repl.results else ()),
        complete_while_typing=True,
        lexer=QueryLexer(command_names()),
        bottom_toolbar=toolbar,
        key_bindings=make_key_bindings(),
        editing_mode=EditingMode.VI if settings.editing_mode == "vi" else EditingMode.EMACS,
        style=make_style(color, settings.colors),
        color_depth=color_depth(color),
        include_default_pygments_style=False,
    )


def print_ansi(text: str) -> None:
    print_formatted_text(ANSI(text))


def shower(color: bool, pager: Callable[[str], bool], echo: Callable[[str], None]) -> Callable[[Output], None]:
    """How an Output reaches the screen: errors in colour, long text through the pager."""

    def show(output: Output) -> None:
        if not output.text:
            return
        if output.kind == "error":
            echo(paint(output.text, "error", color))
        else:
            paging.show(output.text, output.page, terminal_size(), pager, echo)

    return show


def run_loop(session: PromptSession, repl: Repl, show: Callable[[Output], None],
             after: Callable[[], None] = lambda: None) -> int:
    """Read, evaluate, show. Ctrl-C clears the line, Ctrl-D (or :quit) leaves."""
    while True:
        try:
            line = session.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        try:
            output = repl.evaluate(line)
        except KeyboardInterrupt:
            output = Output("interrupted", kind="info")
        if output.exit:
            return 0
        show(output)
        after()


def _progress_line(done: int, total: int) -> None:
    if sys.stderr.isatty() and total and (total < 500 or done % 20 == 0 or done == total):
        filled = round(30 * done / total)
        sys.stderr.write(f"\rindexing {DEFAULT_INPUT}/ [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        sys.stderr.flush()


def ensure_default_index(index_path: str, echo: Callable[[str], None]) -> None:
    """Build the default index from `seeds/` when it does not exist yet, with a progress line."""
    from ..api import SearchIndex, is_cluster
    from ..errors import IndexNotFound, SearchkitError

    if is_cluster(index_path) or index_path != DEFAULT_INDEX or not os.path.isdir(DEFAULT_INPUT):
        return
    try:
        SearchIndex.open(index_path).close()
        return
    except IndexNotFound:
        pass
    except SearchkitError:
        return  # another problem (schema, lock): the REPL reports it on the first search
    echo(f"No index yet: building {index_path}/ from {DEFAULT_INPUT}/ …")
    with SearchIndex.create(index_path) as ix:
        report = ix.update([DEFAULT_INPUT], progress=_progress_line)
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 72 + "\r")
    echo(f"Indexed {report.indexed} articles in {report.seconds:.1f}s.")


def banner_location(index_path: str) -> str:
    """`index/` for a folder; a cluster URL as it is (without a password)."""
    from ..api import is_cluster

    return index_label(index_path) if is_cluster(index_path) else os.path.join(os.path.normpath(index_path), "")


def run_repl(index_path: str = DEFAULT_INDEX, pager: Callable[[str], bool] | None = None,
             echo: Callable[[str], None] | None = None, settings: Settings | None = None) -> int:
    """The REPL over `index_path`; returns the exit code. `pager`/`echo` are for tests."""
    from ..errors import SearchkitError

    settings = settings or load_settings()
    echo = echo or print_ansi
    color = color_enabled(settings, sys.stdout.isatty())
    for problem in settings.problems:
        echo(paint(f"warning: {problem}", "warning", color))
    try:
        ensure_default_index(index_path, echo)
    except SearchkitError as exc:
        echo(paint(f"error: {exc}", "error", color))
    history, problem = make_history()
    if problem:
        echo(paint(f"warning: {problem}", "warning", color))
    repl = Repl(index_path, limit=settings.limit, sort=settings.sort, color=color,
                width=lambda: min(terminal_size()[1], 120))
    vocabulary, toolbar = Vocabulary(), Toolbar(repl)
    session = build_session(repl, settings, color, history, vocabulary, toolbar)
    toolbar.invalidate = session.app.invalidate
    toolbar.changed = lambda: vocabulary.load_in_background(index_path)
    vocabulary.load_in_background(index_path, done=session.app.invalidate)
    toolbar.refresh()
    echo(f"searchkit · {banner_location(index_path)} · type a query; :help lists the commands; Ctrl-D leaves")
    show = shower(color, pager or paging.Pager(pager_command(settings)), echo)
    try:
        return run_loop(session, repl, show, after=toolbar.refresh)
    finally:
        repl.close()
