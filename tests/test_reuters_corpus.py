"""The whole of Reuters-21578, converted on the fly to JSON Lines, indexes
without an error (with entity extraction, on the parallel pipeline)."""

from __future__ import annotations

import sys

from conftest import ROOT, shared_data

from searchkit.api import SearchIndex


def test_whole_reuters_corpus_indexes_without_an_error(tmp_path):
    data = shared_data("reuters21578")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import speed_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    corpus = speed_corpus.write_reuters(tmp_path / "reuters", data_dir=data)
    assert corpus is not None and corpus.articles > 21_000
    with SearchIndex.create(tmp_path / "ix") as ix:
        report = ix.update([tmp_path / "reuters"])
        assert report.failures == ()
        assert report.added == corpus.articles
        assert ix._ix.doc_count() == corpus.articles
        assert ix.search("cocoa").total > 50
        assert ix.search('"crude oil" date:1987-03').total > 10
