"""Entity names in a query, widened by the alias rules.

    person:Bajwa        (with `person: Qamar Bajwa = Bajwa, COAS` in the alias file)
    ->  (person:Bajwa OR person:"Qamar Bajwa")

    place:"U.S."        ->  (place:"U.S." OR place:"United States")   (the shipped gazetteer)

The user's words stay in the query, so articles indexed before a rule still match.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SearchkitError

_ENTITY_TERM = re.compile(r'(?<![\w:])(person|org|place):(?:"([^"]+)"|([^\s()"]+))', re.IGNORECASE)


ENTITY_FIELD = re.compile(r"(?i)\b(?:person|org|place):")


def parse_alias_text(text: str, source: str):
    """The rules of an alias file's text. Raises SearchkitError naming the bad line."""
    from ..analysis.aliases import AliasFileError, parse_aliases

    try:
        return parse_aliases(text, source)
    except AliasFileError as exc:
        raise SearchkitError(str(exc), hint="fix that line of the alias file (format: docs/entities.md)") from None


def read_alias_file(source) -> str:
    """An alias file's text, checked. Raises SearchkitError."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchkitError(f"cannot read alias file {str(source)!r}: {exc}") from None
    parse_alias_text(text, str(source))
    return text


def widen_query(text: str | None, syntax: bool, aliases) -> str | None:
    """The query with `person:`/`org:`/`place:` names widened by the alias rules
    (`aliases` is called only when the query names an entity field)."""
    if not text or not syntax or not ENTITY_FIELD.search(text):
        return text
    return expand_entity_aliases(text, aliases())


def expand_entity_aliases(text: str, aliases) -> str:
    """Rewrite `kind:value` terms so that they also match the canonical name."""
    if ":" not in text:
        return text

    def replace(match: re.Match) -> str:
        kind = match[1].lower()
        value = match[2] if match[2] is not None else match[3]
        if value.endswith(("*", "?")) or "~" in value:
            return match[0]
        names = aliases.expand(value, kind)
        extra = [name for name in names if name.lower() != value.lower()]
        if not extra:
            return match[0]
        terms = [match[0]] + [f'{kind}:"{name}"' for name in extra]
        return "(" + " OR ".join(terms) + ")"

    return _ENTITY_TERM.sub(replace, text)
