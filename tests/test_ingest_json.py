"""`.json` files written by the json module: an array of articles or one article,
their ids, a field mapping, and broken or cut-off files (the items before kept)."""

from __future__ import annotations

import gzip
import json

import searchkit
from searchkit.ingest.jsonfile import parse_json
from searchkit.ingest.jsonl import parse_jsonl
from searchkit.models import Article, Failure

ROWS = [
    {"id": "wn-1", "title": "Oil prices drop", "text": "LONDON: Oil fell on Monday.", "date": "2008-10-16",
     "url": "https://x.example/1", "source": "Wikinews", "authors": ["Jane Roe"]},
    {"title": "No id here", "body": "KABUL: A story without an id.", "date": "September 12, 2021"},
]


def parse(text: str, fields=()):
    return list(parse_json(text, "/data/f.json", "f.json", fields))


def test_an_array_of_articles(tmp_path):
    (tmp_path / "dump.json").write_text(json.dumps(ROWS, indent=2), encoding="utf-8")
    first, second = searchkit.load_articles(tmp_path / "dump.json")
    assert (first.id, first.title, str(first.date), first.source, first.authors, first.dateline) == (
        "wn-1", "Oil prices drop", "2008-10-16", "Wikinews", ("Jane Roe",), "London")
    assert second.id == "dump.json#2" and str(second.date) == "2021-09-12" and second.dateline == "Kabul"
    assert first.path == str(tmp_path / "dump.json")


def test_one_object_is_one_article_named_by_its_path_or_its_id(tmp_path):
    (tmp_path / "story.json").write_text(json.dumps(ROWS[1]), encoding="utf-8")
    (tmp_path / "named.json").write_text(json.dumps(ROWS[0]), encoding="utf-8")
    assert sorted(a.id for a in searchkit.load_articles(tmp_path)) == ["story.json", "wn-1"]


def test_bad_items_are_reported_by_number_and_the_rest_kept():
    items = parse('[{"text": "one"}, 3, {"title": "no text"}, {"id": "x", "text": "four"}, {"id": "x", "text": "5"}]')
    assert [type(item) for item in items] == [Article, Failure, Failure, Article, Article]
    assert [f.reason for f in items if isinstance(f, Failure)] == ["item 2: not a JSON object",
                                                                 "item 3: no 'text' or 'body'"]
    assert [a.id for a in items if isinstance(a, Article)] == ["f.json#1", "x", "f.json#5"]
    assert "the id 'x' was used already (item 4)" in items[4].warnings[0]


def test_a_broken_or_cut_off_array_keeps_the_items_before_it(tmp_path):
    text = json.dumps([{"text": f"cutword item {n}"} for n in range(50)], indent=1)
    items = parse(text[: len(text) // 2])
    *articles, failure = items
    assert 20 < len(articles) < 30 and all(isinstance(a, Article) for a in articles)
    assert failure.reason.startswith(f"item {len(articles) + 1}: broken JSON (") and "line " in failure.reason
    assert failure.reason.endswith("the items after it are not read")
    (tmp_path / "cut.json.gz").write_bytes(gzip.compress(text.encode())[:-40])
    report = searchkit.index_folder([tmp_path], tmp_path.parent / (tmp_path.name + "-ix"))
    cut, broken = report.failures
    assert 30 < report.added < 50 and cut.reason.startswith("gzip data cut off at byte ")
    assert broken.reason.startswith(f"item {report.added + 1}: broken JSON")


def test_separators_and_trailing_text_are_checked():
    missing_comma = parse('[{"text": "a"} {"text": "b"}]')
    assert missing_comma[1].reason == "after item 1: ',' or ']' expected at line 1, column 16; the items after it are not read"
    trailing = parse('[{"text": "a"}]\n junk')
    assert trailing[1].reason == "text after the closing ']', at line 2, column 2: ignored"
    assert [f.reason for f in parse("[]")] == ["an empty JSON array: no articles"]
    assert [f.reason for f in parse('"just a string"')] == [
        "neither an array of article objects nor an article object"]
    assert parse("{oops")[0].reason == "broken JSON (Expecting property name enclosed in double quotes at line 1, column 2)"
    assert parse("[" * 100_000)[0].reason.startswith("item 1: JSON nested too deeply")


def test_a_field_mapping_names_other_keys():
    rows = '[{"headline": "H", "story": "storyword text", "body": "not this", "when": "2021-01-02", "by": "Ann"}]'
    fields = (("author", "by"), ("date", "when"), ("text", "story"), ("title", "headline"))
    (article,) = parse(rows, fields)
    assert (article.title, article.body, str(article.date), article.authors) == ("H", "storyword text",
                                                                                "2021-01-02", ("Ann",))
    (line,) = parse_jsonl(rows[1:-1], "/data/f.jsonl", "f.jsonl", fields)
    assert line.body == "storyword text" and line.id == "f.jsonl#1"
    (plain,) = parse('[{"text": "kept when the mapped key is absent"}]', fields)
    assert plain.body == "kept when the mapped key is absent"


def test_jsonl_ids_without_an_id_are_relative_and_repeats_are_made_unique():
    lines = '{"text": "a"}\n{"id": "k", "text": "b"}\n{"id": "k", "text": "c"}\n'
    ids = [a.id for a in parse_jsonl(lines, "/abs/data/d.jsonl", "d.jsonl")]
    assert ids == ["d.jsonl#1", "k", "d.jsonl#3"]
