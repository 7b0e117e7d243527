"""scripts/opensearch: its usage without starting anything, the node it starts, and (with
SEARCHKIT_OPENSEARCH_FAULTS=1 or CI=true) a 2-node cluster that loses a node and gets it back."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from opensearch_support import (SCRIPT, delete_indexes, index_location, request, run_script,
                                unique_index_name)


def test_help_names_every_command():
    done = run_script("--help", timeout=30)
    assert done.returncode == 0
    for command in ("start", "stop", "stop-node", "start-node", "--nodes", "--port", "--dir"):
        assert command in done.stdout, command


@pytest.mark.parametrize("argv", [[], ["launch"], ["stop-node"], ["start-node", "--node", "x"],
                                  ["start", "--nodes", "0"], ["start", "--port", "80"],
                                  ["start", "--heap", "lots"]])
def test_usage_errors_exit_2_and_start_nothing(argv, tmp_path):
    done = run_script(*argv, *(["--dir", str(tmp_path)] if argv else []), timeout=30)
    assert done.returncode == 2, done.stderr
    assert "usage: scripts/opensearch" in done.stderr
    assert not done.stdout
    assert not list(tmp_path.iterdir())


def test_stop_without_a_cluster_is_fine(tmp_path):
    done = run_script("stop", "--dir", str(tmp_path / "none"), timeout=30)
    assert done.returncode == 0
    assert "no OpenSearch node is running" in done.stderr


def test_one_node_without_a_cluster_is_one_line(tmp_path):
    done = run_script("stop-node", "--node", "1", "--dir", str(tmp_path), timeout=30)
    assert done.returncode == 1
    assert done.stderr.strip() == f"scripts/opensearch: error: no cluster was started in {tmp_path}"


def test_the_script_is_executable():
    assert SCRIPT.stat().st_mode & 0o111


def test_the_node_is_healthy_with_the_analysis_module(opensearch_url):
    assert request("GET", f"{opensearch_url}/_cluster/health")["status"] in ("green", "yellow")
    nodes = request("GET", f"{opensearch_url}/_nodes/plugins")["nodes"].values()
    for node in nodes:
        assert "analysis-common" in {module["name"] for module in node["modules"]}
    # porter_stem and the pattern tokenizer come from analysis-common
    analysed = request("POST", f"{opensearch_url}/_analyze", {
        "tokenizer": {"type": "pattern", "pattern": r"\W+"}, "filter": ["lowercase", "porter_stem"],
        "text": "Running ELECTIONS"})
    assert [token["token"] for token in analysed["tokens"]] == ["run", "elect"]


def test_delete_indexes_takes_the_name_its_versions_and_aliases(opensearch_url):
    name = unique_index_name()
    assert index_location(opensearch_url, name) == (
        f"opensearch://{urlsplit(opensearch_url).netloc}/{name}")
    for version in ("v1", "v2"):
        request("PUT", f"{opensearch_url}/{name}-{version}",
                {"settings": {"number_of_shards": 1, "number_of_replicas": 0}})
    request("POST", f"{opensearch_url}/_aliases",
            {"actions": [{"add": {"index": f"{name}-v2", "alias": name}}]})
    delete_indexes(opensearch_url, name)
    left = request("GET", f"{opensearch_url}/_cat/indices/{name}*?format=json&expand_wildcards=all")
    assert left == []
    delete_indexes(opensearch_url, name)  # nothing left: still fine


def test_two_nodes_keep_answering_while_one_is_stopped(opensearch_two_nodes):
    url, script, folder = opensearch_two_nodes
    assert len(request("GET", f"{url}/_nodes")["nodes"]) == 2
    index = f"{url}/{unique_index_name()}"
    request("PUT", index, {"settings": {"number_of_shards": 2, "number_of_replicas": 1}})
    try:
        for number in range(20):
            request("PUT", f"{index}/_doc/{number}", {"n": number})
        request("POST", f"{index}/_refresh")
        request("GET", f"{url}/_cluster/health?wait_for_status=green&timeout=60s")
        assert run_script("stop-node", "--node", "1", "--dir", str(folder)).returncode == 0
        health = request("GET", f"{url}/_cluster/health")  # node-0 still manages the cluster
        assert (health["status"], health["number_of_nodes"]) == ("yellow", 1)
        assert request("GET", f"{index}/_count")["count"] == 20
        started = run_script("start-node", "--node", "1", "--dir", str(folder))
        assert started.returncode == 0, started.stderr
        port = urlsplit(url).port
        assert started.stdout.strip().splitlines()[-1] == f"http://127.0.0.1:{port + 1}"
        assert len(request("GET", f"{url}/_nodes")["nodes"]) == 2
    finally:
        request("DELETE", index)
