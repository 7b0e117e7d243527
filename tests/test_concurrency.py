"""Searching while `searchkit index` writes, and two writers at once, on real
processes and a real index folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

import searchkit
from conftest import ROOT
from searchkit.index.locking import writing
from searchkit.index.store import index_exists
from test_interrupt import build_corpus, ids_on_disk

BATCH = "40"


def start(*args, batch=BATCH) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SEARCHKIT_BATCH=batch, NO_COLOR="1")
    return subprocess.Popen([sys.executable, "-m", "searchkit", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_locked(index, process, timeout=60.0) -> None:
    """Until `process` holds the index's write lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with writing(index, wait=0):
                pass
        except searchkit.IndexLocked:
            return
        time.sleep(0.02)
    pytest.fail("the indexer never took the lock")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    docs = tmp_path_factory.mktemp("concurrency") / "docs"
    build_corpus(docs)
    return docs, len(ids_on_disk(docs))


def test_searches_keep_working_and_see_commits_while_indexing(corpus, tmp_path):
    docs, total = corpus
    index = tmp_path / "ix"
    writer = start("index", docs, "--index", index)
    while not index_exists(index):
        time.sleep(0.01)
    seen = []
    with searchkit.open_index(index) as ix:  # opened once, before most commits
        while writer.poll() is None:
            seen.append(ix.search("commonword", limit=1).total)
            assert seen[-1] >= max(seen), "a search saw fewer articles than before"
        cli = subprocess.run([sys.executable, "-m", "searchkit", "search", "commonword", "--index", index],
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        assert writer.returncode == 0, writer.stderr.read()
        assert len(set(seen)) > 2, f"no commits seen in between: {seen}"
        assert ix.search("commonword", limit=1).total == total
    assert cli.returncode == 0 and f"{total} articles match" in cli.stdout


def test_cli_searches_during_indexing_never_fail(corpus, tmp_path):
    docs, _ = corpus
    index = tmp_path / "ix"
    writer = start("index", docs, "--index", index)
    wait_until_locked(index, writer)
    codes = set()
    while writer.poll() is None:
        done = subprocess.run([sys.executable, "-m", "searchkit", "search", "commonword", "--index", index],
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        codes.add(done.returncode)
        assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
        if done.returncode == 2:
            assert "no searchkit index" in done.stderr  # only before the first commit
    assert 0 in codes


def test_a_second_indexer_stops_with_no_wait_or_waits_with_a_message(corpus, tmp_path):
    docs, total = corpus
    index = tmp_path / "ix"
    first = start("index", docs, "--index", index)
    wait_until_locked(index, first)
    refused = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", docs, "--index", index, "--no-wait"],
        env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    second = start("index", docs, "--index", index)
    with pytest.raises(searchkit.IndexLocked):
        with searchkit.open_index(index) as ix:
            ix.update([docs])  # the library does not wait unless asked
    assert first.wait(timeout=120) == 0
    assert second.wait(timeout=120) == 0, second.stderr.read()
    assert refused.returncode == 2
    assert refused.stderr.startswith("searchkit: error: another 'searchkit index' is writing to")
    assert len(refused.stderr.splitlines()) == 1
    assert "waiting for it to finish" in second.stderr.read()
    assert "unchanged 3000" in second.stdout.read()
    with searchkit.open_index(index) as ix:
        assert ix.search("commonword", limit=1).total == total


def test_a_rebuild_waits_for_a_running_update(corpus, tmp_path):
    docs, total = corpus
    index = tmp_path / "ix"
    first = start("index", docs, "--index", index)
    wait_until_locked(index, first)
    rebuild = start("index", docs, "--index", index, "--rebuild")
    assert first.wait(timeout=120) == 0 and rebuild.wait(timeout=120) == 0
    assert f"added {total}," in rebuild.stdout.read()
    with searchkit.open_index(index) as ix:
        assert ix.search("commonword", limit=1).total == total
