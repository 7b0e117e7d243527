"""CSV and TSV files written by the csv module: columns by their usual names or a
field mapping (CLI, library, worker processes), huge cells, dialects, ids, and
bad rows reported by row and line with the other rows indexed."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

import searchkit
from conftest import ROOT
from searchkit.errors import SearchkitError
from searchkit.ingest.delimited import guess_delimiter, parse_delimited
from searchkit.models import Article, Failure


def write_csv(path, rows, **dialect):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, **dialect).writerows(rows)
    return path


def parse(text: str, kind: str = "csv", fields=()):
    return list(parse_delimited(text, "/data/f.csv", "f.csv", kind, fields))


def test_usual_column_names_in_any_case_are_mapped(tmp_path):
    write_csv(tmp_path / "export.csv", [
        ["GUID", "Headline", "Article", "Publish Date", "Link", "Byline", "Publisher", "Section"],
        ["n-1", "Oil prices drop", "LONDON: Oil fell, \"sharply\", on Monday.\nTraders sold.", "2008-10-16",
         "https://x.example/1", "Jane Roe; John Doe", "Example News", "business"],
    ])
    (article,) = searchkit.load_articles(tmp_path / "export.csv")
    assert article.id == "export.csv#n-1"
    assert article.title == "Oil prices drop" and not article.title_derived
    assert article.body == 'LONDON: Oil fell, "sharply", on Monday.\nTraders sold.'
    assert str(article.date) == "2008-10-16" and article.date_source == "field"
    assert article.url == "https://x.example/1" and article.source == "Example News"
    assert article.authors == ("Jane Roe", "John Doe") and article.dateline == "London"


def test_the_first_of_two_names_for_a_field_wins_and_a_mapping_overrides_it():
    text = "title,text,content\nT,from text,from content\n"
    assert parse(text)[0].body == "from text"
    assert parse(text, fields=(("text", "CONTENT"),))[0].body == "from content"
    # a mapped column that this file lacks leaves the field to the usual names
    assert parse(text, fields=(("text", "story"),))[0].body == "from text"


def test_cells_larger_than_the_csv_modules_limit_are_read(tmp_path):
    big = "KABUL: " + "longword " * 40_000  # 360 KB, past csv's default 128 KB
    write_csv(tmp_path / "big.csv", [["id", "text"], ["1", big], ["2", "KABUL: small one."]])
    articles = list(searchkit.load_articles(tmp_path / "big.csv"))
    assert [len(a.body) for a in articles] == [len(big.strip()), len("KABUL: small one.")]
    assert csv.field_size_limit() == 131072  # lifted only while reading


def test_tsv_and_semicolon_files(tmp_path):
    write_csv(tmp_path / "a.tsv", [["title", "body"], ["Tabbed", "tabword, with; other marks"]], delimiter="\t")
    write_csv(tmp_path / "b.csv", [["title", "body"], ["Semi", "semiword, with a comma"]], delimiter=";")
    articles = {a.title: a for a in searchkit.load_articles(tmp_path)}
    assert articles["Tabbed"].body == "tabword, with; other marks"
    assert articles["Semi"].body == "semiword, with a comma"
    assert guess_delimiter('"a,b";c;d\n1;2;3') == ";" and guess_delimiter("text\nx") == ","


def test_ids_are_the_path_and_the_id_column_or_the_row():
    with_ids = parse("id,text\n7,a\n,b\n7,c\n8,d\n")
    assert [a.id for a in with_ids] == ["f.csv#7", "f.csv#@3", "f.csv#7@4", "f.csv#8"]
    assert "the id 'f.csv#7' was used already (row 2 (line 2))" in with_ids[2].warnings[0]
    assert [a.id for a in parse("text\na\nb\n")] == ["f.csv#2", "f.csv#3"]


def test_rows_with_missing_or_extra_cells_are_reported_and_the_rest_indexed():
    items = parse('title,text,date\nA,one,2021-01-01\nB,two\nC,three,2021-01-03,extra\nD,"four\nlines",\n'
                  'E,five,\nF,six,,\n')
    assert [type(item) for item in items] == [Article, Failure, Failure, Article, Article, Failure]
    assert items[1].reason == "row 3 (line 3): 2 cells, the header has 3"
    assert items[2].reason == "row 4 (line 4): 4 cells, the header has 3"
    assert items[3].body == "four\nlines" and items[4].id == "f.csv#6"
    assert items[5].reason == "row 7 (line 8): 4 cells, the header has 3"  # row 5 took two lines


def test_a_quote_that_never_closes_is_reported_and_the_rows_before_kept():
    items = parse('title,text\nA,one\nB,"two\nC,three\nD,four\n')
    assert [type(item) for item in items] == [Article, Failure]
    assert items[1].reason == "row 3 (line 3): a quote opened in this row never closes; the rest of the file is not read"
    stray = parse('title,text\nA,"one"x\nB,two\n')
    assert stray[0].reason.startswith("row 2 (line 2): ") and stray[1].title == "B"


def test_a_file_without_a_text_column_or_header_fails_with_a_hint():
    (failure,) = parse("name,value\nx,1\n")
    assert failure.reason == ("no text column (text, body, content, article) in the header: name, value; "
                              "name one with --field text=COLUMN")
    (failure,) = parse("name,value\nx,1\n", fields=(("text", "summary"),))
    assert "or 'summary' by the field mapping" in failure.reason
    assert [f.reason for f in parse("\n\n")] == ["no header row"]


def test_a_bad_date_is_a_warning_with_the_row():
    (article,) = parse("text,date\nKABUL: something.,2021-13-45\n")
    assert article.date is None and article.warnings[0].startswith("/data/f.csv:2: impossible date")


def test_fields_reach_the_parser_in_worker_processes_and_are_kept_by_the_index(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(6):
        write_csv(docs / f"part{n}.csv", [["story", "heading"]] + [[f"mappedword {n} {i}", f"H{n}.{i}"]
                                                                  for i in range(20)])
    with searchkit.create_index(tmp_path / "ix") as ix:
        report = ix.update([docs], workers=2, fields={"text": "story", "title": "heading"})
        assert report.added == 120 and not report.failures
        assert ix.get("part3.csv#5").title == "H3.3"
        assert ix.update([docs], workers=2).unchanged == 120  # the mapping is kept
        changed = ix.update([docs], workers=2, fields={"text": "story"})  # a new mapping re-reads the files
        assert changed.updated == 120 and ix.get("part3.csv#5").title == "mappedword 3 3"


def test_an_unknown_field_is_an_error_with_the_fields_listed(tmp_path):
    with pytest.raises(SearchkitError, match="unknown article field 'bodytext'") as caught:
        searchkit.index_folder([tmp_path], tmp_path / "ix", fields={"bodytext": "x"})
    assert "text" in caught.value.hint


def test_cli_field_option(tmp_path):
    write_csv(tmp_path / "rows.csv", [["Story", "Heading"], ["cliword text here", "Hello"]])

    def run(*args):
        return subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)

    failed = run("index", str(tmp_path / "rows.csv"), "--index", str(tmp_path / "ix"))
    assert failed.returncode == 3 and "no text column" in failed.stderr
    done = run("index", str(tmp_path / "rows.csv"), "--index", str(tmp_path / "ix"),
               "--field", "text=story", "--field", "TITLE=heading")
    assert done.returncode == 0, done.stderr
    shown = run("show", "rows.csv#2", "--index", str(tmp_path / "ix"))
    assert "Hello" in shown.stdout and "cliword" in shown.stdout
    bad = run("index", str(tmp_path), "--index", str(tmp_path / "ix"), "--field", "text")
    assert bad.returncode == 2 and "FIELD=COLUMN" in bad.stderr
