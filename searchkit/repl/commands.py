"""What a REPL line does. `Repl.evaluate(line)` returns an `Output`; it never prints.

A line is a query (searched, page 1) or a `:command`. Errors become one readable
`Output(kind="error")` line: the loop shows it and goes on.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SearchkitError
from ..models import Hit, Results
from ..render import text as render
from .config import SORTS


@dataclass(frozen=True)
class Output:
    text: str = ""
    kind: str = "text"  # text | info | error
    page: bool = False  # long enough output may go through the pager
    exit: bool = False


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    description: str
    aliases: tuple[str, ...] = ()


COMMANDS = (
    Command("help", "", "list the commands and keys", ("h", "?")),
    Command("open", "N", "show article N of the results in full (in the pager)", ("o", "show")),
    Command("next", "", "the next page of results", ("n",)),
    Command("prev", "", "the previous page of results", ("p", "previous")),
    Command("sort", "relevance|date", "order results by relevance or newest first"),
    Command("limit", "N", "show N results per page"),
    Command("feedback", "on|off", "rank the matches again with words of the best articles"),
    Command("facets", "", "top people, organisations and places of all matches", ("entities",)),
    Command("timeline", "", "matches over time, as bars", ("t",)),
    Command("similar", "N", "articles like result N"),
    Command("explain", "N", "why result N scored as it did"),
    Command("export", "FILE", "write all matches to FILE (.jsonl or .csv)"),
    Command("stats", "", "article count, date span and top entities of the index"),
    Command("quit", "", "leave (Ctrl-D does too)", ("q", "exit")),
)
KEYS = (
    ("Enter", "search, or run a :command"),
    ("Tab", "complete commands, fields (person:) and names from the index"),
    ("→ / Ctrl-E", "accept the grey suggestion from history"),
    ("Ctrl-R", "search the history"),
    ("Page Down / Page Up", "next / previous page of results (on an empty line)"),
    ("F1", "this help"),
    ("Ctrl-C", "clear the line"),
    ("Ctrl-D", "leave"),
)
_BY_NAME = {alias: c for c in COMMANDS for alias in (c.name, *c.aliases)}
FEEDBACK_CHOICES = ("on", "off")


def command_names() -> frozenset[str]:
    return frozenset(_BY_NAME)


def help_text() -> str:
    width = max(len(f":{c.name} {c.usage}") for c in COMMANDS)
    lines = ["Type a query to search (syntax: AND OR NOT, \"phrases\", person:, date:2021-09 …).", ""]
    lines += [f"  {f':{c.name} {c.usage}'.strip():<{width}}  {c.description}" for c in COMMANDS]
    lines += ["", "Keys:"]
    key_width = max(len(k) for k, _ in KEYS)
    lines += [f"  {k:<{key_width}}  {d}" for k, d in KEYS]
    return "\n".join(lines)


def unknown_command(name: str) -> Output:
    close = difflib.get_close_matches(name, list(_BY_NAME), n=1, cutoff=0.6)
    hint = f" — did you mean :{_BY_NAME[close[0]].name}?" if close else ""
    return Output(f"unknown command :{name}{hint} (:help lists the commands)", kind="error")


def error_output(exc: Exception) -> Output:
    if isinstance(exc, SearchkitError):
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        return Output(f"error: {exc}{hint}", kind="error")
    return Output(f"internal error: {type(exc).__name__}: {exc} (please report it)", kind="error")


def _number(argument: str, what: str) -> int:
    if not argument.strip().isdigit() or int(argument) < 1:
        raise SearchkitError(f"{what} needs a number, not {argument.strip()!r}", hint=f"e.g. :{what} 1")
    return int(argument)


class Repl:
    """The state of one session (index, query, page, sort, limit) and the commands over it."""

    def __init__(self, index_path: str, limit: int = 10, sort: str = "relevance", color: bool = False,
                 width: Callable[[], int] = lambda: 100, opener: Callable | None = None) -> None:
        self.index_path = index_path
        self.limit, self.sort, self.color = limit, sort, color
        self.width = width
        self.query: str | None = None
        self.results: Results | None = None
        self.feedback = False  # pseudo-relevance feedback (search/feedback.py), :feedback on
        self._opener = opener
        self._index = None

    # -- the index, opened on first use (a missing index is an error line, not the end) --
    @property
    def index(self):
        if self._index is None:
            from ..api import SearchIndex

            self._index = (self._opener or SearchIndex.open)(self.index_path)
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    # -- evaluating a line --
    def evaluate(self, line: str) -> Output:
        line = line.strip()
        if not line:
            return Output()
        try:
            if line.startswith(":"):
                name, _, argument = line[1:].partition(" ")
                command = _BY_NAME.get(name.lower())
                if command is None:
                    return unknown_command(name)
                return getattr(self, f"cmd_{command.name}")(argument.strip())
            return self._search(1, line)
        except SearchkitError as exc:
            return error_output(exc)
        except Exception as exc:  # noqa: BLE001 — the REPL never shows a traceback
            return error_output(exc)

    def _search(self, page: int, query: str | None = None) -> Output:
        """Run `query` (default: the current one); it becomes current only when it ran."""
        query = query or self.query
        results = self.index.search(query, limit=self.limit, page=page, sort=self.sort, feedback=self.feedback)
        self.query, self.results = query, results
        return Output(render.format_results(results, color=self.color, width=self.width()), page=True)

    def _need_query(self) -> str:
        if not self.query:
            raise SearchkitError("no query yet", hint="type some words to search first")
        return self.query

    def _hit(self, argument: str, what: str) -> Hit:
        """Result number N of the current query (fetching its page when not shown)."""
        number = _number(argument, what)
        hits = self.results.hits if self.results else ()
        found = next((hit for hit in hits if hit.rank == number), None)
        if found is None:
            page = (number - 1) // self.limit + 1
            results = self.index.search(self._need_query(), limit=self.limit, page=page, sort=self.sort,
                                        feedback=self.feedback)
            found = next((hit for hit in results.hits if hit.rank == number), None)
        if found is None:
            total = self.results.total if self.results else 0
            raise SearchkitError(f"there is no result {number}", hint=f"results are numbered 1 to {total}")
        return found

    # -- commands: cmd_<name>(argument) -> Output --
    def cmd_help(self, argument: str) -> Output:
        return Output(help_text(), page=True)

    def cmd_quit(self, argument: str) -> Output:
        return Output(exit=True)

    def cmd_open(self, argument: str) -> Output:
        article = self.index.get(self._hit(argument, "open").id)
        return Output(render.format_article(article, color=self.color, width=self.width()), page=True)

    def cmd_next(self, argument: str) -> Output:
        self._need_query()
        if self.results and self.results.page >= self.results.pages:
            return Output(f"already on the last page ({self.results.pages})", kind="info")
        return self._search((self.results.page if self.results else 0) + 1)

    def cmd_prev(self, argument: str) -> Output:
        self._need_query()
        if not self.results or self.results.page <= 1:
            return Output("already on the first page", kind="info")
        return self._search(self.results.page - 1)

    def cmd_sort(self, argument: str) -> Output:
        choice = argument.lower()
        if choice not in SORTS:
            raise SearchkitError(f"cannot sort by {argument!r}", hint="use :sort relevance or :sort date")
        self.sort = choice
        return self._search(1) if self.query else Output(f"sorting by {choice}", kind="info")

    def cmd_feedback(self, argument: str) -> Output:
        choice = argument.lower()
        if choice not in FEEDBACK_CHOICES:
            raise SearchkitError(f"feedback cannot be {argument!r}", hint="use :feedback on or :feedback off")
        self.feedback = choice == "on"
        if self.query:
            return self._search(1)
        return Output(f"feedback {choice}: results are ranked again with words of the best articles"
                      if self.feedback else "feedback off", kind="info")

    def cmd_limit(self, argument: str) -> Output:
        number = _number(argument, "limit")
        if number > 1000:
            raise SearchkitError("at most 1000 results per page", hint="e.g. :limit 20")
        self.limit = number
        return self._search(1) if self.query else Output(f"{number} results per page", kind="info")

    def cmd_facets(self, argument: str) -> Output:
        facets = self.index.entities(self._need_query(), top=10)
        return Output(render.format_entity_table(facets, color=self.color), page=True)

    def cmd_timeline(self, argument: str) -> Output:
        interval, buckets = self.index.timeline(self._need_query())
        return Output(render.format_timeline(interval, buckets, color=self.color, width=self.width()),
                      page=True)

    def cmd_stats(self, argument: str) -> Output:
        return Output(render.format_stats(self.index.stats(), color=self.color), page=True)

    def cmd_export(self, argument: str) -> Output:
        from .export import export_matches

        if not argument:
            raise SearchkitError(":export needs a file name", hint="e.g. :export matches.jsonl")
        count = export_matches(self.index, self._need_query(), self.sort, argument, self.feedback)
        return Output(f"wrote {count} matches to {argument}", kind="info")

    def cmd_similar(self, argument: str) -> Output:
        found = self.index.similar(self._hit(argument, "similar").id, limit=self.limit)
        return Output(self._render_found(found), page=True)

    def cmd_explain(self, argument: str) -> Output:
        found = self.index.explain(self._need_query(), self._hit(argument, "explain").id,
                                   feedback=self.feedback and self.sort == "relevance")
        return Output("\n".join(found.lines()), page=True)

    def _render_found(self, found) -> str:
        if isinstance(found, Results):
            return render.format_results(found, color=self.color, width=self.width())
        lines = []
        for hit in found:
            lines += [""] + render.format_hit(hit, color=self.color, width=self.width())
        return "\n".join(lines[1:]) or "No similar articles."
