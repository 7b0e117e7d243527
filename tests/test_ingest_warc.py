"""WARC files written by warcio's writer, read by parse_warc: pages, skipped records, bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import shared_data
from searchkit.ingest.html import parse_html
from searchkit.ingest.warc import parse_warc
from searchkit.models import Article, Failure

STORY = (
    "<p>The river rose by two metres overnight, flooding the lower town and closing the main "
    "road to the coast for most of the morning.</p><p>Volunteers filled sandbags at the fire "
    "station, and the mayor asked residents to stay away from the embankment.</p>"
)
PAGE = f"<html><head><title>River floods the lower town</title></head><body><article>{STORY}" \
       "</article></body></html>"
DATED_PAGE = PAGE.replace("<head>", '<head><meta property="article:published_time" '
                                    'content="2020-05-01T08:00:00Z">')


def response(url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK", headers=(), warc_headers=None):
    def make(writer: WARCWriter):
        http = StatusAndHeaders(status, [("Content-Type", content_type), *headers],
                                protocol="HTTP/1.1")
        payload = body.encode() if isinstance(body, str) else body
        return writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                         http_headers=http, warc_headers_dict=warc_headers)
    return make


def request(url: str):
    def make(writer: WARCWriter):
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        return writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
    return make


def metadata(url: str):
    def make(writer: WARCWriter):
        return writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"via: test\r\n"),
                                         warc_content_type="application/warc-fields")
    return make


def revisit(url: str):
    def make(writer: WARCWriter):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        return writer.create_revisit_record(url, "sha1:AAAA", url, "2021-01-01T00:00:00Z",
                                            http_headers=http)
    return make


def warcinfo(writer: WARCWriter):
    return writer.create_warcinfo_record("test.warc", {"software": "searchkit tests"})


def build(records, compress: bool = False) -> tuple[bytes, list[int]]:
    """The WARC's bytes and the offset where each record starts."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    offsets = []
    for make in records:
        offsets.append(out.tell())
        writer.write_record(make(writer))
    return out.getvalue(), offsets


def parse(data: bytes, **kwargs) -> list[Article | Failure]:
    return list(parse_warc(data, "/archive/crawl.warc", "crawl.warc", **kwargs))


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def failures(items) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure)]


# --- pages and the records that are not -------------------------------------------------

@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_are_articles_and_other_records_are_counted(compress):
    data, _ = build([
        warcinfo, request("https://news.example/flood"), response("https://news.example/flood", PAGE),
        response("https://news.example/logo.png", b"\x89PNG...", "image/png"),
        response("https://news.example/old", "<p>Moved</p>", status="301 Moved Permanently"),
        revisit("https://news.example/flood"), metadata("https://news.example/flood"),
        response("https://news.example/feed", '{"a": 1}', "application/json"),
    ], compress)
    items = parse(data)
    (article,) = items
    assert article.url == "https://news.example/flood" and article.source == "news.example"
    assert article.title == "River floods the lower town"
    assert article.body.startswith("The river rose by two metres")
    assert article.id.startswith("crawl.warc#urn:uuid:") and article.path == "/archive/crawl.warc"
    (summary,) = article.warnings
    assert summary.startswith("/archive/crawl.warc: 7 WARC records skipped: 2 non-HTML")
    for part in ("1 warcinfo", "1 request", "1 HTTP 3xx", "1 revisit", "1 metadata"):
        assert part in summary


def test_the_summary_goes_to_the_last_article_only():
    data, _ = build([request("https://a.example/1"), response("https://a.example/1", PAGE),
                     request("https://a.example/2"), response("https://a.example/2", DATED_PAGE)])
    first, last = parse(data)
    assert first.warnings == () and last.warnings == (
        "/archive/crawl.warc: 2 WARC records skipped: 2 request",)
    assert first.id != last.id


def test_a_resource_record_of_html_is_an_article():
    def resource(writer):
        return writer.create_warc_record("file:///site/story.html", "resource",
                                         payload=io.BytesIO(PAGE.encode()),
                                         warc_content_type="text/html")
    (article,) = parse(build([resource])[0])
    assert article.url == "file:///site/story.html" and "sandbags" in article.body


