"""JSON Lines edge cases: broken lines by number, lone surrogates, deep nesting, odd ids."""

from __future__ import annotations

from searchkit.ingest.jsonl import parse_jsonl
from searchkit.models import Article, Failure


def parse(text: str):
    return list(parse_jsonl(text, "f.jsonl"))


def test_broken_lines_are_reported_by_number_and_the_rest_load():
    items = parse('{"text": "one"}\n{"text": \n\n{"text": "three"}\n"just a string"\n{"title": "no text"}\n')
    assert [type(item) for item in items] == [Article, Failure, Article, Failure, Failure]
    assert items[1].reason.startswith("line 2: broken JSON")
    assert items[3].reason == "line 5: not a JSON object"
    assert items[4].reason == "line 6: no 'text' or 'body'"
    assert items[2].id == "f.jsonl#4"


def test_lone_surrogate_escapes_are_replaced_with_a_warning():
    (article,) = parse('{"id": "s\\udc00", "text": "abc \\ud800 def"}')
    assert article.body == "abc \ufffd def" and article.id == "s\ufffd"
    article.body.encode("utf-8")
    assert "surrogate" in article.warnings[0]


def test_deeply_nested_json_is_a_failure_not_a_crash():
    (failure,) = parse("[" * 100_000 + "]" * 100_000)
    assert failure.reason == "line 1: JSON nested too deeply"


def test_blank_or_numeric_ids():
    blank, number = parse('{"id": "  ", "text": "a"}\n{"id": 7, "text": "b"}')
    assert blank.id == "f.jsonl#1" and number.id == "7"


def test_a_dateline_field_gives_its_place():
    rows = ['{"text": "Showers continued.", "dateline": "SALVADOR, Feb 26 -"}',
            '{"text": "Talks went on.", "dateline": "EVENDALE, Ohio, March 3 -"}',
            '{"text": "Talks went on.", "dateline": "Islamabad"}',
            '{"text": "LONDON (Reuters) - Shares fell."}']
    assert [item.dateline for item in parse("\n".join(rows))] == ["Salvador", "Evendale", "Islamabad", "London"]
