"""Checks on the committed Wikinews sample in seeds/ (built by benchmarks/build_seeds.py).

These read the files in the repository, not ../shared/data, so they run on a fresh clone.
Each artefact check measures every row and reports the offenders, so a failure says where.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILES = sorted(SEEDS.glob("wikinews-*.jsonl"))
ATTRIBUTION = SEEDS / "ATTRIBUTION.md"
KEYS = {"id", "title", "date", "url", "source", "category", "text"}

# Artefacts of the flattened wikitext that the build must have cleaned. A space before a
# full stop is allowed only for an ellipsis (" ...") or a decimal (" .45 calibre").
ARTEFACTS = {
    "space before comma": re.compile(r"\s,"),
    "space before full stop": re.compile(r"\s\.(?!\.|\d)"),
    "wiki quotes ''": re.compile(r"''"),
    "w: prefix": re.compile(r"\bw:"),
    "empty brackets": re.compile(r"\(\s*\)"),
    "wiki/template brackets": re.compile(r"\[\[|\]\]|\{\{|\}\}|\{\||\|\}"),
    "HTML tag or entity": re.compile(r"<[a-zA-Z/!][^>]*>|&#?\w+;"),
    "doubled space": re.compile(r"[^\S\n]{2,}"),
}


def load_rows() -> list[tuple[str, int, str]]:
    """(file name, line number, raw line) for every line of every seed file."""
    return [
        (path.name, number, line)
        for path in SEED_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    rows = load_rows()
    if not rows:
        pytest.fail(f"no seeds/wikinews-*.jsonl files in {SEEDS}")
    return [json.loads(line) for _, _, line in rows]


def test_both_category_files_exist():
    assert [p.name for p in SEED_FILES] == ["wikinews-economy.jsonl", "wikinews-politics.jsonl"]


def test_every_line_is_a_json_object_with_the_expected_keys():
    bad = []
    for name, number, line in load_rows():
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append(f"{name}:{number}: {exc}")
            continue
        if not isinstance(row, dict) or set(row) != KEYS:
            bad.append(f"{name}:{number}: keys {sorted(row) if isinstance(row, dict) else row}")
    assert not bad, bad[:10]


def test_sample_size_and_total_size(articles):
    assert 500 <= len(articles) <= 2000
    assert sum(p.stat().st_size for p in SEED_FILES) < 4_000_000


def test_required_fields_are_filled(articles):
    empty = [a.get("id") for a in articles
             if not all(isinstance(a.get(k), str) and a[k].strip() for k in ("id", "title", "text"))]
    assert not empty, empty[:10]


def test_ids_are_unique_and_well_formed(articles):
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"wikinews-\d+", i) for i in ids)


def test_dates_are_valid_and_span_the_years(articles):
    bad = [a["id"] for a in articles
           if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["date"]) or not is_date(a["date"])]
    assert not bad, bad[:10]
    years = {a["date"][:4] for a in articles}
    assert {"2005", "2006", "2007", "2008", "2009", "2010"} <= years


def is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_source_category_and_url(articles):
    assert {a["source"] for a in articles} == {"Wikinews"}
    assert {a["category"] for a in articles} == {"politics", "economy"}
    prefix = "https://en.wikinews.org/wiki/"
    bad = [a["id"] for a in articles
           if not a["url"].startswith(prefix) or re.search(r"[\s\"'<>#?]", a["url"])]
    assert not bad, bad[:10]


def test_category_files_hold_their_own_category():
    for path in SEED_FILES:
        category = path.stem.removeprefix("wikinews-")
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert {r["category"] for r in rows} == {category}


def test_no_category_pages(articles):
    assert not [a["title"] for a in articles if a["title"].startswith("Category:")]


@pytest.mark.parametrize("name", sorted(ARTEFACTS))
def test_no_wikitext_artefacts_left(articles, name):
    pattern = ARTEFACTS[name]
    offenders = [(a["id"], m.group(0)) for a in articles for m in pattern.finditer(a["text"])]
    assert not offenders, f"{len(offenders)} {name}: {offenders[:10]}"


def test_paragraphs_are_separated_by_one_blank_line(articles):
    bad = [a["id"] for a in articles
           if re.search(r"\n{3,}|(?<!\n)\n(?!\n)", a["text"]) or a["text"] != a["text"].strip()]
    assert not bad, bad[:10]
    assert sum("\n\n" in a["text"] for a in articles) > 0.9 * len(articles)


def test_attribution_credits_wikinews_and_lists_every_title(articles):
    text = ATTRIBUTION.read_text(encoding="utf-8")
    for needed in ("Wikinews contributors", "https://en.wikinews.org",
                   "https://creativecommons.org/licenses/by/2.5/", "toscaData",
                   "000_be4fe0c3f01cfa7b.txt"):
        assert needed in text
    listed = set(text.splitlines())
    missing = [a["title"] for a in articles
               if f"- {a['date']} — {a['title']} — <{a['url']}>" not in listed]
    assert not missing, missing[:10]
