"""Record mode: one big JSON Lines / CSV file split into jobs of records, and synced
record by record. Every check compares with the same file indexed whole (file mode)."""

from __future__ import annotations

import csv
import gzip
import json
import re

import pytest

import searchkit
from searchkit.index import record_sync

QUERY = "alpha OR bravo OR charlie OR delta OR echo OR story"


@pytest.fixture
def record_mode(monkeypatch):
    """Record mode for every record file, in jobs of 7 records."""
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    monkeypatch.setattr(record_sync, "JOB_RECORDS", 7)


def _file_mode(monkeypatch):
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 10**12)


def _articles(ix) -> dict[str, tuple]:
    """id -> what was indexed of the article, for every article that QUERY finds."""
    return {hit.id: (hit.title, hit.date, hit.dateline, hit.path, hit.people, hit.places, hit.orgs,
                     ix.get(hit.id).body)
            for hit in ix.iter_all(QUERY, snippets=False)}


def _without_lines(warnings):
    return [re.sub(r" \(line \d+\)", "", warning) for warning in warnings]


def _index(folder, name, paths, workers=0):
    ix = searchkit.SearchIndex.create(folder / name)
    report = ix.update([str(path) for path in paths], workers=workers)
    return ix, report


def _jsonl_rows(count: int, start: int = 0) -> list[dict]:
    words = ["alpha", "bravo", "charlie", "delta", "echo"]
    rows = []
    for number in range(start, start + count):
        row = {"title": f"Story {number} {words[number % 5]}", "date": f"2021-03-{number % 28 + 1:02d}",
               "text": f"LONDON - The {words[number % 5]} story number {number} was told."}
        if number % 3:
            row["id"] = f"story-{number}"
        rows.append(row)
    return rows


def _write_jsonl(path, rows, extra_lines=()):
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("workers", [0, 2])
def test_a_jsonl_file_in_record_mode_indexes_what_file_mode_does(tmp_path, monkeypatch, workers):
    rows = _jsonl_rows(60)
    rows[40]["id"] = "story-1"  # repeats the id of line 2, in another job
    rows[50]["text"] += " He said \u2028 it twice."  # a line separator inside a string is no line break
    data = tmp_path / "dump.jsonl"
    _write_jsonl(data, rows, ['{"text": broken', '{"title": "no text"}'])
    _file_mode(monkeypatch)
    whole, whole_report = _index(tmp_path, "whole", [data])
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    monkeypatch.setattr(record_sync, "JOB_RECORDS", 7)
    split, split_report = _index(tmp_path, "split", [data], workers=workers)
    assert split_report.added == whole_report.added == 60
    assert sorted(f.reason for f in split_report.failures) == sorted(f.reason for f in whole_report.failures)
    assert [f.reason for f in split_report.failures] == ["line 61: broken JSON (Expecting value at column 10)",
                                                         "line 62: no 'text' or 'body'"]
    assert sorted(split_report.warnings) == sorted(whole_report.warnings)
    assert any("the id 'story-1' was used already" in warning for warning in split_report.warnings)
    assert _articles(split) == _articles(whole)


def test_csv_rows_over_several_lines_and_stray_quotes_split_as_the_csv_module_reads_them(
        tmp_path, monkeypatch):
    data = tmp_path / "export.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["guid", "headline", "content", "published"])
        for number in range(30):
            body = f"The alpha story {number}\nran over\ntwo more lines, \"quoted\"." if number % 4 == 0 \
                else f"The bravo story {number}."
            writer.writerow([f"g{number % 25}", f"Headline {number}", body, f"2020-01-{number + 1:02d}"])
        handle.write('g99,Stray,He said 5" of charlie snow,2020-02-01\r\n')  # a quote inside a cell
        handle.write("\r\n")  # a blank row
        handle.write("g100,Short row,delta\r\n")  # a cell missing
        writer.writerow(["g101", "Last", "The echo story.", "2020-02-03"])
    _file_mode(monkeypatch)
    whole, whole_report = _index(tmp_path, "whole", [data])
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    monkeypatch.setattr(record_sync, "JOB_RECORDS", 4)
    split, split_report = _index(tmp_path, "split", [data], workers=2)
    assert split_report.added == whole_report.added == 32
    assert [f.reason for f in split_report.failures] == [f.reason for f in whole_report.failures]
    assert "3 cells, the header has 4" in split_report.failures[0].reason
    # g0..g4 repeat as g25..g29; a repeat seen across jobs is reported without its line
    assert sorted(_without_lines(split_report.warnings)) == sorted(_without_lines(whole_report.warnings))
    assert _articles(split) == _articles(whole)
    assert "export.csv#g99" in _articles(split)


