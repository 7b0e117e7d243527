"""Datelines: the place (and sometimes date) a news story opens with.

`ISLAMABAD: Pakistan on Saturday …`, `NEW YORK: …`, `RIO DE JANEIRO, Brazil: …`,
`WASHINGTON, March 2 - …` (Reuters). `split_dateline(text)` returns the place in
display case and the text after the dateline.
"""

from __future__ import annotations

import re

_DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3})   # ISLAMABAD, NEW YORK
    (?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2}))?  # , Brazil / , March 2
    (?:,?\s*(?P<day>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?
    \s*(?::|\s-|\s--|\s—)\s+""",
    re.VERBOSE,
)
_SMALL = {"de", "da", "do", "del", "la", "le", "of", "es", "al", "el"}


def display_place(raw: str) -> str:
    words = []
    for i, word in enumerate(raw.split()):
        lower = word.lower()
        if i and lower in _SMALL:
            words.append(lower)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(words)


def split_dateline(text: str) -> tuple[str | None, str]:
    """Return (place, rest). The place is None when the text has no dateline."""
    match = _DATELINE.match(text)
    if not match:
        return None, text
    return display_place(match["place"]), text[match.end():]
