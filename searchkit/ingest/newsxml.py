"""News agency XML -> Articles: NITF and NewsML-G2.

NITF (IPTC's News Industry Text Format, 3.x, with or without its namespace):
the headline from `body.head/hedline/hl1` (else `head/title`), authors from
`byline` (its `person` elements, else its text), the dateline's place from
`dateline` (`location/city`, else its text), the date from `docdata/date.issue`,
`date.release`, `pubdata@date.publication`, then `dateline/story.date`, in that
order (each `norm` attribute, ISO 8601 compact or extended), the body from the
paragraphs of `body.content`, the source from `pubdata@name` (else the
copyright holder), the url from `pubdata@ex-ref`.
Id: `<rel>#<doc-id@id-string>`, or `<rel>` when the story has no doc-id.

NewsML-G2 (a `newsItem`, or a `newsMessage` whose news items each give an
article): the headline from `contentMeta/headline` (else `itemMeta/title`), the
date from `contentMeta/contentCreated`, then `itemMeta/firstCreated`, then
`versionCreated`, authors from `contentMeta/creator/name` (else `by`), the place
from `located/name` (else `dateline`), the body from the first text rendition of
`contentSet`: inline NITF or XHTML (`inlineXML`) or text (`inlineData`); an item
without one falls back on its `description` (with a warning). The source is the
provider. Id: `<rel>#<guid>` (`<rel>#<n>`, the item's position, when it has no
guid). Package, concept and knowledge items hold no story text and are counted.

XML is read by `xml_safe.parse_xml`: entity declarations are refused (no
expansion, no external fetch).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import ArticleParseError
from ..models import Article, Failure
from .xml_article import Fields, html_text, make_article, paragraphs, plain_paragraphs, read_records
from .xml_safe import byline_names, child, children, local, parse_xml, root_name, text_of

NITF_ROOT = "nitf"
G2_ITEMS = ("newsItem", "packageItem", "conceptItem", "knowledgeItem")
G2_ROOTS = ("newsMessage",) + G2_ITEMS
_TEXT_TYPES = ("application/nitf+xml", "application/xhtml+xml", "text/html", "text/plain", "")


def is_news_xml(data: bytes) -> bool:
    """True when the root element is NITF's `nitf` or a NewsML-G2 item or message."""
    name, _ = root_name(data)
    return name == NITF_ROOT or name in G2_ROOTS


def parse_news_xml(data: bytes, path: str, rel: str) -> Iterator[Article | Failure]:
    """Yield the articles of an NITF or NewsML-G2 file, and a Failure per item that
    cannot be read (or for the file, when it is not readable XML)."""
    try:
        root, notes = parse_xml(data, path)
    except ArticleParseError as exc:
        yield Failure(path, exc.reason)
        return
    name = local(root.tag)
    if name == NITF_ROOT:
        try:
            article = _nitf_article(root, path, rel)
        except ValueError as exc:
            yield Failure(path, f"NITF story: {exc}")
            return
        yield _with_notes(article, notes)
    elif name in G2_ROOTS:
        yield from _g2_articles(root, path, rel, notes)
    else:
        yield Failure(path, f"root element <{name}> is neither NITF nor NewsML-G2")


def _with_notes(article: Article, notes: tuple[str, ...]) -> Article:
    from dataclasses import replace

    return replace(article, warnings=notes + article.warnings) if notes else article


# --- NITF -------------------------------------------------------------------------------

def _find(element, *steps: str):
    """Follow child names (local, any namespace) down from `element`; None when missing."""
    for step in steps:
        if element is None:
            return None
        element = child(element, step)
    return element


