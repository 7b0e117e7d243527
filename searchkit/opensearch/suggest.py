"""Did-you-mean on a cluster: the embedded engine's rules (search/suggest.py),
with OpenSearch's term suggester as the corrector.

A word is known when any article has it (in the body, or as a word of a name);
an unknown word is corrected against the names (unstemmed) first, then the
title words, within two edits.
"""

from __future__ import annotations

from ..analysis.analyzers import STOP_WORDS
from ..search.suggest import _OPERATORS, _WORD, _cased

_NAME_FIELDS = ("person", "place", "org", "dateline")


def _unknown(ix, words: list[str]) -> set[str]:
    checks = {f"w{i}": {"filter": {"bool": {"should": [{"match": {"body": word}}] + [
        {"match": {field: word}} for field in _NAME_FIELDS]}}} for i, word in enumerate(words)}
    found = ix._search({"size": 0, "aggs": checks})["aggregations"]
    return {word for i, word in enumerate(words) if not found[f"w{i}"]["doc_count"]}


def _corrections(ix, words: set[str]) -> dict[str, str]:
    text = " ".join(sorted(word.lower() for word in words))
    fields = _NAME_FIELDS + ("title",)
    suggest = {"text": text, **{field: {"term": {"field": field, "size": 1, "max_edits": 2,
                                                   "suggest_mode": "always", "analyzer": "sk_name"}}
                                for field in fields}}
    answer = ix._search({"size": 0, "suggest": suggest}).get("suggest", {})
    corrections: dict[str, str] = {}
    for field in fields:
        for entry in answer.get(field, []):
            options = entry.get("options") or []
            if options and options[0]["text"] != entry["text"]:
                corrections.setdefault(entry["text"], options[0]["text"])
    return corrections


def suggest_query(ix, text: str) -> str | None:
    """The query with unknown words corrected, or None when nothing changes."""
    words = [match[1] for match in _WORD.finditer(text)
             if match[1] not in _OPERATORS and match[1].lower() not in STOP_WORDS]
    unknown = _unknown(ix, words) if words else set()
    if not unknown:
        return None
    corrections = _corrections(ix, unknown)

    def replace(match) -> str:
        word = match[1]
        correction = corrections.get(word.lower()) if word in unknown else None
        return _cased(word, correction) if correction else word

    suggestion = _WORD.sub(replace, text)
    return suggestion if suggestion != text else None
