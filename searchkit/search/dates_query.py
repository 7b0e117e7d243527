"""Relative and open-ended dates in queries, rewritten to `date:` ranges.

    date:"last 7 days"   date:"last 2 weeks"   date:"last 3 months"   date:"last year"
    date:today   date:yesterday   date:"this week|month|year"
    since:2021-09-01   until:2021-09   since:"last 30 days"   (since/until include the day)

"Today" comes from the `today` argument, else the SEARCHKIT_TODAY environment
variable (YYYY-MM-DD, for tests and reproducible scripts), else the clock.
"""

from __future__ import annotations

import datetime as _dt
import os
import re

from ..errors import QuerySyntaxError
from ..index.schema import partial_date_bounds

TODAY_ENV = "SEARCHKIT_TODAY"
_UNITS = {"day": 1, "week": 7}
_VALUE = r'(?:"([^"]*)"|(\S+?))(?=[\s)]|$)'
_DATE_TERM = re.compile(r"(?<![\w:])(date|since|until):" + _VALUE, re.IGNORECASE)
_LAST = re.compile(r"^(?:last|past)\s+(?:(\d+)\s+)?(day|week|month|year)s?$")
_THIS = re.compile(r"^this\s+(week|month|year)$")


def resolve_today(today: _dt.date | str | None = None) -> _dt.date:
    """The day relative dates count from."""
    value = today if today is not None else os.environ.get(TODAY_ENV)
    if value is None or value == "":
        return _dt.date.today()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QuerySyntaxError(f"today={value!r} is not a date (use YYYY-MM-DD)", None) from None


def _months_back(day: _dt.date, months: int) -> _dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = 28 if month + 1 == 2 else 30 if month + 1 in (4, 6, 9, 11) else 31
    if month + 1 == 2 and (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        last_day = 29
    return _dt.date(year, month + 1, min(day.day, last_day))


def relative_bounds(text: str, today: _dt.date) -> tuple[_dt.date, _dt.date] | None:
    """First and last day of a relative expression, or None if `text` is not one."""
    phrase = " ".join(text.lower().split())
    if phrase == "today":
        return today, today
    if phrase == "yesterday":
        day = today - _dt.timedelta(days=1)
        return day, day
    match = _THIS.match(phrase)
    if match:
        unit = match[1]
        if unit == "week":
            return today - _dt.timedelta(days=today.weekday()), today
        return (today.replace(day=1) if unit == "month" else today.replace(month=1, day=1)), today
    match = _LAST.match(phrase)
    if not match:
        return None
    count, unit = int(match[1] or 1), match[2]
    if unit in _UNITS:
        return today - _dt.timedelta(days=count * _UNITS[unit] - 1), today
    months = count * (12 if unit == "year" else 1)
    return _months_back(today, months) + _dt.timedelta(days=1), today


def _bounds(value: str, today: _dt.date, position: int) -> tuple[_dt.date, _dt.date] | None:
    relative = relative_bounds(value, today)
    if relative:
        return relative
    try:
        return partial_date_bounds(value)
    except ValueError:
        return None


def rewrite_dates(text: str, today: _dt.date) -> str:
    """Replace relative dates and since:/until: with `date:[A TO B]` ranges."""

    def replace(match: re.Match) -> str:
        field, value = match[1].lower(), match[2] if match[2] is not None else match[3]
        if field == "date" and (match[3] is None or relative_bounds(value, today)):
            bounds = relative_bounds(value, today)
            if bounds is None:
                return match[0]  # an ordinary date: DayField parses it
            return f"date:[{bounds[0].isoformat()} TO {bounds[1].isoformat()}]"
        if field == "date":
            return match[0]
        bounds = _bounds(value, today, match.start())
        if bounds is None:
            raise QuerySyntaxError(
                f"{field}:{value} at position {match.start() + 1} is not a date "
                "(use YYYY, YYYY-MM, YYYY-MM-DD or \"last N days\")", match.start())
        if field == "since":
            return f"date:[{bounds[0].isoformat()} TO]"
        return f"date:[TO {bounds[1].isoformat()}]"

    return _DATE_TERM.sub(replace, text)
