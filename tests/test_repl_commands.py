"""REPL commands evaluated directly on a real index: `Repl.evaluate(line) -> Output`."""

from __future__ import annotations

import csv
import json
import re

import searchkit
from searchkit.repl.commands import COMMANDS, Repl, help_text
from test_repl_support import JSONL_ROWS, build_index, isolated_home, repl_index  # noqa: F401

NUMBERED = re.compile(r"^\s*(\d+)\. ", re.M)


def make_repl(index, **options) -> Repl:
    return Repl(str(index), width=lambda: 100, **options)


def test_a_query_lists_numbered_results(repl_index):
    repl = make_repl(repl_index)
    output = repl.evaluate("afghanistan")
    total = searchkit.open_index(repl_index).search("afghanistan").total
    assert output.kind == "text" and output.page
    assert f"{total} articles match" in output.text
    assert [int(n) for n in NUMBERED.findall(output.text)] == list(range(1, 11))


def test_open_shows_the_whole_article_of_a_result(repl_index):
    repl = make_repl(repl_index)
    repl.evaluate('person:"William Burns" OR bajwa')
    output = repl.evaluate(":open 1")
    assert "Burns had come to share US concerns" in output.text
    assert output.page


def test_open_reaches_a_result_on_another_page(repl_index):
    repl = make_repl(repl_index, limit=2)
    repl.evaluate("oil")
    third = searchkit.open_index(repl_index).search("oil", limit=3).hits[2]
    assert third.title in repl.evaluate(":open 3").text


def test_next_and_prev_walk_the_pages(repl_index):
    repl = make_repl(repl_index, limit=5)
    repl.evaluate("afghanistan")
    pages = repl.results.pages
    assert "showing 6–10" in repl.evaluate(":next").text
    for _ in range(pages):
        last = repl.evaluate(":next")
    assert last.kind == "info" and "last page" in last.text
    repl.evaluate(":prev")
    assert repl.results.page == pages - 1
    assert "no query yet" in make_repl(repl_index).evaluate(":prev").text
    for _ in range(pages):
        first = repl.evaluate(":prev")
    assert first.kind == "info" and "first page" in first.text


def test_sort_by_date_reruns_newest_first(repl_index):
    repl = make_repl(repl_index)
    repl.evaluate("afghanistan")
    output = repl.evaluate(":sort date")
    dates = [hit.date for hit in repl.results.hits]
    assert dates == sorted(dates, reverse=True)
    assert "sorted by date" in output.text
    assert repl.evaluate(":sort size").kind == "error"


def test_feedback_reranks_the_same_matches_and_the_export_follows(repl_index, tmp_path):
    repl = make_repl(repl_index)
    assert repl.evaluate(":feedback on").kind == "info"  # no query yet: only the setting
    repl.evaluate(":feedback off")
    plain = repl.evaluate("oil OR afghanistan")
    before = repl.results
    output = repl.evaluate(":feedback on")
    after = repl.results
    assert after.feedback and not before.feedback and "ranked with words of the best articles" in output.text
    assert after.total == before.total and after.hits[0].id == before.hits[0].id
    assert "ranked with words" not in plain.text
    repl.evaluate(f":export {tmp_path / 'all.jsonl'}")
    exported = [json.loads(line)["id"] for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert exported[:len(after.hits)] == [hit.id for hit in after.hits]
    assert repl.evaluate(":feedback maybe").kind == "error"


def test_limit_changes_the_page_size(repl_index):
    repl = make_repl(repl_index)
    repl.evaluate("oil")
    repl.evaluate(":limit 3")
    assert len(repl.results.hits) == 3
    for bad in (":limit", ":limit x", ":limit 0", ":limit 5000"):
        assert repl.evaluate(bad).kind == "error"


def test_facets_timeline_and_stats(repl_index):
    repl = make_repl(repl_index)
    assert "no query yet" in repl.evaluate(":facets").text
    repl.evaluate("afghanistan")
    facets = repl.evaluate(":facets").text
    top = searchkit.open_index(repl_index).entities("afghanistan", top=10)
    assert all(value.name in facets for facet in top for value in facet.values)
    assert "█" in repl.evaluate(":timeline").text
    stats = repl.evaluate(":stats").text
    assert f"articles: {len(JSONL_ROWS) + 3}" in stats


def test_export_writes_every_match_by_suffix(repl_index, tmp_path):
    repl = make_repl(repl_index, limit=2)
    repl.evaluate("oil OR afghanistan")
    total = repl.results.total
    assert total > 2
    output = repl.evaluate(f":export {tmp_path / 'all.jsonl'}")
    assert output.text == f"wrote {total} matches to {tmp_path / 'all.jsonl'}"
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert [row["rank"] for row in rows] == list(range(1, total + 1))
    repl.evaluate(f":export {tmp_path / 'all.csv'}")
    with open(tmp_path / "all.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == total
    assert "jsonl" in repl.evaluate(f":export {tmp_path / 'all.txt'}").text
    assert not (tmp_path / "all.txt").exists()


def test_similar_and_explain_on_the_real_library(repl_index):
    repl = make_repl(repl_index)
    repl.evaluate("oil")
    first = repl.results.hits[0]
    similar = repl.evaluate(":similar 1")
    assert similar.kind == "text" and "articles match" in similar.text
    explained = repl.evaluate(":explain 1")
    assert explained.kind == "text"
    assert explained.text.startswith(f"{first.id}: score") and "oil" in explained.text
    assert "feedback" not in explained.text
    repl.evaluate(":feedback on")  # the explanation follows the ranking shown
    second = repl.results.hits[1]
    widened = repl.evaluate(":explain 2").text
    assert widened.startswith(f"{second.id}: score {second.score:.3f}") and "+ feedback, " in widened
    assert "kept first" in repl.evaluate(":explain 1").text


def test_unknown_command_gets_a_did_you_mean(repl_index):
    output = make_repl(repl_index).evaluate(":opne 1")
    assert output.kind == "error"
    assert "did you mean :open?" in output.text


def test_help_lists_every_command_with_a_description():
    text = help_text()
    for command in COMMANDS:
        assert re.search(rf"^  :{command.name}\b.*\S", text, re.M)
        assert command.description
    assert "Ctrl-R" in text and "Ctrl-D" in text


def test_quit_and_empty_lines(repl_index):
    repl = make_repl(repl_index)
    assert repl.evaluate(":quit").exit and repl.evaluate(":q").exit
    assert repl.evaluate("   ").text == ""


def test_a_bad_query_is_one_error_line_and_keeps_the_last_query(repl_index):
    repl = make_repl(repl_index)
    repl.evaluate("oil")
    output = repl.evaluate('person:"William')
    assert output.kind == "error" and "\n" not in output.text
    assert output.text.startswith("error: ") and "quote" in output.text
    assert repl.query == "oil"
    assert repl.evaluate(":open 99").kind == "error"


def test_a_missing_index_is_an_error_line_then_found_once_built(tmp_path):
    repl = make_repl(tmp_path / "index")
    output = repl.evaluate("afghanistan")
    assert output.kind == "error" and "\n" not in output.text
    build_index(tmp_path)
    assert "articles match" in repl.evaluate("afghanistan").text


def test_searches_see_articles_another_writer_commits(tmp_path):
    index = build_index(tmp_path)
    repl = make_repl(index)
    assert "No articles match" in repl.evaluate("zanzibar").text
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "z.txt").write_text("date 2021-10-01\nZANZIBAR: Ferries resumed in Zanzibar.\n")
    searchkit.index_folder([extra], index)
    assert "1 articles match" in repl.evaluate("zanzibar").text
