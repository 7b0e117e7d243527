"""Parsing a page into a BeautifulSoup tree, quickly and safely.

Before parsing, the JSON-LD blocks are taken out as text and every script,
style, SVG, comment, menu (<nav>), <aside>, <iframe> and void media tag is cut
away by a linear scan: they are a large share of a modern page's tags and no
story text lives in them. BeautifulSoup
then uses lxml as its backend when it is installed (end to end 1.1-1.6x
faster than the builtin "html.parser", with the same extraction results on the
benchmark pages; see docs/html.md) and "html.parser" otherwise.
Neither backend fetches anything or expands external entities.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

try:  # optional speed-up; html.parser gives the same results, only slower
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:  # pragma: no cover - depends on the environment
    PARSER = "html.parser"

_NOISE_OPEN = re.compile(
    r"<(script|style|svg|noscript|template|select|nav|aside|iframe)\b"
    r"|<!--|<(?:img|source|link|input|use|wbr|path)\b[^>]*>",
    re.IGNORECASE,
)
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
            for name in "script style svg noscript template select nav aside iframe".split()}
_JSONLD_TYPE = re.compile(r"application/ld\+json", re.IGNORECASE)


def strip_noise(text: str) -> tuple[str, list[str]]:
    """Cut scripts, styles, SVG, menus, asides, comments and void media tags
    out of the page text; return (text, JSON-LD script contents). Linear in
    the page size: a tag with no closing tag left is not searched again."""
    parts, jsonld, dead, pos = [], [], set(), 0
    while True:
        match = _NOISE_OPEN.search(text, pos)
        if match is None:
            break
        name, end = (match[1] or "").lower(), None
        if name and name not in dead:
            close = _CLOSERS[name].search(text, match.end())
            if close is None:
                dead.add(name)
            else:
                end = close.end()
                opened = text.find(">", match.end(), close.start())
                if name == "script" and opened >= 0 and _JSONLD_TYPE.search(
                        text, match.end(), opened):
                    jsonld.append(text[opened + 1:close.start()])
        elif match[0] == "<!--" and "--" not in dead:
            close = text.find("-->", match.end())
            end = close + 3 if close >= 0 else None
            if close < 0:
                dead.add("--")
        elif not name and match[0] != "<!--":
            end = match.end()
        if end is None:
            parts.append(text[pos:match.end()])
            pos = match.end()
        else:
            parts.append(text[pos:match.start()])
            parts.append(" ")
            pos = end
    parts.append(text[pos:])
    return "".join(parts), jsonld


@dataclass
class Page:
    """A parsed page with an index of its tags built in one pass, so that the
    extractors never search the tree (BeautifulSoup's find_all is slow)."""

    soup: BeautifulSoup
    jsonld: list[str]
    raw: str = ""  # the decoded page, scripts included
    by_name: dict[str, list[Tag]] = field(default_factory=lambda: defaultdict(list))
    by_itemprop: dict[str, list[Tag]] = field(default_factory=lambda: defaultdict(list))
    position: dict[int, int] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # what extractors work out once per page

    def named(self, name: str) -> list[Tag]:
        return self.by_name.get(name, [])

    def once(self, key: str, work):
        """work(self), worked out on the first call only."""
        if key not in self.memo:
            self.memo[key] = work(self)
        return self.memo[key]

    def first(self, name: str) -> Tag | None:
        tags = self.by_name.get(name)
        return tags[0] if tags else None

    def after_headline(self, tags: list[Tag], headline: Tag | None) -> list[Tag]:
        """The tags after the headline first (a page's own date and byline
        usually follow it), then the ones before it."""
        if headline is None:
            return tags
        mark = self.position[id(headline)]
        return ([t for t in tags if self.position[id(t)] > mark]
                + [t for t in tags if self.position[id(t)] <= mark])


def _index(page: Page) -> None:
    by_name, by_itemprop, position = page.by_name, page.by_itemprop, page.position
    for number, node in enumerate(page.soup.descendants):
        if isinstance(node, Tag):
            by_name[node.name].append(node)
            position[id(node)] = number
            prop = node.attrs.get("itemprop")
            if prop:
                by_itemprop[prop].append(node)


def parse_page(text: str, parser: str | None = None) -> Page:
    """Parse text without its scripts, styles, comments and void media tags;
    keep the raw JSON-LD texts. Class attributes stay plain strings."""
    cleaned, jsonld = strip_noise(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns on markup that looks like a URL
        soup = BeautifulSoup(cleaned, parser or PARSER, multi_valued_attributes=None)
    page = Page(soup, jsonld, text)
    _index(page)
    return page


def class_id(tag: Tag) -> str:
    """The tag's class and id attributes as one string (may be empty)."""
    attrs = tag.attrs
    classes = attrs.get("class") or ""
    if not isinstance(classes, str):
        classes = " ".join(classes)
    return f"{classes} {attrs.get('id') or ''}"
