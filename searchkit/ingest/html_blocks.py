"""One pass over the page tree that cuts it into text blocks.

A block is the text between two block-level boundaries (a paragraph, a list
item, a heading, a line ended by <br>). For every block-level element the pass
also records which blocks it holds, how much text and link text, and a
content score in the manner of Readability (each paragraph-like block scores
its parent fully, its grandparent by half and further ancestors less), so the
body extractor can choose a container without walking the tree again.

Boilerplate subtrees (navigation, share bars, comments, cookie notices,
figures and their captions, hidden elements) are skipped as they are met.
The walk keeps its own stack: thousands of nested tags cannot recurse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag

from searchkit.ingest.html_dom import class_id

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre td th tr table tbody thead"
    " section article main header footer aside figure figcaption address center nav form"
    " details summary body html menu dialog label button".split()
)
# never text: not even walked
SKIP_TAGS = frozenset(
    "script style noscript template svg head title picture source img meta link iframe"
    " object embed input select option textarea canvas video audio map".split()
)
# chrome by its very tag: dropped unless it holds most of the page's text
CHROME_TAGS = frozenset(
    "nav aside footer form figure figcaption label menu dialog header button".split())
KEEP_TAGS = frozenset({"html", "body", "article", "main"})
SCORED_TAGS = frozenset({"p", "div", "pre", "td", "blockquote", "section", "article", "main", "dd"})
_STRONG_NEGATIVE = re.compile(
    r"^(?:share|sharing|social|comments?$|commentlist|disqus|related|newsletter|cookie|consent"
    r"|gdpr|promo|outbrain|taboola|recommend|subscri|signup|breadcrumb|popup|modal|sidebar"
    r"|skyscraper|sponsor|advert|ads?$|adslot|adunit|byline|caption|tags?$|tagline|paywall"
    r"|author|bio$|credit|toolbar|print|email|follow|rating|jump|readmore|read$|more$"
    r"|newsletter|copyright|disclaimer|hidden|visually|sr$|screen|skip|masthead)"
)
_WEAK_NEGATIVE = re.compile(
    r"^(?:header|footer|foot$|menu|nav|pagination|pager|banner|widget|extra|rss|trending"
    r"|popular|teaser|aside|meta$|timestamp|date$|dateline|headline|title$|hed$|dek$)"
)
_POSITIVE = re.compile(r"^(?:article|body|content|main|story|entry|post|text|blog)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SKIP_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "menu",
                         "dialog", "alert", "toolbar", "search"})
_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")


@dataclass
class Block:
    text: str
    link_chars: int
    node: int  # index of the innermost block-level element
    tag: str = ""
    removed: bool = False  # inside boilerplate


@dataclass
class Node:
    """Statistics of one block-level element (filled in by score_nodes)."""

    tag: str
    parent: int  # index into PageBlocks.nodes, -1 for the root
    start: int  # first block index
    end: int = 0  # one past the last block index
    weight: float = 0.0  # from tag and class names
    chrome: bool = False  # boilerplate by tag, class, role or hiding
    chars: int = 0
    link_chars: int = 0
    score: float = 0.0

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


@dataclass
class PageBlocks:
    blocks: list[Block] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    def kept(self, start: int = 0, end: int | None = None) -> list[Block]:
        return [b for b in self.blocks[start:end] if not b.removed]


def class_tokens(tag: Tag) -> list[str]:
    return [t.lower() for t in _TOKEN_SPLIT.split(class_id(tag)) if t]


def is_chrome(tag: Tag, tokens: list[str]) -> bool:
    """True when the element looks like navigation, chrome or other non-story text."""
    name = tag.name
    if name in KEEP_TAGS or tag.get("itemprop") == "articleBody":
        return False
    if name in CHROME_TAGS:
        return True
    attrs = tag.attrs
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") in _SKIP_ROLES:
        return True
    if "style" in attrs and _HIDDEN_STYLE.search(attrs["style"]):
        return True
    if not tokens:
        return False
    if any(_STRONG_NEGATIVE.match(t) for t in tokens):
        return not any(t in ("articlebody", "storybody", "article") for t in tokens)
    if any(_WEAK_NEGATIVE.match(t) for t in tokens):
        return not any(_POSITIVE.match(t) for t in tokens)
    return False


def class_weight(tokens: list[str]) -> float:
    weight = 0.0
    if any(_POSITIVE.match(t) for t in tokens):
        weight += 25
    if any(_WEAK_NEGATIVE.match(t) or _STRONG_NEGATIVE.match(t) for t in tokens):
        weight -= 25
    return weight


_TAG_WEIGHT = {"div": 5, "article": 10, "main": 5, "pre": 3, "td": 3, "blockquote": 3,
               "ol": -3, "ul": -3, "dl": -3, "li": -3, "h1": -5, "h2": -5, "h3": -5, "th": -5}
_CLOSE = object()


class _Walker:
    """Builds PageBlocks from a tree; see walk()."""

    def __init__(self) -> None:
        self.page = PageBlocks()
        self.parts: list[str] = []
        self.link_chars = 0
        self.link_depth = 0
        self.open: list[int] = []

    def flush(self) -> None:
        if not self.parts:
            return
        # inline elements join without a space, as a browser shows them
        # (`<span class="dropcap">T</span>he` is "The")
        text = " ".join("".join(self.parts).split())
        links, self.parts, self.link_chars = self.link_chars, [], 0
        if text:
            here = self.open[-1] if self.open else -1
            tag = self.page.nodes[here].tag if here >= 0 else "body"
            self.page.blocks.append(Block(text, min(links, len(text)), here, tag))

    def enter(self, tag: Tag, stack: list) -> None:
        name = tag.name
        if name in SKIP_TAGS:
            self.parts.append(" ")
            return
        if name == "br" or name == "hr":
            self.flush()
            return
        if name == "a":
            self.link_depth += 1
            stack.append((_CLOSE, tag))
        elif name in BLOCK_TAGS:
            self.flush()
            tokens = class_tokens(tag)
            weight = _TAG_WEIGHT.get(name, 0) + class_weight(tokens)
            parent = self.open[-1] if self.open else -1
            node = Node(name, parent, len(self.page.blocks), weight=weight,
                        chrome=is_chrome(tag, tokens))
            self.page.nodes.append(node)
            self.open.append(len(self.page.nodes) - 1)
            stack.append((_CLOSE, tag))
        stack.extend((child, None) for child in reversed(tag.contents))

    def close(self, tag: Tag) -> None:
        if tag.name == "a":
            self.link_depth -= 1
            return
        self.flush()
        self.page.nodes[self.open.pop()].end = len(self.page.blocks)

    def text(self, value: str) -> None:
        self.parts.append(value)
        if self.link_depth:
            self.link_chars += len(value.strip())


def walk(root: Tag, drop_chrome: bool = True) -> PageBlocks:
    """Cut the tree below root into blocks and scored element statistics."""
    walker = _Walker()
    stack: list = [(root, None)]
    while stack:
        item, marker = stack.pop()
        if item is _CLOSE:
            walker.close(marker)
        elif type(item) is NavigableString:
            walker.text(item)
        elif isinstance(item, Tag):
            walker.enter(item, stack)
    walker.flush()
    page = walker.page
    if drop_chrome:
        remove_chrome(page)
    score_nodes(page)
    return page


def _is_good(block: Block) -> bool:
    return len(block.text) >= 25 and block.link_chars < len(block.text) / 2


def remove_chrome(page: PageBlocks, share: float = 0.5) -> None:
    """Mark the blocks inside chrome elements as removed, unless the element
    holds `share` or more of the page's good text (then it is a layout
    wrapper that only looks like chrome)."""
    good = [len(b.text) if _is_good(b) else 0 for b in page.blocks]
    prefix = [0]
    for value in good:
        prefix.append(prefix[-1] + value)
    total = prefix[-1] or 1
    for node in page.nodes:
        if node.chrome and prefix[node.end] - prefix[node.start] < share * total:
            for block in page.blocks[node.start:node.end]:
                block.removed = True


def score_nodes(page: PageBlocks) -> None:
    """Text and link sizes per element, and Readability's content score:
    each paragraph credits its parent fully, grandparent by half, and up to
    three more ancestors by 1/(3*level)."""
    nodes = page.nodes
    chars = [0]
    links = [0]
    for block in page.blocks:
        live = not block.removed
        chars.append(chars[-1] + (len(block.text) if live else 0))
        links.append(links[-1] + (block.link_chars if live else 0))
        if live and block.tag in SCORED_TAGS and _is_good(block) and block.node >= 0:
            _credit(nodes, block)
    for node in nodes:
        node.chars = chars[node.end] - chars[node.start]
        node.link_chars = links[node.end] - links[node.start]


def _credit(nodes: list[Node], block: Block) -> None:
    text = block.text
    score = 1 + text.count(",") + text.count("，") + min(len(text) / 100, 3)
    index = nodes[block.node].parent
    for level in range(5):
        if index < 0:
            return
        divider = 1 if level == 0 else 2 if level == 1 else level * 3
        nodes[index].score += score / divider
        index = nodes[index].parent
