"""Compressed files (.gz, .bz2, .xz) written by the standard library's own writers:
read whole, cut off, corrupt, padded, concatenated, and a decompression bomb."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import lzma

import pytest

import searchkit
from searchkit.errors import ArticleParseError
from searchkit.ingest.compressed import decompress
from searchkit.ingest.discover import kind_of
from searchkit.models import Failure

WRITERS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lambda data: lzma.compress(data, preset=1)}


def jsonl(count: int, word: str = "zipped") -> bytes:
    rows = ({"id": f"row-{n}", "title": f"Story {n}", "text": f"KABUL: {word} story number {n}.",
             "date": "2021-09-12"} for n in range(count))
    return "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8")


def items(path):
    return list(searchkit.load_articles(path)), list(_failures(path))


def _failures(path):
    from searchkit.ingest.discover import discover
    from searchkit.ingest.load import parse_source, read_source

    for source in discover([path]).sources:
        for item in parse_source(source, read_source(source)):
            if isinstance(item, Failure):
                yield item


@pytest.mark.parametrize("name, kind", [
    ("a.jsonl.gz", ("jsonl", "gz")), ("page.HTML.bz2", ("html", "bz2")), ("story.xml.gz", ("xml", "gz")),
    ("dump.warc.gz", ("warc", "gz")), ("rows.csv.xz", ("csv", "xz")), ("x.tar.gz", ("tar", "")),
    ("x.tgz", ("tar", "")), ("x.zip", ("zip", "")), ("notes.gz", None), ("x.docx", None)])
def test_kinds_are_chosen_by_suffix(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize("method", ["gz", "bz2", "xz"])
def test_every_compression_of_every_single_article_kind_is_read(tmp_path, method):
    compress = WRITERS[method]
    (tmp_path / f"story.txt.{method}").write_bytes(compress(b"date 2021-09-12\nKABUL: textword here.\n"))
    html = ("<html><head><title>Floods close the coast road</title></head><body><article><p>"
            + "htmlword The river rose by two metres overnight and closed the road. " * 5
            + "</p></article></body></html>")
    (tmp_path / f"page.html.{method}").write_bytes(compress(html.encode()))
    (tmp_path / f"dump.jsonl.{method}").write_bytes(compress(jsonl(3)))
    articles, failures = items(tmp_path)
    assert not failures
    assert sorted(a.id for a in articles) == ["page.html." + method, "row-0", "row-1", "row-2",
                                              "story.txt." + method]
    story = next(a for a in articles if a.id.startswith("story"))
    assert story.dateline == "Kabul" and str(story.date) == "2021-09-12"


def test_a_truncated_gzip_keeps_the_records_before_the_cut_and_says_where(tmp_path):
    data = gzip.compress(jsonl(4000))
    cut = len(data) // 2
    (tmp_path / "cut.jsonl.gz").write_bytes(data[:cut])
    articles, failures = items(tmp_path)
    assert 1000 < len(articles) < 4000
    assert [a.id for a in articles] == [f"row-{n}" for n in range(len(articles))]  # in order, none lost before
    reasons = [f.reason for f in failures]
    assert reasons[0].startswith(f"gzip data cut off at byte {cut:,} (a truncated file?): the ")
    assert reasons[0].endswith(" bytes before the cut are read")
    assert reasons[1].startswith(f"line {len(articles) + 1}: broken JSON")  # the line the cut went through
    assert len(failures) == 2 and all(f.path == str(tmp_path / "cut.jsonl.gz") for f in failures)


@pytest.mark.parametrize("method", ["gz", "xz"])
def test_corrupt_data_keeps_what_came_before_and_names_the_offset(method):
    original = "".join(hashlib.sha256(b"%d" % n).hexdigest() + "\n" for n in range(10000)).encode()
    data = bytearray(WRITERS[method](original))  # about 350 KB: hashes hardly compress
    data[len(data) // 2] ^= 0xFF
    out, problems = decompress(bytes(data), method, "f")
    assert len(out) > len(original) // 4 and original.startswith(out[: len(out) // 2])
    (problem,) = problems
    assert problem.reason.startswith(f"corrupt {'gzip' if method == 'gz' else 'xz'} data near byte ")


def test_concatenated_streams_and_padding_are_read_and_trailing_junk_reported():
    one, two = jsonl(2, "first"), jsonl(2, "second")
    assert decompress(gzip.compress(one) + gzip.compress(two) + b"\0" * 512, "gz", "f") == (one + two, [])
    assert decompress(bz2.compress(one) + bz2.compress(two), "bz2", "f") == (one + two, [])
    data = gzip.compress(one)
    out, (problem,) = decompress(data + b"not gzip", "gz", "f")
    assert out == one
    assert problem.reason == f"8 bytes after the end of the gzip data (from byte {len(data):,}) are not gzip: ignored"


def test_a_file_that_is_not_what_its_suffix_says_is_reported(tmp_path):
    (tmp_path / "plain.txt.gz").write_bytes(b"date 2021-09-12\nKABUL: not compressed at all.\n")
    (tmp_path / "good.txt.gz").write_bytes(gzip.compress(b"date 2021-09-12\nKABUL: goodword.\n"))
    articles, failures = items(tmp_path)
    assert [a.id for a in articles] == ["good.txt.gz"]
    assert [f.reason for f in failures] == ["not gzip data (it does not start as gzip files do)"]


def test_a_decompression_bomb_is_reported_not_expanded():
    bomb = gzip.compress(b"\0" * 2**20, 9) * 65  # 65 MB of zeros in about 66 KB (65 gzip members)
    assert len(bomb) < 100_000
    with pytest.raises(ArticleParseError, match="expands to more than 64 MB .* a decompression bomb"):
        decompress(bomb, "gz", "bomb.txt.gz")
    bz2_bomb = bz2.compress(b"\0" * 2**20) * 70  # bzip2 packs 1 MB of zeros in 45 bytes
    with pytest.raises(ArticleParseError, match="decompression bomb"):
        decompress(bz2_bomb, "bz2", "bomb.txt.bz2")


def test_a_bomb_in_a_folder_fails_alone_and_the_run_goes_on(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bomb.jsonl.bz2").write_bytes(bz2.compress(b"\n" * 2**20) * 70)
    (docs / "good.jsonl.gz").write_bytes(gzip.compress(jsonl(2)))
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 2
    (failure,) = report.failures
    assert failure.path.endswith("bomb.jsonl.bz2") and "decompression bomb" in failure.reason


def test_a_compressed_file_is_reindexed_when_it_changes(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d.jsonl.gz").write_bytes(gzip.compress(jsonl(3)))
    assert searchkit.index_folder([docs], tmp_path / "ix").added == 3
    assert searchkit.index_folder([docs], tmp_path / "ix").unchanged == 3
    (docs / "d.jsonl.gz").write_bytes(gzip.compress(jsonl(5)))
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.updated == 5 and report.added == 0
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("zipped").total == 5
        assert ix.get("row-4").path == str(docs / "d.jsonl.gz")
