"""The index schema. Field names live here and only here.

Bump SCHEMA_VERSION whenever a field or an analyser changes: an index of
another version is refused with a request to rebuild.
"""

from __future__ import annotations

import datetime as _dt
import re

from whoosh import columns, fields

from ..analysis.analyzers import name_analyzer, surface_analyzer, text_analyzer
from ..analysis.sketch import NO_SKETCH, SIZE as SKETCH_SIZE

SCHEMA_VERSION = 4  # 3: the Porter stemmer of analysis/porter.py; 4: the sketch column
INDEX_NAME = "articles"


class F:
    """Field names."""

    KEY = "key"  # unique: path + id
    ID = "id"
    PATH = "path"
    FILE = "file"  # column: path NUL content-hash, to tell what changed
    TITLE = "title"
    BODY = "body"
    DATE = "date"
    DATE_SOURCE = "date_source"
    DATELINE = "dateline"
    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    AUTHOR = "author"
    URL = "url"
    SOURCE = "source"
    ENTITIES = "entities"  # column: the entities of an article, for facets
    SKETCH = "sketch"  # column: the article's near-duplicate sketch (analysis/sketch.py)
    TITLE_DERIVED = "title_derived"


# Fields a user can name in a query, and the kind of entity behind each.
QUERY_FIELDS = ("title", "body", "person", "org", "place", "dateline", "date", "author", "source", "url", "id")
ENTITY_FIELDS = {"person": F.PERSON, "org": F.ORG, "place": F.PLACE}

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def day_number(day: _dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def number_day(number: int) -> _dt.date | None:
    """The day of a stored YYYYMMDD number; None for no date (0, or the column's
    unsigned default 2**32 - 1 on a document indexed without a date)."""
    if not number or number > 99991231:
        return None
    return _dt.date(number // 10000, number // 100 % 100, number % 100)


def partial_date_bounds(text: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of `2021`, `2021-09` or `2021-09-12`. Raises ValueError."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if month is None:
            return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
        month_i = int(month)
        first = _dt.date(year, month_i, 1)
        if day is None:
            following = _dt.date(year + month_i // 12, month_i % 12 + 1, 1)
            return first, following - _dt.timedelta(days=1)
        exact = _dt.date(year, month_i, int(day))
        return exact, exact
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


class DayField(fields.NUMERIC):
    """A calendar day stored as the number YYYYMMDD; queried with dates.

    `date:2021`, `date:2021-09`, `date:2021-09-12` match the whole year, month
    or day; ranges take partial dates at either end (`date:[2021-09 TO 2022]`)."""

    def __init__(self) -> None:
        super().__init__(numtype=int, bits=32, stored=True, sortable=True, signed=False)

    def parse_query(self, fieldname, qstring, boost=1.0):
        from whoosh import query
        from whoosh.qparser.common import QueryParserError

        if qstring == "*":
            return query.Every(fieldname, boost=boost)
        try:
            first, last = partial_date_bounds(qstring)
        except ValueError as exc:
            raise QueryParserError(str(exc)) from None
        return query.NumericRange(fieldname, day_number(first), day_number(last), boost=boost)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        from whoosh import query
        from whoosh.qparser.common import QueryParserError

        try:
            low = high = None
            if start:
                first, last = partial_date_bounds(start)
                low = day_number(last if startexcl else first)
            if end:
                first, last = partial_date_bounds(end)
                high = day_number(first if endexcl else last)
        except ValueError as exc:
            raise QueryParserError(str(exc)) from None
        return query.NumericRange(fieldname, low, high, startexcl, endexcl, boost=boost)


def build_schema(stem: bool = True) -> fields.Schema:
    """The index schema; `stem=False` gives title and body the surface analyser
    (for parsing a query that a cluster engine stems itself: search/tree.py)."""
    text = text_analyzer() if stem else surface_analyzer()
    names = name_analyzer()
    return fields.Schema(
        **{
            F.KEY: fields.ID(unique=True),
            # a column too, to read a page's folded copies' ids without their stored fields
            # (an index made before has none: readers.article_ids reads the stored fields)
            F.ID: fields.ID(stored=True, sortable=True),
            F.PATH: fields.ID(stored=True),
            F.FILE: fields.COLUMN(columns.VarBytesColumn()),
            F.TITLE: fields.TEXT(analyzer=text, stored=True, phrase=True),
            F.BODY: fields.TEXT(analyzer=text, stored=True, phrase=True),
            F.DATE: DayField(),
            F.DATE_SOURCE: fields.ID(stored=True),
            F.DATELINE: fields.TEXT(analyzer=names, stored=True, phrase=True),
            F.PERSON: fields.TEXT(analyzer=names, stored=True, phrase=True),
            F.ORG: fields.TEXT(analyzer=names, stored=True, phrase=True),
            F.PLACE: fields.TEXT(analyzer=names, stored=True, phrase=True),
            F.AUTHOR: fields.TEXT(analyzer=names, stored=True, phrase=True),
            F.URL: fields.ID(stored=True),
            F.SOURCE: fields.TEXT(analyzer=names, stored=True),
            F.ENTITIES: fields.COLUMN(columns.VarBytesColumn()),
            F.SKETCH: fields.COLUMN(columns.FixedBytesColumn(SKETCH_SIZE, default=NO_SKETCH)),
            F.TITLE_DERIVED: fields.STORED(),
        }
    )


NAME_SEPARATOR = "\n"  # between the names stored in one entity field
