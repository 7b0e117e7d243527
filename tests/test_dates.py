"""Publication dates in the forms news sources use, including the malformed ones."""

from __future__ import annotations

import datetime as dt
import pytest
from conftest import shared_data
from reuters import iter_reuters

from searchkit.analysis.dates import DateError, date_warnings, is_future, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-09-12", dt.date(2021, 9, 12)),  # the seed format's date line
        ("2021-09-12T10:30:00Z", dt.date(2021, 9, 12)),  # JSON Lines / ISO with a time
        ("20210912", dt.date(2021, 9, 12)),
        ("26-FEB-1987 15:01:01.79", dt.date(1987, 2, 26)),  # Reuters-21578
        ("27-MAR-1987 00:02:59.13RM", dt.date(1987, 3, 27)),  # Reuters channel letters
        ("27-MAR-1987 08:45:34.42C G T M", dt.date(1987, 3, 27)),
        ("9-APR-1987 00:00:00.00    # date added by S Finch as guesswork", dt.date(1987, 4, 9)),
        ("12 September 2021", dt.date(2021, 9, 12)),
        ("September 12, 2021", dt.date(2021, 9, 12)),
        ("Sept. 12, 2021", dt.date(2021, 9, 12)),
        ("Sun, 12 Sep 2021 10:00:00 +0000", dt.date(2021, 9, 12)),  # RFC 2822
    ],
)
def test_readable_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31-MAR-1987 605:12:19.12", "impossible time"),  # Reuters NEWID 17192
        ("26-FEB-1987 25:01:01.79", "impossible time"),
        ("2021-13-45", "impossible date"),
        ("31-FEB-1987", "impossible date"),
        ("next Tuesday", "unreadable"),
        ("", "empty"),
    ],
)
def test_malformed_dates_raise_with_the_value(value, reason):
    with pytest.raises(DateError, match=reason) as info:
        parse_date(value)
    assert value.strip() in str(info.value)


def test_year_9999_parses_but_is_flagged_as_future():
    day = parse_date("9999-12-31")
    assert day == dt.date(9999, 12, 31)
    assert is_future(day)
    warnings = date_warnings(day, "seeds/x.txt")
    assert len(warnings) == 1 and "seeds/x.txt" in warnings[0] and "9999-12-31" in warnings[0]


def test_today_and_the_past_are_not_flagged():
    today = dt.date(2021, 9, 12)
    assert not is_future(today, today=today)
    assert not is_future(dt.date(1987, 2, 26), today=today)
    assert date_warnings(None, "x") == ()


def test_every_reuters_date_but_one_parses():
    values = [story.date for story in iter_reuters(shared_data("reuters21578"))]
    failed = []
    for value in values:
        try:
            parse_date(value)
        except DateError:
            failed.append(value)
    assert len(values) == 21578
    assert failed == ["31-MAR-1987 605:12:19.12"]
