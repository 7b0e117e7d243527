"""Shared fixtures. Real files, real indexes, all under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

import opensearch_support

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SEED_ARTICLE = ROOT / "seeds" / "000_be4fe0c3f01cfa7b.txt"


def shared_data(name: str) -> Path:
    """Path of a corpus in ../shared/data, or skip the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data is not on this machine)")
    return path


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory):
    """One index of the bundled seeds/ corpus, shared by the read-only tests."""
    import searchkit

    path = tmp_path_factory.mktemp("seeds-index") / "index"
    report = searchkit.index_folder([ROOT / "seeds"], path)
    assert report.added > 500 and not report.failures
    ix = searchkit.open_index(path)
    yield ix
    ix.close()


def write_seed_article(folder: Path, name: str, date: str, body: str) -> Path:
    """A small article in the seed text format."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"date {date} {body}\n", encoding="utf-8")
    return path


# --- a real OpenSearch (tests/opensearch_support.py; `.ci/run` starts one) ---------------

@pytest.fixture(scope="session")
def opensearch_url() -> str:
    """Base URL of a running OpenSearch (SEARCHKIT_OPENSEARCH_URL); skip without (fail in CI)."""
    return opensearch_support.node_url()


@pytest.fixture
def opensearch_index_url(opensearch_url):
    """opensearch://HOST:PORT/<unique name>; the index, `<name>*` and their aliases deleted after."""
    name = opensearch_support.unique_index_name()
    yield opensearch_support.index_location(opensearch_url, name)
    opensearch_support.delete_indexes(opensearch_url, name)


@pytest.fixture(scope="session")
def _opensearch_two_node_cluster():
    yield from opensearch_support.two_node_cluster()


@pytest.fixture
def opensearch_two_nodes(_opensearch_two_node_cluster):
    """(base_url, scripts/opensearch path, cluster folder) of a 2-node cluster for fault tests,
    both nodes up (one a test before stopped is started again). Skipped unless
    SEARCHKIT_OPENSEARCH_FAULTS=1 or CI=true; stopped at the end of the session."""
    opensearch_support.all_nodes_up(_opensearch_two_node_cluster[2])
    return _opensearch_two_node_cluster
