"""Saved news feeds -> Articles: RSS 2.0, Atom 1.0 and RSS 1.0 (RDF).

Each item or entry is an article: its link (`link`; Atom's `rel="alternate"`
link, resolved against `xml:base`), title, date (RSS `pubDate`, RFC 822, else
`dc:date`; Atom `published`, else `updated`, RFC 3339), authors (RSS `author`'s
name or `dc:creator`; Atom `author/name`, the feed's authors when the entry has
none) and text: the full content when the feed carries it (`content:encoded`,
Atom `content` as text, HTML or XHTML), else the summary (`description`, Atom
`summary`) — an entry with only a summary is indexed as such. HTML becomes text
with BeautifulSoup, a paragraph per block. The source is the channel's (or
feed's) title. A bad date is a warning naming the file and the entry, and that
entry is indexed undated; an entry without any text is a Failure, and the
others are read.

Id: `<rel>#<guid>` (RSS `guid`, Atom `id`, RSS 1.0 `rdf:about`), else
`<rel>#<link>`, else `<rel>#<n>` (the entry's position, from 1); a key met again
in the same file gets `@<n>`.

Why not feedparser: it would be a second parser beside the one searchkit already
trusts for news XML (`xml_safe`: entity declarations refused, recovery mode for
broken feeds through lxml, a core dependency), and an optional extra a user would
have to install before a feed file could be read. What it adds beyond that is
support for feeds that no news archive keeps (RSS 0.9x, CDF, Atom 0.3 quirks).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from ..errors import ArticleParseError
from ..models import Article, Failure
from .xml_article import Fields, html_text, paragraphs, plain_paragraphs, read_records
from .xml_safe import byline_names, child, children, local, parse_xml, root_name, text_of

FEED_ROOTS = ("rss", "feed", "RDF")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_MAILBOX = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$|^\s*\S+@\S+\s*$")


def is_feed(data: bytes) -> bool:
    """True when the root element is RSS's `rss`, Atom's `feed` or RSS 1.0's `rdf:RDF`."""
    name, head = root_name(data)
    if name == "RDF":
        return "purl.org/rss/1.0" in head
    return name in FEED_ROOTS


def parse_feed(data: bytes, path: str, rel: str) -> Iterator[Article | Failure]:
    """Yield an Article per feed entry, and a Failure per entry without text (or for
    the file, when it is not a readable feed)."""
    try:
        root, notes = parse_xml(data, path)
    except ArticleParseError as exc:
        yield Failure(path, exc.reason)
        return
    kind = local(root.tag)
    if kind not in FEED_ROOTS:
        yield Failure(path, f"root element <{kind}> is not RSS or Atom")
        return
    entries, key, read = _entries(root, kind)
    if not entries:
        yield Failure(path, "the feed has no entries")
        return
    records = ((key(entry), lambda where, entry=entry: read(entry)) for entry in entries)
    yield from read_records(records, path, rel, "entry", notes)


def _entries(root, kind: str):
    """(entries, the function giving an entry's key, the one reading its fields)."""
    if kind == "feed":
        feed_authors = _atom_authors(root)
        source = text_of(child(root, "title"))
        base = root.get(_XML_BASE, "")
        return (children(root, "entry"), lambda entry: _atom_key(entry, base),
                lambda entry: _atom_fields(entry, source, feed_authors, base))
    channel = child(root, "channel")
    source = text_of(child(channel, "title")) if channel is not None else ""
    if kind == "rss":
        items = children(channel, "item") if channel is not None else []
    else:  # RSS 1.0: the items are the channel's siblings
        items = children(root, "item")
    return items, _rss_key, lambda item: _rss_fields(item, source)


# --- RSS 2.0 and 1.0 ----------------------------------------------------------------------

def _rss_author(value: str) -> list[str]:
    """RSS `author` is an e-mail address, with the name in brackets when given."""
    mailbox = _MAILBOX.match(value)
    if mailbox:
        return [mailbox["name"].strip()] if mailbox["name"] else []
    return byline_names(value)


def _permalink(item) -> str:
    guid = child(item, "guid")
    if guid is None or guid.get("isPermaLink", "true") == "false":
        return ""
    return text_of(guid)


def _rss_key(item) -> str:
    return text_of(child(item, "guid")) or item.get(_RDF_ABOUT, "") \
        or text_of(child(item, "link"))


def _rss_fields(item, source: str) -> Fields:
    content = child(item, "encoded", "description")
    authors = [name for a in children(item, "author") for name in _rss_author(text_of(a))]
    authors += [name for c in children(item, "creator") for name in byline_names(text_of(c))]
    return Fields(
        body=html_text(content.text or "") if content is not None else "",
        title=text_of(child(item, "title")),
        dates=[("pubDate", text_of(child(item, "pubDate"))),
               ("dc:date", text_of(child(item, "date")))],
        authors=authors,
        url=text_of(child(item, "link")) or _permalink(item) or None,
        source=source,
    )


# --- Atom 1.0 -----------------------------------------------------------------------------

def _atom_text(element, as_title: bool = False) -> str:
    """An Atom text construct (type text, html or xhtml) as plain text."""
    if element is None:
        return ""
    kind = element.get("type", "text").lower()
    if kind == "xhtml":
        div = child(element, "div")
        text = paragraphs(div if div is not None else element)
    elif "html" in kind:
        text = html_text(element.text or "")
    elif kind.startswith("text") or kind == "":
        text = plain_paragraphs(element.text or "")
    else:  # another media type (an image, out-of-line content): no text here
        return ""
    return " ".join(text.split()) if as_title else text


def _atom_authors(element) -> list[str]:
    names = (text_of(child(author, "name")) for author in children(element, "author"))
    return [name for name in names if name]


def _atom_link(entry, base: str) -> str | None:
    links = children(entry, "link")
    chosen = [l for l in links if l.get("rel", "alternate") == "alternate"]
    chosen = [l for l in chosen if "html" in l.get("type", "text/html")] or chosen
    if not chosen or not chosen[0].get("href"):
        return None
    return urljoin(entry.get(_XML_BASE, base), chosen[0].get("href").strip())


def _atom_key(entry, base: str) -> str:
    return text_of(child(entry, "id")) or _atom_link(entry, base) or ""


def _atom_fields(entry, source: str, feed_authors: list[str], base: str) -> Fields:
    content = child(entry, "content")
    body = _atom_text(content) if content is not None and not content.get("src") else ""
    own_source = child(entry, "source")
    return Fields(
        body=body or _atom_text(child(entry, "summary")),
        title=_atom_text(child(entry, "title"), as_title=True),
        dates=[("published", text_of(child(entry, "published"))),
               ("updated", text_of(child(entry, "updated")))],
        authors=_atom_authors(entry) or feed_authors,
        url=_atom_link(entry, base),
        source=text_of(child(own_source, "title")) if own_source is not None else source,
    )
