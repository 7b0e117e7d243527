"""The publication date of a page, with where it came from.

Evidence in order of trust: a full date in the URL, JSON-LD
(`datePublished`, then `dateCreated`), meta tags naming a publication date
(Open Graph / article:, Dublin Core, Parse.ly, Sailthru, schema.org itemprop,
citation_ and many CMS names) — checked against the date the page marks for
its readers (see extract_date) — then `<time>` elements and
`itemprop="datePublished"` markup, dates in the page's JSON state, and a
written date in the visible text near the headline. "Modified"/"updated"
dates, then the share image's URL, are used alone only when nothing else is
found; a shown date that equals the stated modified date is believed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from urllib.parse import urlparse

from searchkit.ingest.html_dom import Page, class_id
from searchkit.ingest.html_datetext import find_dates, make_date, read_date
from searchkit.ingest.html_meta import first_meta
from searchkit.ingest.html_story import headline_of, outside_story, story_frame

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
# Names that say only "date": often the CMS record's date (created, last
# saved), not the publication's.
GENERIC_META = ("date", "dc.date", "dcterms.date", "dc:date", "created", "dc.date.created",
                "dcterms.created", "dc.created", "datecreated")
NAMED_PUBLISHED_META = tuple(name for name in PUBLISHED_META if name not in GENERIC_META)
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
_DATE_TAGS = ("span", "div", "p", "small", "em", "li", "dd", "h3", "h4", "h5", "h6", "abbr", "ul")
_SCRIPT_DATE = re.compile(
    r"[\"'](?:datePublished|published_?at|publishedDate|publishDate|pubDate|pub_date"
    r"|date_published|createdAt|firstPublished)[\"']\s*:\s*[\"']([^\"']{8,40})[\"']")
_MARKED_PUBLISHED = re.compile(
    r"<(?!meta\b)[a-z][a-z0-9]*\b[^<>]*\bitemprop=[\"']?datePublished\b[^<>]*>", re.I)
_DATE_ATTRIBUTE = re.compile(r"\b(?:datetime|content)=[\"']?([^\"'<>\s]{8,40})", re.I)
_PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|veröffentlicht|erstellt|erschienen|publiziert|publié|publicado|pubblicato|gepubliceerd)"
    r"(?:\s+(?:on|am|le|el|il|op))?\s*:?\s*", re.I)
_MODIFIED_WORDS = re.compile(r"updated|modified|aktualisiert|geändert|mis à jour|actualizado", re.I)


_URL_DAY_FIRST = re.compile(r"/(\d{1,2})[_.-](\d{1,2})[_.-]((?:19|20)\d{2})(?:[/_.-]|$)")


def url_date(url: str | None) -> _dt.date | None:
    """A full date in the URL: year first (`/2019/11/19/`, `/20191119`), else
    day first at the start of a path segment (`/19-11-2019`; month first only
    when the second number is over 12, `/11-19-2019`)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if match:
        year, month, day = (match[1], match[2], match[3]) if match[1] else (
            match[4], match[5], match[6])
        return make_date(int(year), int(month), int(day))
    match = _URL_DAY_FIRST.search(url)
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    day, month = (second, first) if second > 12 else (first, second)
    return make_date(int(match[3]), month, day)


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
    if parsely and names is not MODIFIED_META:
        try:
            return read_date(str(json.loads(parsely).get("pub_date", "")))
        except (ValueError, AttributeError):
            return None
    return None


def _time_tag_date(page: Page) -> _dt.date | None:
    marked = page.by_itemprop
    for prop in ("datePublished", "dateCreated"):
        for tag in marked.get(prop, []):
            if tag.name == "meta":  # not shown; read with the meta tags
                continue
            day = read_date(tag.get("content") or tag.get("datetime") or tag.get_text(" "))
            if day:
                return day
        if prop == "datePublished":
            day = _cut_published_markup(page.raw)
            if day:
                return day
    fallback = None
    headline = headline_of(page)
    frame = story_frame(headline)
    times = [t for t in page.named("time") if not outside_story(t, frame)]
    for tag in page.after_headline(times, headline):
        day = _shown_time(page, tag)
        if not day:
            continue
        before = tag.previous_sibling
        context = class_id(tag) + " " + (str(before)[-40:] if isinstance(before, str) else "")
        if tag.has_attr("pubdate") or not _MODIFIED_WORDS.search(context):
            return day
        fallback = fallback or day
    return fallback


