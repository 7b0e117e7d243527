"""Merging segments: fewer segments, the same articles; a merge killed at any moment
leaves the index as it was, and searches running meanwhile see every article."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import searchkit
from conftest import ROOT
from searchkit.index import merging
from searchkit.index import writer as writing

ARTICLES = 1500
PER_FILE = 50


def write_corpus(docs, start: int = 0, count: int = ARTICLES) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    for first in range(start, start + count, PER_FILE):
        rows = [{"id": f"a{n}", "title": f"Report {n}", "date": "2020-05-01",
                 "text": f"commonword story number {n} about oil w{n % 97} and markets w{n % 13}"}
                for n in range(first, first + PER_FILE)]
        (docs / f"part{first:05d}.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n")


def segments(path) -> int:
    with searchkit.open_index(path) as ix:
        return len(merging.live_segments(ix._ix))


def ids(path) -> list[str]:
    with searchkit.open_index(path) as ix:
        results = ix.search("commonword", limit=100_000, group=False, snippets=False)
        assert results.total == len(results.hits)
        return sorted(hit.id for hit in results.hits)


def build_segmented(tmp_path, monkeypatch, count: int = ARTICLES):
    """An index of many small segments (a commit every 50 articles, no merging)."""
    monkeypatch.setattr(writing, "BATCH_ARTICLES", PER_FILE)
    monkeypatch.setattr(writing, "MAX_MERGED_ARTICLES", 0)
    monkeypatch.setattr(merging, "compact", lambda ix, max_segments=None: None, raising=True)
    docs, index = tmp_path / "docs", tmp_path / "ix"
    write_corpus(docs, count=count)
    searchkit.index_folder([docs], index, workers=0)
    monkeypatch.undo()
    return docs, index


def test_optimize_merges_into_one_segment_and_keeps_every_article(tmp_path, monkeypatch):
    docs, index = build_segmented(tmp_path, monkeypatch, 600)
    assert segments(index) == 600 // PER_FILE
    before = ids(index)
    with searchkit.open_index(index) as ix:
        flat = ix.search("oil w5", limit=20, group=False)
        report = ix.optimize()
        again = ix.search("oil w5", limit=20, group=False)
    assert (report.segments_before, report.segments_after, report.articles_merged) == (12, 1, 600)
    assert segments(index) == 1 and ids(index) == before
    assert [(h.id, round(h.score, 9)) for h in again.hits] == [(h.id, round(h.score, 9)) for h in flat.hits]
    with searchkit.open_index(index) as ix:
        assert ix.optimize().merges == 0  # nothing left to merge


def test_compact_merges_tiers_without_a_size_cap(tmp_path, monkeypatch):
    docs, index = build_segmented(tmp_path, monkeypatch, 600)
    monkeypatch.setattr(writing, "MERGE_UNIT", 10)
    monkeypatch.setattr(writing, "MERGE_FACTOR", 3)
    with searchkit.open_index(index) as ix:
        report = merging.compact(ix._ix)
    # 12 segments of 50 (tier 1) -> 4 of 150 (tier 2) -> 1 of 450 + 1 of 150
    assert report.segments_before == 12 and report.segments_after == 2 and report.merges == 5
    assert len(ids(index)) == 600


def test_an_update_ends_with_its_segments_compacted_when_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "COMPACT_AFTER_UPDATE", True)
    monkeypatch.setattr(writing, "BATCH_ARTICLES", PER_FILE)
    monkeypatch.setattr(writing, "MERGE_UNIT", 10)
    monkeypatch.setattr(writing, "MERGE_FACTOR", 3)
    monkeypatch.setattr(writing, "MAX_MERGED_ARTICLES", 100)
    write_corpus(tmp_path / "docs", count=900)
    searchkit.index_folder([tmp_path / "docs"], tmp_path / "ix", workers=0)
    assert segments(tmp_path / "ix") <= 2 * (writing.MERGE_FACTOR - 1)
    assert len(ids(tmp_path / "ix")) == 900


def test_a_merge_killed_at_any_moment_loses_nothing(tmp_path, monkeypatch):
    docs, index = build_segmented(tmp_path, monkeypatch)
    expected = ids(index)
    rng = random.Random(16)
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def optimize(path) -> list[str]:
        return [sys.executable, "-c", f"import searchkit; searchkit.open_index({str(path)!r}).optimize()"]

    # how long a whole run takes on this machine (a copy), so that the kills fall inside one
    shutil.copytree(index, tmp_path / "trial")
    started = time.perf_counter()
    subprocess.run(optimize(tmp_path / "trial"), env=env, check=True, capture_output=True)
    whole = time.perf_counter() - started
    kills = 0
    for _ in range(8):
        process = subprocess.Popen(optimize(index), env=env, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.1, 0.9) * whole)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        assert ids(index) == expected  # the old segments or the merged one, never less
        if segments(index) == 1:
            break
    assert kills >= 1
    with searchkit.open_index(index) as ix:
        ix.optimize()
    assert segments(index) == 1 and ids(index) == expected


def test_searches_see_every_article_while_a_merge_runs(tmp_path, monkeypatch):
    docs, index = build_segmented(tmp_path, monkeypatch)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = f"import searchkit; searchkit.open_index({str(index)!r}).optimize()"
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    totals = []
    with searchkit.open_index(index) as ix:
        while process.poll() is None:
            totals.append(ix.search("commonword", limit=5).total)
        totals.append(ix.search("commonword", limit=5).total)
    assert process.returncode == 0
    assert len(totals) > 1 and set(totals) == {ARTICLES}
    assert segments(index) == 1


def test_cli_optimize_reports_the_merge(tmp_path, monkeypatch, capsys):
    from searchkit.cli import main

    docs, index = build_segmented(tmp_path, monkeypatch, 200)
    assert main(["optimize", "--index", str(index)]) == 0
    assert capsys.readouterr().out.startswith("4 segments -> 1 (200 articles merged in ")
    assert segments(index) == 1
