"""Superseded segment files outlive a commit, so searches that opened them can finish."""

from __future__ import annotations

import pytest

import searchkit
from conftest import write_seed_article
from searchkit.index import grace


def segment_files(folder):
    return {p.name for p in folder.iterdir() if not p.name.startswith((".", "_")) and "." in p.name
            and not p.name.endswith((".json", ".lock"))}


def test_a_search_opened_before_a_commit_still_reads_after_it(tmp_path):
    docs = tmp_path / "docs"
    for i in range(30):
        write_seed_article(docs, f"a{i}.txt", "2021-01-01", f"LONDON: Apples number {i} are red.")
    searchkit.index_folder([docs], tmp_path / "ix")
    ix = searchkit.open_index(tmp_path / "ix")
    whoosh_ix = ix._ix
    with whoosh_ix.searcher() as searcher:
        before = segment_files(tmp_path / "ix")
        for i in range(30):
            write_seed_article(docs, f"a{i}.txt", "2021-01-01", f"LONDON: Pears number {i} are green.")
        searchkit.index_folder([docs], tmp_path / "ix", rebuild=True)
        assert before <= segment_files(tmp_path / "ix")  # kept for the open search
        from whoosh.qparser import QueryParser

        hits = searcher.search(QueryParser("body", whoosh_ix.schema).parse("apples"), limit=None)
        assert len(hits) == 30 and all(hit["body"] for hit in hits)
    assert ix.search("pears").total == 30 and ix.search("apples").total == 0
    ix.close()


def test_superseded_files_go_after_the_grace_period(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "Apples.")
    searchkit.index_folder([docs], tmp_path / "ix")
    first = segment_files(tmp_path / "ix")
    monkeypatch.setattr(grace, "GRACE_SECONDS", 0.0)
    searchkit.index_folder([docs], tmp_path / "ix", rebuild=True)
    write_seed_article(docs, "b.txt", "2021-01-02", "Bananas.")
    searchkit.index_folder([docs], tmp_path / "ix")
    assert not first & segment_files(tmp_path / "ix")


def test_segment_files_are_read_through_a_memory_map_and_empty_ones_plainly(tmp_path):
    docs = tmp_path / "docs"
    for i in range(5):
        write_seed_article(docs, f"a{i}.txt", "2021-01-01", f"LONDON: Apples number {i} are red.")
    searchkit.index_folder([docs], tmp_path / "ix")
    storage = grace.GraceStorage(str(tmp_path / "ix"))
    name = next(n for n in segment_files(tmp_path / "ix") if n.endswith(".trm"))
    mapped = storage.open_file(name)
    assert isinstance(mapped, grace.MappedFile)
    raw = (tmp_path / "ix" / name).read_bytes()
    assert mapped.get(3, 10) == raw[3:13] and mapped.read(4) == raw[13:17]
    mapped.close()
    (tmp_path / "ix" / "empty.bin").write_bytes(b"")
    plain = storage.open_file("empty.bin")
    assert not isinstance(plain, grace.MappedFile) and plain.read() == b""
    plain.close()
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("apples").total == 5


def test_a_read_that_fails_on_a_superseded_state_starts_again_and_one_on_the_latest_does_not(tmp_path):
    """SearchIndex._read retries only when a commit made a newer generation than the
    one the failed read had opened (Whoosh's up_to_date() cannot tell: always True)."""
    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "LONDON: Apples are red.")
    searchkit.index_folder([docs], tmp_path / "ix")
    calls = []
    with searchkit.open_index(tmp_path / "ix") as ix:
        def superseded(view):
            calls.append(view._reader.generation())
            if len(calls) == 1:  # another writer commits while this read runs, then it fails
                write_seed_article(docs, "b.txt", "2021-01-02", "LONDON: Pears are green.")
                searchkit.index_folder([docs], tmp_path / "ix")
                raise OSError("a segment file went away")
            return "read again"

        assert ix._read(superseded) == "read again"
        assert len(calls) == 2 and calls[1] > calls[0]

        def broken(view):
            calls.append(view._reader.generation())
            raise OSError("broken")

        calls.clear()
        with pytest.raises(OSError):
            ix._read(broken)
        assert len(calls) == 1
