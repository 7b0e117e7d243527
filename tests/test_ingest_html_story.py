"""Where the story sits: the headline, and the parts of a page that are not the story."""

from __future__ import annotations

from searchkit.ingest.html_dom import parse_page
from searchkit.ingest.html_story import headline_of, outside_story, story_frame


def test_an_empty_logo_h1_is_not_the_headline_and_an_h2_in_the_title_is():
    page = parse_page('<html><head><title>Black coats - A Blog</title></head><body><h1><a '
                      'href="/"></a></h1><h2>Archive</h2><h2>Black coats</h2></body></html>')
    assert headline_of(page).get_text() == "Black coats"
    assert headline_of(parse_page("<html><body><h2>Archive</h2></body></html>")) is None


def test_what_is_outside_the_story():
    page = parse_page(
        '<html><body><div class="layout sidebar"><h1>Floods</h1><p id="by">By A. Lee</p></div>'
        '<div class="comments"><p id="c">First!</p></div><blockquote><p id="q">Quoted</p>'
        '</blockquote><ul><li id="a">1.2.2020 Fair</li><li id="b">3.4.2020 Market</li></ul>'
        '<ul><li id="only">5.6.2020 by A. Lee</li><li>Share</li></ul></body></html>')
    frame = story_frame(headline_of(page))
    by_id = {tag["id"]: tag for name in ("p", "li") for tag in page.named(name) if tag.get("id")}
    assert [key for key, tag in sorted(by_id.items()) if outside_story(tag, frame)] == [
        "a", "b", "c", "q"]
