"""Every document's one-byte field length, read from Whoosh 3's length column at once.

Whoosh stores a field's length per document in one byte (a column) and reads it
one document at a time; indexing (PreloadedLengths) and scoring
(search/blocks.py) want all of a segment's lengths in one read.
"""

from __future__ import annotations


def length_bytes(perdoc, fieldname: str, count: int) -> bytes | None:
    """The length bytes of `count` documents from a Whoosh 3 per-document reader
    (a document past the column's end has 0); None when there is no such column."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    cached_reader = getattr(perdoc, "_cached_reader", None)
    column = cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if cached_reader else None
    if column is None or getattr(column, "_fixedlen", None) != 1:
        return None
    raw = column._dbfile.get(column._basepos, column._count) if column._count else b""
    return raw + bytes(max(0, count - len(raw)))
