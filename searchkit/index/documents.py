"""Article -> the fields Whoosh indexes (the analyse step of the data flow)."""

from __future__ import annotations

from ..analysis.sketch import make_sketch
from ..models import Article, Entity
from .schema import NAME_SEPARATOR, F, day_number

_KIND_CODES = {"person": "p", "org": "o", "place": "l"}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_BYTE_CODE_KINDS = {code.encode("ascii"): kind for code, kind in _CODE_KINDS.items()}


def encode_entities(entities: list[Entity] | tuple[Entity, ...]) -> bytes:
    return "\n".join(f"{_KIND_CODES[e.kind]}\t{e.name}" for e in entities).encode("utf-8")


def entity_kind(code: bytes) -> str:
    """The kind of a stored entity line's code (as decode_entities reads it)."""
    return _BYTE_CODE_KINDS.get(code, "place")


def decode_entities(data: bytes) -> list[Entity]:
    if not data:
        return []
    out = []
    for line in data.decode("utf-8").split("\n"):
        code, _, name = line.partition("\t")
        if name:
            out.append(Entity(name, _CODE_KINDS.get(code, "place")))
    return out


def article_entities(article: Article, aliases=None) -> list[Entity]:
    """The article's entities: given by its source, else extracted (with the
    user's alias file applied when `aliases` is given)."""
    if article.entities is not None:
        if aliases:
            resolved = (aliases.resolve(e.name, e.kind) for e in article.entities)
            return [Entity(*pair) for pair in dict.fromkeys(r for r in resolved if r)]
        return list(article.entities)
    text = article.body if article.title_derived else f"{article.title}\n\n{article.body}"
    from ..analysis.entities import extract_entities  # not at import: searching never needs it

    return extract_entities(text, dateline=article.dateline, aliases=aliases)


def document_for(article: Article, file_hash: str, extract_entities: bool = True, aliases=None) -> dict:
    """The Whoosh document for an article, with its entities found (or as its source gave them)."""
    entities = article_entities(article, aliases) if extract_entities else list(article.entities or ())
    return article_document(article, file_hash, entities)


def article_document(article: Article, file_hash: str, entities: list[Entity]) -> dict:
    """The Whoosh document for one article. The schema's `key` field is left
    empty: nothing reads it, and a unique term per article cost CPU in every
    segment written and merged."""
    by_kind: dict[str, list[str]] = {"person": [], "org": [], "place": []}
    for entity in entities:
        by_kind.setdefault(entity.kind, []).append(entity.name)
    path = article.path or ""
    doc = {
        F.ID: article.id,
        F.PATH: path,
        F.FILE: f"{path}\x00{file_hash}".encode("utf-8"),
        F.TITLE: article.title,
        F.BODY: article.body,
        F.ENTITIES: encode_entities(entities),
        F.SKETCH: make_sketch("" if article.title_derived else article.title, article.body),
        F.TITLE_DERIVED: article.title_derived,
    }
    optional = {
        F.DATE: day_number(article.date) if article.date else None,
        F.DATE_SOURCE: article.date_source,
        F.DATELINE: article.dateline,
        F.PERSON: NAME_SEPARATOR.join(by_kind["person"]),
        F.ORG: NAME_SEPARATOR.join(by_kind["org"]),
        F.PLACE: NAME_SEPARATOR.join(by_kind["place"]),
        F.AUTHOR: NAME_SEPARATOR.join(article.authors),
        F.URL: article.url,
        F.SOURCE: article.source,
    }
    doc.update({name: value for name, value in optional.items() if value})
    if article.title_derived:
        # A title derived from the lead sentence is for display only: indexing
        # it would count the lead twice (measured: TIME MAP 0.48 vs 0.62).
        doc[F.TITLE] = ""
        doc["_stored_" + F.TITLE] = article.title
    elif article.title:
        # The body field is ranked as the whole article (headline + text), so
        # BM25 saturates a word once over both (CISI nDCG@10 0.37 -> 0.40);
        # the stored body stays the text alone.
        doc[F.BODY] = ranked_text(article.title, article.body)
        doc["_stored_" + F.BODY] = article.body
    return doc


def ranked_text(title: str | None, body: str | None, title_derived: bool = False) -> str:
    """The text an article is ranked by (its `body` field): headline and text, or the text
    alone when the headline was derived from its lead (display only)."""
    body = body or ""
    return f"{title}\n\n{body}" if title and not title_derived else body


def document_from_stored(stored: dict, file_value: bytes, entities: bytes) -> dict:
    """An article's document made again from its stored fields and its columns (to
    re-add it changed, e.g. under another id), indexed as article_document indexes it."""
    doc = {name: value for name, value in stored.items() if value is not None}
    doc[F.FILE] = file_value
    doc[F.ENTITIES] = entities
    title, body = stored.get(F.TITLE) or "", stored.get(F.BODY) or ""
    doc[F.SKETCH] = make_sketch("" if stored.get(F.TITLE_DERIVED) else title, body)
    if stored.get(F.TITLE_DERIVED):
        doc[F.TITLE] = ""
        doc["_stored_" + F.TITLE] = title
    elif title:
        doc[F.BODY] = ranked_text(title, body)
        doc["_stored_" + F.BODY] = body
    return doc
