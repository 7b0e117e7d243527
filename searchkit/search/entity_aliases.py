"""Entity names in a query, widened by the alias rules.

    person:Bajwa        (with `person: Qamar Bajwa = Bajwa, COAS` in the alias file)
    ->  (person:Bajwa OR person:"Qamar Bajwa")

    place:"U.S."        ->  (place:"U.S." OR place:"United States")   (the shipped gazetteer)

The user's words stay in the query, so articles indexed before a rule still match.
"""

from __future__ import annotations

import re

_ENTITY_TERM = re.compile(r'(?<![\w:])(person|org|place):(?:"([^"]+)"|([^\s()"]+))', re.IGNORECASE)


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
