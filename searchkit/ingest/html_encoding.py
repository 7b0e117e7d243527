"""Turning the bytes of a saved web page into text.

Order of trust: a byte-order mark, then the page's own declaration
(`<meta charset>` or `http-equiv` content-type, or an XML declaration) within
its first few kilobytes, then UTF-8, then cp1252 (which never fails: bytes it
does not map are replaced). `decode_html(data)` returns the text and the
warnings worth keeping with the article.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
SNIFF_BYTES = 4096
# Labels browsers treat as another encoding (WHATWG Encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "x-sjis": "shift_jis",
            "gb2312": "gb18030", "gbk": "gb18030"}


def _bom_encoding(data: bytes) -> tuple[str | None, int]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def declared_encoding(data: bytes) -> str | None:
    """The encoding the page declares in its head, if Python knows it."""
    match = _DECLARED.search(data[:SNIFF_BYTES])
    if not match:
        return None
    label = (match[1] or match[2]).decode("ascii", "replace").strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page served as UTF-16 would not have an ASCII-readable declaration.
    return None if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(data: bytes | str) -> tuple[str, tuple[str, ...]]:
    """Decode a page's bytes; return (text, warnings)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff"), ()
    name, skip = _bom_encoding(data)
    if name:
        return data[skip:].decode(name, errors="replace"), ()
    declared = declared_encoding(data)
    if declared:
        try:
            return data.decode(declared), ()
        except UnicodeDecodeError:
            return _decode_lenient(data, declared)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ("no encoding declared; read as cp1252",)


def _decode_lenient(data: bytes, declared: str) -> tuple[str, tuple[str, ...]]:
    """The page lies about its encoding somewhere: keep the declared one when
    only a few bytes are bad, else read it as cp1252 (the usual truth)."""
    text = data.decode(declared, errors="replace")
    bad = text.count("\ufffd")
    if declared == "utf-8" and bad > max(3, len(text) // 2000):
        text = data.decode("cp1252", errors="replace")
        return text, (f"{bad} bytes invalid in declared utf-8; read as cp1252",)
    return text, (f"{bad} bytes invalid in declared {declared}; replaced",)
