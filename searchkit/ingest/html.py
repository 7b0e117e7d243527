"""HTML pages -> Article: body, title, date (with provenance), authors.

`parse_html(html, url=None, path=None)` reads one saved web page;
`load_html_file(path)` reads a file and calls it. Nothing here touches the
network and no external entity is ever resolved: the page is parsed by
BeautifulSoup (lxml backend when installed, else html.parser) from memory.

The work is split by concern: html_encoding (bytes -> text), html_dom
(parsing), html_meta (JSON-LD, meta tags), html_blocks and html_body (the
story text), html_title (headline, authors), html_dates, html_datetext and
html_story (publication date; html_story says where the story sits).
"""

from __future__ import annotations

import hashlib
import os
from urllib.parse import urlparse

from searchkit.analysis.datelines import split_dateline
from searchkit.errors import ArticleParseError
from searchkit.ingest.html_body import extract_body, visible_text
from searchkit.ingest.html_dates import extract_date
from searchkit.ingest.html_dom import parse_page
from searchkit.ingest.html_encoding import decode_html
from searchkit.ingest.html_meta import article_object, first_meta, plain_text, read_jsonld, read_meta
from searchkit.ingest.html_title import extract_authors, extract_title
from searchkit.models import Article

__all__ = ["parse_html", "load_html_file", "require_text"]

NO_TEXT = "no article text found in the page"


def _article_id(data: str | bytes, url: str | None, path: str | None) -> str:
    if url:
        return url
    if path:
        return path
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha1(raw).hexdigest()


def _source(meta: dict, url: str | None) -> str | None:
    site = first_meta(meta, "og:site_name", "application-name")
    if site:
        return " ".join(site.split())
    if url:
        host = urlparse(url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _description(meta: dict, article: dict) -> str:
    """A page without story text may still describe itself (a teaser)."""
    text = plain_text(article.get("description")) or first_meta(
        meta, "og:description", "description", "twitter:description")
    return " ".join(text.split()) if len(text) >= 80 else ""


def parse_html(html: str | bytes, url: str | None = None, path: str | None = None) -> Article:
    """Read one web page. A page with a title or a date but no story text
    gives an Article with an empty body (the indexer decides, with
    require_text); ArticleParseError when the page has none of them, or is
    binary."""
    where = path or url or "<html>"
    if isinstance(html, bytes) and b"\x00" in html[:8192] and not html.startswith(
            (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise ArticleParseError(where, "binary file, not HTML")
    text, warnings = decode_html(html)
    page = parse_page(text)
    meta = read_meta(page)
    objects = read_jsonld(page.jsonld)
    article = article_object(objects)
    page_url = url or first_meta(meta, "og:url") or None
    title = extract_title(page, meta, article)
    jsonld_body = plain_text(article.get("articleBody"))
    body = extract_body(page, jsonld_body, title) or jsonld_body
    if not body:
        body = _description(meta, article) or visible_text(page)
        if body:
            warnings += ("no story text found; indexed the page's description or visible text",)
    body = body if body.strip() else ""
    date, date_source = extract_date(page, meta, article, objects, page_url)
    if not body and not title and date is None:
        raise ArticleParseError(where, NO_TEXT)
    dateline, _ = split_dateline(body[:200])
    return Article(
        id=_article_id(html, url, path),
        body=body,
        title=title,
        date=date,
        date_source=date_source,
        dateline=dateline,
        url=page_url,
        source=_source(meta, page_url),
        path=path,
        authors=extract_authors(page, meta, article),
        warnings=tuple(f"{where}: {w}" for w in warnings),
    )


def require_text(article: Article, where: str) -> Article:
    """The article when it has story text; else ArticleParseError, as a
    file or record that cannot be indexed."""
    if not article.body.strip():
        raise ArticleParseError(where, NO_TEXT)
    return article


def load_html_file(path: str | os.PathLike) -> Article:
    """Read an .html/.htm file and parse it (ArticleParseError when unreadable)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ArticleParseError(name, f"cannot read the file ({exc.strerror or exc})") from None
    return parse_html(data, path=name)
