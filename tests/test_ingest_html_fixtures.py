"""Smoke test: the newspaper4k fixture pages (another extractor's output, not
human truth, so the checks are loose: most pages must agree, none may crash)."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest
from conftest import shared_data

from searchkit.ingest.html import parse_html

_WORD = re.compile(r"\w+")


def _overlap(expected: str, got: str) -> float:
    """Share of the expected text's 4-word shingles found in got."""
    def shingles(text):
        words = _WORD.findall(text)
        return Counter(tuple(words[i:i + 4]) for i in range(max(1, len(words) - 3)))
    want = shingles(expected)
    return sum((want & shingles(got)).values()) / max(1, sum(want.values()))


@pytest.fixture(scope="module")
def pages():
    folder = shared_data("newspaper4k-fixtures")
    rows = []
    for path in sorted((folder / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        meta = json.loads((folder / "metadata" / f"{name}.json").read_text(encoding="utf-8"))
        text = (folder / "txt" / f"{name}.txt").read_text(encoding="utf-8")
        article = parse_html(gzip.decompress(path.read_bytes()), url=meta.get("url"))
        rows.append((name, meta, text, article))
    return rows


def test_every_page_parses_with_most_of_its_text(pages):
    assert len(pages) == 20
    for name, _meta, text, article in pages:
        assert _overlap(text, article.body) >= 0.7, name
        assert "\n\n" in article.body or len(article.body) < 1000, name


def test_titles_dates_and_authors_mostly_agree(pages):
    titles = dates = dated = authors = authored = 0
    for _name, meta, _text, article in pages:
        titles += meta["title"].lower()[:30] == article.title.lower()[:30]
        if meta.get("publish_date"):
            dated += 1
            dates += str(article.date) == meta["publish_date"][:10]
        if meta.get("authors"):
            authored += 1
            authors += bool(set(meta["authors"]) & set(article.authors))
    assert titles >= 16
    assert dates >= dated - 1
    assert authors >= authored - 4
