"""Shared steps for the XML formats (NITF, NewsML-G2, feeds): fields -> Article.

The readers find the fields; this module turns them into an Article the same
way for all: the first readable date of the candidates given in order of trust
(each unreadable one a warning naming the file and the record; none readable:
indexed undated), the dateline's place (given, else read from the body's
opening), a title derived from the lead when there is no headline, ids made of
the file's relative path and the record's key.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..analysis.datelines import display_place, parse_dateline, split_dateline
from ..analysis.dates import DateError, date_warnings, parse_date
from ..models import Article, Failure
from .text import derive_title
from .xml_safe import local, text_of

_COMPACT_ISO = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T|$)")  # NITF's 20210912T101500Z
_BLOCK_TAGS = {"p", "hl1", "hl2", "li", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
               "dd", "dt", "tr", "caption", "media-caption", "figcaption", "bq", "credit"}
_SKIP_TAGS = {"script", "style", "head", "media-reference", "media-object", "object"}
_HTML_BLOCKS = sorted(_BLOCK_TAGS | {"div", "section", "article", "br", "table", "ul", "ol"})


@dataclass
class Fields:
    """What a reader found in one record. `dates`: (label, raw value), most trusted first."""

    body: str
    title: str = ""
    dates: list[tuple[str, str]] = field(default_factory=list)
    place: str | None = None  # a dateline or its place, as written
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    source: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_date(value: str) -> _dt.date:
    """A date as news XML writes it: ISO 8601 (also NITF's compact 20210912T1015Z),
    RFC 822 (RSS, also with a two-digit year or an obsolete zone), or any form parse_date
    reads. Raises DateError."""
    text = value.strip()
    compact = _COMPACT_ISO.match(text)
    if compact:
        text = f"{compact[1]}-{compact[2]}-{compact[3]}"
    try:
        return parse_date(text)
    except DateError:
        parts = email.utils.parsedate(text)
        if parts is None:
            raise
        try:
            return _dt.date(*parts[:3])
        except ValueError:
            raise DateError(f"impossible date {text!r}") from None


def first_date(dates: Iterable[tuple[str, str]], where: str) -> tuple[_dt.date | None, list[str]]:
    """The first readable date, and a warning per unreadable one met before it."""
    warnings: list[str] = []
    for label, raw in dates:
        if not raw or not raw.strip():
            continue
        try:
            day = read_date(raw)
        except DateError as exc:
            warnings.append(f"{where}: {label}: {exc}")
            continue
        return day, warnings + list(date_warnings(day, where))
    if warnings:
        warnings[-1] += "; indexed without a date"
    return None, warnings


def _place(given: str | None, body: str) -> str | None:
    if given and given.strip():
        dateline = parse_dateline(given.strip() + " .")
        if dateline is not None:
            return dateline.place
        place = given.strip().rstrip(",:-—– ")
        return display_place(place) if place.isupper() else place
    return split_dateline(body[:300])[0]


def make_article(fields: Fields, article_id: str, path: str, where: str) -> Article:
    """An Article from the fields of one record. Raises ValueError without a body."""
    body = fields.body.strip()
    if not body:
        raise ValueError("no story text")
    day, date_notes = first_date(fields.dates, where)
    title = " ".join(fields.title.split())
    authors = tuple(dict.fromkeys(a.strip() for a in fields.authors if a.strip()))
    return Article(
        id=article_id,
        body=body,
        title=title or derive_title(split_dateline(body)[1]),
        title_derived=not title,
        date=day,
        date_source="field" if day else None,
        dateline=_place(fields.place, body),
        url=fields.url or None,
        source=" ".join((fields.source or "").split()) or None,
        authors=authors,
        path=path,
        warnings=tuple(fields.warnings) + tuple(date_notes),
    )


def read_records(records: Iterable[tuple[str, Callable[[str], Fields]]], path: str, rel: str,
                 label: str, notes: tuple[str, ...] = ()) -> Iterator[Article | Failure]:
    """An Article per (key, read) record (`read(where)` gives its Fields), or a Failure
    naming the record (`label` and position, its key). `notes` go to the first article."""
    seen: set[str] = set()
    for position, (key, read) in enumerate(records, start=1):
        name = f"{label} {position}" + (f" ({key})" if key else "")
        where = f"{path}: {name}"
        try:
            article = make_article(read(where), record_id(rel, key, position, seen), path, where)
        except ValueError as exc:
            yield Failure(path, f"{name}: {exc}")
            continue
        yield replace(article, warnings=notes + article.warnings) if notes else article
        notes = ()


def record_id(rel: str, key: str | None, position: int, seen: set[str]) -> str:
    """`rel#key` (the record's own key; its position when it has none; key@position when
    the key was already used in this file)."""
    key = " ".join((key or "").split()) or str(position)
    if key in seen:
        key = f"{key}@{position}"
    seen.add(key)
    return f"{rel}#{key}"


# --- text -------------------------------------------------------------------------------

def paragraphs(element) -> str:
    """The text of an XML body (NITF body.content, XHTML body), a paragraph per block."""
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(loose).split())
        if text:
            out.append(text)
        loose.clear()

    def walk(node) -> None:
        name = local(node.tag)
        if name in _SKIP_TAGS:
            return
        if name in _BLOCK_TAGS:
            flush()
            loose.append(text_of(node))
            flush()
            return
        loose.append(node.text or "")
        for item in node:
            walk(item)
            loose.append(item.tail or "")

    walk(element)
    flush()
    return "\n\n".join(out)


def plain_paragraphs(text: str) -> str:
    """Plain text with its paragraphs: split at blank lines, or at every line when the
    text has none (one paragraph a line, as agencies send it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return "\n\n".join(p for p in (" ".join(b.split()) for b in blocks) if p)


def html_text(fragment: str) -> str:
    """HTML (a feed entry's content) as text, a paragraph per block."""
    if "<" not in fragment and "&" not in fragment:
        return plain_paragraphs(fragment)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup(["script", "style", "noscript", "iframe", "form", "template"]):
        tag.decompose()
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    return "\n\n".join(p for p in (" ".join(s.split()) for s in re.split(r"\n\s*\n", text)) if p)
