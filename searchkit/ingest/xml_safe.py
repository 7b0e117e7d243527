"""Reading untrusted XML (news agency files, feeds) without its dangers.

`parse_xml(data, where)` builds an ElementTree with the standard library's expat
parser, configured as defusedxml configures it: a document that declares an
entity (`<!ENTITY …>`, internal or external, general or parameter) is refused
before anything is expanded or fetched, so neither the "billion laughs" nor an
external entity pointing at a local file or a URL (XXE) can do harm. A DOCTYPE
alone is allowed, because real NITF files carry one (`<!DOCTYPE nitf SYSTEM
"nitf-3-6.dtd">`): its external DTD is never read (parameter entity parsing is
off), and an entity the unread DTD would define (`&eacute;`) is read as the HTML
entity of that name. No new dependency: the guard is these few lines.

A document that is not well-formed (an unescaped `&` in a feed) is read again in
lxml's recovery mode, with entity resolution, DTD loading and the network off,
and with a warning; a document that declares entities is refused in that mode
too. Element names are `{namespace}local`, as in ElementTree; `local(tag)`
gives the local part, so that readers ignore namespace versions.
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import ArticleParseError

_ENTITY_DECL = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_HEAD_JUNK = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s+", re.DOTALL)
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


class EntitiesRefused(Exception):
    """The document declares entities: refused, nothing expanded or fetched."""


def _qname(name: str) -> str:
    return "{" + name if "}" in name else name


def _refuse(*args) -> None:
    raise EntitiesRefused("the XML declares entities (<!ENTITY>); refused unread "
                          "(entity expansion and external entities are never allowed)")


def _expat_tree(data: bytes) -> ET.Element:
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(
        _qname(tag), {_qname(key): value for key, value in attrs.items()})
    parser.EndElementHandler = lambda tag: builder.end(_qname(tag))
    parser.CharacterDataHandler = builder.data
    # Only called for a name the (unread) external DTD may declare: use the HTML one.
    parser.SkippedEntityHandler = lambda name, is_parameter: builder.data(
        html.entities.html5.get(f"{name};", ""))
    parser.Parse(data, True)
    return builder.close()


def _lxml_tree(data: bytes) -> ET.Element:
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("no XML element could be recovered")
    return root


def _to_utf8(data: bytes, where: str) -> bytes:
    """A document in a multi-byte encoding expat cannot read (GB2312, Shift_JIS…),
    decoded with Python's codec and declared again as UTF-8."""
    declared = _DECLARED.match(data)
    if declared is None:
        raise ArticleParseError(where, "encoding not readable")
    name = declared[2].decode("ascii")
    try:
        text = data.decode(name, errors="replace")
    except LookupError:
        raise ArticleParseError(where, f"unknown encoding {name!r}") from None
    return _DECLARED.sub(rb"\1utf-8\3", text.encode("utf-8"), count=1)


def _strict(data: bytes, where: str) -> tuple[ET.Element | None, str]:
    """(root, "") with expat, or (None, why the document is not well-formed)."""
    try:
        return _expat_tree(data), ""
    except EntitiesRefused as exc:
        raise ArticleParseError(where, str(exc)) from None
    except expat.ExpatError as exc:
        return None, f"{expat.ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset + 1}"


def parse_xml(data: bytes, where: str) -> tuple[ET.Element, tuple[str, ...]]:
    """The root element and warnings. Raises ArticleParseError when the document
    declares entities or has nothing readable."""
    try:
        root, problem = _strict(data, where)
    except ValueError as exc:  # pyexpat: "multi-byte encodings are not supported"
        if "multi-byte" not in str(exc):
            raise
        data = _to_utf8(data, where)
        root, problem = _strict(data, where)
    except LookupError as exc:  # an encoding Python does not know either
        raise ArticleParseError(where, f"{exc}; not readable") from None
    if root is not None:
        return root, ()
    if any(marker in data for marker in _ENTITY_DECL):
        raise ArticleParseError(
            where, f"not well-formed XML ({problem}) that declares entities; refused unread")
    try:
        root = _lxml_tree(data)
    except Exception as exc:  # lxml raises its own error kinds
        raise ArticleParseError(where, f"not well-formed XML ({problem}); {exc}") from None
    return root, (f"{where}: not well-formed XML ({problem}); read in recovery mode, "
                  f"part of it may be lost",)


def root_name(data: bytes) -> tuple[str, str]:
    """(local name, head text) of the root element, read from the first few KB without
    parsing; ("", "") when the data does not look like XML."""
    head = data[:8192]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, "ignore")
            break
    else:
        text = head.decode("utf-8", "ignore")
    pos = 0
    while True:
        junk = _HEAD_JUNK.match(text, pos)
        if not junk or junk.end() == pos:
            break
        pos = junk.end()
    match = _ROOT.match(text, pos)
    return (match[2], text) if match else ("", "")


# --- reading the tree ---------------------------------------------------------------------

def local(tag) -> str:
    """The local part of an element name ("" for comments and processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, *names: str) -> list:
    """Child elements with one of these local names, in order."""
    return [child for child in element if local(child.tag) in names]


def child(element, *names: str):
    """The first child with one of these local names, in the order of `names`; else None."""
    for name in names:
        for item in element:
            if local(item.tag) == name:
                return item
    return None


def text_of(element) -> str:
    """All the text inside an element, white space collapsed ("" for None)."""
    if element is None:
        return ""
    return " ".join("".join(t for t in element.itertext() if isinstance(t, str)).split())


_BY = re.compile(r"^\s*(?:by|von|par|por|di)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


def byline_names(byline: str) -> list[str]:
    """Names in a byline: "By Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]."""
    text = _BY.sub("", " ".join(byline.split()))
    if not text or len(text) > 120 or text.startswith("http"):
        return []
    return [name for name in _NAME_SPLIT.split(text) if 1 < len(name) <= 60]
