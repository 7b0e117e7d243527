"""Results -> lines of text for a terminal. Pure functions of data plus settings.

`color=False` gives plain text (piped output, NO_COLOR)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from ..models import Facet, FullArticle, Hit, IndexReport, IndexStats, Results, Snippet, TimelineBucket

STYLES = {
    "number": "\x1b[1m",
    "title": "\x1b[1m",
    "date": "\x1b[36m",
    "dateline": "\x1b[33m",
    "entity": "\x1b[2m",
    "match": "\x1b[1;31m",
    "warning": "\x1b[33m",
    "error": "\x1b[31m",
    "bar": "\x1b[34m",
    "note": "\x1b[2m",
}
RESET = "\x1b[0m"
FEEDBACK_SHOWN = 8  # feedback words named above the hits


def paint(text: str, style: str, color: bool) -> str:
    return f"{STYLES[style]}{text}{RESET}" if color and text else text


def snippet_text(snippet: Snippet | None, color: bool) -> str:
    """The snippet with its spans marked: colour on a terminal, [brackets] otherwise."""
    if snippet is None:
        return ""
    out, position = [], 0
    for span in snippet.spans:
        out.append(snippet.text[position:span.start])
        word = snippet.text[span.start:span.end]
        out.append(paint(word, "match", True) if color else f"[{word}]")
        position = span.end
    out.append(snippet.text[position:])
    return "".join(out)


def _entities_line(hit: Hit, most: int = 6) -> str:
    names = list(hit.people[:3]) + list(hit.orgs[:2]) + list(hit.places[:3])
    return ", ".join(names[:most])


def format_hit(hit: Hit, color: bool = False, width: int = 100) -> list[str]:
    head = [paint(f"{hit.rank:>3}.", "number", color)]
    head.append(paint(hit.date.isoformat() if hit.date else "undated", "date", color))
    head.append(paint(hit.title or hit.id, "title", color))
    lines = [" ".join(head)]
    meta = []
    if hit.dateline:
        meta.append(paint(hit.dateline.upper(), "dateline", color))
    entities = _entities_line(hit)
    if entities:
        meta.append(paint(entities, "entity", color))
    if hit.duplicates:
        meta.append(f"+{hit.duplicates} similar")
    if meta:
        lines.append("     " + " · ".join(meta))
    snippet = snippet_text(hit.snippet, color=False)
    if snippet:
        wrapped = textwrap.wrap(snippet, width=max(40, width - 5))
        text = "\n".join("     " + line for line in wrapped)
        if color:  # re-mark after wrapping, so that escapes never count as width
            text = text.replace("[", STYLES["match"]).replace("]", RESET)
        lines.append(text)
    lines.append(paint(f"     id: {hit.id}", "entity", color))
    return lines


def format_results(results: Results, color: bool = False, width: int = 100) -> str:
    lines: list[str] = [paint(f"warning: {w}", "warning", color) for w in results.warnings]
    if not results.total:
        lines.append(f"No articles match {results.query!r}.")
        if results.suggestion:
            lines.append(f"Did you mean: {results.suggestion}")
        return "\n".join(lines)
    shown = f"{results.hits[0].rank}–{results.hits[-1].rank}" if results.hits else "none"
    lines.append(f"{results.total} articles match; showing {shown} (page {results.page} of "
                 f"{results.pages}, sorted by {results.sort})")
    if results.feedback:
        more = " …" if len(results.feedback) > FEEDBACK_SHOWN else ""
        lines.append(paint("ranked with words of the best articles: " + ", ".join(results.feedback[:FEEDBACK_SHOWN])
                           + more, "note", color))
    for hit in results.hits:
        lines.append("")
        lines.extend(format_hit(hit, color=color, width=width))
    if results.facets:
        lines.append("")
        lines.append(format_facets(results.facets, color=color))
    return "\n".join(lines)


def format_facets(facets: Iterable[Facet], color: bool = False) -> str:
    labels = {"person": "People", "org": "Organisations", "place": "Places"}
    lines = []
    for facet in facets:
        values = ", ".join(f"{v.name} ({v.count})" for v in facet.values) or "—"
        lines.append(f"{paint(labels.get(facet.kind, facet.kind), 'title', color)}: {values}")
    return "\n".join(lines)


def format_entity_table(facets: Iterable[Facet], color: bool = False) -> str:
    lines = []
    for facet in facets:
        if not facet.values:
            continue
        lines.append(paint(facet.kind, "title", color))
        width = max(len(str(v.count)) for v in facet.values)
        lines.extend(f"  {v.count:>{width}}  {v.name}" for v in facet.values)
    return "\n".join(lines) or "No entities."


def format_timeline(interval: str, buckets: Iterable[TimelineBucket], color: bool = False,
                    width: int = 80, normalise: bool = False) -> str:
    buckets = list(buckets)
    if not buckets:
        return "No dated articles match."
    values = [(b.count / b.total if b.total else 0.0) if normalise else float(b.count) for b in buckets]
    peak = max(values) or 1.0
    label_width = max(len(b.label) for b in buckets)
    bar_room = max(10, width - label_width - 12)
    lines = [f"matches per {interval}" + (" (share of all articles)" if normalise else "")]
    for bucket, value in zip(buckets, values):
        bar = "█" * round(value / peak * bar_room)
        shown = f"{value:.1%}" if normalise else str(bucket.count)
        lines.append(f"{bucket.label:<{label_width}} {paint(bar, 'bar', color)} {shown}")
    return "\n".join(lines)


def format_report(report: IndexReport, color: bool = False) -> str:
    lines = [f"warning: {w}" for w in report.warnings]
    lines.extend(paint(f"failed: {f.path}: {f.reason}", "error", color) for f in report.failures)
    lines.append(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"removed {report.removed}, failed {report.failed}, skipped {report.skipped} "
        f"(other file types) in {report.seconds:.1f}s"
    )
    return "\n".join(lines)


def format_stats(stats: IndexStats, color: bool = False) -> str:
    span = (f"{stats.first_date} … {stats.last_date}" if stats.first_date else "no dated articles")
    lines = [
        f"index:    {stats.path}",
        f"articles: {stats.articles} ({stats.undated} undated)",
        f"dates:    {span}",
        f"size:     {stats.size_bytes / 2**20:.1f} MB",
        f"entities: {stats.extractor} extractor",
        "",
        format_facets(stats.top_entities, color=color),
    ]
    return "\n".join(lines)


def format_article(article: FullArticle, color: bool = False, width: int = 100) -> str:
    lines = [paint(article.title, "title", color)]
    meta = [article.date.isoformat() if article.date else "undated"]
    if article.dateline:
        meta.append(article.dateline)
    if article.url:
        meta.append(article.url)
    lines.append(paint(" · ".join(meta), "date", color))
    for label, names in (("People", article.people), ("Organisations", article.orgs), ("Places", article.places)):
        if names:
            lines.append(paint(f"{label}: {', '.join(names)}", "entity", color))
    lines.append("")
    for paragraph in article.body.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width=width) or [""])
    return "\n".join(lines)