def _attr(element, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _nitf_authors(byline) -> list[str]:
    if byline is None:
        return []
    people = [text_of(p) for p in byline.iter() if local(p.tag) == "person"]
    if people:
        return people
    titles = {text_of(t) for t in byline.iter() if local(t.tag) == "byttl"}
    text = text_of(byline)
    for title in titles:
        text = text.replace(title, "")
    return byline_names(text.strip(" ,;"))


def nitf_fields(nitf) -> Fields:
    """The fields of one NITF story (also used for NITF inside a NewsML-G2 item)."""
    head, body = child(nitf, "head"), child(nitf, "body")
    docdata, pubdata = _find(head, "docdata"), _find(head, "pubdata")
    body_head = _find(body, "body.head")
    dateline = _find(body_head, "dateline")
    city = _find(dateline, "location", "city")  # (an Element without children is falsy)
    city = _find(dateline, "location") if city is None else city
    return Fields(
        body=paragraphs(_find(body, "body.content")) if _find(body, "body.content") is not None
        else "",
        title=text_of(_find(body_head, "hedline", "hl1")) or text_of(_find(head, "title")),
        dates=[("date.issue", _attr(_find(docdata, "date.issue"), "norm")),
               ("date.release", _attr(_find(docdata, "date.release"), "norm")),
               ("pubdata date.publication", _attr(pubdata, "date.publication")),
               ("story.date", _attr(_find(dateline, "story.date"), "norm")
                or text_of(_find(dateline, "story.date")))],
        place=text_of(city) or _dateline_place(dateline),
        authors=_nitf_authors(_find(body_head, "byline")),
        url=_attr(pubdata, "ex-ref") or None,
        source=_attr(pubdata, "name") or _attr(_find(docdata, "doc.copyright"), "holder"),
    )


def _dateline_place(dateline) -> str | None:
    """The dateline's text without its date (NITF's dateline may hold both)."""
    if dateline is None:
        return None
    dated = {text_of(d) for d in dateline.iter() if local(d.tag) == "story.date"}
    text = text_of(dateline)
    for date in dated:
        text = text.replace(date, "")
    return text.strip(" ,;:-—–") or None


def _nitf_article(nitf, path: str, rel: str) -> Article:
    key = _attr(_find(nitf, "head", "docdata", "doc-id"), "id-string")
    article_id = f"{rel}#{key}" if key else rel
    where = f"{path}: NITF story" + (f" ({key})" if key else "")
    return make_article(nitf_fields(nitf), article_id, path, where)


# --- NewsML-G2 --------------------------------------------------------------------------

def _g2_articles(root, path: str, rel: str, notes: tuple[str, ...]
                 ) -> Iterator[Article | Failure]:
    items = [root] if local(root.tag) != "newsMessage" else [
        item for item in root.iter() if local(item.tag) in G2_ITEMS]
    news = [item for item in items if _is_text_item(item)]
    if not news:
        yield Failure(path, f"no text newsItem (only {_kinds(items) or 'no items'})")
        return
    others = _kinds([item for item in items if not _is_text_item(item)])
    if others:
        notes += (f"{path}: skipped {others} (no story text)",)
    records = ((_attr(item, "guid"), lambda where, item=item: _g2_fields(item, where))
               for item in news)
    yield from read_records(records, path, rel, "newsItem", notes)


def _item_class(item) -> str:
    """"text", "picture", "composite"… from itemMeta/itemClass (ninat:text); "" when absent."""
    qcode = _attr(_find(item, "itemMeta", "itemClass"), "qcode")
    return qcode.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()


def _is_text_item(item) -> bool:
    return local(item.tag) == "newsItem" and _item_class(item) in ("text", "")


def _kinds(items: list) -> str:
    counts: dict[str, int] = {}
    for item in items:
        kind = local(item.tag)
        if kind == "newsItem":
            kind = f"{_item_class(item)} newsItem"
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{count} {name}" for name, count in counts.items())


def _g2_fields(item, where: str) -> Fields:
    meta, content = child(item, "itemMeta"), child(item, "contentMeta")
    body, inner = _g2_body(child(item, "contentSet"))
    warnings: list[str] = []
    if not body:
        body = text_of(_find(content, "description"))
        if body:
            warnings.append(f"{where}: no inline story text; indexed its description")
    creators = [] if content is None else [
        text_of(_find(c, "name")) or _attr(c, "literal") for c in children(content, "creator")]
    located = _find(content, "located")
    fields = Fields(
        body=body,
        title=_g2_headline(content) or text_of(_find(meta, "title")),
        dates=[("contentCreated", text_of(_find(content, "contentCreated"))),
               ("firstCreated", text_of(_find(meta, "firstCreated"))),
               ("versionCreated", text_of(_find(meta, "versionCreated")))],
        place=text_of(_find(located, "name")) or text_of(_find(content, "dateline")) or None,
        authors=[c for c in creators if c] or byline_names(text_of(_find(content, "by"))),
        source=_provider(_find(meta, "provider")),
        warnings=warnings,
    )
    if inner is not None:  # inline NITF: what its head says fills what G2 left empty
        nitf = nitf_fields(inner)
        fields.title = fields.title or nitf.title
        fields.dates += nitf.dates
        fields.place = fields.place or nitf.place
        fields.authors = fields.authors or nitf.authors
    return fields


def _g2_headline(content) -> str:
    if content is None:
        return ""
    headlines = children(content, "headline")
    main = [h for h in headlines if _attr(h, "role") in ("", "hld:main")]
    return text_of((main or headlines or [None])[0])


def _provider(provider) -> str | None:
    if provider is None:
        return None
    name = text_of(_find(provider, "name")) or _attr(provider, "literal")
    return name or _attr(provider, "qcode").split(":", 1)[-1] or None


def _g2_body(content_set) -> tuple[str, object | None]:
    """(text, the inline NITF element if the text came from one) of the first text rendition."""
    if content_set is None:
        return "", None
    for rendition in content_set:
        name, kind = local(rendition.tag), _attr(rendition, "contenttype").lower()
        if kind not in _TEXT_TYPES:
            continue
        if name == "inlineXML":
            for inner in rendition:
                if local(inner.tag) == "nitf":
                    return nitf_fields(inner).body, inner
                html_body = _find(inner, "body") if local(inner.tag) == "html" else inner
                text = paragraphs(html_body) if html_body is not None else ""
                if text:
                    return text, None
        elif name == "inlineData" and _attr(rendition, "encoding") in ("", "none"):
            raw = rendition.text or ""
            text = html_text(raw) if "html" in kind else plain_paragraphs(raw)
            if text:
                return text, None
    return "", None
