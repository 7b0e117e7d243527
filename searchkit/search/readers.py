"""One open reader per index generation, shared by the searches of a thread.

Opening a Whoosh reader costs more than a typical search: the table of
contents, every segment's files, and — on first use — the offsets of every
stored document (about 1.5 ms per 20,000 articles). A SearchIndex keeps the
reader of the latest committed generation and opens a new one only when a
commit has made a newer generation. Readers are per thread (Whoosh's file
reads seek and read, which threads must not share); an older reader is never
closed here, so a search or export still running on it finishes normally, and
the garbage collector closes its files once nothing uses it.
"""

from __future__ import annotations

import os
import threading
import time

SETTLED_NS = 2_000_000_000  # a folder unchanged this long has a trustworthy modification time
LISTING_SECONDS = 2.0  # a listing is trusted at most this long, however the folder looks


class ReaderCache:
    def __init__(self) -> None:
        self._local = threading.local()

    def view(self, ix) -> "IndexView":
        """`ix` (the latest Whoosh index object) with searchers on a shared reader."""
        local = self._local
        reader = getattr(local, "reader", None)
        generation = self.latest_generation(ix)
        if reader is None or getattr(local, "generation", None) != generation or getattr(reader, "is_closed", False):
            reader = ix.reader()
            local.reader, local.generation = reader, reader.generation()
        return IndexView(ix, reader)

    def latest_generation(self, ix) -> int:
        """ix.latest_generation(), which lists the index folder: a folder holding the
        files of merged segments until their grace period ends (grace.py) has hundreds
        after a large merge, and listing them took 0.4 ms of every search. A commit
        renames a new table of contents into the folder, which changes the folder's
        modification time; so while the folder's status is what it was at the last
        listing, that listing's answer stands. It is kept only once the folder has been
        unchanged for SETTLED_NS (a change within the clock's granularity of the last
        one would not show), and for LISTING_SECONDS at most."""
        folder = getattr(ix.storage, "folder", None)
        try:
            status = os.stat(folder) if isinstance(folder, str) else None
        except OSError:
            status = None
        if status is None:
            return ix.latest_generation()
        local = self._local
        key = (folder, ix.indexname, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size)
        listed = getattr(local, "listed", None)
        if listed is not None and listed[0] == key and time.monotonic() < listed[2]:
            return listed[1]
        generation = ix.latest_generation()
        settled = time.time_ns() - status.st_mtime_ns >= SETTLED_NS
        local.listed = (key, generation, time.monotonic() + LISTING_SECONDS) if settled else None
        return generation

    def clear(self) -> None:
        self._local = threading.local()


def cached_column(reader, fieldname: str):
    """reader.column_reader(fieldname), made once per reader: a column of variable-size
    values (the entities) reads the offsets of every document when it is opened
    (about 1.5 ms per segment of 11,000 articles), and a kept reader serves many
    searches. Such a column is loaded whole, as a list: counting facets over 10,000
    matches then slices no file."""
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    found = cache.get(fieldname)
    if found is None:
        found = reader.column_reader(fieldname)
        found = cache[fieldname] = _loaded(found) or found
    return found


def fixed_bytes(reader, fieldname: str):
    """docnum -> the raw value of a fixed-size bytes column (the sketches), read by
    slicing each segment's memory-mapped column file: Whoosh's column readers cost
    about 8 µs a value on one segment and 60 µs on 200, and a page of many copies
    reads hundreds. Made once per kept reader; Whoosh's reader where a segment's
    column is not such a mapped file."""
    from bisect import bisect_right

    from whoosh.columns import FixedBytesColumn

    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("fixed bytes", fieldname)
    if key in cache:
        return cache[key]
    parts, starts = [], []
    for segment, offset in reader.leaf_readers():
        column = segment.column_reader(fieldname, translate=False)
        mapped = getattr(getattr(column, "_dbfile", None), "file", None)
        if type(column) is not FixedBytesColumn.Reader or not hasattr(mapped, "madvise"):
            found = cache[key] = reader.column_reader(fieldname, translate=False).__getitem__
            return found
        parts.append((mapped, column._basepos, column._fixedlen, column._count, column._defaultbytes, offset))
        starts.append(offset)

    def value(docnum: int) -> bytes:
        mapped, base, size, count, default, offset = parts[bisect_right(starts, docnum) - 1]
        local = docnum - offset
        if local >= count:
            return default
        position = base + size * local
        return mapped[position:position + size]

    cache[key] = value
    return value


