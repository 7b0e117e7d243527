"""Faults on a real 2-node cluster (the `opensearch_two_nodes` fixture: scripts/opensearch,
with SEARCHKIT_OPENSEARCH_FAULTS=1 or CI=true).

One scenario, run once for the module (`stopped`), its observations asserted by the tests:
an index of 2 shards with 1 replica each holds seeds/; node-1 is stopped while searches run
in a loop and while an `index` run writes new files; the cluster goes yellow; node-1 comes
back; a rerun converges. Beside it, an index without replicas shows what a search says when a
shard has no copy left: an error, never an answer with part of the articles.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import opensearch_support
from conftest import ROOT
from test_cli import run

import searchkit
from searchkit.errors import ClusterError

SEARCHES = ("NOT zebra", "election", "source:wikinews", '"prime minister"', "oil prices")  # no new article matches
NEW_FILES, PER_FILE = 12, 100
STOP_AFTER_FILES = 3  # node-1 is stopped once the index run has parsed this many files


@dataclass
class Observed:
    before: dict
    totals: list = field(default_factory=list)  # (query, total) of every search during the stop
    errors: list = field(default_factory=list)
    report: object = None
    index_error: BaseException | None = None
    written_during_stop: set = field(default_factory=set)
    no_replica: object = None  # what a search of the index without replicas raised
    cli: object = None  # the CLI's answer for that search
    rerun: object = None
    after: dict = field(default_factory=dict)
    new_ids: set = field(default_factory=set)


def write_new_articles(folder: Path) -> set[str]:
    """NEW_FILES files of PER_FILE articles, none matching SEARCHES; their ids."""
    folder.mkdir(parents=True)
    ids = set()
    for number in range(NEW_FILES):
        rows = []
        for n in range(PER_FILE):
            article = f"zebra-{number}-{n}"
            ids.add(article)
            rows.append({"id": article, "title": f"Zebra count {number}-{n}", "source": "Fault Desk",
                         "date": f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}",
                         "text": f"Zebra herds ({number}, {n}) were counted near Nairobi by the Kenya Wildlife "
                                 "Service, said its warden John Kamau. The herds grazed by the river."})
        (folder / f"part-{number:02d}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows),
                                                          encoding="utf-8")
    return ids


def health(base: str, name: str, status: str, nodes: int | None = None) -> dict:
    wanted = f"&wait_for_nodes={nodes}" if nodes else ""
    answer = opensearch_support.request(
        "GET", f"{base}/_cluster/health/{name}?wait_for_status={status}{wanted}&timeout=60s", timeout=90)
    assert not answer["timed_out"], answer
    return answer


def node_script(folder: Path, command: str) -> None:
    done = opensearch_support.run_script(command, "--node", "1", "--dir", str(folder))
    assert done.returncode == 0, done.stderr


class SearchLoop(threading.Thread):
    """Runs SEARCHES over and over on its own connection until stopped."""

    def __init__(self, url: str, observed: Observed) -> None:
        super().__init__(daemon=True)
        self.url, self.observed, self.done = url, observed, threading.Event()

    def run(self) -> None:
        with searchkit.open_index(self.url) as ix:
            while not self.done.is_set():
                for query in SEARCHES:
                    try:
                        self.observed.totals.append((query, ix.search(query, limit=20, facets=3).total))
                    except Exception as error:  # noqa: BLE001 - every failure is an observation
                        self.observed.errors.append((query, repr(error)))


def ids_in(ix, ids: set[str]) -> set[str]:
    return {hit.id for hit in ix.iter_all("zebra", snippets=False)} & ids


@pytest.fixture(scope="module")
def stopped(_opensearch_two_node_cluster, tmp_path_factory):
    """The scenario, once for the module (the session's 2-node cluster, as `opensearch_two_nodes`
    gives it to one test): (Observed, the folder of new files)."""
    pytest.importorskip("opensearchpy")
    base, _, folder = _opensearch_two_node_cluster
    opensearch_support.all_nodes_up(folder)
    port = urllib.parse.urlsplit(base).port
    name = opensearch_support.unique_index_name("searchkit-test-faults")
    # node-1 first: while it is down, every request has to fail over to node-0
    url = f"opensearch://127.0.0.1:{port + 1},127.0.0.1:{port}/{name}"
    bare = f"opensearch://127.0.0.1:{port}/{name}-bare"
    new = tmp_path_factory.mktemp("faults") / "new"
    try:
        ix = searchkit.SearchIndex.create(url, shards=2, replicas=1)
        health(base, name, "green")
        assert not ix.update([ROOT / "seeds"], extract_entities=False).failures  # (quicker; none searched)
        observed = Observed({query: ix.search(query, limit=1).total for query in SEARCHES})
        observed.new_ids = write_new_articles(new)
        with searchkit.SearchIndex.create(bare, shards=2, replicas=0) as without:
            without.update([new / "part-00.jsonl"], extract_entities=False)
        on_node_1 = [row for row in opensearch_support.request("GET", f"{base}/_cat/shards/{name}-bare*?format=json")
                     if row["node"] == "node-1"]

        loops = [SearchLoop(url, observed) for _ in range(3)]
        for loop in loops:
            loop.start()
        parsed = []
        writer = threading.Thread(target=index_new_files, args=(url, new, observed, parsed), daemon=True)
        writer.start()
        deadline = time.monotonic() + 120
        while len(parsed) < STOP_AFTER_FILES and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        node_script(folder, "stop-node")
        writer.join(300)
        assert not writer.is_alive(), "the index run did not end"
        health(base, name, "yellow", nodes=1)
        time.sleep(1)  # and a little more searching on the yellow cluster
        for loop in loops:
            loop.done.set()
        for loop in loops:
            loop.join(120)
        observed.written_during_stop = ids_in(ix, observed.new_ids)

        if on_node_1:
            with searchkit.open_index(bare) as without:
                try:
                    observed.no_replica = without.search("zebra")
                except ClusterError as error:
                    observed.no_replica = error
            observed.cli = run("search", "zebra", "--index", bare)

        node_script(folder, "start-node")
        health(base, name, "green", nodes=2)
        observed.rerun = ix.update([ROOT / "seeds", new], extract_entities=False)
        observed.after = {query: ix.search(query, limit=1).total for query in (*SEARCHES, "zebra")}
        observed.after["articles"] = ix.stats().articles
        observed.after["ids"] = ids_in(ix, observed.new_ids)
        ix.close()
        yield observed, new
    finally:
        opensearch_support.delete_indexes(base, name)  # `name*`: the bare index too


def index_new_files(url: str, new: Path, observed: Observed, parsed: list) -> None:
    try:
        with searchkit.open_index(url) as ix:
            # with entities: the parsing spreads the run over the stop
            observed.report = ix.update([new], progress=lambda done, total: parsed.append(done))
    except BaseException as error:  # noqa: BLE001 - asserted by the test
        observed.index_error = error


def test_searches_answer_with_every_article_while_a_node_stops(stopped):
    observed, _ = stopped
    assert not observed.errors, observed.errors[:5]
    assert len(observed.totals) >= 30
    wrong = [(query, total) for query, total in observed.totals if total != observed.before[query]]
    assert not wrong, wrong[:10]


def test_an_index_run_during_the_stop_completes_or_names_what_it_did_not_write(stopped):
    observed, _ = stopped
    assert observed.index_error is None, repr(observed.index_error)
    report = observed.report
    named = set()
    for failure in report.failures:
        found = re.match(r"article '([^']+)' not written: \S", failure.reason)
        assert found, failure
        named.add(found[1])
    assert named == observed.new_ids - observed.written_during_stop
    assert report.added == len(observed.new_ids) - len(named)


def test_without_replicas_a_lost_shard_is_an_error_not_half_the_articles(stopped):
    observed, _ = stopped
    if observed.no_replica is None:
        pytest.skip("both shards of the index without replicas were on node-0")
    assert isinstance(observed.no_replica, ClusterError), observed.no_replica
    assert "missing shards" in str(observed.no_replica) and "start it again" in observed.no_replica.hint
    done = observed.cli
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr


def test_a_rerun_after_the_node_is_back_converges_with_nothing_lost(stopped, tmp_path):
    observed, new = stopped
    assert not observed.rerun.failures
    assert observed.after["ids"] == observed.new_ids
    with searchkit.SearchIndex.create(tmp_path / "embedded") as embedded:
        embedded.update([ROOT / "seeds", new], extract_entities=False)
        expected = {query: embedded.search(query, limit=1).total for query in (*SEARCHES, "zebra")}
        expected["articles"] = embedded.stats().articles
    assert {key: value for key, value in observed.after.items() if key != "ids"} == expected
    assert all(observed.after[query] == observed.before[query] for query in SEARCHES)
