"""NITF and NewsML-G2 stories written by hand to the IPTC schemas, and hostile XML."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.ingest.newsxml import is_news_xml, parse_news_xml
from searchkit.models import Article, Failure
from xml_attacks import BILLION_LAUGHS, SECRET, listening, secret_file, was_read

FIXTURES = Path(__file__).parent / "fixtures" / "newsxml"


def parse(data: bytes | str, rel: str = "wire/story.xml") -> list[Article | Failure]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(parse_news_xml(raw, f"/archive/{rel}", rel))


def fixture(name: str) -> list[Article | Failure]:
    return parse((FIXTURES / name).read_bytes(), name)


NEWS_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:wire.example:2021:{guid}"
          version="1" standard="NewsML-G2" standardversion="2.29" conformance="power">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_36.xml"/>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:WIRE"/>
    <versionCreated>2021-09-12T10:05:00Z</versionCreated>
  </itemMeta>
  <contentMeta>{meta}</contentMeta>
  <contentSet>{content}</contentSet>
</newsItem>
"""
STORY = ("The harbour bridge reopened to traffic on Sunday morning, two years after engineers "
         "closed it over corroded cables.")


# --- NITF -------------------------------------------------------------------------------

def test_an_nitf_story_gives_every_field():
    (article,) = fixture("story.nitf.xml")
    assert article.id == "story.nitf.xml#SKT-2021-0912-0042"
    assert article.title == "Harbour bridge reopens after two years of repairs"
    assert not article.title_derived
    assert (article.date, article.date_source) == (dt.date(2021, 9, 12), "field")  # date.issue
    assert article.dateline == "Port Ellen"
    assert article.authors == ("Amina Rahman", "John Brodie")
    assert article.source == "The Port Ellen Courier"
    assert article.url == "https://courier.example/2021/09/12/harbour-bridge"
    assert article.path == "/archive/story.nitf.xml" and article.warnings == ()
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0] == STORY
    assert "The ferry company said its timetable" in paragraphs[3]
    assert "4,000 vehicles" not in article.body  # the abstract is not the story


def test_an_nitf_story_in_its_namespace_and_latin_1_without_a_doc_id():
    (article,) = fixture("story-ns.nitf.xml")
    assert article.id == "story-ns.nitf.xml"
    assert article.title == "Café owners protest rent rises"
    assert article.date == dt.date(2021, 10, 3)  # date.release, extended ISO
    assert article.authors == ("Claire Dubois",)
    assert article.dateline == "Lyon"  # from the body's own dateline
    assert "forty cafés" in article.body


def test_the_dates_are_tried_in_order_and_a_bad_one_is_a_warning():
    story = (FIXTURES / "story.nitf.xml").read_text().replace('"20210912T081500Z"', '"2021-02-30"')
    (article,) = parse(story)
    assert article.date == dt.date(2021, 9, 12)  # date.release, the next one
    (warning,) = article.warnings
    assert warning.startswith("/archive/wire/story.xml: NITF story (SKT-2021-0912-0042): "
                              "date.issue: impossible date '2021-02-30'")


def test_an_entity_the_unread_dtd_would_define_is_read_as_html():
    story = (FIXTURES / "story.nitf.xml").read_text().replace("Councillors", "Conseill&egrave;res")
    (article,) = parse(story)
    assert "Conseillères cut a ribbon" in article.body


def test_an_nitf_story_in_utf_16_is_recognised_and_read():
    data = (FIXTURES / "story.nitf.xml").read_text().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    raw = data.encode("utf-16")
    assert is_news_xml(raw)
    (article,) = parse(raw)
    assert article.title == "Harbour bridge reopens after two years of repairs"


# --- NewsML-G2 --------------------------------------------------------------------------

def test_a_news_message_gives_an_article_per_text_item():
    floods, markets, weather = fixture("message.newsml.xml")
    assert floods.id == "message.newsml.xml#urn:newsml:wire.example:20210912:floods-nitf"
    assert floods.title == "Floods cut roads to northern districts"  # the main headline
    assert floods.date == dt.date(2021, 9, 11)  # contentCreated
    assert floods.dateline == "Dhaka" and floods.source == "Searchkit Test Wire"
    assert floods.authors == ("Farhana Islam", "Tom Reyes")
    assert floods.body.startswith("DHAKA, Sept 11 - Floodwater cut the main roads")
    assert floods.warnings == ("/archive/message.newsml.xml: skipped 1 picture newsItem, "
                               "1 packageItem (no story text)",)
    assert markets.title == "Markets steady" and markets.authors == ("Lena Fischer",)
    assert markets.date == dt.date(2021, 9, 12)  # firstCreated
    assert markets.body.split("\n\n")[1].startswith("FRANKFURT, Sept 12 - European shares")
    assert weather.body == ("Forecasters warned of gales along the coast on Monday.\n\n"
                            "Ferries may be cancelled at short notice.")
    assert weather.source == "WIRE" and weather.date is None
    assert weather.warnings == (
        "/archive/message.newsml.xml: newsItem 3 (urn:newsml:wire.example:20210912:plain): "
        "versionCreated: impossible date '2021-13-45T11:00:00Z' (month must be in 1..12); "
        "indexed without a date",)