def test_a_warc_without_pages_is_one_failure_saying_what_it_held():
    data, _ = build([warcinfo, request("https://a.example/"), metadata("https://a.example/")])
    (failure,) = parse(data)
    assert failure.reason == ("no HTML page to index; 3 WARC records skipped: 1 warcinfo, "
                              "1 request, 1 metadata")


def test_a_page_with_a_title_and_no_text_is_a_failure_and_the_rest_read():
    empty = "<html><head><title>Gallery</title></head><body><div> </div></body></html>"
    items = parse(build([response("https://a.example/gallery", empty),
                         response("https://a.example/1", PAGE)])[0])
    (failure,) = failures(items)
    assert failure.reason.endswith("(https://a.example/gallery): no article text found in the page")
    assert [a.url for a in articles(items)] == ["https://a.example/1"]


# --- dates, ids, payloads ----------------------------------------------------------------

def test_the_warc_date_is_the_date_of_last_resort():
    capture = {"WARC-Date": "2019-03-04T05:06:07Z"}
    data, _ = build([response("https://a.example/undated", PAGE, warc_headers=capture),
                     response("https://a.example/dated", DATED_PAGE, warc_headers=capture)])
    undated, dated = parse(data)
    assert (undated.date, undated.date_source) == (dt.date(2019, 3, 4), "warc")
    assert (dated.date, dated.date_source) == (dt.date(2020, 5, 1), "meta")


def test_ids_are_the_record_ids_and_a_repeated_one_gets_its_offset():
    same = {"WARC-Record-ID": "<urn:uuid:11111111-2222-3333-4444-555555555555>"}
    data, offsets = build([response("https://a.example/1", PAGE, warc_headers=same),
                           response("https://a.example/2", PAGE, warc_headers=same)])
    first, second = parse(data)
    assert first.id == "crawl.warc#urn:uuid:11111111-2222-3333-4444-555555555555"
    assert second.id == f"{first.id}@{offsets[1]}"


def test_chunked_and_gzip_encoded_payloads_are_decoded():
    packed = gzip.compress(PAGE.encode())
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                       for part in (packed[:100], packed[100:])) + b"0\r\n\r\n"
    headers = [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]
    data, _ = build([response("https://a.example/z", chunked, headers=headers)])
    (article,) = parse(data)
    assert "sandbags" in article.body


def test_the_http_charset_decodes_a_page_that_declares_none():
    page = PAGE.replace("River floods the lower town", "Река затопила нижний город").encode("koi8-r")
    data, _ = build([response("https://a.example/ru", page, "text/html; charset=koi8-r")])
    (article,) = parse(data)
    assert article.title == "Река затопила нижний город"


def test_a_page_truncated_by_the_crawler_says_so():
    cut = {"WARC-Truncated": "length"}
    (article,) = parse(build([response("https://a.example/t", PAGE, warc_headers=cut)])[0])
    assert any("the crawler truncated this page (length)" in w for w in article.warnings)


# --- bad input -----------------------------------------------------------------------------

def three_pages(compress: bool = False) -> tuple[bytes, list[int]]:
    return build([response(f"https://a.example/{n}", PAGE) for n in range(3)], compress)


def test_a_corrupt_record_is_reported_with_its_offset_and_the_rest_read():
    data, offsets = three_pages()
    at = data.index(b"Content-Length: ", offsets[1])
    broken = data[:at + 16] + b"many" + data[at + 16:]
    items = parse(broken)
    (failure,) = failures(items)
    assert failure.path == "/archive/crawl.warc"
    assert failure.reason == f"record at byte {offsets[1]}: corrupt record headers (no valid Content-Length)"
    assert [a.url for a in articles(items)] == ["https://a.example/0", "https://a.example/2"]


