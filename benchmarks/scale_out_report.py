"""The Markdown of benchmarks/scale_out.py: each figure for the embedded index
and the cluster, and the ratio cluster/embedded."""

from __future__ import annotations

SEARCHERS = ("1", "4", "16")
OVERTAKE = 1.10  # a ratio of searches/s that run-to-run noise does not reach


def _ratio(cluster, embedded) -> str:
    if not cluster or not embedded:
        return "–"
    return f"{cluster / embedded:.2f}×"


def _row(figure: str, embedded, cluster, fmt: str = "{:,.0f}") -> str:
    show = lambda value: "–" if value is None else fmt.format(value)  # noqa: E731
    return f"| {figure} | {show(embedded)} | {show(cluster)} | {_ratio(cluster, embedded)} |"


def _build_rows(result: dict) -> list[str]:
    articles = result["articles"]
    e, c = result["build"]["embedded"], result["build"]["cluster"]
    per_article = lambda seconds: 1000 * seconds / articles  # noqa: E731
    per = lambda store: store["bytes"] / store["docs"] if store.get("docs") else None  # noqa: E731
    return [
        _row("indexing, with entities (articles/s)", e["articles_per_second"], c["articles_per_second"]),
        _row("indexing time (s)", e["seconds"], c["seconds"], "{:,.1f}"),
        _row("CPU of the indexing processes per article (ms)", per_article(e["cpu_seconds"]),
             per_article(c["cpu_seconds"]), "{:.2f}"),
        _row("CPU of the cluster node per article (ms)", None, per_article(c["node_cpu_seconds"]), "{:.2f}"),
        _row("peak RSS of the indexing processes (MB)", e["peak_rss_mb"], c["peak_rss_mb"]),
        _row("on disk per article, as built (bytes)", per(e["store"]), per(c["store"])),
        _row("on disk per article, cluster merged to 1 segment (embedded: as built)", per(e["store"]), per(c["merged"])),
        _row("on disk / raw text, as built", e["store"]["bytes"] / result["text_bytes"],
             c["store"]["bytes"] / result["text_bytes"], "{:.2f}"),
    ]


def _search_rows(result: dict) -> list[str]:
    q = result["queries"]
    rows = [_row(f"query {key}, 1 searcher (ms)", q["embedded"][key], q["cluster"][key], "{:.2f}")
            for key in ("p50", "p95", "max")]
    for threads in SEARCHERS:
        load = result["load"][threads]
        rows.append(_row(f"searches/s, {threads} searcher{'s' if threads != '1' else ''}",
                         load["embedded"]["per_second"], load["cluster"]["per_second"], "{:,.1f}"))
    top = result["load"][SEARCHERS[-1]]
    rows.append(_row(f"p95 with {SEARCHERS[-1]} searchers (ms)", top["embedded"]["p95"], top["cluster"]["p95"],
                     "{:.1f}"))
    rows.append(_row(f"CPU of the searching process per search, {SEARCHERS[-1]} searchers (ms)",
                     top["embedded"]["cpu_ms_per_search"], top["cluster"]["cpu_ms_per_search"], "{:.2f}"))
    rows.append(_row(f"CPU of the cluster node per search, {SEARCHERS[-1]} searchers (ms)",
                     None, top["cluster"]["node_cpu_ms_per_search"], "{:.2f}"))
    return rows


def _kind_rows(result: dict) -> list[str]:
    q = result["queries"]
    rows = ["| kind of query | embedded p50 (ms) | cluster p50 (ms) | cluster/embedded |", "|---|---:|---:|---:|"]
    for kind, embedded in q["embedded"]["by_kind"].items():
        rows.append(_row(kind, embedded["p50"], q["cluster"]["by_kind"][kind]["p50"], "{:.2f}"))
    return rows


def overtakes(result: dict) -> str:
    """Where the cluster's searches/s first exceed the embedded index's by more than
    the noise of a shared machine (OVERTAKE)."""
    ratios = {threads: load["cluster"]["per_second"] / load["embedded"]["per_second"]
              for threads, load in result["load"].items()}
    shown = ", ".join(f"{ratio:.2f}× at {threads}" for threads, ratio in ratios.items())
    ahead = [threads for threads, ratio in ratios.items() if ratio >= OVERTAKE]
    verdict = (f"the cluster overtakes the embedded index at {ahead[0]} concurrent searcher(s)" if ahead else
               "the cluster does not overtake the embedded index")
    return f"{verdict} (cluster/embedded searches/s: {shown}; overtaking counted from {OVERTAKE:.2f}×)"


def _notes(result: dict) -> list[str]:
    notes = [f"- {overtakes(result)}.",
             f"- query hits (10 a query, all rounds): embedded {result['queries']['embedded']['hits']:,}, "
             f"cluster {result['queries']['cluster']['hits']:,}."]
    c = result["build"]["cluster"]
    notes.append(f"- cluster store as built: {c['store']['segments']} segments; force merge to 1 segment took "
                 f"{c['merged']['seconds']:.0f} s; node heap in use after indexing "
                 f"{c['heap_used_bytes'] / 2**20:.0f} MB.")
    errors = {f"{t}/{engine}": load[engine]["errors"] for t, load in result["load"].items()
              for engine in ("embedded", "cluster") if load[engine]["errors"]}
    if errors:
        notes.append(f"- searches that failed under load: {errors}")
    return notes


def render(report: dict) -> str:
    lines = ["# searchkit: the embedded index against an OpenSearch cluster", ""]
    cluster = report.get("cluster")
    if cluster:
        heap = ", ".join(f"{h / 2**20:.0f} MB" for h in cluster["heap_max_bytes"])
        lines += [f"OpenSearch {cluster['version']}, {cluster['nodes']} node(s), heap {heap}, on the same "
                  f"{report['cores']}-core machine as searchkit (the node and the Python processes share "
                  "the cores).", ""]
    load = report.get("load_average")
    if load and "end" in load:
        show = lambda triple: "/".join(f"{x:.1f}" for x in triple)  # noqa: E731
        lines += [f"Load average (1/5/15 min) {show(load['start'])} at the start, {show(load['end'])} at the end: "
                  "compare ratios within one run, not values across runs.", ""]
    if report.get("quick"):
        lines += ["*Quick run (6,000 Reuters articles, no 5× corpus).*", ""]
    for name, result in report["corpora"].items():
        lines += [f"## {name} ({result['articles']:,} articles, {result['text_bytes'] / 2**20:.1f} MB of text)", "",
                  "| figure | embedded | cluster | cluster/embedded |", "|---|---:|---:|---:|"]
        lines += _build_rows(result) + _search_rows(result) + [""] + _kind_rows(result) + [""]
        lines += _notes(result) + [""]
    for name, reason in report["skipped"].items():
        lines.append(f"- {name}: skipped ({reason})")
    for name, reason in report.get("failed", {}).items():
        lines.append(f"- {name}: failed ({reason})")
    lines += ["", f"Run time {report['seconds']:.0f} s, code at {report.get('commit') or 'an unknown commit'}."]
    return "\n".join(lines) + "\n"