def article_ids(reader):
    """docnum -> the article's id: from the id column (the offsets read once per kept
    reader), else — an index made before the column, or a segment without it — from
    the stored fields, which hold the whole article."""
    from ..index.schema import F

    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    if "id column" not in cache:
        cache["id column"] = reader.column_reader(F.ID, translate=False) if reader.has_column(F.ID) else None
    column = cache["id column"]

    def stored_id(docnum: int) -> str:
        return reader.stored_fields(docnum).get(F.ID, "")

    if column is None:
        return stored_id

    def id_of(docnum: int) -> str:
        value = column[docnum]
        return value.decode("utf-8") if value else stored_id(docnum)

    return id_of


def _loaded(column) -> list | None:
    """Every value of a column of Whoosh VarBytes readers, in one read per segment;
    None for any other kind of column (it is then read value by value)."""
    from whoosh.columns import EmptyColumnReader, MultiColumnReader, TranslatingColumnReader, VarBytesColumn
    from whoosh.fields import FieldType

    parts = column._readers if type(column) is MultiColumnReader else [column]
    values: list = []
    for part in parts:
        if type(part) is TranslatingColumnReader:
            if getattr(part._translate, "__func__", None) is not FieldType.from_column_value:
                return None
            part = part._reader
        if type(part) is EmptyColumnReader:  # a segment without this column
            values.extend([part._default] * part._doccount)
            continue
        if type(part) is not VarBytesColumn.Reader:
            return None
        lengths, offsets = part._lengths, part._offsets
        size = max((offset + length for offset, length in zip(offsets, lengths)), default=0)
        data = part._dbfile.get(part._basepos, size) if size else b""
        values.extend(data[offset:offset + length] for offset, length in zip(offsets, lengths))
    return values


class IndexView:
    """What the search functions need of an index: its schema and searchers."""

    def __init__(self, ix, reader) -> None:
        self._ix = ix
        self._reader = reader
        self.schema = reader.schema  # (ix.schema would read the table of contents again)

    def searcher(self, **kwargs):
        from whoosh.searching import Searcher

        return Searcher(self._reader, fromindex=self._ix, closereader=False, **kwargs)

    def __getattr__(self, name):
        return getattr(self._ix, name)


def unsigned_numbers(reader, fieldname: str) -> tuple[list[int], int] | None:
    """(every document's value in the column of an unsigned integer field, the value a
    document without one has there): a DayField's YYYYMMDD, read whole once per
    kept reader; None when the column is not Whoosh's plain numeric one."""
    from whoosh.columns import EmptyColumnReader, MultiColumnReader, NumericColumn

    field = reader.schema[fieldname] if fieldname in reader.schema else None
    if field is None or getattr(field, "signed", True) or getattr(field, "numtype", None) is not int \
            or getattr(field, "decimal_places", 0) or not reader.has_column(fieldname):
        return None
    cache = reader.__dict__.setdefault("_searchkit_columns", {})
    key = ("numbers", fieldname)
    if key not in cache:
        column = reader.column_reader(fieldname, translate=False)  # unsigned: the sortable value is the value
        parts = column._readers if type(column) is MultiColumnReader else [column]
        values: list[int] = []
        defaults = set()
        for part in parts:
            if type(part) is EmptyColumnReader:  # a segment without this column (no dated article)
                values.extend([part._default] * part._doccount)
                defaults.add(part._default)
                continue
            if type(part) is not NumericColumn.Reader:
                cache[key] = None
                return None
            numbers = part._dbfile.get_array(part._basepos, part._typecode, part._count) if part._count else []
            values.extend(numbers)
            values.extend([part._default] * (part._doccount - part._count))
            defaults.add(part._default)
        cache[key] = (values, defaults.pop()) if len(defaults) == 1 else None
    return cache[key]
