"""The OpenSearch index: analysis settings and mappings made from searchkit's own
analysers and schema, and an Article as an OpenSearch document (and back).

Text fields are analysed as close to analysis/analyzers.py as OpenSearch's built-in
analysis allows: the same word pattern, possessive, lower case, the same stop list
(deleted by a character filter before tokenising, so that positions have no gaps, as
Whoosh's StopFilter renumbers them) and a Porter stemmer (Lucene's porter_stem, the
algorithm analysis/porter.py implements; docs/scale-out.md). No client here.
"""

from __future__ import annotations

import datetime as _dt
import hashlib

from ..analysis.analyzers import STOP_WORDS, WORD_PATTERN
from ..index.documents import ranked_text
from ..models import Article, Entity

OS_SCHEMA_VERSION = 2  # 2: the title's own BM25 b
DATE_FORMAT = "yyyy-MM-dd"

TEXT_FIELDS = ("title", "body")  # sk_text: stemmed, ranked
ENTITY_FIELDS = {"person": "person", "org": "org", "place": "place"}  # entity kind -> field
NAME_FIELDS = ("dateline", "person", "org", "place", "author", "source")  # sk_name, + `raw` keyword
KEYWORD_FIELDS = ("id", "origin", "path", "file_hash", "url", "date_source")
RAW = "raw"  # the keyword subfield of a name field (facets)


def _stop_pattern() -> str:
    """A stop word as a whole word, with its possessive: deleted before tokenising.
    Longest first, so an alternative never stops at a shorter stop word's end. A word
    after an apostrophe that follows a letter is a contraction's tail (`don't`), kept
    with it as the tokenizer keeps it; after a quote (`'an exception'`) it is a word."""
    stops = "|".join(sorted(STOP_WORDS, key=lambda word: (-len(word), word)))
    return rf"(?<!\w)(?<!\w['’])(?:{stops})(?:['’]s)?(?![\w]|['’]\w)"


def analysis_settings() -> dict:
    """Character filter, tokenizer, filters and the two analysers (sk_text, sk_name)."""
    return {
        "char_filter": {
            "sk_stops": {"type": "pattern_replace", "pattern": _stop_pattern(), "replacement": "",
                         "flags": "CASE_INSENSITIVE|UNICODE_CHARACTER_CLASS|UNICODE_CASE"},
        },
        "tokenizer": {
            "sk_words": {"type": "pattern", "pattern": WORD_PATTERN, "group": 0,
                         "flags": "UNICODE_CHARACTER_CLASS"},
        },
        "filter": {
            "sk_possessive": {"type": "stemmer", "language": "possessive_english"},
            # analyzers.stem_word: "use", "used", "using" stay "use", not "us" (a country)
            "sk_use": {"type": "stemmer_override", "rules": ["use, used, uses, using => use"]},
        },
        "analyzer": {
            "sk_text": {"type": "custom", "char_filter": ["sk_stops"], "tokenizer": "sk_words",
                        "filter": ["sk_possessive", "lowercase", "sk_use", "porter_stem"]},
            "sk_name": {"type": "custom", "tokenizer": "sk_words",
                        "filter": ["sk_possessive", "lowercase"]},
        },
    }


def similarity_settings() -> dict:
    """BM25 with search/scoring.py's k1 and b, and its b for the title."""
    from ..search.scoring import B, K1, TITLE_B

    return {"sk_bm25": {"type": "BM25", "k1": K1, "b": B},
            "sk_bm25_title": {"type": "BM25", "k1": K1, "b": TITLE_B}}


def _text(analyzer: str, similarity: str = "sk_bm25") -> dict:
    return {"type": "text", "analyzer": analyzer, "similarity": similarity}


def properties() -> dict:
    fields: dict = {name: {"type": "keyword"} for name in KEYWORD_FIELDS}
    fields.update({name: _text("sk_text", "sk_bm25_title" if name == "title" else "sk_bm25")
                   for name in TEXT_FIELDS})
    fields.update({name: {**_text("sk_name"), "fields": {RAW: {"type": "keyword"}}} for name in NAME_FIELDS})
    fields.update({
        "display_title": {"type": "keyword", "index": False, "doc_values": False},
        "body_offset": {"type": "integer", "index": False},
        "date": {"type": "date", "format": DATE_FORMAT},
        "title_derived": {"type": "boolean"},
        # the writer's: the _id again (a sort tiebreaker for search_after; _id has no doc
        # values) and the number of articles of the file (a partly written file is redone)
        "key": {"type": "keyword"},
        "file_articles": {"type": "integer"},
    })
    return fields


def index_body(shards: int = 1, replicas: int = 0, aliases_text: str = "") -> dict:
    """The create-index request body."""
    return {
        "settings": {
            "index": {
                "number_of_shards": int(shards),
                "number_of_replicas": int(replicas),
                "similarity": similarity_settings(),
            },
            "analysis": analysis_settings(),
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"searchkit_schema": OS_SCHEMA_VERSION, "aliases": aliases_text},
            "properties": properties(),
        },
    }


def document_id(origin: str, path: str | None, article_id: str) -> str:
    """The _id of an article: stable, and distinct for every (origin, path, id), so
    machines and folders indexing into one cluster never overwrite each other."""
    key = "\x00".join((origin or "", path or "", article_id or ""))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def opensearch_document(article: Article, file_hash: str, entities: list[Entity] | tuple[Entity, ...],
                        origin: str) -> dict:
    """The _source of one article, with index/documents.py's choices: `body` is ranked as
    the whole article (headline + text), a headline derived from the lead is for display
    only (no `title`), `body_offset` drops the headline again for display."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in ENTITY_FIELDS}
    for entity in entities:
        if entity.kind in by_kind:
            by_kind[entity.kind].append(entity.name)
    body = ranked_text(article.title, article.body, article.title_derived)
    offset = len(body) - len(article.body or "")
    doc = {
        "id": article.id,
        "origin": origin,
        "path": article.path or "",
        "file_hash": file_hash,
        "display_title": article.title,
        "body": body,
        "body_offset": offset,
        "title_derived": bool(article.title_derived),
    }
    optional = {  # left out when empty: `exists` (`title:*`) then means a value, as in Whoosh
        "title": "" if article.title_derived else article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "dateline": article.dateline,
        "author": list(article.authors),
        "url": article.url,
        "source": article.source,
        **{ENTITY_FIELDS[kind]: names for kind, names in by_kind.items()},
    }
    doc.update({name: value for name, value in optional.items() if value})
    return doc


def _names(source: dict, field: str) -> tuple[str, ...]:
    value = source.get(field) or ()
    return (value,) if isinstance(value, str) else tuple(value)


def article_fields(source: dict) -> dict:
    """The keyword arguments of models.FullArticle from a document's _source (for a
    models.Hit, take out `body`, the article's text without the headline)."""
    date = source.get("date")
    return dict(
        id=source.get("id", ""),
        title=source.get("display_title", source.get("title", "")),
        body=(source.get("body") or "")[source.get("body_offset") or 0:],
        date=_dt.date.fromisoformat(date[:10]) if date else None,
        date_source=source.get("date_source"),
        dateline=source.get("dateline"),
        path=source.get("path") or None,
        url=source.get("url"),
        source=source.get("source"),
        people=_names(source, ENTITY_FIELDS["person"]),
        orgs=_names(source, ENTITY_FIELDS["org"]),
        places=_names(source, ENTITY_FIELDS["place"]),
        authors=_names(source, "author"),
    )
