"""Zip and tar archives written by zipfile and tarfile, walked as folders and read
in place: members' paths and ids, unsafe names, bombs, corrupt and truncated
archives, members that change, and members read by worker processes."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile

import pytest

import searchkit
from searchkit.ingest.archives import unsafe_name
from searchkit.ingest.discover import discover

STORY = "date 2021-0{month}-12\nKABUL: {word} story in an archive.\n"


def story(word: str, month: int = 9) -> bytes:
    return STORY.format(word=word, month=month).encode()


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write_tar(path, members: dict[str, bytes], mode: str = "w"):
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def listing(path):
    return sorted(os.listdir(path))


def test_a_zip_is_walked_as_a_folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_zip(docs / "bundle.zip", {
        "2021/a.txt": story("zipword"),
        "2021/rows.csv": b"title,text\nA row,KABUL: csvinzipword here.\n",
        "2021/b.jsonl.gz": gzip.compress(b'{"id": "z-1", "text": "gzinzipword"}\n'),
        "2021/.hidden.txt": story("hiddenword"),
        "__MACOSX/2021/._a.txt": b"\0\0resource fork",
        "notes.docx": b"PK other",
        "inner.zip": b"PK nested archive",
        "empty/": b"",
    })
    walk = discover([docs])
    assert [s.rel for s in walk.sources] == ["bundle.zip/2021/a.txt", "bundle.zip/2021/rows.csv",
                                             "bundle.zip/2021/b.jsonl.gz"]
    assert walk.skipped == 4 and not walk.failures
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 3 and not report.failures
    with searchkit.open_index(tmp_path / "ix") as ix:
        found = ix.get("bundle.zip/2021/a.txt")
        assert found.path == str(docs / "bundle.zip" / "2021" / "a.txt") and str(found.date) == "2021-09-12"
        assert ix.get("bundle.zip/2021/rows.csv#2").title == "A row"
        assert ix.get("z-1").body == "gzinzipword"
    assert listing(docs) == ["bundle.zip"]  # nothing extracted


@pytest.mark.parametrize("name, mode", [("a.tar", "w"), ("a.tar.gz", "w:gz"), ("a.tgz", "w:gz"),
                                        ("a.tar.bz2", "w:bz2"), ("a.tar.xz", "w:xz")])
def test_tars_plain_and_compressed(tmp_path, name, mode):
    write_tar(tmp_path / name, {"./news/one.txt": story("tarword", 1), "news/two.txt": story("tarword", 2)}, mode)
    articles = sorted(searchkit.load_articles(tmp_path / name), key=lambda a: a.id)
    assert [(a.id, str(a.date)) for a in articles] == [(f"{name}/news/one.txt", "2021-01-12"),
                                                       (f"{name}/news/two.txt", "2021-02-12")]


def test_members_that_would_land_outside_are_reported_and_never_written(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_zip(docs / "evil.zip", {"../evil1.txt": story("evilword"), "ok.txt": story("okword"),
                                  "a/../../evil2.txt": story("evilword")})
    write_tar(docs / "evil.tar", {"/tmp/evil3.txt": story("evilword"), "../../evil4.txt": story("evilword"),
                                  "fine.txt": story("fineword")})
    before = listing(tmp_path)
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 2
    reasons = sorted((f.path.rsplit("/", 1)[-1], f.reason.split(":")[0]) for f in report.failures)
    assert reasons == [("evil.tar", "member '../../evil4.txt'"), ("evil.tar", "member '/tmp/evil3.txt'"),
                       ("evil.zip", "member '../evil1.txt'"), ("evil.zip", "member 'a/../../evil2.txt'")]
    assert all("climbs out with '..': not read" in f.reason for f in report.failures)
    assert listing(tmp_path) == sorted(before + ["ix"]) and listing(docs) == ["evil.tar", "evil.zip"]
    assert not os.path.exists("/tmp/evil3.txt")
    assert unsafe_name("C:\\x.txt") and unsafe_name("..\\x.txt") and not unsafe_name("a..b/x.txt")


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_a_huge_expansion_is_capped_and_reported(tmp_path, kind):
    huge = b"date 2021-01-01\nKABUL: " + b" " * (70 * 2**20)  # 70 MB that packs into about 70 KB
    members = {"first.txt": story("firstword"), "huge.txt": huge, "after.txt": story("afterword")}
    path = tmp_path / f"bomb.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    else:
        write_tar(path, members, "w:gz")
    assert path.stat().st_size < 1_000_000
    walk = discover([path])
    assert [s.rel for s in walk.sources] == [f"bomb.{kind}/first.txt"]
    (failure,) = walk.failures
    assert failure.path == str(path) and "a decompression bomb?" in failure.reason
    assert failure.reason.endswith("(members from 'huge.txt' on are not read)")


def test_encrypted_members_are_reported(tmp_path):
    data = bytearray(write_zip(tmp_path / "locked.zip", {"secret.txt": story("secretword"),
                                                         "open.txt": story("openword")}).read_bytes())
    central = data.index(b"PK\x01\x02")  # the first member's central directory entry: set "encrypted"
    data[central + 8] |= 0x01
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    walk = discover([tmp_path / "locked.zip"])
    assert [s.rel for s in walk.sources] == ["locked.zip/open.txt"]
    assert [(f.path, f.reason) for f in walk.failures] == [(str(tmp_path / "locked.zip/secret.txt"),
                                                           "encrypted: not read")]


def test_links_and_special_members_of_a_tar_are_passed_over(tmp_path):
    with tarfile.open(tmp_path / "links.tar", "w") as archive:
        for name, kind in (("link.txt", tarfile.SYMTYPE), ("hard.txt", tarfile.LNKTYPE), ("fifo.txt", tarfile.FIFOTYPE)):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, "/etc/passwd"
            archive.addfile(info)
        data = story("realword")
        info = tarfile.TarInfo("real.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    walk = discover([tmp_path / "links.tar"])
    assert [s.rel for s in walk.sources] == ["links.tar/real.txt"] and not walk.failures


def test_a_corrupt_archive_is_reported_and_what_it_gave_before_is_kept(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_tar(docs / "news.tar.gz", {f"n{i}.txt": story(f"keptword{i}") for i in range(3)}, "w:gz")
    (docs / "junk.zip").write_bytes(b"this is not a zip file at all")
    first = searchkit.index_folder([docs], tmp_path / "ix")
    assert first.added == 3
    assert [(f.path, f.reason) for f in first.failures] == [
        (str(docs / "junk.zip"), "cannot read the zip archive at its start: File is not a zip file")]
    data = (docs / "news.tar.gz").read_bytes()
    (docs / "news.tar.gz").write_bytes(data[: len(data) // 2])
    second = searchkit.index_folder([docs], tmp_path / "ix")
    assert second.removed == 0
    assert any(f.path == str(docs / "news.tar.gz") and "cannot read the tar archive" in f.reason
               for f in second.failures)
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("keptword2").total == 1


def test_members_added_changed_and_removed_are_synced(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_zip(docs / "a.zip", {"one.txt": story("oneword"), "two.txt": story("twoword")})
    assert searchkit.index_folder([docs], tmp_path / "ix").added == 2
    write_zip(docs / "a.zip", {"one.txt": story("oneword"), "two.txt": story("changedword"),
                               "three.txt": story("threeword")})
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged, report.removed) == (1, 1, 1, 0)
    write_zip(docs / "a.zip", {"three.txt": story("threeword")})
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 1, 2)
    (docs / "a.zip").unlink()
    assert searchkit.index_folder([docs], tmp_path / "ix").removed == 1


def test_worker_processes_read_members_of_a_compressed_tar(tmp_path):
    members = {f"part/{i:03}.txt": story(f"workerword w{i}") for i in range(40)}
    write_tar(tmp_path / "many.tar.gz", members, "w:gz")
    write_zip(tmp_path / "many.zip", {f"z/{i:03}.txt": story(f"workerword z{i}") for i in range(40)})
    with searchkit.create_index(tmp_path.parent / (tmp_path.name + "-ix")) as ix:
        report = ix.update([tmp_path], workers=3)
        assert report.added == 80 and not report.failures
        assert ix.search("workerword").total == 80
        assert ix.get("many.tar.gz/part/039.txt").body.startswith("KABUL: workerword w39")


def test_odd_member_names_get_printable_display_paths(tmp_path):
    write_zip(tmp_path / "odd.zip", {"new\nline.txt": story("oddword"), "tab\there.txt": story("oddword")})
    assert sorted(a.id for a in searchkit.load_articles(tmp_path / "odd.zip")) == [
        "odd.zip/new\\nline.txt", "odd.zip/tab\\there.txt"]
