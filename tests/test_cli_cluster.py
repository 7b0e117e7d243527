"""`--index` takes a folder or a cluster URL: the engine options, their errors, and
every command against a real OpenSearch node (the `opensearch_url` fixture)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from conftest import ROOT, write_seed_article
from test_cli import run

NOWHERE = "opensearch://127.0.0.1:1/searchkit-nowhere"  # nothing listens on port 1


def engine_or_skip() -> None:
    """The OpenSearch engine and its client, or skip (they are the optional extra)."""
    pytest.importorskip("opensearchpy")
    try:
        importlib.import_module("searchkit.opensearch.engine")
    except ImportError as exc:  # pragma: no cover - while the engine is being written
        pytest.skip(f"the OpenSearch engine is not importable: {exc}")


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
