"""`:export FILE`: every match of a query (not just the page) as JSON Lines or CSV, by suffix.

Streams with `SearchIndex.iter_all`, so that memory does not grow with the number of matches.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..errors import SearchkitError
from ..models import Hit
from ..render.json import hits_csv, hits_jsonl

FORMATS = {".jsonl": hits_jsonl, ".ndjson": hits_jsonl, ".json": hits_jsonl, ".csv": hits_csv}


def export_format(path: str):
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise SearchkitError(f"cannot tell the format of {path!r}",
                             hint="name the file .jsonl (JSON Lines) or .csv")
    return FORMATS[suffix]


def all_hits(ix, query: str, sort: str, feedback: bool = False) -> Iterator[Hit]:
    """Every hit of `query`, streamed by the library (only document numbers are held), in
    the order the search shows them."""
    yield from ix.iter_all(query, sort=sort, feedback=feedback)


def write_lines(path: str, lines: Iterable[str]) -> int:
    """Write the lines to `path` (through a temporary file); returns how many were written."""
    partial = f"{path}.partial"
    count = 0
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            for line in lines:
                out.write(line + "\n")
                count += 1
        os.replace(partial, path)
    except OSError as exc:
        if os.path.exists(partial):
            os.remove(partial)
        raise SearchkitError(f"cannot write {path}: {exc.strerror or exc}") from None
    return count


def export_matches(ix, query: str, sort: str, path: str, feedback: bool = False) -> int:
    """Write all matches of `query` to `path`; returns the number of hits written."""
    formatter = export_format(path)
    written = write_lines(path, formatter(all_hits(ix, query, sort, feedback)))
    return written - 1 if formatter is hits_csv else written
