"""The plain Whoosh script searchkit is measured against.

What a Python user would write in an afternoon: Whoosh's default
`StemmingAnalyzer`, one writer (limitmb=128), one commit, fields title, body
and date, a `MultifieldParser` over title and body, and `whoosh.highlight`
(hit.highlights) for snippets. It reads the same JSON Lines files.

    python benchmarks/baseline_whoosh.py build INDEX_DIR FILE...
    python benchmarks/baseline_whoosh.py search INDEX_DIR QUERY
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time

DATE_FORMATS = ("%Y-%m-%d", "%d-%b-%Y %H:%M:%S.%f")


def schema():
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        date=fields.DATETIME(stored=True),
    )


def parse_day(text: str | None):
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime((text or "").strip()[:24], fmt)
        except ValueError:
            continue
    return None


def build(index_dir: str, files: list[str]) -> int:
    from whoosh import index

    os.makedirs(index_dir, exist_ok=True)
    ix = index.create_in(index_dir, schema())
    writer = ix.writer(limitmb=128)
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                fields = {"id": str(row.get("id", count)), "title": row.get("title") or "",
                          "body": row.get("text") or ""}
                day = parse_day(row.get("date"))
                if day:
                    fields["date"] = day
                writer.add_document(**fields)
                count += 1
    writer.commit()
    return count


def _query(ix, text: str):
    from whoosh import query
    from whoosh.qparser import MultifieldParser

    words, _, dates = text.partition("@")
    parsed = MultifieldParser(["title", "body"], ix.schema).parse(words.strip())
    if not dates:
        return parsed
    first, last = (dt.datetime.strptime(d, "%Y-%m-%d") for d in dates.split(":"))
    return query.And([parsed, query.DateRange("date", first, last)])


def search(ix, text: str, limit: int = 10) -> list[dict]:
    """Top hits with a highlighted snippet each, copied out of the searcher."""
    with ix.searcher() as searcher:
        results = searcher.search(_query(ix, text), limit=limit)
        return [dict(hit.fields(), snippet=hit.highlights("body")) for hit in results]


def main(argv: list[str]) -> int:
    command, index_dir, *rest = argv
    if command == "build":
        started = time.perf_counter()
        count = build(index_dir, rest)
        seconds = time.perf_counter() - started
        me = resource.getrusage(resource.RUSAGE_SELF)
        print(json.dumps({"articles": count, "seconds": seconds, "maxrss_kb": me.ru_maxrss,
                          "cpu_seconds": me.ru_utime + me.ru_stime}))
        return 0
    from whoosh import index

    hits = search(index.open_dir(index_dir), " ".join(rest))
    for hit in hits:
        print(hit.get("date"), hit.get("title"), hit["snippet"], sep="\t")
    return 0 if hits else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
