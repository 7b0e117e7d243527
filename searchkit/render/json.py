"""Results -> JSON, JSON Lines and CSV. Pure functions of data."""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io
import json
from collections.abc import Iterable

from ..models import Facet, Hit, IndexReport, IndexStats, TimelineBucket

CSV_COLUMNS = ("rank", "id", "score", "date", "title", "dateline", "people", "orgs", "places", "url", "path", "snippet")


def _plain(value):
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def hit_record(hit: Hit) -> dict:
    record = _plain(hit)
    record["score"] = round(hit.score, 4)
    if hit.snippet is not None:
        record["snippet"] = {
            "text": hit.snippet.text,
            "highlights": [[span.start, span.end] for span in hit.snippet.spans],
        }
    return record


def hits_jsonl(hits: Iterable[Hit]) -> Iterable[str]:
    for hit in hits:
        yield json.dumps(hit_record(hit), ensure_ascii=False)


def hits_csv(hits: Iterable[Hit]) -> Iterable[str]:
    """CSV lines (header first), one per hit; names joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.rstrip("\r\n")

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for hit in hits:
        writer.writerow([
            hit.rank, hit.id, round(hit.score, 4), hit.date.isoformat() if hit.date else "", hit.title,
            hit.dateline or "", "; ".join(hit.people), "; ".join(hit.orgs), "; ".join(hit.places),
            hit.url or "", hit.path or "", hit.snippet.text if hit.snippet else "",
        ])
        yield flush()


def to_json(value) -> str:
    """Any searchkit data object (stats, report, facets, article) as JSON."""
    return json.dumps(_plain(value), ensure_ascii=False, indent=2)


def facets_records(facets: Iterable[Facet]) -> dict:
    return {facet.kind: [{"name": v.name, "count": v.count} for v in facet.values] for facet in facets}


def timeline_records(buckets: Iterable[TimelineBucket]) -> list[dict]:
    return [
        {"start": b.start.isoformat(), "label": b.label, "count": b.count, "total": b.total}
        for b in buckets
    ]


def report_record(report: IndexReport) -> dict:
    record = _plain(report)
    record["failed"] = report.failed
    return record


def stats_record(stats: IndexStats) -> dict:
    record = _plain(stats)
    record["top_entities"] = facets_records(stats.top_entities)
    return record