def _cut_published_markup(raw: str) -> _dt.date | None:
    """An element marked `itemprop="datePublished"` that parsing left out
    (an <aside> holding the byline is cut with the page's noise): its
    datetime or content attribute, read from the raw page."""
    for match in _MARKED_PUBLISHED.finditer(raw, 0, 2_000_000):
        value = _DATE_ATTRIBUTE.search(match[0])
        day = read_date(value[1]) if value else None
        if day:
            return day
    return None


def _shown_time(page: Page, tag) -> _dt.date | None:
    """The date of a <time>: the full date its text shows readers, else its
    datetime (or title) attribute (a UTC datetime can fall on another day;
    when the text's day and month are the attribute's swapped, the
    attribute decides how to read `08/11/2023`)."""
    value = tag.get("datetime") or tag.get("title")
    stated = read_date(value) if isinstance(value, str) else None
    shown = _page_dates(page, tag.get_text(" ")[:200])
    if not shown:
        return stated
    day = shown[0][0]
    if stated and day.day <= 12 and (stated.month, stated.day) == (day.day, day.month):
        return stated  # 08/11/2023 read the wrong way round: the attribute settles it
    return day


def _script_date(page: Page) -> _dt.date | None:
    """A publication date in the page's own JSON (app state, not JSON-LD)."""
    for match in _SCRIPT_DATE.finditer(page.raw, 0, 2_000_000):
        day = read_date(match[1])
        if day:
            return day
    return None


def _text_date(page: Page, marked_only: bool = False) -> _dt.date | None:
    """A written date: in an element whose class says it holds dates, after
    a "Published" label, in the byline or next to the headline; unless
    marked_only, then in the headline or title, then a date marked as an
    update (the page's own stamp), else the first date in the visible text."""
    headline = headline_of(page)
    day, revised = _date_class_date(page, headline)
    if day:
        return day
    body = page.first("body") or page.soup
    text = body.get_text(" ")[:20000]
    labelled = _labelled_date(page, text)
    if labelled:
        return labelled
    for tag in _byline_and_neighbours(page, headline):
        found = _page_dates(page, tag.get_text(" ")[:300], short_years=True)
        if found:
            return found[0][0]
    if marked_only:
        return None
    for name in ("h1", "title"):
        tag = page.first(name)
        found = _page_dates(page, tag.get_text(" ")) if tag else []
        if found:
            return found[0][0]
    found = _page_dates(page, text)
    return revised or (found[0][0] if found else None)


def _date_class_date(page: Page, headline) -> tuple[_dt.date | None, _dt.date | None]:
    """(first date, first update date) in the story's elements whose class
    says they hold dates, those after the headline first; a date after
    "Updated" or "Aktualisiert" is only the second."""
    candidates = [t for name in _DATE_TAGS for t in page.named(name)
                  if (t.attrs.get("class") or t.attrs.get("id")) and _DATE_CLASS.search(class_id(t))]
    frame = story_frame(headline)
    candidates = [t for t in candidates if not outside_story(t, frame)]
    candidates.sort(key=lambda t: page.position[id(t)])
    revised = None
    for tag in page.after_headline(candidates, headline)[:150]:
        text = tag.get_text(" ")[:300]
        found = _page_dates(page, text, short_years=True)
        if found and _MODIFIED_WORDS.search(text[:40]):
            revised = revised or found[0][0]
        elif found:
            return found[0][0], revised
    return None, revised


def _byline_and_neighbours(page: Page, headline) -> list:
    """Where a bare date such as `8.5.12` stands for the publication date: the
    element holding the first author link, and the elements next to the
    headline."""
    found = []
    author = next((t for t in page.named("a") if "author" in str(t.get("rel") or "").split()),
                  None)
    if author is not None and author.parent is not None:
        found.append(author.parent)
    if headline is not None:
        found += [headline.find_previous_sibling(), headline.find_next_sibling()]
    return [tag for tag in found if tag is not None]


def _labelled_date(page: Page, text: str) -> _dt.date | None:
    """The first date written right after "Published", "Veröffentlicht am"…"""
    for match in _PUBLISHED_LABEL.finditer(text):
        found = _page_dates(page, text[match.end():match.end() + 40], short_years=True)
        if found and found[0][1] < 12:
            return found[0][0]
    return None


def _machine_dates(meta: dict[str, list[str]], objects: list[dict]) -> set[_dt.date]:
    """Every publication date the page states for machines: in any JSON-LD
    object, in any publication meta tag."""
    found = set()
    for source in objects:
        found.add(_jsonld_date(source, []))
    for name in PUBLISHED_META:
        found.update(read_date(value) for value in meta.get(name, ()))
    return found - {None}


