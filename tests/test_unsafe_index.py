"""An index holds pickles: folders other users own or can write to are refused
before Whoosh reads anything, unless trusted explicitly."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

import searchkit
from conftest import ROOT, write_seed_article
from searchkit.index.safety import unsafe_reason

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture()
def index(tmp_path):
    write_seed_article(tmp_path / "docs", "a.txt", "2021-09-12", "ISLAMABAD: spymasters met.")
    searchkit.index_folder([tmp_path / "docs"], tmp_path / "ix")
    return tmp_path / "ix"


def cli(*args, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SEARCHKIT_TRUST_INDEX", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "searchkit", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_private_index_opens(index):
    assert unsafe_reason(index) is None
    with searchkit.open_index(index) as ix:
        assert ix.search("spymasters").total == 1


@pytest.mark.parametrize("target", ["folder", "file"])
def test_world_writable_folder_or_file_is_refused_with_an_override(index, target, monkeypatch):
    monkeypatch.delenv("SEARCHKIT_TRUST_INDEX", raising=False)
    path = index if target == "folder" else next(index.glob("*.toc"))
    os.chmod(path, os.stat(path).st_mode | 0o002)
    with pytest.raises(searchkit.UnsafeIndex, match="can be written by any user"):
        searchkit.open_index(index)
    with searchkit.open_index(index, trust=True) as ix:
        assert ix.search("spymasters").total == 1
    monkeypatch.setenv("SEARCHKIT_TRUST_INDEX", "1")
    with searchkit.open_index(index) as ix:
        assert ix.search("spymasters").total == 1


def test_the_cli_refuses_in_one_line_and_trusts_on_request(index):
    os.chmod(index, 0o777)
    for command in (["search", "spymasters"], ["stats"], ["index", index.parent / "docs"]):
        done = cli(*command, "--index", index)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("searchkit: error: refusing to open the index")
        assert "--trust-index" in done.stderr and len(done.stderr.splitlines()) == 1
    assert cli("search", "spymasters", "--index", index, "--trust-index").returncode == 0
    assert cli("search", "spymasters", "--index", index,
               env_extra={"SEARCHKIT_TRUST_INDEX": "1"}).returncode == 0


def test_a_planted_pickle_is_never_loaded_from_an_unsafe_folder(index, tmp_path):
    """What the check is for: a TOC that runs code when unpickled."""
    marker = tmp_path / "pwned"
    toc = next(index.glob("*.toc"))

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    toc.write_bytes(pickle.dumps(Payload()))
    os.chmod(index, 0o777)
    with pytest.raises(searchkit.UnsafeIndex):
        searchkit.open_index(index)
    with pytest.raises(searchkit.UnsafeIndex):
        searchkit.index_folder([tmp_path / "docs"], index)
    assert not marker.exists()


@pytest.mark.skipif(not IS_ROOT, reason="changing a file's owner needs root")
def test_a_folder_owned_by_another_user_is_refused(index):
    os.chown(index, 12345, 12345)
    with pytest.raises(searchkit.UnsafeIndex, match="owned by another user"):
        searchkit.open_index(index)
    os.chown(index, 0, 0)
    os.chown(next(index.glob("*.toc")), 12345, -1)
    with pytest.raises(searchkit.UnsafeIndex, match="owned by another user"):
        searchkit.open_index(index)


def test_group_writable_is_refused_unless_the_group_is_private(index):
    os.chmod(index, 0o775)
    reason = unsafe_reason(index)
    from searchkit.index.safety import _group_is_private

    if _group_is_private(os.stat(index).st_gid, os.geteuid()):
        assert reason is None  # a user private group (umask 002): nobody else is in it
    else:
        assert "other users of group" in reason


def test_index_exists_does_not_unpickle(index, tmp_path):
    from searchkit.index.store import index_exists

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    next(index.glob("*.toc")).write_bytes(pickle.dumps(Payload()))
    assert index_exists(index) and not marker.exists()
