"""Datelines: the origin place a story opens with."""

from __future__ import annotations

import pytest
from conftest import SEED_ARTICLE

from searchkit.analysis.datelines import parse_dateline, split_dateline


@pytest.mark.parametrize(
    ("text", "place", "rest"),
    [
        ("ISLAMABAD: Pakistan on Saturday hosted", "Islamabad", "Pakistan on Saturday hosted"),
        ("NEW YORK: Shares rose", "New York", "Shares rose"),
        ("RIO DE JANEIRO, Brazil: The carnival", "Rio de Janeiro", "The carnival"),
        ("WASHINGTON, March 2 - The U.S. said", "Washington", "The U.S. said"),
        ("ST. LOUIS, March 3 - Monsanto", "St. Louis", "Monsanto"),
        ("SAN MATEO, Calif., March 2 - Profits", "San Mateo", "Profits"),
        ("New York, June 1 - Stocks", "New York", "Stocks"),
        ("LONDON (Reuters) - Oil fell", "London", "Oil fell"),
        ("BEIJING — China said", "Beijing", "China said"),
    ],
)
def test_datelines(text, place, rest):
    assert split_dateline(text) == (place, rest)


@pytest.mark.parametrize(
    "text",
    ["Pakistan on Saturday hosted a meeting", "Pakistan: a year on", "US - China talks resume",
     "U.S. stocks rose", ""],
)
def test_ordinary_openings_are_not_datelines(text):
    assert split_dateline(text) == (None, text)


def test_region_date_and_agency_are_kept():
    line = parse_dateline("Calgary, Alberta, March 16 (Reuters) - Oil")
    assert (line.place, line.region, line.date, line.agency) == ("Calgary", "Alberta", "March 16", "Reuters")


def test_seed_article_dateline():
    body = SEED_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[0]
    body = body.split("date 2021-09-12", 1)[1]
    assert split_dateline(body)[0] == "Islamabad"
