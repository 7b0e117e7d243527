"""Gazetteers and word lists for the rule-based entity extractor.

The data ships in `searchkit/analysis/data/` (plain text, written for this
project; sources and licences in `data/SOURCES.md`) and is read once, lazily,
on first use. Nothing is fetched at run time.

Line formats (blank lines and `#` comments are ignored):

- `countries.txt`: `Canonical = alias, alias | demonym, demonym`
- `cities.txt`, `regions.txt`: `Canonical = alias | Country`
- `orgs.txt`: `Canonical = alias, alias | Country` (the country is optional)
- `first_names.txt`: given names separated by spaces
- `lexicon.txt`: `[section]` headers followed by words separated by spaces

Lookups are case-insensitive, except for names written all in capitals in the
data (`US`, `IS`, `WHO`): those match only in capitals, so "Us" and "Who" at
the start of a sentence are not taken for the United States or the WHO.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

DATA_PACKAGE = "searchkit.analysis.data"
MAX_CACHED_NAMES = 200_000


def normalise_key(name: str) -> str:
    """The lookup key of a name: lower case, straight apostrophes, single spaces."""
    return " ".join(name.replace("’", "'").lower().split())


def is_acronym(word: str) -> bool:
    """`CIA`, `U.S.`, `G7`, `M&A`: capitals (and digits, dots, & or -), 2 to 6 letters."""
    if word[1:2].islower():  # the usual capitalised word: not an acronym
        return False
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters) and word[0].isupper()


@dataclass
class Gazetteer:
    """Known names: each maps a lookup key to (canonical name, kind)."""

    exact: dict[str, tuple[str, str]] = field(default_factory=dict)  # all-capital forms
    folded: dict[str, tuple[str, str]] = field(default_factory=dict)  # normalise_key forms
    demonyms: dict[str, str] = field(default_factory=dict)  # key -> country
    country_of: dict[str, str] = field(default_factory=dict)  # canonical place/org -> country
    countries: set[str] = field(default_factory=set)
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # lexicon sections
    max_words: int = 1  # the longest name, in words
    _known: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False)

    def known(self, name: str) -> tuple[str, str] | None:
        """lookup(name), else (the country of the demonym name, "place"), else None.
        A pure function of the name, so cached (candidate names repeat a lot)."""
        try:
            return self._known[name]
        except KeyError:
            pass
        hit = self.lookup(name)
        if hit is None:
            country = self.demonym(name)
            hit = (country, "place") if country is not None else None
        if len(self._known) >= MAX_CACHED_NAMES:
            self._known.clear()
        self._known[name] = hit
        return hit

    def lookup(self, name: str) -> tuple[str, str] | None:
        """(canonical, kind) of a known place or organisation, or None."""
        hit = self.exact.get(name)
        if hit is None:
            key = name.lower()
            hit = self.folded.get(key if "’" not in key and "\n" not in key else normalise_key(name))
        return hit

    def demonym(self, name: str) -> str | None:
        """The country a demonym names ("Russian" -> Russia), or None."""
        return self.demonyms.get(normalise_key(name))

    def add(self, name: str, canonical: str, kind: str) -> None:
        if is_acronym(name) and "." not in name and name.upper() == name:
            self.exact.setdefault(name, (canonical, kind))
            if len(name) >= 4:  # Opec, Gatt, Nasa: long acronyms also match in title case
                self.folded.setdefault(normalise_key(name), (canonical, kind))
        else:
            self.folded.setdefault(normalise_key(name), (canonical, kind))
        self.max_words = max(self.max_words, len(name.split()))


def read_data(name: str) -> list[str]:
    """The meaningful lines of one data file."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def parse_entry(line: str) -> tuple[str, list[str], list[str]]:
    """`Canonical = a, b | x, y` -> ("Canonical", ["a", "b"], ["x", "y"])."""
    names, _, extra = line.partition("|")
    canonical, _, aliases = names.partition("=")
    split = lambda part: [item.strip() for item in part.split(",") if item.strip()]  # noqa: E731
    return canonical.strip(), split(aliases), split(extra)


def read_lexicon(name: str = "lexicon.txt") -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in read_data(name):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        else:
            current.update(line.split())
    return {key: frozenset(value) for key, value in sections.items()}


def _add_places(gaz: Gazetteer) -> None:
    for line in read_data("countries.txt"):
        canonical, aliases, demonyms = parse_entry(line)
        gaz.countries.add(canonical)
        gaz.country_of[canonical] = canonical
        for name in [canonical, *aliases]:
            gaz.add(name, canonical, "place")
        for name in demonyms:
            gaz.demonyms.setdefault(normalise_key(name), canonical)
    for filename in ("cities.txt", "regions.txt"):
        for line in read_data(filename):
            canonical, aliases, country = parse_entry(line)
            if country:
                gaz.country_of.setdefault(canonical, country[0])
            for name in [canonical, *aliases]:
                gaz.add(name, canonical, "place")


def _add_orgs(gaz: Gazetteer) -> None:
    for line in read_data("orgs.txt"):
        canonical, aliases, country = parse_entry(line)
        if country:
            gaz.country_of[canonical] = country[0]
        for name in [canonical, *aliases]:
            gaz.add(name, canonical, "org")


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (read once per process)."""
    gaz = Gazetteer()
    _add_places(gaz)
    _add_orgs(gaz)
    gaz.words = read_lexicon()
    gaz.words["first_names"] = frozenset(
        word for line in read_data("first_names.txt") for word in line.split()
    )
    return gaz


def canonical_name(name: str, kind: str | None = None) -> str | None:
    """The gazetteer's canonical form of a place or organisation name, if it knows it."""
    hit = load_gazetteer().lookup(name)
    if hit and (kind is None or hit[1] == kind):
        return hit[0]
    return None
