"""Bad input against a cluster: each is a searchkit error in the library and one line on the
CLI (exit 2, or 3 for an index run that wrote part of its articles), never a traceback, and
nothing already in the index is lost.

Without a node (these run everywhere the client is installed): a closed port, a user without
a password, a password in the URL, a missing CA file, and the answers of a server that refuses
credentials (401) or rights (403) — a stub on loopback, since the test node has no security
plugin. With the node (`opensearch_url`): a missing index, an index not made by searchkit or
by another searchkit version, articles the cluster rejects, a write-blocked index, a query
with more clauses than the cluster allows, TLS spoken to a plain HTTP port.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import urllib.parse

import pytest

import opensearch_support
from test_cli import run
from test_cli_cluster import one_error_line

import searchkit
from searchkit.errors import ClusterError, IndexNotFound, SchemaMismatch, SearchkitError, TooManyClauses

pytest.importorskip("opensearchpy")

PASSWORD_ENV = "SEARCHKIT_OPENSEARCH_PASSWORD"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def host(base_url: str) -> str:
    return urllib.parse.urlsplit(base_url).netloc


def rows_file(folder, rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


GOOD = [{"id": f"good-{n}", "date": "2021-01-02", "text": f"KABUL: Oil prices rose on day {n}."} for n in range(3)]


def physical(base_url: str, name: str) -> str:
    """The index behind searchkit's alias `name`."""
    return next(iter(opensearch_support.request("GET", f"{base_url}/{name}/_alias")))


# -- no node needed -------------------------------------------------------------------------

def test_an_unreachable_cluster_is_a_cluster_error(tmp_path):
    url = f"opensearch://127.0.0.1:{closed_port()}/news"
    for attempt in (lambda: searchkit.open_index(url), lambda: searchkit.index_folder([tmp_path], url)):
        with pytest.raises(ClusterError, match="cannot reach the cluster at") as raised:
            attempt()
        assert "scripts/opensearch start" in raised.value.hint
    line = one_error_line(run("search", "oil", "--index", url))
    assert "cannot reach the cluster" in line and url in line


