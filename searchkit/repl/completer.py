"""Tab completion: commands, field names, and names and words from the index.

The names and words are read by a background thread (`Vocabulary.load_in_background`),
so the prompt never waits for them; until they arrive, commands and fields still complete.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from .. import api
from ..models import Hit
from .commands import COMMANDS, FEEDBACK_CHOICES
from .config import SORTS

ENTITY_FIELDS = {"person": "person", "org": "org", "place": "place", "dateline": "place"}
MOST_NAMES = 5000
MOST_WORDS = 3000
TITLES_READ = 3000
MOST_SHOWN = 40
_WORDS = re.compile(r"[^\W\d_][\w'’-]{2,}")
_QUOTED = re.compile(r'(\w+):"([^"]*)$')
_FIELD_VALUE = re.compile(r'(\w+):([^\s"()]*)$')
_BARE = re.compile(r'(?:^|(?<=[\s(+-]))([^\s"():]+)$')


def title_words(titles: Iterable[str], most: int = MOST_WORDS) -> list[str]:
    """The most frequent words of the titles, each in its most common spelling."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for title in titles:
        for word in _WORDS.findall(title):
            key = word.lower()
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [spellings[key].most_common(1)[0][0] for key, _ in counts.most_common(most)]


class Vocabulary:
    """Entity names by kind and frequent words, from one index. Empty until loaded."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {"person": [], "org": [], "place": []}
        self.words: list[str] = []
        self.loaded = threading.Event()
        self.error: str | None = None

    def load(self, ix) -> None:
        """Fill in from an open SearchIndex (call from any thread that owns `ix`)."""
        for facet in ix.entities(None, top=MOST_NAMES):
            self.names[facet.kind] = [value.name for value in facet.values]
        terms = getattr(ix, "frequent_terms", None)  # a library word list, when there is one
        if callable(terms):
            self.words = list(terms(MOST_WORDS))
        else:
            titles = (hit.title for hit in ix.search("date:*", limit=TITLES_READ, sort="date").hits)
            self.words = title_words(titles)
        self.loaded.set()

    def load_in_background(self, index_path: str, done: Callable[[], None] = lambda: None) -> threading.Thread:
        """Open the index in a thread of its own and load; `done` runs afterwards."""

        def run() -> None:
            from ..api import SearchIndex

            try:
                with SearchIndex.open(index_path) as ix:
                    self.load(ix)
            except Exception as exc:  # noqa: BLE001 — no completion is better than a crash
                self.error = str(exc)
            finally:
                self.loaded.set()
                done()

        thread = threading.Thread(target=run, name="searchkit-vocabulary", daemon=True)
        thread.start()
        return thread

    def all_names(self) -> Iterator[tuple[str, str]]:
        for kind, names in self.names.items():
            for name in names:
                yield kind, name


def name_matches(name: str, prefix: str) -> bool:
    """`Wil` and `burns` both match `William Burns`: the start of the name or of a word in it."""
    prefix = prefix.lower()
    lowered = name.lower()
    return lowered.startswith(prefix) or any(word.startswith(prefix) for word in lowered.split())


def _quote(name: str) -> str:
    return f'"{name}"' if re.search(r"[\s:()]", name) else name


class SearchCompleter(Completer):
    """Completes a REPL line. `hits` gives the results on screen (for `:open N`)."""

    def __init__(self, vocabulary: Vocabulary, hits: Callable[[], Iterable[Hit]] = tuple) -> None:
        self.vocabulary = vocabulary
        self.hits = hits
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.lstrip().startswith(":"):
            yield from self._command(text.lstrip()[1:], complete_event)
        else:
            yield from self._query(text)

    # -- :commands and their arguments --
    def _command(self, text: str, event: CompleteEvent) -> Iterator[Completion]:
        name, space, argument = text.partition(" ")
        if not space:
            for command in COMMANDS:
                if command.name.startswith(name.lower()):
                    yield Completion(f":{command.name}", -len(name) - 1, display_meta=command.description)
            return
        if name == "sort":
            yield from (Completion(s, -len(argument)) for s in SORTS if s.startswith(argument))
        elif name == "feedback":
            yield from (Completion(s, -len(argument)) for s in FEEDBACK_CHOICES if s.startswith(argument))
        elif name in ("open", "similar", "explain"):
            for hit in self.hits():
                if str(hit.rank).startswith(argument):
                    yield Completion(str(hit.rank), -len(argument), display_meta=hit.title[:60])
        elif name == "export":
            yield from self.paths.get_completions(Document(argument), event)

    # -- queries: field:"Name, field:value, bare words --
    def _query(self, text: str) -> Iterator[Completion]:
        quoted = _QUOTED.search(text)
        if quoted:
            yield from self._names(quoted[1], quoted[2], closing='"')
            return
        value = _FIELD_VALUE.search(text)
        if value:
            yield from self._names(value[1], value[2], closing="", quote=True)
            return
        bare = _BARE.search(text)
        if bare:
            yield from self._words(bare[1])

    def _names(self, field: str, prefix: str, closing: str, quote: bool = False) -> Iterator[Completion]:
        kind = ENTITY_FIELDS.get(field.lower())
        if kind is None:
            return
        shown = 0
        for name in self.vocabulary.names.get(kind, ()):
            if shown < MOST_SHOWN and name_matches(name, prefix) and name != prefix:
                shown += 1
                yield Completion((_quote(name) if quote else name) + closing, -len(prefix),
                                 display=name, display_meta=kind)

    def _words(self, prefix: str) -> Iterator[Completion]:
        lowered = prefix.lower()
        for field in api.query_fields():
            if field.startswith(lowered):
                yield Completion(f"{field}:", -len(prefix), display_meta="field")
        shown = 0
        for kind, name in self.vocabulary.all_names():
            if shown < MOST_SHOWN // 2 and " " in name and name.lower().startswith(lowered):
                shown += 1
                yield Completion(_quote(name), -len(prefix), display=name, display_meta=kind)
        for word in self.vocabulary.words:
            if shown < MOST_SHOWN and word.lower().startswith(lowered) and word.lower() != lowered:
                shown += 1
                yield Completion(word, -len(prefix), display_meta="word")
