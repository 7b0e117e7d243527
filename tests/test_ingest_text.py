"""Seed text files and the decoding/truncation beneath them."""

from __future__ import annotations

import codecs

import pytest

from searchkit.errors import ArticleParseError
from searchkit.ingest.decode import decode_text
from searchkit.ingest.load import truncate
from searchkit.ingest.text import parse_seed_text


@pytest.mark.parametrize("data, expected, note", [
    ("déjà vu".encode(), "déjà vu", None),
    (codecs.BOM_UTF8 + "déjà".encode(), "déjà", None),
    ("déjà".encode("utf-16"), "déjà", None),
    ("déjà € vu".encode("cp1252"), "déjà € vu", "Windows-1252"),
    (b"caf\xe9 \x81", "café \x81", "Latin-1"),
    ("ünïcode ".encode() + b"\xc3" + " ok".encode(), "ünïcode \ufffd ok", "invalid UTF-8"),
])
def test_decoding_with_a_reported_fallback(data, expected, note):
    text, notes = decode_text(data, "f.txt")
    assert text == expected
    assert (note is None and notes == ()) or note in notes[0]


def test_binary_content_is_refused():
    with pytest.raises(ArticleParseError, match="binary"):
        decode_text(b"GIF89a\x00\x01\x02" * 100, "f.gif.txt")


@pytest.mark.parametrize("data", [
    "é" * 100,                      # two-byte characters, no break to cut at
    "€" * 100,                      # three bytes
    "🙂" * 100,                     # four bytes
    "word " * 40,                   # a break to cut at
])
@pytest.mark.parametrize("limit", [7, 8, 9, 10, 33])
def test_truncation_never_cuts_a_character(data, limit):
    cut = truncate(data.encode(), limit)
    assert len(cut) <= limit and data.startswith(cut.decode("utf-8"))


def test_truncation_of_utf16_keeps_whole_code_units():
    data = "é" * 50
    cut = truncate(data.encode("utf-16"), 31)
    assert data.startswith(cut.decode("utf-16"))


@pytest.mark.parametrize("text, warning", [
    ("date 2021-13-45\nKABUL: text.", "impossible date '2021-13-45'"),
    ("KABUL: no date line at all.", "no 'date YYYY-MM-DD' line"),
    ("date 9999-12-31\nKABUL: far future.", "in the future; kept"),
])
def test_bad_missing_and_future_dates_only_warn(text, warning):
    article = parse_seed_text(text, "f.txt", "f.txt")
    assert warning in article.warnings[0]
    assert (article.date is None) == ("9999" not in text)


def test_a_date_line_without_a_body_is_a_failure():
    with pytest.raises(ArticleParseError, match="no article text"):
        parse_seed_text("  date 2021-01-01\n \n", "f.txt", "f.txt")
