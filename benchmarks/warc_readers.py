"""Which WARC reader for searchkit: warcio, fastwarc or the standard library (not a test).

    .venv/bin/python benchmarks/warc_readers.py [--data ../shared/data] [--copies 10] [--rounds 5]

Builds a WARC with warcio's writer over the pages of ../shared/data/html-body
(each page --copies times: a request record and a response record per page, a
warcinfo and a metadata record), plain and record-wise gzipped, then times each
reader over the same bytes in memory, taking turns, best of --rounds:
- the reader alone: every record framed, and for each HTML response its HTTP
  headers parsed and its payload read (what parse_warc needs before parse_html);
- searchkit's parse_warc end to end (framing + parse_html), in articles/s.
It also corrupts one record's Content-Length and counts what each reader still
returns after it. warcio and fastwarc are only imported here, when installed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit.ingest import warc as sk_warc  # noqa: E402
from searchkit.ingest.warc_records import WarcError, iter_records  # noqa: E402


def build_warc(pages: list[bytes], copies: int, compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("bench.warc", {"software": "bench"}))
    for copy in range(copies):
        for number, page in enumerate(pages):
            url = f"https://news.example/{copy}/{number}"
            request = StatusAndHeaders(f"GET /{copy}/{number} HTTP/1.1", [("Host", "news.example")],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                          http_headers=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page),
                                                          http_headers=headers))
    writer.write_record(writer.create_warc_record("https://news.example/", "metadata",
                                                  payload=io.BytesIO(b"crawl: bench\n"),
                                                  warc_content_type="application/warc-fields"))
    return out.getvalue()


def read_stdlib(data: bytes) -> tuple[int, int]:
    pages = size = 0
    for record in iter_records(data):
        if isinstance(record, WarcError):
            continue
        try:
            payload, _ = sk_warc._html_payload(record)
        except (sk_warc._Skip, ValueError):
            continue
        pages += 1
        size += len(payload)
    return pages, size


def read_warcio(data: bytes) -> tuple[int, int]:
    from warcio.archiveiterator import ArchiveIterator

    pages = size = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
            if kind.strip().lower() in sk_warc.HTML_TYPES:
                pages += 1
                size += len(record.content_stream().read())
    except Exception:  # warcio stops at a corrupt record: count what came before
        pass
    return pages, size


def read_fastwarc(data: bytes) -> tuple[int, int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    pages = size = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data), record_types=WarcRecordType.response,
                                      parse_http=True, auto_decode="all"):
            kind = (record.http_content_type or "").split(";")[0]
            if kind.strip().lower() in sk_warc.HTML_TYPES:
                pages += 1
                size += len(record.reader.read())
    except Exception:
        pass
    return pages, size


def parse_all(data: bytes) -> tuple[int, int]:
    items = list(sk_warc.parse_warc(data, "bench.warc", "bench.warc"))
    return sum(1 for item in items if hasattr(item, "body")), 0


def available() -> dict:
    readers = {"stdlib": read_stdlib}
    for name, func in (("warcio", read_warcio), ("fastwarc", read_fastwarc)):
        try:
            __import__(name)
            readers[name] = func
        except ImportError:
            print(f"{name} is not installed: left out")
    return readers


def time_readers(readers: dict, data: bytes, rounds: int) -> dict[str, tuple[float, int]]:
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for _ in range(rounds):
        for name, func in readers.items():  # taking turns: the same machine load for all
            start = time.perf_counter()
            pages, _ = func(data)
            elapsed = time.perf_counter() - start
            best[name] = min(best.get(name, elapsed), elapsed)
            counts[name] = pages
    return {name: (best[name], counts[name]) for name in readers}


def corrupt(data: bytes) -> bytes:
    """The fifth response's Content-Length replaced by letters (plain WARC only)."""
    at = -1
    for _ in range(5):
        at = data.index(b"WARC-Type: response", at + 1)
    length = data.index(b"Content-Length: ", at)
    return data[:length + 16] + b"xx" + data[length + 18:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.data) / "html-body" / "html"
    if not folder.exists():
        sys.exit(f"{folder} is absent: nothing to measure")
    pages = [gzip.decompress(path.read_bytes()) for path in sorted(folder.glob("*.html.gz"))]
    readers = available()
    for compress in (False, True):
        data = build_warc(pages, args.copies, compress)
        label = ".warc.gz" if compress else ".warc"
        print(f"\n{label}: {len(data) / 2**20:.1f} MB, {len(pages) * args.copies} HTML responses")
        for name, (seconds, count) in time_readers(readers, data, args.rounds).items():
            print(f"  {name:9} {seconds * 1000:8.1f} ms  {count / seconds:9,.0f} pages/s  "
                  f"{len(data) / 2**20 / seconds:7.1f} MB/s  ({count} pages)")
    data = build_warc(pages, 1, False)
    seconds, count = time_readers({"parse_warc": parse_all}, data, 1)["parse_warc"]
    print(f"\nparse_warc end to end (framing + parse_html): {count} articles in {seconds:.2f} s, "
          f"{count / seconds:.1f} articles/s")
    broken = corrupt(build_warc(pages, 1, False))
    print("\nafter one corrupt Content-Length (record 5 of "
          f"{len(pages)}), pages each reader still returns:")
    for name, func in readers.items():
        print(f"  {name:9} {func(broken)[0]}")


if __name__ == "__main__":
    main()
