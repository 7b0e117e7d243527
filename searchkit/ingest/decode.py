"""Bytes -> text for article files, with a fallback that is reported, never silent."""

from __future__ import annotations

import codecs

from ..errors import ArticleParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.1


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few damaged bytes, rather than text in a legacy encoding:
    it holds well-formed multi-byte UTF-8 characters, more of them than bad bytes."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for char in text if "\udc80" <= char <= "\udcff")
    good = sum(1 for char in text if char > "\x7f" and not "\udc80" <= char <= "\udcff")
    return good > bad


def decode_text(data: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """Decode a text file: BOM first, then UTF-8, then Windows-1252 (noted as a warning).

    Raises ArticleParseError for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError as exc:
                raise ArticleParseError(path, f"undecodable {encoding} text ({exc.reason})") from None
    if _looks_binary(data):
        raise ArticleParseError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        where = exc.start
    if _mostly_utf8(data):
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        return text, (f"{path}: {bad} invalid UTF-8 byte sequence(s) (first at offset {where}) "
                      "replaced with \ufffd",)
    try:
        text = data.decode("cp1252")
        note = "not UTF-8 (first bad byte at offset %d); read as Windows-1252" % where
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        note = "not UTF-8 (first bad byte at offset %d); read as Latin-1" % where
    return text, (f"{path}: {note}",)
