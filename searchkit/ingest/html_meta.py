"""What a page says about itself: JSON-LD objects and <meta> tags.

`read_jsonld(texts)` turns the raw JSON-LD blocks into a flat list of objects
(`@graph` and lists unrolled); `article_object(objects)` picks the one that
describes the article; `read_meta(page)` maps lower-cased meta names
(`property`, `name`, `itemprop`, `http-equiv`) to their contents in order.
Broken JSON is skipped, never fatal.
"""

from __future__ import annotations

import html
import json
import re

from searchkit.ingest.html_dom import Page

ARTICLE_TYPES = ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle",
                 "AnalysisNewsArticle", "OpinionNewsArticle", "LiveBlogPosting",
                 "ScholarlyArticle", "TechArticle", "Report", "WebPage", "SocialMediaPosting")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TAGS = re.compile(r"<[^>]{0,500}>")
MAX_OBJECTS = 200


def _load(text: str):
    text = _CONTROL.sub(" ", text.strip())
    if text.startswith("<!--"):
        text = text[4:].rsplit("-->", 1)[0]
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def read_jsonld(texts: list[str]) -> list[dict]:
    """All JSON objects in the blocks, nested @graph / lists flattened."""
    objects: list[dict] = []
    pending = [_load(t) for t in texts]
    while pending and len(objects) < MAX_OBJECTS:
        item = pending.pop(0)
        if isinstance(item, list):
            pending[:0] = item
        elif isinstance(item, dict):
            objects.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                pending[:0] = graph
            main = item.get("mainEntity")
            if isinstance(main, dict):
                pending.append(main)
    return objects


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type") or ()
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def article_object(objects: list[dict]) -> dict:
    """The object describing the article ({} when none does)."""
    for wanted in ARTICLE_TYPES:
        for obj in objects:
            if wanted in _types(obj):
                return obj
    for obj in objects:
        if "articleBody" in obj or "datePublished" in obj:
            return obj
    return {}


def plain_text(value) -> str:
    """A JSON-LD string value as text (entities decoded, tags removed, also
    tags that were written escaped)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAGS.sub(" ", value)) if "<" in value or "&" in value else value
    if "<" in text and _TAGS.search(text):  # the markup itself was escaped (&lt;p&gt;)
        text = html.unescape(_TAGS.sub(" ", text))
    return text.strip()


def read_meta(page: Page) -> dict[str, list[str]]:
    """Meta tag contents keyed by their lower-cased name/property/itemprop."""
    found: dict[str, list[str]] = {}
    for tag in page.named("meta"):
        attrs = tag.attrs
        content = attrs.get("content")
        if content is None:
            content = attrs.get("datetime") or attrs.get("value")
        if not isinstance(content, str) or not content.strip():
            continue
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = attrs.get(key)
            if isinstance(name, list):
                name = " ".join(name)
            if name:
                found.setdefault(name.strip().lower(), []).append(content.strip())
    return found


def first_meta(meta: dict[str, list[str]], *names: str) -> str:
    for name in names:
        values = meta.get(name)
        if values:
            return values[0]
    return ""
