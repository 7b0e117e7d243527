"""A messy archive: every bad file gets a one-line report naming it and the reason,
everything else is indexed, and `searchkit index` exits 3 (0 when all was read).

One corpus holds every case (see docs/robustness.md for the behaviour chosen);
one real `searchkit index` run over it is shared by the tests below."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import searchkit
from conftest import ROOT

SEED = "date 2021-09-12\nISLAMABAD: Pakistan hosted a meeting of spymasters on {topic}.\n"


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "searchkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, errors="replace", timeout=120)


def _write(folder: Path, name: str | bytes, data: bytes | str) -> None:
    target = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(target, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def build_messy_corpus(docs: Path) -> None:
    docs.mkdir(parents=True)
    _write(docs, "good.txt", SEED.format(topic="goodtopic"))
    _write(docs, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    _write(docs, "empty.txt", b"")
    _write(docs, "blank.txt", b"  \n\t \r\n")
    _write(docs, "latin1.txt", "date 2021-01-02\nPARIS: Le café latinword société.\n".encode("cp1252"))
    _write(docs, "utf16.txt", codecs.BOM_UTF16_LE + "date 2021-01-03\nGENÈVE: utf16word ç.\n".encode("utf-16-le"))
    _write(docs, "badutf8.txt", "date 2021-01-04\nZÜRICH: déjà vu ".encode() + b"\xff\xfe" + "badbyteword ü.".encode())
    _write(docs, "huge.txt", b"date 2021-01-05\nLONDON: hugeword " + b"filler words here " * (3 * 2**20))
    _write(docs, "nobody.html", "<html><head><title>Only a head</title></head></html>")
    _write(docs, "deep.html", "<html><body>" + "<div>" * 5000 + "<p>deepword article text here.</p>"
           + "</span>" * 100 + "</body></html>")
    _write(docs, "broken.html", "<html><body><p>brokenword unclosed <b>tags <i>everywhere<p>more</html")
    _write(docs, "lines.jsonl", '{"id": "j1", "text": "jsonlineone text"}\n{"id": "j2", "text": \n'
           '{"id": "j3", "text": "jsonlinethree text", "date": "2021-02-30"}\n[1, 2]\n')
    _write(docs, "baddate.txt", SEED.format(topic="baddateword").replace("2021-09-12", "2021-13-45"))
    _write(docs, "nodate.txt", "KABUL: nodateword article without a date line.\n")
    _write(docs, "future.txt", SEED.format(topic="futureword").replace("2021-09-12", "9999-12-31"))
    _write(docs, "copy one.txt", SEED.format(topic="duplicateword"))
    _write(docs, "copy two.txt", SEED.format(topic="duplicateword"))
    _write(docs, "new\nline.txt", SEED.format(topic="newlineword"))
    _write(docs, b"bad\xffname.txt", SEED.format(topic="bytesnameword"))
    os.symlink("loop.txt", docs / "loop.txt")
    (docs / "sub").mkdir()
    os.symlink("..", docs / "sub" / "up")  # a folder loop: links to folders are not followed
    os.mkfifo(docs / "pipe.txt")


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    build_messy_corpus(root / "docs")
    done = run("index", str(root / "docs"), "--index", str(root / "ix"))
    return root, done


def failure_line(done, name: str) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("failed:") and name in line]
    assert len(lines) == 1, done.stderr
    return lines[0]


def warning_line(done, name: str) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("warning:") and name in line]
    assert lines, done.stderr
    return lines[0]


def search_ids(root: Path, query: str) -> list[str]:
    with searchkit.open_index(root / "ix") as ix:
        return [hit.id for hit in ix.search(query, limit=50, group=False).hits]  # copies too


def test_index_exits_3_with_a_summary_and_no_traceback(messy):
    _, done = messy
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("added ") and "failed " in summary


@pytest.mark.parametrize("name, reason", [
    ("binary.txt", "binary file"),
    ("empty.txt", "empty file"),
    ("blank.txt", "only whitespace"),
    ("nobody.html", "no article text"),
    ("loop.txt", "symbolic links"),
    ("pipe.txt", "not a regular file"),
])
def test_unreadable_files_are_reported_with_the_reason(messy, name, reason):
    _, done = messy
    assert reason in failure_line(done, f"docs/{name}")


def test_broken_jsonl_lines_are_reported_by_number_and_the_rest_indexed(messy):
    root, done = messy
    assert "line 2: broken JSON" in failure_line(done, "lines.jsonl: line 2")
    assert "line 4: not a JSON object" in failure_line(done, "lines.jsonl: line 4")
    assert search_ids(root, "jsonlineone") == ["j1"]
    assert search_ids(root, "jsonlinethree") == ["j3"]  # its impossible date: indexed undated
    assert "2021-02-30" in warning_line(done, "lines.jsonl:3")


@pytest.mark.parametrize("word, name, note", [
    ("latinword", "latin1.txt", "read as Windows-1252"),
    ("badbyteword", "badutf8.txt", "invalid UTF-8"),
    ("hugeword", "huge.txt", "only its first 4 MB are indexed"),
    ("baddateword", "baddate.txt", "indexed without a date"),
    ("nodateword", "nodate.txt", "no 'date YYYY-MM-DD' line"),
    ("futureword", "future.txt", "in the future; kept"),
])
def test_readable_oddities_are_indexed_with_a_warning(messy, word, name, note):
    root, done = messy
    assert search_ids(root, word) == [name]
    assert note in warning_line(done, name)


def test_decoded_text_is_right(messy):
    root, _ = messy
    with searchkit.open_index(root / "ix") as ix:
        assert "café" in ix.get("latin1.txt").body and "société" in ix.get("latin1.txt").body
        assert "GENÈVE: utf16word ç." in ix.get("utf16.txt").body
        damaged = ix.get("badutf8.txt").body
        assert "déjà vu \ufffd\ufffdbadbyteword ü." in damaged
        assert len(ix.get("huge.txt").body.encode()) <= 4 * 2**20


def test_dates_bad_missing_and_far_future(messy):
    root, _ = messy
    with searchkit.open_index(root / "ix") as ix:
        assert ix.get("baddate.txt").date is None and ix.get("nodate.txt").date is None
        assert str(ix.get("future.txt").date) == "9999-12-31"
        assert [hit.id for hit in ix.search("date:9999").hits] == ["future.txt"]


def test_html_nested_thousands_deep_or_broken_never_crashes_the_run(messy):
    root, done = messy
    assert [Path(id_).name for id_ in search_ids(root, "brokenword")] == ["broken.html"]
    deep = [Path(id_).name for id_ in search_ids(root, "deepword")]
    assert deep == ["deep.html"] or "deep.html" in failure_line(done, "deep.html")


def test_the_same_article_in_two_files_is_kept_once_per_file(messy):
    root, _ = messy
    assert sorted(search_ids(root, "duplicateword")) == ["copy one.txt", "copy two.txt"]


def test_odd_file_names_are_indexed_under_printable_display_paths(messy):
    root, _ = messy
    assert search_ids(root, "newlineword") == ["new\\nline.txt"]
    assert search_ids(root, "bytesnameword") == ["bad\\xffname.txt"]
    done = run("search", "bytesnameword OR newlineword", "--json", "--copies", "--index", str(root / "ix"))
    assert done.returncode == 0, done.stderr
    paths = sorted(json.loads(line)["path"] for line in done.stdout.splitlines())
    assert paths[0].endswith("docs/bad\\xffname.txt") and paths[1].endswith("docs/new\\nline.txt")


def test_json_summary_and_rerun_do_not_crash_and_change_nothing(messy):
    root, _ = messy
    done = run("index", str(root / "docs"), "--index", str(root / "ix"), "--json")
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert report["added"] == report["updated"] == report["removed"] == 0
    assert report["unchanged"] == 16
    # Unchanged files are not read again, so lines.jsonl's bad lines are not reported twice.
    assert {failure["path"].rsplit("/", 1)[-1] for failure in report["failures"]} == {
        "binary.txt", "empty.txt", "blank.txt", "nobody.html", "loop.txt", "pipe.txt"}


def test_a_clean_folder_exits_0(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "good.txt", SEED.format(topic="goodtopic"))
    done = run("index", str(docs), "--index", str(tmp_path / "ix"))
    assert done.returncode == 0 and "added 1," in done.stdout and "failed 0" in done.stdout
