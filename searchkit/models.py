"""Plain data passed between the layers. No whoosh here.

Every layer speaks in these frozen dataclasses: ingest produces `Article`s,
analysis produces `Entity`s, search produces `Results` made of `Hit`s. They
are plain Python objects that stay valid after an index is closed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

ENTITY_KINDS = ("person", "org", "place")

# Where an article's date came from (its provenance). "field": a date field of a
# structured record (JSON Lines, NITF/NewsML-G2, a feed entry); "warc": a WARC
# record's capture date (WARC-Date), used only when the page itself gives none.
DATE_SOURCES = ("header", "meta", "json-ld", "time-tag", "url", "text", "field", "warc")


@dataclass(frozen=True)
class Entity:
    """A named entity: canonical display name and kind (person, org, place)."""

    name: str
    kind: str


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, before analysis.

    `title` is the headline when the source has one. The seed text format has
    no headline: there `title` is derived from the lead sentence and
    `title_derived` is True.
    `date_source` records where `date` came from (see DATE_SOURCES).
    `warnings` are non-fatal problems met while reading (bad date, decoding
    fallback, truncation); the article is still indexed.
    """

    id: str
    body: str
    title: str = ""
    date: _dt.date | None = None
    date_source: str | None = None
    dateline: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None
    authors: tuple[str, ...] = ()
    title_derived: bool = False
    warnings: tuple[str, ...] = ()
    entities: tuple[Entity, ...] | None = None  # given by the source (None: extract)


@dataclass(frozen=True)
class Span:
    """A highlighted range [start, end) inside a snippet's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Snippet:
    """A piece of an article's text with the matched words as spans.

    Data first, markup last: renderers decide how spans look.
    """

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float
    rank: int
    date: _dt.date | None = None
    date_source: str | None = None
    dateline: str | None = None
    path: str | None = None
    url: str | None = None
    source: str | None = None
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    snippet: Snippet | None = None
    duplicates: int = 0  # near-copies folded into this hit ("+N similar")
    duplicate_ids: tuple[str, ...] = ()  # their ids, one step away

    @property
    def entities(self) -> tuple[Entity, ...]:
        return (
            tuple(Entity(n, "person") for n in self.people)
            + tuple(Entity(n, "org") for n in self.orgs)
            + tuple(Entity(n, "place") for n in self.places)
        )


@dataclass(frozen=True)
class FacetValue:
    name: str
    count: int


@dataclass(frozen=True)
class Facet:
    """Top values of one entity kind over all matches of a query."""

    kind: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class TimelineBucket:
    start: _dt.date
    label: str
    count: int
    total: int = 0  # all articles in the bucket (for normalising)


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    hits: tuple[Hit, ...]
    page: int = 1
    limit: int = 10
    sort: str = "relevance"
    warnings: tuple[str, ...] = ()
    facets: tuple[Facet, ...] = ()
    suggestion: str | None = None
    more: bool | None = None  # a later page has hits (known when copies fold: they shorten the list)
    feedback: tuple[str, ...] = ()  # words the best articles added to rank the matches (search/feedback.py)

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self):
        return iter(self.hits)

    @property
    def pages(self) -> int:
        """Pages of hits: this one when no later page has any (copies folded), else one per
        `limit` matches (folded copies may leave the last of those empty)."""
        counted = max(1, -(-self.total // self.limit)) if self.limit else 1
        if self.more is False and self.hits:
            return self.page
        return max(counted, self.page + 1) if self.more else counted


@dataclass(frozen=True)
class FullArticle:
    """A whole stored article, as returned by `SearchIndex.get(id)`."""

    id: str
    title: str
    body: str
    date: _dt.date | None = None
    date_source: str | None = None
    dateline: str | None = None
    path: str | None = None
    url: str | None = None
    source: str | None = None
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str


@dataclass(frozen=True)
class IndexReport:
    """What one `update()` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0  # files with a suffix we do not read
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def indexed(self) -> int:
        return self.added + self.updated


@dataclass(frozen=True)
class IndexStats:
    path: str
    articles: int
    first_date: _dt.date | None
    last_date: _dt.date | None
    undated: int
    top_entities: tuple[Facet, ...] = field(default_factory=tuple)
    size_bytes: int = 0
    extractor: str = "rules"  # the entity extractor the index was built with (docs/entities.md)
