"""Where the story sits in a page: its headline, the elements that frame
it, and the parts that are not the story (comments, teasers, sidebars,
quotes, dated lists), so that a date found there does not count."""

from __future__ import annotations

import re

from searchkit.ingest.html_datetext import find_dates
from searchkit.ingest.html_dom import Page, class_id

_NOT_STORY = re.compile(
    r"comment|related|teaser|popular|sidebar|widget|caption|recommend|trending|footer"
    r"|slider|carousel|most-?read|more-|reply|replies|archive|calendar|navbar|menu", re.I)


def headline_of(page: Page):
    """The story's headline: the first <h1> with text, else the first <h2>
    whose text is in the page's <title> (a blog keeps <h1> for its name or
    has none). Found once per page."""
    return page.once("headline", _find_headline)


def _find_headline(page: Page):
    for tag in page.named("h1"):
        if tag.get_text(strip=True):
            return tag
    title = page.first("title")
    title_text = " ".join(title.get_text(" ").split()).lower() if title else ""
    for tag in page.named("h2"):
        text = " ".join(tag.get_text(" ").split()).lower()
        if len(text) >= 8 and text in title_text:
            return tag
    return None


def story_frame(headline) -> set[int]:
    """The elements that hold the headline: layout, not a sidebar or teaser,
    whatever their class says (`one-sidebar-second` on the page's wrapper)."""
    return {id(node) for node in headline.parents} if headline is not None else set()


def outside_story(tag, frame: set[int] = frozenset()) -> bool:
    """In a comment, teaser, sidebar or footer (by its or an ancestor's class;
    the elements of the frame do not count), in a quote or an embedded
    post (a <blockquote>), or in one item of a dated list."""
    node = tag
    while node is not None and node.name not in ("body", "[document]"):
        if node.name == "blockquote":  # a quote or an embedded post
            return True
        if node.name == "li" and id(node) not in frame and _in_dated_list(node):
            return True
        if (node.attrs.get("class") or node.attrs.get("id")) and id(node) not in frame \
                and _NOT_STORY.search(class_id(node)):
            return True
        node = node.parent
    return False


def _in_dated_list(item) -> bool:
    """A list item next to an item that holds a date too: a list of events
    or stories, each with its date."""
    return any(sibling is not None and find_dates(sibling.get_text(" ")[:200])
               for sibling in (item.find_previous_sibling("li"), item.find_next_sibling("li")))
