"""The walk on real folders: races with the file system, unreadable files and
folders, odd names. Where the file system cannot be made to fail for root
(tests run as root in CI), os.scandir is wrapped to make the real change
(delete a folder) at the exact moment of the race, or to refuse a listing."""

from __future__ import annotations

import os
import shutil

import pytest

import searchkit
from conftest import write_seed_article
from searchkit.ingest.discover import discover, display_path

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_corpus(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs / "a", "one.txt", "2021-01-01", "KABUL: firstword here.")
    write_seed_article(docs / "b", "two.txt", "2021-01-02", "KABUL: secondword here.")
    write_seed_article(docs / "c", "three.txt", "2021-01-03", "KABUL: thirdword here.")
    return docs


def scandir_hook(monkeypatch, folder_name, action):
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.basename(os.fspath(path)) == folder_name:
            action(path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_disappears_during_the_walk_is_reported(tmp_path, monkeypatch):
    docs = make_corpus(tmp_path)
    scandir_hook(monkeypatch, "b", shutil.rmtree)
    walk = discover([docs])
    assert [s.rel for s in walk.sources] == ["a/one.txt", "c/three.txt"]
    assert [(f.path, f.reason) for f in walk.failures] == [(str(docs / "b"), "folder disappeared during the walk")]
    assert walk.unreadable == []  # gone: its articles may be removed from the index


def test_files_of_a_folder_that_cannot_be_listed_are_kept(tmp_path, monkeypatch):
    docs = make_corpus(tmp_path)
    searchkit.index_folder([docs], tmp_path / "ix")

    def refuse(path):
        raise PermissionError(13, "Permission denied", os.fspath(path))

    scandir_hook(monkeypatch, "b", refuse)
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.removed == 0 and report.unchanged == 2
    assert [(f.path, f.reason) for f in report.failures] == [
        (str(docs / "b"), "cannot read folder (Permission denied)")]
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("secondword").total == 1


def test_a_file_that_vanishes_between_walk_and_read_is_reported(tmp_path):
    docs = make_corpus(tmp_path)
    walk = discover([docs])
    os.remove(docs / "b" / "two.txt")
    from searchkit.index.writer import update_index

    with searchkit.create_index(tmp_path / "ix") as ix:
        report = update_index(ix._ix, walk)
    assert report.added == 2
    assert [(f.path, f.reason) for f in report.failures] == [
        (str(docs / "b" / "two.txt"), "cannot read (No such file or directory)")]


@pytest.mark.skipif(IS_ROOT, reason="root reads any file whatever its mode; "
                                    "the vanished-file test covers the read failure")
def test_a_file_without_read_permission_is_reported(tmp_path):
    docs = make_corpus(tmp_path)
    os.chmod(docs / "b" / "two.txt", 0)
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 2
    assert [f.reason for f in report.failures] == ["cannot read (Permission denied)"]


def test_a_missing_path_is_reported_and_the_others_walked(tmp_path):
    docs = make_corpus(tmp_path)
    walk = discover([tmp_path / "nowhere", docs])
    assert len(walk.sources) == 3 and walk.failures[0].reason == "no such file or folder"


@pytest.mark.parametrize("raw, shown", [
    ("plain name.txt", "plain name.txt"),
    ("new\nline\t.txt", "new\\nline\\t.txt"),
    (b"bad\xff\xfe.txt", "bad\\xff\\xfe.txt"),
    ("esc\x1b.txt", "esc\\x1b.txt"),
    ("accents é ü.txt", "accents é ü.txt"),
])
def test_display_paths_are_printable_and_encodable(raw, shown):
    assert display_path(raw) == shown
    shown.encode("utf-8")  # never a surrogate


def test_hidden_files_other_suffixes_and_folder_links(tmp_path):
    docs = make_corpus(tmp_path)
    write_seed_article(docs, ".hidden.txt", "2021-01-01", "KABUL: x.")
    (docs / "notes.md").write_text("x")
    os.symlink(docs, docs / "a" / "loop")
    walk = discover([docs])
    assert [s.rel for s in walk.sources] == ["a/one.txt", "b/two.txt", "c/three.txt"]
    assert walk.skipped == 1 and walk.failures == []
