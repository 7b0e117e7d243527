"""`--index` takes a folder or a cluster URL: the engine options, their errors, and
every command against a real OpenSearch node (the `opensearch_url` fixture)."""

from __future__ import annotations

import json
import subprocess
import sys

import opensearch_support
import pytest

from conftest import ROOT, write_seed_article
from test_cli import run

NOWHERE = "opensearch://127.0.0.1:1/searchkit-nowhere"  # nothing listens on port 1


def engine_or_skip() -> None:
    """Skip without opensearch-py (the `searchkit[opensearch]` extra the engine needs)."""
    pytest.importorskip("opensearchpy")


def one_error_line(done) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("searchkit: error: "), done.stderr
    return done.stderr


# -- parsing ---------------------------------------------------------------

def test_index_takes_shards_replicas_and_origin():
    from searchkit.cli import build_parser

    args = build_parser().parse_args(["index", "docs", "--index", NOWHERE, "--shards", "3",
                                      "--replicas", "0", "--origin", "desk-2", "--ca-file", "ca.pem"])
    assert (args.shards, args.replicas, args.origin, args.ca_file) == (3, 0, "desk-2", "ca.pem")
    plain = build_parser().parse_args(["index"])
    assert (plain.shards, plain.replicas, plain.origin, plain.ca_file) == (None, None, None, None)
    assert build_parser().parse_args(["stats", "--ca-file", "ca.pem"]).ca_file == "ca.pem"


@pytest.mark.parametrize("option", [["--shards", "0"], ["--shards", "two"], ["--replicas", "-1"],
                                    ["--replicas", "1.5"]])
def test_bad_shard_counts_are_usage_errors(option, capsys):
    from searchkit.cli import build_parser

    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["index", "--index", NOWHERE, *option])
    assert stop.value.code == 2
    assert "a whole number of at least" in capsys.readouterr().err