def test_a_record_whose_length_lies_is_reported_and_the_next_one_read():
    data, offsets = three_pages()
    at = data.index(b"Content-Length: ", offsets[0]) + 16
    end = data.index(b"\r\n", at)
    broken = data[:at] + str(int(data[at:end]) - 7).encode() + data[end:]
    items = parse(broken)
    assert [f.reason for f in failures(items)] == [
        f"record at byte {offsets[0]}: block does not end where Content-Length "
        f"{int(data[at:end]) - 7} says"]
    assert len(articles(items)) == 2


def test_garbage_before_the_first_record_is_reported_at_byte_zero():
    data, _ = three_pages()
    items = parse(b"this is not a WARC header\r\n" + data)
    (failure,) = failures(items)
    assert failure.reason.startswith("record at byte 0: no WARC record here; skipped 27 bytes")
    assert len(articles(items)) == 3


def test_a_corrupt_gzip_member_is_reported_with_its_offset_and_the_rest_read():
    data, offsets = three_pages(compress=True)
    middle = (offsets[1] + offsets[2]) // 2
    broken = data[:middle] + bytes(b ^ 0x55 for b in data[middle:middle + 40]) + data[middle + 40:]
    items = parse(broken)
    (failure,) = failures(items)
    assert failure.reason.startswith(f"record at byte {offsets[1]}: corrupt gzip data")
    assert [a.url for a in articles(items)] == ["https://a.example/0", "https://a.example/2"]


def test_a_truncated_warc_gz_keeps_the_records_before_the_cut():
    data, offsets = three_pages(compress=True)
    items = parse(data[:offsets[2] + 200])
    assert len(articles(items)) == 2
    (failure,) = failures(items)
    assert failure.reason == (f"record at byte {offsets[2]}: gzip member cut short "
                              "(the file ends inside it)")


def test_a_decompression_bomb_member_is_refused_and_the_next_record_read():
    zeros = 70 * 2**20
    record = (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
              b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n" % zeros)
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = squeezer.compress(record) + squeezer.compress(bytes(zeros)) + squeezer.compress(
        b"\r\n\r\n") + squeezer.flush()
    data, _ = three_pages(compress=True)
    items = parse(bomb + data)
    (failure,) = failures(items)
    assert failure.reason.startswith("record at byte 0: gzip member expands beyond 200 times")
    assert len(articles(items)) == 3


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_a_warc_cut_anywhere_keeps_the_records_before_the_cut(compress):
    data, offsets = three_pages(compress)
    for cut in range(1, len(data), max(1, len(data) // 40)):
        items = parse(data[:cut])
        complete = sum(1 for start in offsets[1:] if start <= cut)
        assert len(articles(items)) >= complete
        assert all(isinstance(item, (Article, Failure)) for item in items)


def test_offsets_of_a_slice_count_from_the_start_of_the_file():
    data, offsets = three_pages()
    at = data.index(b"Content-Length: ", offsets[2])
    broken = data[:at + 16] + b"x" + data[at + 16:]
    items = parse(broken[offsets[1]:], base_offset=offsets[1])
    assert [f.reason.split(":")[0] for f in failures(items)] == [f"record at byte {offsets[2]}"]


# --- real pages -----------------------------------------------------------------------------

def test_the_shared_html_pages_read_from_a_warc_gz_as_from_their_files():
    folder = shared_data("html-body") / "html"
    sample = sorted(folder.glob("*.html.gz"))[::3]  # 31 of the 92 pages: the test stays quick
    pages = {f"https://pages.example/{p.name[:16]}": gzip.decompress(p.read_bytes())
             for p in sample}
    records = []
    for url, page in pages.items():
        records += [request(url), response(url, page, "text/html")]
    items = parse(build(records, compress=True)[0])
    assert not failures(items)
    read = {a.url: a for a in articles(items)}
    assert len(read) == len(pages) == len({a.id for a in read.values()})
    for url, page in pages.items():
        alone = parse_html(page, url=url)
        assert (read[url].title, read[url].body) == (alone.title, alone.body)
        assert read[url].date == alone.date or alone.date is None
