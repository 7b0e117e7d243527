"""The publication date of a page, with where it came from.

Evidence in order of trust: JSON-LD (`datePublished`, then `dateCreated`),
meta tags naming a publication date (Open Graph / article:, Dublin Core,
Parse.ly, Sailthru, schema.org itemprop, citation_ and many CMS names),
`<time>` elements and `itemprop="datePublished"` markup, a full date in the
URL, and finally a written date in the visible text near the headline.
"Modified"/"updated" dates are used only when nothing else is found.
"""

from __future__ import annotations

import datetime as _dt
import json
import re

from searchkit.ingest.html_dom import Page, class_id
from searchkit.ingest.html_datetext import find_dates, make_date, read_date
from searchkit.ingest.html_meta import first_meta

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "og:published_time", "published_time", "article.published", "datepublished",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dc.date.created", "dcterms.created", "dc.created", "citation_publication_date",
    "citation_date", "citation_online_date", "publish-date", "publish_date", "publishdate",
    "pubdate", "publication_date", "publication-date", "date", "article_date_original",
    "original-publish-date", "cxenseparse:recs:publishtime", "displaydate", "created",
    "creation_date", "release_date", "og:pubdate", "pdate", "ptime", "rnews:datepublished",
    "article:post_date", "date_published", "nv:date", "bt:pubdate", "sailthru.pubdate",
    "dc:date", "shareaholic:article_published_time", "date.published", "uploaddate",
    "datecreated", "article:published_date", "og:article:published", "published",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "lastmod", "dc.date.modified", "article:modified",
)
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_-]|$)"
)
_DATE_CLASS = re.compile(
    r"date|time|publi|posted|byline|meta|datum|fecha|entry-?header|created|submitted|info"
    r"|subtitle|author|release|stand|zeit|dachzeile", re.I)
_DATE_TAGS = ("span", "div", "p", "small", "em", "li", "dd", "h3", "h4", "h5", "h6", "abbr")
_SCRIPT_DATE = re.compile(
    r"[\"'](?:datePublished|published_?at|publishedDate|publishDate|pubDate|pub_date"
    r"|date_published|createdAt|firstPublished)[\"']\s*:\s*[\"']([^\"']{8,40})[\"']")
_NOT_STORY = re.compile(
    r"comment|related|teaser|popular|sidebar|widget|caption|recommend|trending|footer"
    r"|slider|carousel|most-?read|more-|reply|replies|archive|calendar|navbar|menu", re.I)
_MODIFIED_WORDS = re.compile(r"updated|modified|aktualisiert|geändert|mis à jour|actualizado", re.I)


def url_date(url: str | None) -> _dt.date | None:
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    year, month, day = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
    return make_date(int(year), int(month), int(day))


def _jsonld_date(article: dict, objects: list[dict]) -> _dt.date | None:
    for source in [article, *objects]:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            value = source.get(key)
            if isinstance(value, list):
                value = value[0] if value else ""
            if isinstance(value, str):
                day = read_date(value)
                if day:
                    return day
    return None


def _meta_date(meta: dict[str, list[str]], names: tuple[str, ...]) -> _dt.date | None:
    for name in names:
        for value in meta.get(name, ()):
            day = read_date(value)
            if day:
                return day
    parsely = first_meta(meta, "parsely-page")
    if parsely and names is PUBLISHED_META:
        try:
            return read_date(str(json.loads(parsely).get("pub_date", "")))
        except (ValueError, AttributeError):
            return None
    return None


def _time_tag_date(page: Page) -> _dt.date | None:
    marked = page.by_itemprop
    for tag in marked.get("datePublished", []) + marked.get("dateCreated", []):
        day = read_date(tag.get("content") or tag.get("datetime") or tag.get_text(" "))
        if day:
            return day
    fallback = None
    times = [t for t in page.named("time") if not _outside_story(t)]
    for tag in page.after_headline(times):
        value = tag.get("datetime") or tag.get("title") or tag.get_text(" ")
        day = read_date(value) if isinstance(value, str) else None
        if not day:
            continue
        before = tag.previous_sibling
        context = class_id(tag) + " " + (str(before)[-40:] if isinstance(before, str) else "")
        if tag.has_attr("pubdate") or not _MODIFIED_WORDS.search(context):
            return day
        fallback = fallback or day
    return fallback


def _script_date(page: Page) -> _dt.date | None:
    """A publication date in the page's own JSON (app state, not JSON-LD)."""
    for match in _SCRIPT_DATE.finditer(page.raw, 0, 2_000_000):
        day = read_date(match[1])
        if day:
            return day
    return None


def _outside_story(tag) -> bool:
    """In a comment, teaser, sidebar or footer (by its or an ancestor's class)."""
    node = tag
    while node is not None and node.name not in ("body", "[document]"):
        if (node.attrs.get("class") or node.attrs.get("id")) and _NOT_STORY.search(class_id(node)):
            return True
        node = node.parent
    return False


def _text_date(page: Page) -> _dt.date | None:
    """A written date: in an element whose class says it holds dates, in the
    headline or title, else the first date in the visible text."""
    candidates = [t for name in _DATE_TAGS for t in page.named(name)
                  if (t.attrs.get("class") or t.attrs.get("id")) and _DATE_CLASS.search(class_id(t))]
    candidates = [t for t in candidates if not _outside_story(t)]
    candidates.sort(key=lambda t: page.position[id(t)])
    for tag in page.after_headline(candidates)[:150]:
        text = tag.get_text(" ")[:300]
        if _MODIFIED_WORDS.search(text[:40]):
            continue
        found = find_dates(text, short_years=True)
        if found:
            return found[0][0]
    for name in ("h1", "title"):
        tag = page.first(name)
        found = find_dates(tag.get_text(" ")) if tag else []
        if found:
            return found[0][0]
    body = page.first("body") or page.soup
    found = find_dates(body.get_text(" ")[:20000])
    return found[0][0] if found else None


def extract_date(page: Page, meta: dict[str, list[str]], article: dict,
                 objects: list[dict], url: str | None) -> tuple[_dt.date | None, str | None]:
    """(date, source) with source one of json-ld, meta, time-tag, url, text."""
    finders = (
        ("url", lambda: url_date(url)),
        ("json-ld", lambda: _jsonld_date(article, objects)),
        ("meta", lambda: _meta_date(meta, PUBLISHED_META)),
        ("time-tag", lambda: _time_tag_date(page)),
        ("json-ld", lambda: _script_date(page)),
        ("text", lambda: _text_date(page)),
        ("meta", lambda: _meta_date(meta, MODIFIED_META)),
    )
    for source, finder in finders:
        day = finder()
        if day:
            return day, source
    return None, None
