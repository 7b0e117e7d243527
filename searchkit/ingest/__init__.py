"""Ingest: files -> Article.

The walk (`discover.py`) finds the files of a known kind and lists archive
members; `load.py` reads one (`read_source`) and hands its bytes, expanded when
compressed (`compressed.py`), to the parser of its kind (`parse_source`):

    .txt                  seed text (text.py)          one article; id PATH
    .html .htm            HTML (html.py)               one article; id PATH
    .jsonl                JSON Lines (jsonl.py)        a line each; id its `id`, else PATH#LINE
    .json                 JSON (jsonfile.py)           an object each; id its `id`, else PATH#N
    .csv .tsv             CSV/TSV (delimited.py)       a row each; id PATH#ID, else PATH#ROW
    .warc                 WARC (warc.py)               an HTML response each; id PATH#RECORD-ID
    .xml .nitf .newsml    NITF/NewsML-G2 (newsxml.py)  a story each; id PATH#DOC-ID
    .xml .rss .atom .rdf  RSS/Atom (feeds.py)          an entry each; id PATH#GUID

each also as .gz, .bz2 or .xz, and inside .zip and .tar(.gz/.bz2/.xz)
archives (`archives.py`), read in place. PATH is the path relative to the
walk's base folder (see discover.py); columns and keys are matched to fields
by columns.py; records.py keeps ids unique within a file. docs/ingest.md
lists the formats, their ids and the handling of bad input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from ..errors import ArticleParseError
from ..models import Article, Failure
from .discover import discover
from .load import parse_source, read_source


def load_articles(path: str | os.PathLike, errors: str = "skip",
                  fields: Mapping[str, str] | None = None) -> Iterator[Article]:
    """Yield the articles in a file or folder (recursively), archives included.

    errors="skip" passes over files and lines that cannot be read;
    errors="raise" raises ArticleParseError at the first one. `fields` names
    the CSV column or JSON key of article fields ({"text": "content"})."""
    walk = discover([path], fields=fields)
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
