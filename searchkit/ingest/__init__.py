"""Ingest: files -> Article. Formats: seed text (.txt), HTML (.html/.htm), JSON Lines (.jsonl)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..errors import ArticleParseError
from ..models import Article, Failure
from .discover import discover
from .load import parse_source, read_source


def load_articles(path: str | os.PathLike, errors: str = "skip") -> Iterator[Article]:
    """Yield the articles in a file or folder (recursively).

    errors="skip" passes over files and lines that cannot be read;
    errors="raise" raises ArticleParseError at the first one."""
    walk = discover([path])
    if errors == "raise" and walk.failures:
        failure = walk.failures[0]
        raise ArticleParseError(failure.path, failure.reason)
    for source in walk.sources:
        try:
            data = read_source(source)
        except ArticleParseError:
            if errors == "raise":
                raise
            continue
        for item in parse_source(source, data):
            if isinstance(item, Failure):
                if errors == "raise":
                    raise ArticleParseError(item.path, item.reason)
                continue
            yield item
