"""The command line as a user runs it: real processes, real index, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, write_seed_article


def run(*args, cwd=None, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "searchkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    docs = root / "docs"
    write_seed_article(docs, "a.txt", "2021-09-12",
                       "ISLAMABAD: Pakistan hosted a meeting of spymasters, a source said.")
    write_seed_article(docs, "b.txt", "2020-03-01", "KABUL: The Taliban met envoys of the region.")
    done = run("index", str(docs), "--index", str(root / "ix"))
    assert done.returncode == 0, done.stderr
    assert "added 2" in done.stdout
    return root / "ix"


def test_shorthand_search_finds_and_exits_zero(small_index):
    done = run("spymasters", "--index", str(small_index))
    assert done.returncode == 0
    assert "1 articles match" in done.stdout and "[spymasters]" in done.stdout
    assert "\x1b[" not in done.stdout  # piped: no colour


def test_no_match_exits_one(small_index):
    done = run("search", "zebra", "--index", str(small_index))
    assert done.returncode == 1 and "No articles match" in done.stdout


def test_json_lines_output(small_index):
    done = run("search", "date:2020 OR spymasters", "--json", "--index", str(small_index))
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert {r["id"] for r in records} == {"a.txt", "b.txt"}
    assert all(r["snippet"]["text"] for r in records)


def test_a_warning_is_shown_once(small_index):
    done = run("search", "autor:taliban", "--index", str(small_index))
    shown = done.stdout + done.stderr
    assert done.returncode == 0 and shown.count("unknown field 'autor'") == 1
    as_json = run("search", "autor:taliban", "--json", "--index", str(small_index))
    assert as_json.stderr.count("unknown field 'autor'") == 1  # JSON Lines hold the hits only
    assert [json.loads(line)["id"] for line in as_json.stdout.splitlines()] == ["b.txt"]


def test_bad_query_is_one_line_and_exit_two(small_index):
    done = run("search", '"unclosed', "--index", str(small_index))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("searchkit: error: unclosed quote")
    assert "Traceback" not in done.stderr


def test_missing_index_tells_what_to_do(tmp_path):
    done = run("search", "x", "--index", str(tmp_path / "none"))
    assert done.returncode == 2 and "searchkit index" in done.stderr and "Traceback" not in done.stderr


def test_index_with_failures_exits_three(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs, "good.txt", "2021-01-01", "Apples.")
    (docs / "empty.txt").write_text("   \n", encoding="utf-8")
    done = run("index", str(docs), "--index", str(tmp_path / "ix"))
    assert done.returncode == 3
    assert "empty.txt" in done.stderr and "added 1" in done.stdout


def test_index_defaults_to_its_own_folders(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "Apples.")
    assert run("index", str(docs), "--index", str(tmp_path / "ix")).returncode == 0
    write_seed_article(docs, "b.txt", "2021-01-02", "Bananas.")
    again = run("index", "--index", str(tmp_path / "ix"))
    assert "added 1" in again.stdout and "unchanged 1" in again.stdout


def test_stats_entities_timeline_show(small_index):
    stats = json.loads(run("stats", "--json", "--index", str(small_index)).stdout)
    assert stats["articles"] == 2 and stats["first_date"] == "2020-03-01"
    timeline = json.loads(run("timeline", "pakistan OR taliban", "--json", "--interval", "year",
                              "--index", str(small_index)).stdout)
    assert [(b["label"], b["count"]) for b in timeline["buckets"]] == [("2020", 1), ("2021", 1)]
    show = run("show", "b.txt", "--index", str(small_index))
    assert show.returncode == 0 and "Taliban" in show.stdout
    places = json.loads(run("entities", "--kind", "place", "--json", "--index", str(small_index)).stdout)
    assert "Kabul" in {p["name"] for p in places["place"]}


def test_colour_on_terminal_unless_no_color(small_index):
    from searchkit.cli import use_color

    class Tty:
        def isatty(self):
            return True

    os.environ.pop("NO_COLOR", None)
    assert use_color(Tty())
    os.environ["NO_COLOR"] = "1"
    try:
        assert not use_color(Tty())
    finally:
        del os.environ["NO_COLOR"]
