"""WARC in record mode: a plain .warc cut at its records, a .warc.gz at its gzip
members, each parsed as when the file is read whole (same ids, dates, failures),
and synced record by record. Files written by warcio's writer."""

from __future__ import annotations

import re

import pytest

import searchkit
from searchkit.index import record_sync
from test_ingest_warc import DATED_PAGE, PAGE, build, metadata, request, response, warcinfo


def _pages(count: int, start: int = 0):
    records = [warcinfo]
    for number in range(start, start + count):
        url = f"https://news.example/{number}"
        records.append(request(url))
        page = (DATED_PAGE if number % 2 else PAGE).replace("River floods", f"Story {number}: river floods")
        records.append(response(url, page))
        if number % 5 == 0:
            records.append(metadata(url))
            records.append(response(url + "/img", b"GIF89a", content_type="image/gif"))
    return records


def _articles(ix):
    return {hit.id: (hit.title, hit.date, hit.url) for hit in ix.iter_all("river", snippets=False)}


def _without_offsets(reasons):
    return sorted(re.sub(r"\d+ bytes", "N bytes", reason) for reason in reasons)


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("workers", [0, 2])
def test_a_warc_in_record_mode_indexes_what_file_mode_does(tmp_path, monkeypatch, compress, workers):
    data, offsets = build(_pages(23), compress=compress)
    corrupt = offsets[9]  # a record whose headers are damaged: reported, the rest read
    if not compress:
        data = data[:corrupt] + data[corrupt:].replace(b"Content-Length", b"Content-Lenxth", 1)
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(data)
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 10**12)
    whole = searchkit.SearchIndex.create(tmp_path / "whole")
    whole_report = whole.update([str(path)], workers=0)
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    monkeypatch.setattr(record_sync, "JOB_RECORDS", 6)
    split = searchkit.SearchIndex.create(tmp_path / "split")
    split_report = split.update([str(path)], workers=workers)
    assert split_report.added == whole_report.added > 20
    assert _articles(split) == _articles(whole)
    assert [f.reason for f in split_report.failures][:1] == [f.reason for f in whole_report.failures][:1]
    skipped = [w for w in split_report.warnings if "WARC records skipped" in w]
    assert skipped == [w for w in whole_report.warnings if "WARC records skipped" in w]


def test_appended_pages_are_the_only_ones_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    monkeypatch.setattr(record_sync, "JOB_RECORDS", 6)
    first, _ = build(_pages(12), compress=True)
    more, _ = build(_pages(4, start=12)[1:], compress=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(first)
    ix = searchkit.SearchIndex.create(tmp_path / "index")
    assert ix.update([str(path)], workers=0).added == 12
    path.write_bytes(first + more)  # the crawler appends members
    report = ix.update([str(path)], workers=0)
    assert (report.added, report.updated, report.removed) == (4, 0, 0)
    assert report.unchanged >= 12
    assert len(_articles(ix)) == 16


def test_a_warc_gz_cut_inside_a_member_keeps_what_was_indexed(tmp_path, monkeypatch):
    monkeypatch.setattr(record_sync, "RECORD_MODE_MIN_BYTES", 1)
    data, offsets = build(_pages(10), compress=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    ix = searchkit.SearchIndex.create(tmp_path / "index")
    assert ix.update([str(path)], workers=0).added == 10
    path.write_bytes(data[: offsets[len(offsets) // 2] + 40])
    report = ix.update([str(path)], workers=0)
    assert any("cut short" in failure.reason for failure in report.failures)
    assert report.removed == 0 and len(_articles(ix)) == 10
