"""Ids for the records of a file that holds many articles.

A record's id is the key its format gives it (a JSON `id`, a CSV id column…)
or else its file path and position (`dump.jsonl#12`). An id already given to
an earlier record of the same file is not given twice: the record gets its
fallback instead, with a warning, so ids stay unique within a file.
"""

from __future__ import annotations

from dataclasses import replace

from ..models import Article


class RecordIds:
    """The ids handed out so far in one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: dict[str, str] = {}  # id -> where it was first used

    def claim(self, article: Article, wanted: str, fallback: str, where: str) -> Article:
        """`article` with the id `wanted`, or `fallback` when `wanted` is taken."""
        chosen = wanted
        if wanted in self.seen:
            chosen, again = fallback, 1
            while chosen in self.seen:
                again += 1
                chosen = f"{fallback}@{again}"
            note = (f"{self.path}: {where}: the id {wanted!r} was used already ({self.seen[wanted]}); "
                    f"indexed as {chosen!r}")
            article = replace(article, warnings=article.warnings + (note,))
        self.seen[chosen] = where
        return article if article.id == chosen else replace(article, id=chosen)
