"""User-editable entity aliases: merge names and suppress false positives.

The file is plain text, one rule a line (format in docs/entities.md):

    # comment
    person: Qamar Bajwa = Bajwa, Gen Bajwa, COAS
    org: Inter-Services Intelligence = ISI
    Pakistan Army = Pak Army           # no kind: the rule applies to any kind
    !Op-Ed                             # suppress this name whatever its kind
    !person: Ghani                     # suppress it only as a person

Names match case-insensitively. A merge rule with a kind also sets the kind of
what it catches ("COAS" found as an organisation becomes the person Qamar
Bajwa). Applied at index time by `extract_entities(..., aliases=)` and at query
time by `Aliases.expand`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..models import ENTITY_KINDS
from .gazetteer import canonical_name, normalise_key

ANY = "*"


class AliasFileError(ValueError):
    """A line of an alias file cannot be read; the message names the file and line."""


@dataclass
class Aliases:
    """Merge and suppress rules keyed by (normalised name, kind or ANY)."""

    merges: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    suppressed: set[tuple[str, str]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.merges or self.suppressed)

    def add_merge(self, canonical: str, names: list[str], kind: str = ANY) -> None:
        for name in [canonical, *names]:
            self.merges[(normalise_key(name), kind)] = (canonical, kind)

    def suppress(self, name: str, kind: str = ANY) -> None:
        self.suppressed.add((normalise_key(name), kind))

    def resolve(self, name: str, kind: str) -> tuple[str, str] | None:
        """(name, kind) after the rules; None when the name is suppressed."""
        key = normalise_key(name)
        if (key, kind) in self.suppressed or (key, ANY) in self.suppressed:
            return None
        hit = self.merges.get((key, kind)) or self.merges.get((key, ANY))
        if hit is None:
            hit = self._merge_of_other_kind(key)
        if hit is None:
            return name, kind
        canonical, rule_kind = hit
        return canonical, (kind if rule_kind == ANY else rule_kind)

    def _merge_of_other_kind(self, key: str) -> tuple[str, str] | None:
        for other in ENTITY_KINDS:
            hit = self.merges.get((key, other))
            if hit is not None:
                return hit
        return None

    def rule_for(self, name: str) -> tuple[str, str] | None:
        """(canonical, kind) of a merge rule that names its kind and catches `name`."""
        return self._merge_of_other_kind(normalise_key(name))

    def canonical(self, name: str, kind: str) -> str | None:
        """The canonical name for `name` (itself when no rule applies); None = suppressed."""
        resolved = self.resolve(name, kind)
        return None if resolved is None else resolved[0]

    def expand(self, value: str, kind: str) -> list[str]:
        """Names to search for when a query asks for `kind:"value"`.

        The canonical name first (from the rules, else the shipped gazetteer),
        then the value itself if it differs, for articles indexed before the rule.
        """
        resolved = self.resolve(value, kind)
        canonical = resolved[0] if resolved else value
        if canonical == value and kind in ("place", "org"):
            canonical = canonical_name(value, kind) or value
        names = [canonical]
        if normalise_key(value) != normalise_key(canonical):
            names.append(value)
        return names


def _split_kind(text: str, where: str) -> tuple[str, str]:
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in ENTITY_KINDS:
        return head.strip().lower(), rest.strip()
    if sep and " " not in head.strip() and head.strip().isalpha():
        raise AliasFileError(f"{where}: unknown kind {head.strip()!r} (use person, org or place)")
    return ANY, text.strip()


def parse_aliases(text: str, source: str = "<aliases>") -> Aliases:
    """Read rules from the text of an alias file."""
    aliases = Aliases()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        if line.startswith("!"):
            kind, name = _split_kind(line[1:], where)
            if not name:
                raise AliasFileError(f"{where}: nothing to suppress after '!'")
            aliases.suppress(name, kind)
            continue
        kind, rule = _split_kind(line, where)
        canonical, sep, names = rule.partition("=")
        if not sep or not canonical.strip():
            raise AliasFileError(f"{where}: expected 'Canonical Name = alias, alias' in {raw!r}")
        aliases.add_merge(canonical.strip(), [n.strip() for n in names.split(",") if n.strip()], kind)
    return aliases


def load_aliases(path: str | os.PathLike[str]) -> Aliases:
    """Read an alias file (UTF-8). A missing file is an error; see `parse_aliases`."""
    with open(path, encoding="utf-8") as handle:
        return parse_aliases(handle.read(), source=os.fspath(path))