def test_help_names_both_kinds_of_index(capsys):
    from searchkit.cli import main

    with pytest.raises(SystemExit):
        main(["index", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--index DIR|URL", "opensearch://HOST:PORT/INDEX", "opensearch+https://USER@HOST:PORT/INDEX",
                  "SEARCHKIT_OPENSEARCH_PASSWORD", "--ca-file FILE", "--shards N", "--replicas M", "--origin NAME"):
        assert words in text, words


# -- a folder has no engine options -----------------------------------------

@pytest.mark.parametrize("command", [["index", "docs", "--shards", "2"], ["index", "docs", "--origin", "a"],
                                     ["search", "oil", "--ca-file", "ca.pem"], ["stats", "--ca-file", "ca.pem"]])
def test_cluster_options_on_a_folder_are_one_line_errors(command, tmp_path):
    done = run(*command, "--index", str(tmp_path / "ix"), cwd=tmp_path)
    line = one_error_line(done)
    assert "only for an index on a cluster" in line and "opensearch://HOST:PORT/INDEX" in line
    assert not (tmp_path / "ix").exists()


def test_a_rebuild_replaces_a_folder_index_of_another_schema_version(tmp_path):
    from searchkit.index.store import read_meta, write_meta

    docs, index = tmp_path / "docs", tmp_path / "ix"
    write_seed_article(docs, "a.txt", "2021-01-01", "KABUL: Apples were sold.")
    assert run("index", str(docs), "--index", str(index)).returncode == 0
    meta = read_meta(index)
    write_meta(index, {**meta, "schema_version": -1})
    assert "rebuild" in one_error_line(run("index", "--index", str(index)))
    rebuilt = run("index", "--rebuild", "--index", str(index))
    assert rebuilt.returncode == 0 and "added 1" in rebuilt.stdout, rebuilt.stderr
    assert run("search", "apples", "--index", str(index)).returncode == 0


# -- a cluster that is not there ---------------------------------------------

def test_without_opensearch_py_a_cluster_is_one_line():
    probe = ("import sys; sys.modules['opensearchpy'] = None; from searchkit.cli import main; "
             f"sys.exit(main(['search', 'oil', '--index', {NOWHERE!r}]))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert one_error_line(done) == ("searchkit: error: the OpenSearch engine needs opensearch-py "
                                    "(hint: pip install 'searchkit[opensearch]')\n")


@pytest.mark.parametrize("command", [["search", "oil"], ["stats"], ["show", "a.txt"], ["entities"],
                                     ["timeline", "oil"], ["index", "docs"]])
def test_an_unreachable_cluster_is_one_line(command, tmp_path):
    engine_or_skip()
    line = one_error_line(run(*command, "--index", NOWHERE, cwd=tmp_path))
    assert "127.0.0.1:1" in line and "internal error" not in line


def test_a_bad_cluster_url_is_one_line():
    engine_or_skip()
    line = one_error_line(run("search", "oil", "--index", "opensearch://127.0.0.1:1/Bad*Name"))
    assert "index name" in line


# -- a real node ----------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_on_cluster(opensearch_url):
    """`searchkit index seeds` into a fresh index on the node; removed afterwards."""
    engine_or_skip()
    name = opensearch_support.unique_index_name("searchkit-test-cli")
    url = opensearch_support.index_location(opensearch_url, name)
    try:
        done = run("index", "seeds", "--index", url, "--shards", "2", "--origin", "test-desk", cwd=ROOT)
        assert done.returncode == 0, done.stderr
        yield url, done.stdout
    finally:
        opensearch_support.delete_indexes(opensearch_url, name)


def test_every_command_reads_the_cluster(seeds_on_cluster):
    url, indexed = seeds_on_cluster
    assert "added" in indexed
    found = run("search", 'person:"William Burns"', "--json", "--index", url)
    assert found.returncode == 0, found.stderr
    assert "000_be4fe0c3f01cfa7b.txt" in {json.loads(line)["id"] for line in found.stdout.splitlines()}
    assert run("search", "zzzyzzx", "--index", url).returncode == 1
    stats = json.loads(run("stats", "--json", "--index", url).stdout)
    assert stats["articles"] > 500
    people = json.loads(run("entities", "--kind", "person", "--top", "5", "--json", "--index", url).stdout)
    assert len(people["person"]) == 5
    timeline = json.loads(run("timeline", "election", "--interval", "year", "--json", "--index", url).stdout)
    assert sum(bucket["count"] for bucket in timeline["buckets"]) > 0
    show = run("show", "000_be4fe0c3f01cfa7b.txt", "--index", url)
    assert show.returncode == 0 and "William Burns" in show.stdout
    missing = one_error_line(run("show", "no-such-article", "--index", url))
    assert "no-such-article" in missing


def test_an_index_run_without_paths_syncs_its_own_folders(seeds_on_cluster):
    url, _ = seeds_on_cluster
    again = run("index", "--index", url, "--origin", "test-desk", cwd=ROOT / "tests")
    assert again.returncode == 0, again.stderr
    assert "added 0" in again.stdout and "removed 0" in again.stdout


def test_a_missing_cluster_index_is_one_line(opensearch_index_url):
    engine_or_skip()
    assert "searchkit index" in one_error_line(run("search", "oil", "--index", opensearch_index_url))



def test_articles_the_cluster_rejects_are_listed_and_exit_three(opensearch_index_url, tmp_path):
    engine_or_skip()
    rows = [{"id": "fine", "date": "2021-01-02", "text": "KABUL: Oil prices rose."},
            {"id": "immense", "date": "2021-01-03", "text": "Oil prices fell.", "url": "http://x/" + "a" * 40000}]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    done = run("index", str(tmp_path), "--index", opensearch_index_url)
    assert done.returncode == 3 and "added 1" in done.stdout, done.stderr
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "'immense'" in failed[0] and "Traceback" not in done.stderr
    assert run("search", "oil", "--index", opensearch_index_url).returncode == 0


def test_origins_sync_and_rebuild_apart(opensearch_index_url, tmp_path):
    engine_or_skip()
    url = opensearch_index_url
    for desk, words in (("a", ("Apples", "Apricots")), ("b", ("Bananas",))):
        for number, word in enumerate(words):
            write_seed_article(tmp_path / desk, f"{desk}{number}.txt", "2021-01-0" + str(number + 1),
                               f"KABUL: {word} were sold.")
        done = run("index", str(tmp_path / desk), "--index", url, "--origin", desk)
        assert done.returncode == 0 and f"added {len(words)}" in done.stdout, done.stderr
    (tmp_path / "a" / "a1.txt").unlink()
    synced = run("index", "--index", url, "--origin", "a")  # no PATH: desk a's own folder
    assert "removed 1" in synced.stdout and "unchanged 1" in synced.stdout, synced.stderr
    rebuilt = run("index", "--rebuild", "--index", url, "--origin", "a")
    assert rebuilt.returncode == 0 and "added 1" in rebuilt.stdout, rebuilt.stderr
    stats = json.loads(run("stats", "--json", "--index", url).stdout)
    assert stats["articles"] == 2  # a0 and desk b's b0, which neither run touched
    assert run("search", "bananas", "--index", url).returncode == 0


def test_a_field_mapping_and_a_rebuild_layout_reach_the_cluster(opensearch_index_url, tmp_path):
    engine_or_skip()
    url = opensearch_index_url
    (tmp_path / "desk.csv").write_text("key,headline,story\n1,Harvest,KABUL: Pomegranates were sold.\n",
                                       encoding="utf-8")
    done = run("index", str(tmp_path), "--index", url, "--field", "text=story", "--field", "id=key")
    assert done.returncode == 0 and "added 1" in done.stdout, done.stderr
    assert run("search", "pomegranates", "--index", url).returncode == 0
    rebuilt = run("index", "--rebuild", "--index", url, "--shards", "2")  # the mapping is kept
    assert rebuilt.returncode == 0 and "added 1" in rebuilt.stdout, rebuilt.stderr
    settings = opensearch_support.request("GET", url.replace("opensearch://", "http://") + "/_settings")
    assert [body["settings"]["index"]["number_of_shards"] for body in settings.values()] == ["2"]
    assert run("search", "pomegranates", "--index", url).returncode == 0
