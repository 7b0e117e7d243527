"""Headline and authors of a page.

Title candidates: og:title / twitter:title, the JSON-LD headline, the first
<h1> and <title>. Site names are cut from the ends ("… | CNN Politics",
"Site - …"); when candidates disagree, the one the others agree with wins
(a candidate that contains or is contained in another), else the first in
the order above.
"""

from __future__ import annotations

import re

from searchkit.ingest.html_dom import Page
from searchkit.ingest.html_meta import first_meta, plain_text

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•|/)\s+")
MAX_AUTHORS = 10
_BY = re.compile(r"^\s*(?:by|von|par|por|di)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&)\s*")


def _squash(text: str) -> str:
    return re.sub(r"\W+|\.(?:com|org|net|de|fr|es|co\.uk)$", "", text.lower())


def _is_site_segment(segment: str, site: str, rest: str) -> bool:
    if site and (_squash(segment) == _squash(site) or _squash(site) in _squash(segment)):
        return True
    return not site and len(segment.split()) <= 4 and len(rest) >= len(segment)


def strip_site_name(title: str, site: str = "") -> str:
    """Drop site-name segments from the ends of a title."""
    title = " ".join(title.split())
    segments = _SEPARATORS.split(title)
    separators = _SEPARATORS.findall(title)
    while len(segments) > 1:
        rest_last = "".join(segments[:-1])
        rest_first = "".join(segments[1:])
        if _is_site_segment(segments[-1], site, rest_last):
            segments.pop()
            separators.pop()
        elif _is_site_segment(segments[0], site, rest_first) and site:
            segments.pop(0)
            separators.pop(0)
        else:
            break
    joined = segments[0]
    for separator, segment in zip(separators, segments[1:]):
        joined += separator + segment
    return joined


def _candidates(page: Page, meta: dict, article: dict) -> list[str]:
    h1 = page.first("h1")
    title_tag = page.first("title")
    site = first_meta(meta, "og:site_name", "application-name", "twitter:site").lstrip("@")
    values = [  # (text, whether it may carry a site name)
        (first_meta(meta, "og:title", "twitter:title"), True),
        (plain_text(article.get("headline") or article.get("name")), False),
        (h1.get_text(" ") if h1 else "", False),
        (title_tag.get_text(" ") if title_tag else "", True),
    ]
    return [strip_site_name(v, site) if named else " ".join(v.split())
            for v, named in values if v and v.strip()]


def _agreement(candidate: str, others: list[str]) -> int:
    low = candidate.lower()
    return sum(1 for other in others if low in other.lower() or other.lower() in low)


def extract_title(page: Page, meta: dict, article: dict) -> str:
    candidates = [c for c in _candidates(page, meta, article) if c]
    if not candidates:
        return ""
    scored = [(_agreement(c, candidates), -i, c) for i, c in enumerate(candidates)]
    return max(scored)[2]


def _names(value) -> list[str]:
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name") or "")
    if isinstance(value, str):
        text = _BY.sub("", " ".join(value.split()))
        if text.startswith("http") or len(text) > 80:
            return []
        return [n.strip() for n in _AUTHOR_SPLIT.split(text) if n.strip()]
    return []


def extract_authors(page: Page, meta: dict, article: dict) -> tuple[str, ...]:
    names = _names(article.get("author")) or _names(meta.get("author", [])[:MAX_AUTHORS]) \
        or _names(meta.get("article:author", [])) or _names(meta.get("parsely-author", [])) \
        or _names(meta.get("sailthru.author", [])) or _names(meta.get("dc.creator", []))
    if not names:
        tags = [t for t in page.named("a") if t.get("rel") == "author"][:MAX_AUTHORS] or \
            page.by_itemprop.get("author", [])[:MAX_AUTHORS]
        names = _names([t.get_text(" ") for t in tags])
    unique = list(dict.fromkeys(n for n in names if 1 < len(n) <= 60 and not n.isdigit()))
    return tuple(unique[:MAX_AUTHORS])