def test_appending_records_parses_those_records_only(tmp_path, record_mode, monkeypatch):
    data = tmp_path / "dump.jsonl"
    _write_jsonl(data, _jsonl_rows(300))
    ix, _ = _index(tmp_path, "ix", [data])
    parsed = []
    real = record_sync.parse_records

    def counting(source, layout, records, *rest):
        records = list(records)
        parsed.extend(record.number for record in records)
        return real(source, layout, records, *rest)

    monkeypatch.setattr(record_sync, "parse_records", counting)
    _write_jsonl(data, _jsonl_rows(350))
    report = ix.update([str(data)], workers=0)
    assert (report.added, report.updated, report.unchanged, report.removed) == (50, 0, 300, 0)
    assert parsed == list(range(301, 351))
    assert ix.search("number 340").total >= 1
    again = ix.update([str(data)], workers=0)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 350, 0)


def test_a_changed_record_is_updated_and_a_removed_one_removed(tmp_path, record_mode):
    rows = _jsonl_rows(40)
    for number, row in enumerate(rows):  # ids of their own: the lines below a removed one keep theirs
        row["id"] = f"story-{number}"
    data = tmp_path / "dump.jsonl"
    _write_jsonl(data, rows)
    ix, _ = _index(tmp_path, "ix", [data])
    rows[10]["text"] += " Now with zebrafish."
    removed = rows.pop(20)
    _write_jsonl(data, rows)
    report = ix.update([str(data)], workers=2)
    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert [hit.id for hit in ix.search("zebrafish").hits] == ["story-10"]
    assert removed["id"] not in _articles(ix)
    assert len(_articles(ix)) == 39


def test_ids_made_from_line_numbers_follow_an_inserted_line(tmp_path, record_mode, monkeypatch):
    rows = [{"text": f"The alpha story {number}."} for number in range(30)]
    data = tmp_path / "lines.jsonl"
    _write_jsonl(data, rows)
    ix, _ = _index(tmp_path, "ix", [data])
    _write_jsonl(data, [{"text": "The inserted bravo story."}] + rows)
    report = ix.update([str(data)], workers=0)
    assert report.unchanged == 0 and report.added + report.updated == 31
    _file_mode(monkeypatch)
    fresh, _ = _index(tmp_path, "fresh", [data])
    assert _articles(ix) == _articles(fresh)


def test_a_truncated_gzip_keeps_what_was_indexed(tmp_path, record_mode):
    data = tmp_path / "dump.jsonl.gz"
    payload = "\n".join(json.dumps(row) for row in _jsonl_rows(400)).encode() + b"\n"
    data.write_bytes(gzip.compress(payload))
    ix, report = _index(tmp_path, "ix", [data])
    assert report.added == 400
    data.write_bytes(data.read_bytes()[: len(data.read_bytes()) // 2])
    again = ix.update([str(data)], workers=0)
    assert any("cut off" in failure.reason for failure in again.failures)
    assert again.removed == 0 and again.unchanged > 0
    assert len(_articles(ix)) == 400


def test_a_file_that_grows_into_record_mode_is_not_indexed_twice(tmp_path, monkeypatch):
    data = tmp_path / "dump.jsonl"
    _write_jsonl(data, _jsonl_rows(20))
    _file_mode(monkeypatch)
    ix, _ = _index(tmp_path, "ix", [data])
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    _write_jsonl(data, _jsonl_rows(25))
    ix.update([str(data)], workers=0)
    assert len(_articles(ix)) == 25
    _file_mode(monkeypatch)
    _write_jsonl(data, _jsonl_rows(22))
    ix.update([str(data)], workers=0)
    assert len(_articles(ix)) == 22


@pytest.mark.parametrize("workers", [0, 2])
def test_a_changed_alias_file_reindexes_every_record_and_loses_none(tmp_path, record_mode, monkeypatch,
                                                                    workers):
    """With commits between jobs, the articles indexed again carry their old markers: they
    must not be taken for the file's stale articles at its end (all were lost before)."""
    from searchkit.index import writer

    monkeypatch.setattr(writer, "BATCH_ARTICLES", 5)
    dump = tmp_path / "dump.jsonl"
    _write_jsonl(dump, _jsonl_rows(40))
    ix, _ = _index(tmp_path, "ix", [dump], workers=workers)
    with ix:
        before = _articles(ix)
        aliases = tmp_path / "aliases.txt"
        aliases.write_text("place: Londinium = London\n", encoding="utf-8")
        ix.set_aliases(aliases)
        report = ix.update([str(dump)], workers=workers)
        after = _articles(ix)
        assert (report.added, report.updated, report.removed) == (0, 40, 0)
        assert ix.stats().articles == 40
    assert after.keys() == before.keys() and len(before) == 40
    assert {places for *_, places, _, _ in after.values()} == {("Londinium",)}
