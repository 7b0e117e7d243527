"""One name per person across the archive: a short form counted under the full name.

The extractor already resolves a surname to the full name given in the same article
("George W. Bush … Bush said" stores George W. Bush once). An article that only says
"President Bush" stores "Bush"; across the archive that is one person under two names.
`plan_merges` decides, from the number of articles that name each person, which short
forms belong to one full name:

- a short form is a bare surname ("Bush") or a first and last name of a longer name
  ("George Bush" of "George W. Bush", "Barack Obama" of "Barack Hussein Obama");
- its candidates are the longer names of the index it is a form of;
- it merges when there is one candidate (the only full name with that ending), or when
  one candidate is named in at least DOMINANCE times as many articles as any other, and
  the candidate is named in at least 1/DOMINANCE as many articles as the short form (a
  rare garbled "James Secertary Baker" does not take in "James Baker");
- otherwise (two full names with one surname, neither dominant) it stays as it is, and
  so does a word that is also a given name ("John" is not taken for Elton John);
- a name the alias file mentions (as a name, an alias or a suppression) is left to it.

Both engines plan from the same counts (whole index, person names) and apply the
plan after counting; queries for any form of a merged name find every form.
See docs/entities.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..analysis.gazetteer import load_gazetteer, normalise_key

DOMINANCE = 5
MERGED_KINDS = ("person",)


@dataclass(frozen=True)
class Merges:
    """(kind, short form) -> full name, and each full name's forms (itself first)."""

    full_of: Mapping[tuple[str, str], str] = field(default_factory=dict)
    forms_of: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    group_of: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (kind, folded form)

    def __bool__(self) -> bool:
        return bool(self.full_of)

    def canonical(self, kind: str, name: str) -> str:
        """The name a facet shows for `name`: its full name when it merges, else itself."""
        return self.full_of.get((kind, name), name)

    def forms(self, kind: str, name: str) -> tuple[str, ...]:
        """Every stored name of the entity `name` is one form of (matched case-insensitively)."""
        return self.group_of.get((kind, normalise_key(name)), (name,))

    def involved(self, kind: str) -> list[str]:
        """Every name of `kind` that takes part in a merge (full names and short forms)."""
        return sorted({form for (group_kind, _), forms in self.forms_of.items() if group_kind == kind
                       for form in forms})

    def merge_counts(self, kind: str, counts: Mapping[str, int]) -> dict[str, int]:
        """Article counts per name with each short form's added to its full name's. Exact
        when no article stores two forms of one name (the built-in extractor never does)."""
        out: dict[str, int] = defaultdict(int)
        for name, count in counts.items():
            out[self.canonical(kind, name)] += count
        return dict(out)

    def to_json(self) -> list[list[str]]:
        return [[kind, short, full] for (kind, short), full in sorted(self.full_of.items())]

    @classmethod
    def from_json(cls, rows: Iterable) -> Merges:
        return build_merges({(kind, short): full for kind, short, full in rows})


def build_merges(full_of: Mapping[tuple[str, str], str]) -> Merges:
    forms: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (kind, short), full in sorted(full_of.items()):
        forms[(kind, full)].append(short)
    forms_of = {key: (key[1], *shorts) for key, shorts in forms.items()}
    group_of = {(kind, normalise_key(form)): group for (kind, _), group in forms_of.items() for form in group}
    return Merges(dict(full_of), forms_of, group_of)


def plan_merges(counts: Mapping[str, Mapping[str, int]], aliases=None) -> Merges:
    """The merges of an index from `counts`: kind -> {stored name: articles naming it}."""
    full_of: dict[tuple[str, str], str] = {}
    for kind in MERGED_KINDS:
        for short, full in plan_kind({n: c for n, c in counts.get(kind, {}).items() if c > 0},
                                     alias_names(aliases, kind)).items():
            full_of[(kind, short)] = full
    return build_merges(full_of)


def plan_kind(counts: Mapping[str, int], left_alone: set[str]) -> dict[str, str]:
    """short form -> full name for the names of one kind."""
    longer = [n for n in counts if len(n.split()) > 1]
    by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in longer:
        words = [normalise_key(w) for w in name.split()]
        by_ends[(words[0], words[-1])].append(name)
        by_last[words[-1]].append(name)
    out: dict[str, str] = {}
    for name in longer:  # "George Bush" -> "George W. Bush" first
        words = [normalise_key(w) for w in name.split()]
        if len(words) != 2 or normalise_key(name) in left_alone:
            continue  # only first + last name is a shorter form ("George W. Bush" is not one)
        candidates = [c for c in by_ends[(words[0], words[-1])] if len(c.split()) > 2]
        chosen = _choose(candidates, counts)
        if chosen and counts[chosen] * DOMINANCE >= counts[name]:
            out[name] = chosen
    given = load_gazetteer().words.get("first_names", frozenset())
    for name in counts:  # then bare surnames, against the names left after the first pass
        if len(name.split()) > 1 or normalise_key(name) in left_alone or name in given:
            continue  # a given name alone ("John", "Frank") is nobody's surname for sure
        groups: dict[str, int] = defaultdict(int)
        for candidate in by_last.get(normalise_key(name), ()):
            groups[out.get(candidate, candidate)] += counts[candidate]
        chosen = _choose(list(groups), groups)
        if chosen and groups[chosen] * DOMINANCE >= counts[name]:
            out[name] = chosen
    return {short: _final(full, out) for short, full in out.items()}


def _choose(candidates: list[str], counts: Mapping[str, int]) -> str | None:
    if len(candidates) == 1:
        return candidates[0]
    ranked = sorted(candidates, key=lambda n: (-counts[n], n))
    if len(ranked) > 1 and counts[ranked[0]] >= DOMINANCE * counts[ranked[1]]:
        return ranked[0]
    return None


def _final(name: str, out: Mapping[str, str]) -> str:
    seen = {name}
    while name in out and out[name] not in seen:
        name = out[name]
        seen.add(name)
    return name


def alias_names(aliases, kind: str) -> set[str]:
    """Folded names the alias file mentions for `kind` (or for any kind)."""
    if not aliases:
        return set()
    names = {key for key, rule_kind in aliases.suppressed if rule_kind in (kind, "*")}
    for (key, rule_kind), (canonical, _) in aliases.merges.items():
        if rule_kind in (kind, "*"):
            names.update((key, normalise_key(canonical)))
    return names


def alias_key(aliases) -> tuple:
    """A hashable summary of the alias rules (a cache key for plans made with them)."""
    if not aliases:
        return ()
    return (tuple(sorted(aliases.merges.items())), tuple(sorted(aliases.suppressed)))


class MergedNames:
    """What query widening asks of the alias rules (`expand`), with the merges added:
    `person:Bush` and `person:"George W. Bush"` each find every form of the merged name."""

    def __init__(self, aliases, merges: Merges) -> None:
        self.aliases = aliases
        self.merges = merges

    def expand(self, value: str, kind: str) -> list[str]:
        names = self.aliases.expand(value, kind) if self.aliases is not None else [value]
        out: list[str] = []
        for name in names:
            for form in (name, *self.merges.forms(kind, name)):
                if normalise_key(form) not in {normalise_key(n) for n in out}:
                    out.append(form)
        return out
