"""How WARC, news XML and feed files reach their parsers: by suffix, an `.xml` file
by its root element, compressed or inside an archive, and a clear failure when a
parser is not available."""

from __future__ import annotations

import gzip
import io
import shutil
import sys
import zipfile
from pathlib import Path

import searchkit
from searchkit.ingest.discover import discover
from searchkit.ingest.load import parse_source, read_source
from searchkit.models import Failure

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = ("<html><head><title>Harbour bridge reopens after repairs</title></head><body><article>"
        + "<p>The harbour bridge reopened on Sunday after two years of repairs, and the ferry "
          "timetable changes from Monday, the council said.</p>" * 3
        + "</article></body></html>").encode()


def warc_record(uri: str, uuid: str, html: bytes = PAGE) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid}>\r\n"
            f"WARC-Date: 2021-09-12T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n"


def parsed(path: Path):
    out = []
    for source in discover([path]).sources:
        out.extend(parse_source(source, read_source(source)))
    return out


def test_xml_files_go_to_the_parser_their_root_element_names(tmp_path):
    shutil.copy(FIXTURES / "feeds" / "news.rss", tmp_path / "feed.xml")
    shutil.copy(FIXTURES / "newsxml" / "story.nitf.xml", tmp_path / "story.xml")
    (tmp_path / "other.xml").write_text("<?xml version='1.0'?><config><a>1</a></config>", encoding="utf-8")
    items = parsed(tmp_path)
    failures = [(Path(f.path).name, f.reason) for f in items if isinstance(f, Failure)]
    assert ("other.xml", "not a news XML (NITF, NewsML-G2) or feed (RSS, Atom) file") in failures
    assert not [name for name, _ in failures if name == "story.xml"]
    ids = {item.id for item in items if not isinstance(item, Failure)}
    assert "story.xml#SKT-2021-0912-0042" in ids
    assert any(i.startswith("feed.xml#") for i in ids)


def test_feed_and_nitf_suffixes_and_compressed_xml(tmp_path):
    shutil.copy(FIXTURES / "feeds" / "news.atom", tmp_path / "news.atom")
    shutil.copy(FIXTURES / "feeds" / "news.rss", tmp_path / "news.rss")
    shutil.copy(FIXTURES / "newsxml" / "story.nitf.xml", tmp_path / "story.nitf")
    (tmp_path / "wire.xml.gz").write_bytes(gzip.compress((FIXTURES / "newsxml" / "story.nitf.xml").read_bytes()))
    articles = list(searchkit.load_articles(tmp_path))
    prefixes = {article.id.split("#")[0] for article in articles}
    assert prefixes == {"news.atom", "news.rss", "story.nitf", "wire.xml.gz"}
    assert {a.title for a in articles if a.id.startswith("wire")} == {
        "Harbour bridge reopens after two years of repairs"}


def test_warc_plain_gzipped_and_in_a_zip(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "crawl.warc").write_bytes(warc_record("https://news.example/a", "00000000-0000-0000-0000-00000000000a"))
    (docs / "crawl2.warc.gz").write_bytes(
        gzip.compress(warc_record("https://news.example/b", "00000000-0000-0000-0000-00000000000b"))
        + gzip.compress(warc_record("https://news.example/c", "00000000-0000-0000-0000-00000000000c")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("crawls/c.warc", warc_record("https://news.example/d", "00000000-0000-0000-0000-00000000000d"))
    (docs / "crawls.zip").write_bytes(buffer.getvalue())
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 4 and not report.failures
    with searchkit.open_index(tmp_path / "ix") as ix:
        article = ix.get("crawl2.warc.gz#urn:uuid:00000000-0000-0000-0000-00000000000c")
        assert article.url == "https://news.example/c"
        assert ix.get("crawls.zip/crawls/c.warc#urn:uuid:00000000-0000-0000-0000-00000000000d")


def test_a_missing_parser_is_a_clear_failure_and_the_run_goes_on(tmp_path, monkeypatch):
    shutil.copy(FIXTURES / "feeds" / "news.rss", tmp_path / "news.rss")
    (tmp_path / "good.txt").write_text("date 2021-09-12\nKABUL: goodword.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "searchkit.ingest.feeds", None)  # as if the module were absent
    items = parsed(tmp_path)
    failure = next(item for item in items if isinstance(item, Failure))
    assert failure.reason.startswith("RSS and Atom feeds cannot be read: their reader is not available")
    assert [item.id for item in items if not isinstance(item, Failure)] == ["good.txt"]