def test_a_user_without_a_password_is_told_where_to_put_it(monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    url = f"opensearch+https://alice@127.0.0.1:{closed_port()}/news"
    with pytest.raises(ClusterError, match="no password for 'alice'") as raised:
        searchkit.open_index(url)
    assert PASSWORD_ENV in raised.value.hint
    assert PASSWORD_ENV in one_error_line(run("stats", "--index", url))  # (the variable is unset here)


def test_a_password_in_the_url_and_a_missing_ca_file_are_refused(tmp_path):
    with pytest.raises(SearchkitError, match=PASSWORD_ENV):
        searchkit.open_index("opensearch+https://alice:secret@127.0.0.1:9200/news")
    missing = tmp_path / "ca.pem"
    with pytest.raises(ClusterError, match="CA file .* not found"):
        searchkit.open_index("opensearch+https://127.0.0.1:9200/news", ca_file=str(missing))
    assert "not found" in one_error_line(run("search", "oil", "--index", "opensearch+https://127.0.0.1:9200/news",
                                             "--ca-file", str(missing)))


class Refusing(http.server.BaseHTTPRequestHandler):
    """Answers every request as the security plugin answers a refused user (status from the path)."""

    status = 401

    def _answer(self) -> None:
        reason = {401: "Authentication finally failed", 403: "no permissions for [indices:admin/mappings/get]"}
        body = json.dumps({"error": {"root_cause": [{"type": "security_exception", "reason": reason[self.status]}],
                                     "type": "security_exception", "reason": reason[self.status]},
                           "status": self.status}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="OpenSearch Security"')
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(params=[401, 403])
def refusing_server(request):
    handler = type("Handler", (Refusing,), {"status": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield request.param, server.server_address[1]
    server.shutdown()
    server.server_close()


def test_refused_credentials_and_rights_are_one_line(refusing_server, monkeypatch):
    status, port = refusing_server
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    url = f"opensearch://alice@127.0.0.1:{port}/news"
    expected = "refused the credentials" if status == 401 else "permission denied"
    with pytest.raises(ClusterError, match=expected):
        searchkit.open_index(url)
    line = one_error_line(run("search", "oil", "--index", url, env_extra={PASSWORD_ENV: "wrong"}))
    assert expected in line and "wrong" not in line  # never the password


# -- against the node -------------------------------------------------------------------------

def test_a_missing_index_is_index_not_found(opensearch_index_url):
    with pytest.raises(IndexNotFound):
        searchkit.open_index(opensearch_index_url)
    for command in (["search", "oil"], ["stats"]):
        assert "no searchkit index" in one_error_line(run(*command, "--index", opensearch_index_url))


@pytest.mark.parametrize("meta, words", [(None, "not made by searchkit"), ({"searchkit_schema": 999},
                                                                             "another searchkit version")])
def test_an_index_searchkit_did_not_make_is_a_schema_mismatch(opensearch_url, opensearch_index_url, tmp_path,
                                                              meta, words):
    name = opensearch_index_url.rsplit("/", 1)[1]
    mappings = {"properties": {"title": {"type": "text"}}, **({"_meta": meta} if meta else {})}
    opensearch_support.request("PUT", f"{opensearch_url}/{name}", {"mappings": mappings})
    opensearch_support.request("PUT", f"{opensearch_url}/{name}/_doc/1?refresh=true", {"title": "Someone's own"})
    with pytest.raises(SchemaMismatch, match=words):
        searchkit.open_index(opensearch_index_url)
    rows_file(tmp_path / "docs", GOOD)
    for command in (["search", "oil"], ["index", str(tmp_path / "docs")]):
        assert words in one_error_line(run(*command, "--index", opensearch_index_url))
    found = opensearch_support.request("GET", f"{opensearch_url}/{name}/_search")
    assert [hit["_source"] for hit in found["hits"]["hits"]] == [{"title": "Someone's own"}]  # untouched


def test_rejected_articles_are_each_reported_and_the_rest_written(opensearch_index_url, tmp_path):
    too_long = "x" * 40_000  # a keyword longer than Lucene's 32,766-byte term limit
    rows_file(tmp_path / "docs", GOOD + [
        {"id": "long-url", "date": "2021-01-03", "text": "Oil prices fell.", "url": "http://example.com/" + too_long},
        {"id": "long-source", "date": "2021-01-04", "text": "Oil prices fell again.", "source": too_long}])
    with searchkit.SearchIndex.create(opensearch_index_url) as ix:
        report = ix.update([tmp_path / "docs"])
        reasons = {failure.reason.split("'")[1]: failure.reason for failure in report.failures}
        assert set(reasons) == {"long-url", "long-source"} and report.added == 3
        for article, field in (("long-url", "url"), ("long-source", "source")):
            assert "illegal_argument_exception" in reasons[article] and "immense term" in reasons[article]
            assert f'field="{field}"' in reasons[article]
        assert {hit.id for hit in ix.iter_all("oil")} == {row["id"] for row in GOOD}
        again = ix.update([tmp_path / "docs"])  # the file is written again, the same two refused
        assert len(again.failures) == 2 and ix.search("oil").total == 3


def test_a_write_blocked_index_reports_every_article_and_loses_nothing(opensearch_url, opensearch_index_url,
                                                                        tmp_path):
    docs = tmp_path / "docs"
    rows_file(docs, GOOD)
    assert run("index", str(docs), "--index", opensearch_index_url).returncode == 0
    name = opensearch_index_url.rsplit("/", 1)[1]
    blocked = physical(opensearch_url, name)
    opensearch_support.request("PUT", f"{opensearch_url}/{blocked}/_settings", {"index.blocks.write": True})
    try:
        rows_file(docs, GOOD[:2] + [{**GOOD[2], "text": "KABUL: Oil prices fell."}])  # one changed
        (docs / "new.jsonl").write_text(json.dumps({"id": "new", "text": "KABUL: Wheat rose."}) + "\n",
                                        encoding="utf-8")
        done = run("index", str(docs), "--index", opensearch_index_url)
        assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
        failed = [line for line in done.stderr.splitlines() if line.startswith("failed:")]
        assert len(failed) == 4 and all("cluster_block_exception" in line and "index write" in line
                                        for line in failed), failed
        with searchkit.open_index(opensearch_index_url) as ix:  # the old articles are all there
            assert {hit.id for hit in ix.iter_all("oil")} == {row["id"] for row in GOOD}
            assert ix.search("rose").total == 3 and ix.search("wheat").total == 0
    finally:
        opensearch_support.request("PUT", f"{opensearch_url}/{blocked}/_settings", {"index.blocks.write": False})
    rerun = run("index", str(docs), "--index", opensearch_index_url)
    assert rerun.returncode == 0, rerun.stderr
    with searchkit.open_index(opensearch_index_url) as ix:
        assert (ix.search("rose").total, ix.search("fell").total, ix.search("wheat").total) == (3, 1, 1)


@pytest.fixture(scope="module")
def small_cluster_index(opensearch_url, tmp_path_factory):
    name = opensearch_support.unique_index_name("searchkit-test-bad-input")
    url = opensearch_support.index_location(opensearch_url, name)
    docs = tmp_path_factory.mktemp("bad-input") / "docs"
    rows_file(docs, GOOD)
    try:
        searchkit.index_folder([docs], url)
        yield url
    finally:
        opensearch_support.delete_indexes(opensearch_url, name)


def test_a_query_with_more_clauses_than_the_cluster_allows_is_one_line(small_cluster_index):
    """600 words OR-ed over title and body are 1,200 clauses, past OpenSearch's default
    indices.query.bool.max_clause_count (1,024); the embedded index has no such limit. A plain
    text of more than 512 different words meets the same limit."""
    words = " OR ".join(f"word{n}" for n in range(600))
    with searchkit.open_index(small_cluster_index) as ix:
        for query, syntax in ((words, True), (words.replace(" OR ", " "), False)):
            with pytest.raises(ClusterError, match="maxClauseCount") as raised:
                ix.search(query, syntax=syntax)
            assert "too many" in raised.value.hint and isinstance(raised.value, TooManyClauses)
        assert ix.search("oil").total == 3
    line = one_error_line(run("search", words, "--index", small_cluster_index))
    assert "rejected the request" in line and "maxClauseCount" in line


def test_a_text_that_fits_the_clause_limit_only_without_feedback_is_ranked_without_it(small_cluster_index):
    """510 different words are 1,020 clauses over title and body: the text fits the cluster's
    1,024, and the words feedback would add do not. The search and the export rank as the
    text alone, say so, and lose no match."""
    text = "oil " + " ".join(f"word{n}" for n in range(509))
    with searchkit.open_index(small_cluster_index) as ix:
        alone = ix.search(text, syntax=False, feedback=False, facets=5)
        found = ix.search(text, syntax=False, facets=5)
        exported = list(ix.iter_all(text, syntax=False))
        explained = ix.explain(text, found.hits[0].id, syntax=False)
    assert explained.score == pytest.approx(found.hits[0].score) and not explained.feedback_words
    assert found.total == alone.total == 3
    assert found.feedback == ()
    assert any("without feedback" in warning for warning in found.warnings)
    assert [hit.id for hit in found.hits] == [hit.id for hit in alone.hits]
    assert found.facets == alone.facets and found.facets
    assert [hit.id for hit in exported] == [hit.id for hit in alone.hits]


def test_tls_spoken_to_a_plain_http_port_is_one_line(opensearch_url):
    url = f"opensearch+https://{host(opensearch_url)}/news"
    with pytest.raises(ClusterError) as raised:
        searchkit.open_index(url)
    assert host(opensearch_url) in str(raised.value)
    assert host(opensearch_url) in one_error_line(run("search", "oil", "--index", url))
