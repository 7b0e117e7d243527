"""Article ids: stable, unique across the folders of an index, and the seeds' ids
unchanged (the README shows `000_be4fe0c3f01cfa7b.txt` and `wikinews-115227`)."""

from __future__ import annotations

import json

import searchkit
from conftest import write_seed_article
from searchkit.ingest.discover import discover


def test_the_seed_index_keeps_its_ids(seeds_index):
    assert seeds_index.get("000_be4fe0c3f01cfa7b.txt").dateline == "Islamabad"
    assert seeds_index.get("wikinews-115227").title == "Oil prices drop as inventories grow"


def two_folders(tmp_path):
    for folder, word in (("a", "alphaword"), ("b", "betaword")):
        write_seed_article(tmp_path / folder / "sub", "same.txt", "2021-01-01", f"KABUL: {word} story.")
    return tmp_path / "a", tmp_path / "b"


def ids_of(index, query: str) -> list[str]:
    with searchkit.open_index(index) as ix:
        return [hit.id for hit in ix.search(query)]


def test_two_files_with_the_same_relative_name_in_two_folders_get_two_ids(tmp_path):
    a, b = two_folders(tmp_path)
    report = searchkit.index_folder([a, b], tmp_path / "ix")
    assert report.added == 2
    assert ids_of(tmp_path / "ix", "alphaword") == ["sub/same.txt"]
    assert ids_of(tmp_path / "ix", "betaword") == ["../b/sub/same.txt"]
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert "betaword" in ix.get("../b/sub/same.txt").body


def test_ids_are_relative_to_the_first_folder_ever_indexed_and_stay_so(tmp_path):
    a, b = two_folders(tmp_path)
    searchkit.index_folder([a], tmp_path / "ix")
    searchkit.index_folder([b], tmp_path / "ix")  # a later run, another folder
    assert ids_of(tmp_path / "ix", "betaword") == ["../b/sub/same.txt"]
    with searchkit.open_index(tmp_path / "ix") as ix:
        report = ix.update()  # its roots, in any order
        assert report.unchanged == 2 and report.added == 0
        ix.rebuild()
    assert ids_of(tmp_path / "ix", "alphaword OR betaword") in (
        ["sub/same.txt", "../b/sub/same.txt"], ["../b/sub/same.txt", "sub/same.txt"])


def test_a_file_keeps_its_id_whichever_root_finds_it(tmp_path):
    a, _ = two_folders(tmp_path)
    searchkit.index_folder([a], tmp_path / "ix")
    report = searchkit.index_folder([a / "sub" / "same.txt"], tmp_path / "ix")
    assert report.unchanged == 1 and report.added == 0
    report = searchkit.index_folder([tmp_path / "a", tmp_path / "b"], tmp_path / "ix")
    assert report.unchanged == 1 and report.added == 1
    assert ids_of(tmp_path / "ix", "alphaword") == ["sub/same.txt"]


def test_record_ids_carry_the_relative_path_not_the_absolute_one(tmp_path):
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": "no id"}) + "\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("text\nrow text\n", encoding="utf-8")
    ids = sorted(article.id for article in searchkit.load_articles(tmp_path))
    assert ids == ["d.jsonl#1", "t.csv#2"]
    assert [s.rel for s in discover([tmp_path / "t.csv"]).sources] == ["t.csv"]
    assert discover([tmp_path / "t.csv"]).base == str(tmp_path)


def test_an_index_folder_inside_the_corpus_is_passed_over(tmp_path):
    write_seed_article(tmp_path, "a.txt", "2021-01-01", "KABUL: insideword story.")
    searchkit.index_folder([tmp_path], tmp_path / "index")
    report = searchkit.index_folder([tmp_path], tmp_path / "index")  # searchkit.json is not an article
    assert report.unchanged == 1 and not report.failures and report.skipped == 0
