"""HTML ingest never fetches anything and never resolves external entities:
any attempt to open a connection or resolve a host fails the test."""

from __future__ import annotations

import socket

import pytest

import searchkit

HOSTILE_PAGE = """<?xml version="1.0"?>
<!DOCTYPE html SYSTEM "http://dtd.invalid/evil.dtd" [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://entity.invalid/payload">
]>
<html><head><title>Envoys meet in Kabul</title>
<link rel="stylesheet" href="http://css.invalid/style.css">
<script src="http://js.invalid/tracker.js"></script>
<meta http-equiv="refresh" content="0; url=http://refresh.invalid/">
</head><body><article>
<h1>Envoys meet in Kabul</h1>
<p>KABUL: Envoys of the region met the Taliban on Saturday, officials said. &xxe; &remote;</p>
<img src="http://img.invalid/photo.jpg" srcset="http://img.invalid/2x.jpg 2x">
<iframe src="http://frame.invalid/"></iframe>
<p>The talks covered trade and security across the border.</p>
</article></body></html>
"""


@pytest.fixture()
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_parse_html_fetches_nothing_and_resolves_no_entity(no_network):
    article = searchkit.parse_html(HOSTILE_PAGE, url="http://example.invalid/2021/09/12/envoys")
    assert "Envoys of the region met the Taliban" in article.body
    assert "root:" not in article.body and "payload" not in article.body
    assert no_network == []


def test_indexing_the_page_fetches_nothing(no_network, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hostile.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (docs / "hostile.xhtml.htm").write_bytes(HOSTILE_PAGE.encode("utf-16"))
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 2 and not report.failures
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("taliban").total == 2
        assert ix.search("root OR passwd OR payload").total == 0
    assert no_network == []
