"""Reading publication dates from the forms news sources use.

`parse_date(value)` returns a `datetime.date` or raises `DateError` with a reason
a user can act on. Callers turn that into a warning and index the article undated.
"""

from __future__ import annotations

import datetime as _dt
import re

FUTURE_SLACK_DAYS = 2  # a date later than today + this is flagged as in the future

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class DateError(ValueError):
    """The value is not a date we can read, or not a real calendar date."""


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Reuters-21578: 26-FEB-1987 15:01:01.79 (the time is checked too: 605:12:19 is rejected)
# After the time Reuters-21578 has stray channel letters (`00:02:59.13RM`, `02:17:09.88T C`)
# and once a comment (`00:00:00.00    # date added by …`): those are ignored, the time is not.
_DMY_NAME = re.compile(
    r"^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s,]+(\d{4})"
    r"(?:[\sT,]+(\d[\d:.]*))?(?:[ \t]*(?:[A-Z][A-Z ]*|#.*|[+-]\d{4}|GMT|UTC|Z))?\s*$"
)
_MDY_NAME = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?$")


def _make(year: int, month: int, day: int, value: str) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"impossible date {value!r} ({exc})") from None


def _month(name: str, value: str) -> int:
    number = MONTHS.get(name.lower())
    if number is None:
        raise DateError(f"unknown month {name!r} in {value!r}")
    return number


def parse_date(value: str) -> _dt.date:
    """Read one date. Accepts ISO (with or without a time), YYYYMMDD,
    `26-FEB-1987 15:01:01.79` (Reuters; trailing channel letters are ignored, an
    impossible time such as `605:12:19` is an error), `12 September 2021`,
    `Sun, 12 Sep 2021 10:00:00 +0000` and `September 12, 2021`."""
    text = (value or "").strip()
    if not text:
        raise DateError("empty date")
    match = _ISO.match(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    match = _COMPACT.match(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), text)
    match = _DMY_NAME.match(text)
    if match:
        if match[4] and not _TIME.match(match[4]):
            raise DateError(f"impossible time {match[4]!r} in date {text!r}")
        return _make(int(match[3]), _month(match[2], text), int(match[1]), text)
    match = _MDY_NAME.match(text)
    if match:
        return _make(int(match[3]), _month(match[1], text), int(match[2]), text)
    raise DateError(f"unreadable date {text!r}")


def is_future(day: _dt.date, today: _dt.date | None = None) -> bool:
    today = today or _dt.date.today()
    return day > today + _dt.timedelta(days=FUTURE_SLACK_DAYS)


def date_warnings(day: _dt.date | None, where: str, today: _dt.date | None = None) -> tuple[str, ...]:
    """Warnings about a date that is readable but suspicious (far in the future)."""
    if day is not None and is_future(day, today):
        return (f"{where}: date {day.isoformat()} is in the future; kept, but check it",)
    return ()
