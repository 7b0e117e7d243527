"""The article body: story text only, one paragraph per block.

Order of evidence: the page's own markup first (an element marked
`itemprop="articleBody"`), then content scoring over the blocks of the page
(see html_blocks). A JSON-LD `articleBody` is used to check and trim the
result: blocks that it does not contain are dropped when it covers the story,
and it replaces the extraction outright when the DOM lost the story.
"""

from __future__ import annotations

import re
from collections import Counter

from bs4 import Tag

from searchkit.ingest.html_blocks import Block, Node, PageBlocks, walk
from searchkit.ingest.html_dom import Page

MIN_BODY_CHARS = 1
_WORD = re.compile(r"\w+")
_JUNK_LINE = re.compile(
    r"^(?:advertisement|advertisements?|adverts?|anzeige|publicité|publicidad|share( this)?|"
    r"don'?t miss|tags|image \d+ of \d+|(?:like|enjoy)(?:d)? this (?:story|article)\W.*|"
    r"read more|related( articles?| stories| content)?|more from|sign up|subscribe|"
    r"click here|follow us|see also|also read|read also|recommended|continue reading|"
    r"story continues below|image|photo|video|getty images|ap photo|reuters|"
    r"loading\.*|skip to|tweet|email|print|comments?|leave a comment|\W*)\W*$",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"\((?:image|images|photo|photos|picture|pic|foto|bild|credit)\s*:[^()]{1,60}\)\s*$",
    re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|von|par|por|updated|published|posted|last updated|aktualisiert|veröffentlicht"
    r"|publié|publicado|stand|datum|date)\b", re.IGNORECASE
)


def _node_value(node: Node) -> float:
    if node.score <= 0:
        return -1.0
    return (node.score + node.weight) * (1 - node.link_density)


def choose_nodes(page: PageBlocks) -> list[Node]:
    """The best-scoring container and its siblings that look like story text."""
    nodes = page.nodes
    if not nodes:
        return []
    best_index = max(range(len(nodes)), key=lambda i: _node_value(nodes[i]))
    if nodes[best_index].score <= 0:
        return [nodes[0]]
    best_index = _join_split_story(nodes, best_index)
    best = nodes[best_index]
    threshold = max(10.0, _node_value(best) * 0.2)
    chosen = []
    for index, node in enumerate(nodes):
        if index == best_index:
            chosen.append(node)
        elif node.parent == best.parent and node.parent >= 0 and _is_good_sibling(
                node, threshold, page.blocks):
            chosen.append(node)
    return chosen


def _ancestors(nodes: list[Node], index: int, levels: int) -> list[int]:
    chain = []
    while index >= 0 and len(chain) < levels:
        index = nodes[index].parent
        chain.append(index)
    return chain


def _join_split_story(nodes: list[Node], best_index: int, levels: int = 3) -> int:
    """A story split in two containers (an ad or a video between its halves)
    scores twice; when another container outside the best scores nearly as
    well and both sit under a close common ancestor, take the ancestor."""
    best = nodes[best_index]
    value = _node_value(best)
    mine = _ancestors(nodes, best_index, levels)
    for index, node in enumerate(nodes):
        if (node.start >= best.end or node.end <= best.start) and _node_value(node) >= 0.75 * value:
            common = next((a for a in _ancestors(nodes, index, levels) if a in mine), -1)
            if common >= 0 and nodes[common].link_density < 0.25:
                return common
    return best_index


def _is_good_sibling(node: Node, threshold: float, blocks: list[Block]) -> bool:
    if _node_value(node) >= threshold:
        return True
    if node.tag == "p" and node.end - node.start == 1:
        text = blocks[node.start].text
        return node.link_density < 0.25 and (len(text) > 80 or text.endswith("."))
    return False


def keep_block(block: Block, title: str = "") -> bool:
    """Whether one block inside the chosen container is story text."""
    text = block.text
    if block.tag == "h1" or (title and text == title):
        return False
    if block.link_chars > len(text) * 0.5:
        return False
    if len(text) < 300 and _CREDIT_END.search(text):  # a caption: "… (Image: Getty)"
        return False
    if len(text) < 120 and (_JUNK_LINE.match(text) or _BYLINE.match(text) and len(text) < 80):
        return False
    return True


def _blocks_in(nodes: list[Node], blocks: list[Block]) -> list[Block]:
    indexes = sorted({i for node in nodes for i in range(node.start, node.end)})
    return [blocks[i] for i in indexes if not blocks[i].removed]


def _shingles(text: str, n: int = 4) -> Counter:
    words = _WORD.findall(text)
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)))


def _contained(blocks: list[Block], ref: Counter) -> tuple[list[Block], float]:
    """The blocks mostly made of the reference's shingles, and the share of
    the reference they cover."""
    kept, covered = [], Counter()
    for block in blocks:
        own = _shingles(block.text)
        if sum((own & ref).values()) >= 0.5 * sum(own.values()):
            kept.append(block)
            covered += own
    return kept, sum((covered & ref).values()) / max(1, sum(ref.values()))


def check_with_reference(blocks: list[Block], reference: str, root: Tag) -> list[Block] | str:
    """Use a JSON-LD articleBody to trim the extraction (when it is the
    whole story) or to rescue it (when the DOM choice missed the story)."""
    ref = _shingles(reference)
    kept, coverage = _contained(blocks, ref)
    dom_chars = sum(len(b.text) for b in blocks)
    if coverage >= 0.8:
        return kept if len(reference) >= 0.6 * dom_chars else blocks
    kept, coverage = _contained(walk(root, drop_chrome=False).kept(), ref)
    if coverage >= 0.8:
        return kept
    return _split_paragraphs(reference) if len(reference) > dom_chars else blocks


def _marked_body(page: Page) -> list[Tag]:
    marked = page.by_itemprop.get("articleBody", [])
    # keep the outermost ones only
    ids = set(map(id, marked))
    return [t for t in marked if not any(id(p) in ids for p in t.parents)]


def extract_body(page: Page, jsonld_body: str = "", title: str = "") -> str:
    """The story text with "\\n\\n" between paragraphs ('' when there is none)."""
    root = page.soup
    blocks: list[Block] = []
    for tag in _marked_body(page):
        page = walk(tag)
        blocks += [b for b in page.kept() if keep_block(b, title)]
    if sum(len(b.text) for b in blocks) < 200:
        page = walk(root)
        blocks = [b for b in _blocks_in(choose_nodes(page), page.blocks) if keep_block(b, title)]
    if len(jsonld_body) >= 200:
        checked = check_with_reference(blocks, jsonld_body, root)
        if isinstance(checked, str):
            return checked
        blocks = checked
    return "\n\n".join(b.text for b in blocks)


def visible_text(page: Page) -> str:
    """Last resort for pages with no story: every text block outside chrome
    that is not mostly links (a short notice, a caption-only page)."""
    blocks = walk(page.soup).kept()
    return "\n\n".join(b.text for b in blocks if b.link_chars <= len(b.text) * 0.5)


def _split_paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n|\n", text))
    return "\n\n".join(p for p in paragraphs if p)
