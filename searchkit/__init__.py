"""searchkit: full-text search for archives of news articles.

    import searchkit
    searchkit.index_folder(["seeds/"], "index")
    ix = searchkit.open_index("index")
    results = ix.search('person:"William Burns"')
    lines = [(hit.date, hit.title, hit.snippet.text) for hit in results]
"""

from __future__ import annotations

from .api import SearchIndex, create_index, index_folder, open_index
from .errors import (
    ArticleNotFound,
    ArticleParseError,
    IndexLocked,
    IndexNotFound,
    QuerySyntaxError,
    SchemaMismatch,
    SearchkitError,
    UnsafeIndex,
)
from .models import (
    Article,
    Entity,
    Facet,
    FacetValue,
    FullArticle,
    Hit,
    IndexReport,
    IndexStats,
    Results,
    Snippet,
    Span,
    TimelineBucket,
)

__version__ = "0.1.0"


def load_articles(path, errors: str = "skip"):
    """Yield the Articles in a file or folder (see searchkit.ingest.load_articles)."""
    from .ingest import load_articles as _load

    return _load(path, errors=errors)


def parse_html(html, url=None, path=None) -> Article:
    """Parse one HTML page into an Article (title, date, body, dateline, url)."""
    from .ingest.html import parse_html as _parse

    return _parse(html, url=url, path=path)


def extract_entities(text: str, dateline: str | None = None) -> list[Entity]:
    """People, organisations and places named in `text`, with canonical names."""
    from .analysis.entities import extract_entities as _extract

    return _extract(text, dateline=dateline)


__all__ = [
    "SearchIndex", "open_index", "create_index", "index_folder",
    "load_articles", "parse_html", "extract_entities",
    "Article", "Entity", "Facet", "FacetValue", "FullArticle", "Hit", "IndexReport",
    "IndexStats", "Results", "Snippet", "Span", "TimelineBucket",
    "SearchkitError", "ArticleParseError", "ArticleNotFound", "IndexLocked", "IndexNotFound",
    "QuerySyntaxError", "SchemaMismatch", "UnsafeIndex",
]
