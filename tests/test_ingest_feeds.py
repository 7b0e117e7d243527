"""Feeds written to the RSS 2.0, Atom 1.0 (RFC 4287) and RSS 1.0 specifications, and bad ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchkit.ingest.feeds import is_feed, parse_feed
from searchkit.models import Article, Failure
from xml_attacks import BILLION_LAUGHS, SECRET, listening, secret_file, was_read

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
TEXT = ("Forecasters warned of gales along the coast on Monday; ferries may be cancelled at "
        "short notice.")


def parse(data: bytes | str, rel: str = "feeds/news.xml") -> list[Article | Failure]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(parse_feed(raw, f"/archive/{rel}", rel))


def fixture(name: str) -> list[Article | Failure]:
    return parse((FIXTURES / name).read_bytes(), name)


def rss(items: str, head: str = "") -> str:
    return (f'<?xml version="1.0"?>{head}<rss version="2.0"><channel><title>Coast News</title>'
            f"<link>https://coast.example/</link><description>d</description>{items}"
            f"</channel></rss>")


# --- RSS 2.0 ----------------------------------------------------------------------------

def test_rss_items_are_articles_with_link_date_title_author_and_guid():
    bridge, ferry, lifeboat, failure = fixture("news.rss")
    assert bridge.id == "news.rss#courier-2021-0912-bridge"  # the guid, even when not a link
    assert bridge.url == "https://courier.example/2021/09/12/bridge"
    assert bridge.title == "Harbour bridge reopens after two years"
    assert (bridge.date, bridge.date_source) == (dt.date(2021, 9, 12), "field")
    assert bridge.authors == ("Amina Rahman",) and bridge.source == "The Port Ellen Courier"
    assert bridge.dateline == "Port Ellen" and bridge.path == "/archive/news.rss"
    assert bridge.body == ("PORT ELLEN: The harbour bridge reopened to traffic on Sunday, two "
                           "years after engineers closed it.\n\nThe first bus crossed at 9 a.m., "
                           "cheered from the quay.")  # content:encoded, script dropped
    assert ferry.id == "news.rss#https://courier.example/2021/09/12/ferry"  # no guid: the link
    assert ferry.date == dt.date(2021, 9, 12)  # RFC 822 with a two-digit year
    assert ferry.authors == ("John Brodie",)  # dc:creator
    assert ferry.body.startswith("The ferry company will run its winter timetable")
    assert lifeboat.url == "https://courier.example/2021/09/11/lifeboat"  # a permalink guid
    assert failure == Failure("/archive/news.rss",
                              "entry 4 (https://courier.example/2021/09/10/regatta): no story text")


def test_an_entry_with_only_a_summary_is_indexed_as_such():
    (article,) = parse(rss(f"<item><title>Gales</title><description>{TEXT}</description></item>"))
    assert article.body == TEXT and article.title == "Gales"
    assert article.id == "feeds/news.xml#1"  # no guid, no link: its position


def test_a_feed_entry_with_a_bad_date_is_indexed_undated_with_a_warning():
    lifeboat = fixture("news.rss")[2]
    assert lifeboat.date is None and lifeboat.date_source is None
    assert lifeboat.warnings == (
        "/archive/news.rss: entry 3 (https://courier.example/2021/09/11/lifeboat): pubDate: "
        "unreadable date 'Someday in September'; indexed without a date",)


def test_a_guid_met_twice_in_a_feed_gets_the_entry_position():
    item = f"<item><guid>same</guid><description>{TEXT}</description></item>"
    first, second = parse(rss(item * 2))
    assert (first.id, second.id) == ("feeds/news.xml#same", "feeds/news.xml#same@2")


# --- Atom 1.0 and RSS 1.0 ---------------------------------------------------------------

def test_atom_entries_are_articles():
    floods, markets, weather = fixture("news.atom")
    assert floods.id == "news.atom#tag:wire.example,2021:floods"
    assert floods.url == "https://wire.example/2021/09/11/floods"  # resolved against xml:base
    assert floods.title == "Floods cut roads to northern districts"  # type="html" title
    assert floods.date == dt.date(2021, 9, 11)  # published, as written (+06:00)
    assert floods.authors == ("Farhana Islam", "Tom Reyes")
    assert floods.source == "Searchkit Test Wire" and floods.dateline == "Dhaka"
    assert floods.body == ("DHAKA, Sept 11 - Floodwater cut the main roads to four northern "
                           "districts on Saturday.\n\nRelief boats will leave the river port "
                           "at dawn.")  # xhtml content, not the summary
    assert markets.authors == ("Wire Desk",)  # the feed's author
    assert markets.date == dt.date(2021, 9, 12)  # updated, when not published
    assert markets.body == ("FRANKFURT, Sept 12 - European shares held steady in thin trading."
                            "\n\nInvestors await Thursday.")  # escaped html content
    assert weather.body == TEXT and weather.date is None
    assert "updated: impossible date '2021-02-30T10:00:00Z'" in weather.warnings[0]


def test_an_atom_entry_with_out_of_line_content_uses_its_summary():
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:f</id>'
            '<updated>2021-09-12T00:00:00Z</updated><entry><id>urn:e</id><title>E</title>'
            '<updated>2021-09-12T00:00:00Z</updated><content type="text/html" '
            f'src="https://wire.example/e"/><summary>{TEXT}</summary></entry></feed>')
    (article,) = parse(feed)
    assert article.body == TEXT and article.url is None and article.id == "feeds/news.xml#urn:e"


def test_rss_1_0_items_are_articles():
    (mill,) = fixture("news.rdf")
    assert mill.id == "news.rdf#https://gazette.example/mill"  # rdf:about
    assert mill.title == "Old mill to become a museum" and mill.date == dt.date(2021, 9, 7)
    assert mill.authors == ("Megan Price",) and mill.source == "The Valley Gazette"


def test_is_feed_looks_at_the_root_element():
    for name in ("news.rss", "news.atom", "news.rdf"):
        assert is_feed((FIXTURES / name).read_bytes())
    assert not is_feed(b'<?xml version="1.0"?><nitf><body/></nitf>')
    assert not is_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    assert not is_feed(b"just text")


# --- bad input -------------------------------------------------------------------------

def test_a_feed_with_an_unescaped_ampersand_is_read_in_recovery_mode():
    items = parse(rss(f"<item><title>Fish & chips</title><description>{TEXT}</description></item>"))
    (article,) = items
    assert article.body == TEXT and "recovery mode" in article.warnings[0]


def test_billion_laughs_in_a_feed_is_refused():
    hostile = BILLION_LAUGHS.format(root="rss") + rss(
        "<item><title>&lol9;</title><description>&lol9;</description></item>").split("?>", 1)[1]
    (failure,) = parse(hostile)
    assert "declares entities" in failure.reason


def test_an_external_entity_in_a_feed_reads_and_fetches_nothing(tmp_path):
    secret = secret_file(tmp_path)
    with listening() as (url, connections):
        for system in (f"file://{secret}", f"{url}/secret"):
            head = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{system}">]>'
            items: list = []
            read = was_read(secret, lambda: items.extend(parse(rss(
                "<item><title>&xxe;</title><description>&xxe; text</description></item>", head))))
            assert read is not True
            (failure,) = items
            assert "declares entities" in failure.reason and SECRET not in repr(items)
    assert connections == []


@pytest.mark.parametrize("encoding, title", [("gb2312", "中文新闻"), ("shift_jis", "日本のニュース"),
                                             ("windows-1252", "Café “quoted”")])
def test_a_feed_in_a_legacy_encoding_is_read(encoding, title):
    feed = rss(f"<item><title>{title}</title><description>{TEXT}</description></item>")
    feed = feed.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    (article,) = parse(feed.encode(encoding))
    assert article.title == title and article.warnings == ()


@pytest.mark.parametrize("data, reason", [
    (rss(""), "the feed has no entries"),
    (rss("").replace('"1.0"?>', '"1.0" encoding="no-such-codec"?>'),
     "unknown encoding: no-such-codec; not readable"),
    ("<html><body>a page</body></html>", "root element <html> is not RSS or Atom"),
])
def test_a_file_that_is_not_a_usable_feed_is_one_failure(data, reason):
    assert parse(data) == [Failure("/archive/feeds/news.xml", reason)]
