"""An index remembers how its entities were found: a new searchkit whose rules or data find
other names extracts every article again on the next update, embedded or on a cluster."""

from __future__ import annotations

import pytest

import searchkit
from conftest import write_seed_article
from searchkit.analysis import entities
from searchkit.analysis.entities import extraction_version
from searchkit.index.store import read_meta, write_meta

BODY = "LONDON: The Quarnet Holdings board met officials of the Bank of England on Monday."


@pytest.fixture
def newer_rules(monkeypatch):
    """A callable that makes this process a searchkit whose built-in rules changed."""
    def bump() -> None:
        monkeypatch.setattr(entities, "RULES_VERSION", entities.RULES_VERSION + 1)
        entities._builtin_digest.cache_clear()
    yield bump
    monkeypatch.undo()
    entities._builtin_digest.cache_clear()


@pytest.fixture
def folder(tmp_path):
    write_seed_article(tmp_path / "articles", "a.txt", "2024-01-02", BODY)
    return tmp_path / "articles"


def test_the_version_names_the_extractor_and_follows_the_rules(newer_rules):
    before = extraction_version("rules")
    assert before.startswith("rules:") and extraction_version("corenlp").startswith("corenlp:")
    assert extraction_version("mypackage.ner:Tagger") == "mypackage.ner:Tagger"
    newer_rules()
    assert extraction_version("rules") != before


def test_changed_rules_reextract_every_article_once(tmp_path, folder, newer_rules):
    with searchkit.SearchIndex.create(tmp_path / "ix") as ix:
        assert ix.update([folder]).added == 1
        assert ix.update([folder]).unchanged == 1
        newer_rules()
        assert ix.update([folder]).updated == 1
        assert ix.update([folder]).unchanged == 1
    assert read_meta(tmp_path / "ix")["extraction"] == extraction_version("rules")


def test_an_index_from_before_the_version_was_kept_is_reextracted(tmp_path, folder):
    with searchkit.SearchIndex.create(tmp_path / "ix") as ix:
        ix.update([folder])
    meta = read_meta(tmp_path / "ix")
    del meta["extraction"]
    write_meta(tmp_path / "ix", meta)
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.update([folder]).updated == 1


def test_an_update_without_entities_neither_reextracts_nor_records_a_version(tmp_path, folder, newer_rules):
    with searchkit.SearchIndex.create(tmp_path / "ix") as ix:
        ix.update([folder])
        recorded = read_meta(tmp_path / "ix")["extraction"]
        newer_rules()
        assert ix.update([folder], extract_entities=False).unchanged == 1
        assert read_meta(tmp_path / "ix")["extraction"] == recorded


def test_a_cluster_reextracts_an_origin_after_changed_rules(folder, opensearch_index_url, newer_rules):
    with searchkit.SearchIndex.create(opensearch_index_url) as ix:
        assert ix.update([folder]).added == 1
        assert ix.update([folder]).unchanged == 1
        newer_rules()
        assert ix.update([folder]).updated == 1
        assert ix.update([folder]).unchanged == 1


def test_a_first_run_stopped_before_its_end_is_resumed_not_extracted_again(tmp_path, folder, monkeypatch):
    from searchkit.index import writer

    monkeypatch.setattr(writer, "BATCH_ARTICLES", 1)  # a commit after each article
    for name in ("b.txt", "c.txt"):
        write_seed_article(folder, name, "2024-01-03", BODY.replace("Monday", f"Tuesday {name}"))

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with searchkit.SearchIndex.create(tmp_path / "ix") as ix:
        with pytest.raises(KeyboardInterrupt):
            ix.update([folder], progress=stop_after_two, workers=0)
        assert read_meta(tmp_path / "ix")["extraction"] == extraction_version("rules")
        report = ix.update([folder], workers=0)
    assert report.updated == 0 and report.unchanged >= 1 and report.added + report.unchanged == 3
