"""Datelines: the place (and sometimes date) a news story opens with.

Forms read: `ISLAMABAD: Pakistan on Saturday …`, `NEW YORK: …`,
`RIO DE JANEIRO, Brazil: …`, `WASHINGTON, March 2 - …` (Reuters, also in mixed
case: `New York, June 1 -`, `Calgary, Alberta, March 16 -`), `LONDON (Reuters) - …`,
`BEIJING — …`. A place in mixed case counts only with a date or an agency after
it, so that an ordinary sentence ("Pakistan: a year on") is never taken for one.

`split_dateline(text)` returns the place in display case and the text after the
dateline; `parse_dateline(text)` also gives the region and the raw date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import MONTHS

_DATELINE = re.compile(
    r"""^\s*
    (?:(?P<upper>[A-Z][A-Z.'\-]+(?:[ ][A-Z][A-Z.'\-]+){0,3})        # ISLAMABAD, ST. LOUIS
      |(?P<mixed>[A-Z][a-z.'\-]+(?:[ ](?:de[ ]|da[ ]|del[ ]|la[ ])?[A-Z][a-z.'\-]+){0,3}))
    (?:,[ ]*(?P<region>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2})(?![A-Za-z]))?  # , Brazil, Calif.
    (?:,?[ ]*\b(?P<month>[A-Za-z]{3,9})\.?[ ]+(?P<day>\d{1,2}))?       # , March 2
    (?:[ ]*\((?P<agency>[A-Za-z][\w .&-]{1,20})\))?                  # (Reuters)
    [ \t]*(?P<sep>:|-{1,2}|—|–)[ \t\n]+""",
    re.VERBOSE,
)
_SMALL = {"de", "da", "do", "del", "la", "le", "of", "es", "al", "el"}


@dataclass(frozen=True)
class Dateline:
    place: str  # display case: "Rio de Janeiro"
    region: str | None  # "Brazil", "Alberta" (display case) or None
    date: str | None  # the raw "March 2" or None
    agency: str | None  # "Reuters", "AFP" or None
    end: int  # offset of the text after the dateline


def display_place(raw: str) -> str:
    words = []
    for i, word in enumerate(raw.split()):
        lower = word.lower()
        if i and lower in _SMALL:
            words.append(lower)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(words)


def _region_or_month(match: re.Match) -> tuple[str | None, str | None]:
    """A region that is really a month ("WASHINGTON, March 2") moves to the date."""
    region, month, day = match["region"], match["month"], match["day"]
    if region and not month and region.split()[0].lower().rstrip(".") in MONTHS:
        return None, region
    return region, (f"{month} {day}" if month else None)


def parse_dateline(text: str) -> Dateline | None:
    """The dateline opening `text`, or None."""
    match = _DATELINE.match(text)
    if not match:
        return None
    if match["month"] and match["month"].lower() not in MONTHS:
        return None
    dated = bool(match["month"] or match["agency"])
    if match["mixed"] and (not dated or match["sep"] == ":"):
        return None
    if match["sep"].startswith("-") and not dated:
        return None
    region, date = _region_or_month(match)
    return Dateline(
        place=display_place(match["upper"] or match["mixed"]),
        region=display_place(region) if region else None,
        date=date,
        agency=match["agency"],
        end=match.end(),
    )


def split_dateline(text: str) -> tuple[str | None, str]:
    """Return (place, rest). The place is None when the text has no dateline."""
    dateline = parse_dateline(text)
    if dateline is None:
        return None, text
    return dateline.place, text[dateline.end:]
