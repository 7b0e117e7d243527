"""The indexing pipeline: the same index with and without worker processes,
update/remove semantics across batches, and failures that are reported, not fatal."""

from __future__ import annotations

import json

import pytest

from searchkit.api import SearchIndex
from searchkit.index import writer
from searchkit.index.writer import indexed_files


def write_jsonl(folder, name: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def make_corpus(folder, files: int = 6, per_file: int = 7) -> None:
    for f in range(files):
        rows = [{"id": f"a{f}-{i}", "title": f"Story {f} {i} about Pakistan",
                 "date": f"2021-09-{1 + i:02d}",
                 "text": f"ISLAMABAD: President Joe Biden met officials in Kabul on day {i} of file {f}. "
                         f"Oil prices rose {f * i} percent."} for i in range(per_file)]
        write_jsonl(folder, f"part-{f}.jsonl", rows)
    (folder / "broken.jsonl").write_text('{"id": "ok", "text": "fine words"}\n{not json\n', encoding="utf-8")


def snapshot(path) -> dict:
    """Every stored document, by id, without the order segments give them."""
    with SearchIndex.open(path) as ix:
        with ix._ix.searcher() as searcher:
            docs = {doc["id"]: doc for doc in searcher.documents()}
    return docs


def counts(report) -> tuple:
    return (report.added, report.updated, report.unchanged, report.removed, report.failed,
            sorted((f.path, f.reason) for f in report.failures))


@pytest.fixture
def corpus(tmp_path):
    make_corpus(tmp_path / "docs")
    return tmp_path / "docs"


def build(path, docs, workers, **kwargs):
    with SearchIndex.create(path) as ix:
        return ix.update([docs], workers=workers, **kwargs)


def test_parallel_build_equals_serial(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(writer, "BATCH_ARTICLES", 10)  # several batches, several segments
    serial = build(tmp_path / "serial", corpus, workers=0)
    parallel = build(tmp_path / "parallel", corpus, workers=2)
    assert counts(serial) == counts(parallel)
    assert serial.added == 6 * 7 + 1 and serial.failed == 1
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")
    with SearchIndex.open(tmp_path / "parallel") as ix:
        assert ix.search("oil", limit=100).total == 42
        assert ix.search('person:"Joe Biden"', limit=100).total == 42


@pytest.mark.parametrize("workers", [0, 2])
def test_update_and_remove_semantics(tmp_path, corpus, monkeypatch, workers):
    monkeypatch.setattr(writer, "BATCH_ARTICLES", 10)
    build(tmp_path / "ix", corpus, workers)
    write_jsonl(corpus, "part-1.jsonl", [{"id": "new-1", "text": "A fresh story about wheat."}])
    (corpus / "part-2.jsonl").unlink()
    write_jsonl(corpus, "part-9.jsonl", [{"id": "new-9", "text": "Another story about barley."}])
    with SearchIndex.open(tmp_path / "ix") as ix:
        report = ix.update([corpus], workers=workers)
        assert (report.added, report.updated, report.removed) == (1, 1, 7)
        assert report.unchanged == 4 * 7 + 1 and report.failed == 0  # broken.jsonl is unchanged
        assert ix.search("wheat").total == 1 and ix.search("barley").total == 1
        assert ix.search("oil", limit=100).total == 4 * 7
        again = ix.update([corpus], workers=workers)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 4 * 7 + 3)
    files = indexed_files(SearchIndex.open(tmp_path / "ix")._ix)
    assert sorted(p.rsplit("/", 1)[1] for p in files) == [
        "broken.jsonl", "part-0.jsonl", "part-1.jsonl", "part-3.jsonl", "part-4.jsonl",
        "part-5.jsonl", "part-9.jsonl"]


def test_without_entities(tmp_path, corpus):
    report = build(tmp_path / "ix", corpus, workers=2, extract_entities=False)
    assert report.added == 43
    with SearchIndex.open(tmp_path / "ix") as ix:
        assert ix.search("oil", limit=100).total == 42
        assert ix.search('person:"Joe Biden"').total == 0


def test_failure_in_a_worker_is_reported_not_fatal(tmp_path, corpus, monkeypatch):
    from searchkit.index import documents

    real = documents.article_entities

    def explode(article, aliases=None):
        if article.path.endswith("part-3.jsonl"):
            raise RuntimeError("extractor exploded")
        return real(article)

    monkeypatch.setattr(writer, "article_entities", explode)  # inherited by forked workers
    report = build(tmp_path / "ix", corpus, workers=2)
    reasons = {f.path.rsplit("/", 1)[1]: f.reason for f in report.failures}
    assert "extractor exploded" in reasons["part-3.jsonl"]
    assert report.added == 5 * 7 + 1
    with SearchIndex.open(tmp_path / "ix") as ix:
        assert ix.search("oil", limit=100).total == 35


def test_choose_workers_small_jobs_stay_in_process(tmp_path, corpus):
    from searchkit.ingest.discover import discover

    walk = discover([corpus])
    assert writer.choose_workers(walk, None) == 0  # a few kilobytes: not worth a process
    assert writer.choose_workers(walk, 3) == 3


@pytest.mark.parametrize("workers", [0, 2])
def test_segments_merge_by_tiers_and_stay_few(tmp_path, monkeypatch, workers):
    make_corpus(tmp_path / "docs", files=24, per_file=3)
    monkeypatch.setattr(writer, "BATCH_ARTICLES", 3)  # a commit per file or two
    monkeypatch.setattr(writer, "MERGE_UNIT", 2)
    monkeypatch.setattr(writer, "MERGE_FACTOR", 3)
    report = build(tmp_path / "ix", tmp_path / "docs", workers)
    assert report.added == 24 * 3 + 1
    with SearchIndex.open(tmp_path / "ix") as ix:
        with ix._ix.reader() as reader:
            segments = [leaf for leaf, _ in reader.leaf_readers()]
        assert ix.search("oil", limit=100).total == 72
    assert 1 < len(segments) <= 10  # dozens of commits, a handful of segments
