"""Tests against a real OpenSearch: where the node is, unique indexes, a 2-node cluster.

The node comes from scripts/opensearch: `.ci/run` starts one and exports its base URL as
SEARCHKIT_OPENSEARCH_URL. Without it, the tests that need a node skip with the reason; under
CI=true they fail instead, since CI must run them. Plain urllib: no client needed here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "opensearch"
URL_ENV = "SEARCHKIT_OPENSEARCH_URL"
FAULTS_ENV = "SEARCHKIT_OPENSEARCH_FAULTS"
START_HINT = f"start one with `scripts/opensearch start` and export {URL_ENV}=the URL it prints"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip the test; under CI=true, where OpenSearch must be there, fail it."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the tests that need OpenSearch must run)", pytrace=False)
    pytest.skip(reason)


def request(method: str, url: str, body: dict | None = None, timeout: float = 30) -> dict:
    """One JSON request; urllib.error.HTTPError for an error status."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.load(response)


def node_url() -> str:
    """The base URL of a reachable node from SEARCHKIT_OPENSEARCH_URL, else skip (or fail)."""
    url = os.environ.get(URL_ENV, "").strip().rstrip("/")
    if not url:
        unavailable(f"{URL_ENV} is not set: {START_HINT}")
    try:
        status = request("GET", f"{url}/_cluster/health", timeout=10).get("status")
        problem = None if status in ("green", "yellow") else f"its cluster health is {status}"
    except (OSError, ValueError) as error:
        problem = f"it cannot be reached ({error})"
    if problem:
        unavailable(f"OpenSearch at {URL_ENV}={url} is not usable: {problem}; {START_HINT}")
    return url


def unique_index_name(prefix: str = "searchkit-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def index_location(base_url: str, name: str) -> str:
    """searchkit's location of an index: opensearch://HOST:PORT/NAME."""
    return f"opensearch://{urllib.parse.urlsplit(base_url).netloc}/{name}"


def delete_indexes(base_url: str, name: str) -> None:
    """Delete the index `name`, every index named `name*`, and so the aliases on them.

    An alias `name` (a rebuild switches one) resolves to the index behind it, deleted too.
    """
    pattern = urllib.parse.quote(f"{name},{name}*", safe=",*")
    found = request("GET", f"{base_url}/{pattern}/_settings?expand_wildcards=all"
                           "&ignore_unavailable=true&allow_no_indices=true&filter_path=*.settings"
                           ".index.uuid")
    if found:
        targets = urllib.parse.quote(",".join(sorted(found)), safe=",")
        request("DELETE", f"{base_url}/{targets}?ignore_unavailable=true")


@contextlib.contextmanager
def both_engines(folder: Path, base_url: str, prefix: str, paths: list, aliases: Path | None = None, **update):
    """(embedded index in `folder`, index on the node) of the same files, each updated
    once (with the alias file `aliases`); both closed and the node's index deleted after."""
    import searchkit

    name = unique_index_name(prefix)
    opened = []
    try:
        for location in (folder, index_location(base_url, name)):
            ix = searchkit.SearchIndex.create(location)
            opened.append(ix)
            if aliases is not None:
                ix.set_aliases(aliases)
            report = ix.update(paths, **update)
            assert not report.failures, report.failures
        yield tuple(opened)
    finally:
        for ix in opened:
            ix.close()
        delete_indexes(base_url, name)


def run_script(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)


def two_node_cluster():
    """A 2-node cluster of its own for the fault tests: (base_url, script, folder), then stopped.

    Its folder is made in the system's temp folder, not under pytest's tmp_path: as root the
    nodes run as another user, who cannot pass pytest's private (0700) base folder.
    """
    if not (in_ci() or os.environ.get(FAULTS_ENV) == "1"):
        pytest.skip(f"a 2-node cluster takes about a minute and 1 GB: set {FAULTS_ENV}=1")
    folder = Path(tempfile.mkdtemp(prefix="searchkit-os-faults-"))
    try:
        started = run_script("start", "--nodes", "2", "--port", "auto", "--dir", str(folder))
        if started.returncode != 0:
            pytest.fail(f"scripts/opensearch could not start 2 nodes:\n{started.stderr}",
                        pytrace=False)
        yield started.stdout.strip().splitlines()[-1], SCRIPT, folder
    finally:
        run_script("stop", "--dir", str(folder))
        shutil.rmtree(folder, ignore_errors=True)


def all_nodes_up(folder: Path) -> None:
    """Start any node of the cluster in folder that a test left stopped (idempotent)."""
    started = run_script("start", "--dir", str(folder))
    if started.returncode != 0:
        pytest.fail(f"scripts/opensearch could not restart the cluster:\n{started.stderr}",
                    pytrace=False)