def test_a_single_news_item_with_inline_nitf():
    content = (f'<inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/'
               f'NITF/2006-10-18/"><body><body.head><hedline><hl1>Bridge reopens</hl1></hedline>'
               f'</body.head><body.content><p>{STORY}</p></body.content></body></nitf></inlineXML>')
    (article,) = parse(NEWS_ITEM.format(guid="bridge", meta="", content=content))
    assert article.id == "wire/story.xml#urn:newsml:wire.example:2021:bridge"
    assert article.title == "Bridge reopens"  # the NITF headline fills the empty contentMeta
    assert article.date == dt.date(2021, 9, 12) and article.body == STORY


def test_an_item_without_inline_text_falls_back_on_its_description():
    meta = f'<description role="drol:summary">{STORY}</description>'
    content = '<remoteContent contenttype="text/html" href="https://wire.example/bridge"/>'
    (article,) = parse(NEWS_ITEM.format(guid="remote", meta=meta, content=content))
    assert article.body == STORY and article.title_derived
    assert "no inline story text; indexed its description" in article.warnings[0]


def test_an_item_without_any_text_is_a_failure():
    (failure,) = parse(NEWS_ITEM.format(guid="empty", meta="<headline>Nothing</headline>",
                                        content=""))
    assert failure == Failure("/archive/wire/story.xml",
                              "newsItem 1 (urn:newsml:wire.example:2021:empty): no story text")


def test_a_package_item_alone_is_a_failure_saying_so():
    package = (FIXTURES / "message.newsml.xml").read_text()
    package = package[package.index("<packageItem"):package.index("</packageItem>") + 14]
    package = package.replace("<packageItem ", '<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" ')
    assert is_news_xml(package.encode())
    (failure,) = parse(package)
    assert failure.reason == "no text newsItem (only 1 packageItem)"


def test_is_news_xml_looks_at_the_root_element_only():
    assert is_news_xml((FIXTURES / "story.nitf.xml").read_bytes())
    assert is_news_xml((FIXTURES / "message.newsml.xml").read_bytes())
    assert not is_news_xml(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    assert not is_news_xml(b"<html><body><nitf>not a root</nitf></body></html>")
    assert not is_news_xml(b"\x89PNG\r\n\x1a\n")


# --- bad input -------------------------------------------------------------------------

def test_billion_laughs_is_refused_before_anything_is_expanded():
    hostile = BILLION_LAUGHS.format(root="nitf") + "<nitf><body><body.content><p>&lol9;</p>" \
                                                  "</body.content></body></nitf>"
    start = time.perf_counter()
    (failure,) = parse(hostile)
    assert time.perf_counter() - start < 1
    assert "declares entities" in failure.reason and "lol" not in failure.reason


@pytest.mark.parametrize("flaw", ["", "<meta>a & b</meta>"], ids=["well-formed", "broken"])
def test_an_external_entity_on_a_local_file_is_never_read(tmp_path, flaw):
    secret = secret_file(tmp_path)
    hostile = (f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file://{secret}">]>'
               f"<nitf><head>{flaw}<title>&xxe;</title></head><body><body.content>"
               f"<p>{STORY} &xxe;</p></body.content></body></nitf>")
    items: list = []
    read = was_read(secret, lambda: items.extend(parse(hostile)))
    assert read is not True
    (failure,) = items
    assert "declares entities" in failure.reason and SECRET not in repr(items)


def test_an_external_dtd_and_parameter_entities_are_never_fetched():
    with listening() as (url, connections):
        doctype_only = (f'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "{url}/nitf.dtd"><nitf><body>'
                        f"<body.content><p>{STORY}</p></body.content></body></nitf>")
        parameter = (f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY % remote SYSTEM "{url}/x.dtd">'
                     f"%remote;]><nitf/>")
        broken = doctype_only.replace("</p>", "</p><p>a & b</p>")  # read in recovery mode
        (article,) = parse(doctype_only)
        (refused,) = parse(parameter)
        (recovered,) = parse(broken)
    assert connections == []
    assert article.body == STORY and "declares entities" in refused.reason
    assert recovered.body.startswith(STORY) and "recovery mode" in recovered.warnings[0]


@pytest.mark.parametrize("data, reason", [
    (b"\x00\x01 not xml at all", "not well-formed XML"),
    (b'<?xml version="1.0"?><nitf><body>', "no story text"),
])
def test_unreadable_xml_is_one_failure(data, reason):
    (failure,) = parse(data)
    assert reason in failure.reason


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(["story.nitf.xml", "story-ns.nitf.xml", "message.newsml.xml"]),
       cut=st.integers(0, 6000), junk=st.binary(max_size=12))
def test_a_damaged_file_never_raises(name, cut, junk):
    data = (FIXTURES / name).read_bytes()
    cut %= len(data)
    items = parse(data[:cut] + junk + data[cut + len(junk):])
    assert all(isinstance(item, (Article, Failure)) for item in items)