def _modified_dates(meta: dict[str, list[str]], objects: list[dict]) -> set[_dt.date]:
    """Every revision date the page states for machines: JSON-LD
    `dateModified`, modified meta tags."""
    found = {read_date(str(source.get("dateModified") or "")) for source in objects}
    for name in MODIFIED_META:
        found.update(read_date(value) for value in meta.get(name, ()))
    return found - {None}


def extract_date(page: Page, meta: dict[str, list[str]], article: dict,
                 objects: list[dict], url: str | None) -> tuple[_dt.date | None, str | None]:
    """(date, source) with source one of json-ld, meta, time-tag, url, text.

    A full date in the URL is believed first. A JSON-LD or meta date gives
    way to the date a <time> element of the story shows its readers (its
    markup says it is a date, and readers see that one). It gives way to
    the date the page marks otherwise (a date in an element labelled as
    one, after "Published", in the byline) when the shown date is another
    of the page's machine-readable dates (JSON-LD said one day, a meta tag
    another: a republished story; or the shown
    date is the stated `dateModified`: the page shows readers the day it
    was revised and republished, not the first draft's), when it is one
    day off (a UTC time on the day before or after the publisher's own, a
    revision the next morning), or when the meta date comes only from a
    generic name such as `date` or `dc.date` (often the CMS record's).
    Without those, a site's front page is dated by the newest date it
    shows."""
    machine = (
        ("url", lambda: url_date(url)),
        ("json-ld", lambda: _jsonld_date(article, objects)),
        ("meta", lambda: _meta_date(meta, PUBLISHED_META)),
    )
    shown = (
        ("time-tag", lambda: _time_tag_date(page)),
        ("json-ld", lambda: _script_date(page)),
        ("text", lambda: _text_date(page)),
    )
    day, source = _first(machine)
    if source == "url":
        return day, source
    if day is not None:
        seen, seen_source = _first((shown[0], ("text", lambda: _text_date(page, True))))
        if seen not in (None, day) and _shown_wins(seen, seen_source, day, source, meta, objects):
            return seen, seen_source
        return day, source
    if _is_front_page(url):
        day = _latest_date(page)
        if day is not None:
            return day, "text"
    day, source = _first(shown)
    if day is not None:
        return day, source
    return _first((("meta", lambda: _meta_date(meta, MODIFIED_META)),
                   ("url", lambda: url_date(first_meta(meta, "og:image", "twitter:image")))))


def _shown_wins(seen: _dt.date, seen_source: str, day: _dt.date, source: str,
                meta: dict[str, list[str]], objects: list[dict]) -> bool:
    """Whether the date shown to readers overrules the machine date (see
    extract_date)."""
    generic = source == "meta" and _meta_date(meta, NAMED_PUBLISHED_META) is None
    return (generic or seen_source == "time-tag" or abs((seen - day).days) == 1
            or seen in _machine_dates(meta, objects) or seen in _modified_dates(meta, objects))


def _is_front_page(url: str | None) -> bool:
    """A site's home page (no path, no query): no publication date of its own."""
    if not url:
        return False
    parts = urlparse(url)
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query


def _latest_date(page: Page) -> _dt.date | None:
    """The newest date written in the visible text: a front page is as new as
    its newest item."""
    body = page.first("body") or page.soup
    found = _page_dates(page, body.get_text(" ")[:50000])
    return max(day for day, _ in found) if found else None


def _page_dates(page: Page, text: str, short_years: bool = False) -> list[tuple[_dt.date, int]]:
    """find_dates, reading `02/10/2020` day first when the page's language
    is not American English."""
    return find_dates(text, short_years, _writes_day_first(page))


def _writes_day_first(page: Page) -> bool:
    """The page declares a language (`<html lang>`, else its `og:locale`)
    other than English or American English: Britain and the rest of the
    world write the day first. Worked out once per page."""
    return page.once("day first", _declares_day_first)


def _declares_day_first(page: Page) -> bool:
    root = page.first("html")
    lang = str(root.get("lang") or root.get("xml:lang") or "") if root is not None else ""
    if lang.lower() in ("", "en"):
        lang = next((str(tag.get("content") or "") for tag in page.named("meta")
                     if tag.get("property") == "og:locale"), lang)
    return lang.lower().replace("_", "-") not in ("", "en", "en-us")


def _first(finders) -> tuple[_dt.date | None, str | None]:
    for source, finder in finders:
        day = finder()
        if day:
            return day, source
    return None, None
