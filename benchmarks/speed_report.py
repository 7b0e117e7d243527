"""The Markdown table of benchmarks/speed.py, with the floors of issue 6."""

from __future__ import annotations


def _ratio(ours, base) -> str:
    if not ours or not base:
        return "–"
    return f"{ours / base:.2f}×"


def _per(build: dict, result: dict) -> str:
    cpu = build.get("cpu_seconds")
    return f"{cpu * 1000 / result['articles']:.2f}" if cpu else "–"


def _row(figure: str, ours: str, base: str, ratio: str, floor: str = "", met: bool | None = None) -> str:
    mark = "" if met is None else (" ✅" if met else " ❌")
    return f"| {figure} | {ours} | {base} | {ratio} | {floor}{mark} |"


def corpus_rows(result: dict) -> list[str]:
    build, queries, cold = result["build"], result["queries"], result["cold"]
    sk, plain, base = build["searchkit"], build["searchkit_no_entities"], build["baseline"]
    rate = lambda r: f"{r['articles_per_second']:,.0f}/s"  # noqa: E731
    qs, qb = queries["searchkit"], queries["baseline"]
    rows = [
        _row("build, with entities (articles/s)", rate(sk), rate(base),
             _ratio(sk["articles_per_second"], base["articles_per_second"])),
        _row("build, without entities (articles/s)", rate(plain), rate(base),
             _ratio(plain["articles_per_second"], base["articles_per_second"])),
        _row("build CPU time per article, all processes (ms)", _per(sk, result), _per(base, result),
             _ratio(sk.get("cpu_seconds"), base.get("cpu_seconds"))),
        _row("build time (s)", f"{sk['seconds']:.1f}", f"{base['seconds']:.1f}", _ratio(sk["seconds"], base["seconds"])),
        _row("build peak RSS, all processes (MB)", f"{sk['peak_rss_mb']:.0f}", f"{base['peak_rss_mb']:.0f}",
             _ratio(sk["peak_rss_mb"], base["peak_rss_mb"])),
        _row("index size / raw text", f"{sk['index_bytes'] / result['text_bytes']:.2f}",
             f"{base['index_bytes'] / result['text_bytes']:.2f}", _ratio(sk["index_bytes"], base["index_bytes"])),
    ]
    for key in ("p50", "p95", "max"):
        rows.append(_row(f"query {key}, with snippets (ms)", f"{qs[key]:.2f}", f"{qb[key]:.2f}", _ratio(qs[key], qb[key])))
    rows.append(_row("cold one-off `search` process (ms)", f"{cold['searchkit'] * 1000:.0f}",
                     f"{cold['baseline'] * 1000:.0f}", _ratio(cold["searchkit"], cold["baseline"])))
    return rows


def floors(report: dict) -> list[tuple[str, str, bool]]:
    """(floor, measured, met) for the floors that this run can check."""
    corpora = report["corpora"]
    out = []
    one = corpora.get("reuters")
    if one:
        b, q = one["build"], one["queries"]
        ratio = b["searchkit"]["articles_per_second"] / b["baseline"]["articles_per_second"]
        out.append(("build with entities ≥ 2.0× baseline articles/s", f"{ratio:.2f}×", ratio >= 2.0))
        p95 = q["searchkit"]["p95"] / q["baseline"]["p95"]
        out.append(("query p95 with snippets ≤ 0.9× baseline", f"{p95:.2f}×", p95 <= 0.9))
        out.append(("query p50 < 5 ms", f"{q['searchkit']['p50']:.2f} ms", q["searchkit"]["p50"] < 5))
        cold = one["cold"]["searchkit"]
        out.append(("cold `searchkit search` < 0.2 s", f"{cold:.3f} s", cold < 0.2))
    five = corpora.get("reuters-5x")
    if one and five:
        peak1, peak5 = one["build"]["searchkit"]["peak_rss_mb"], five["build"]["searchkit"]["peak_rss_mb"]
        out.append(("5× build peak RSS < 700 MB", f"{peak5:.0f} MB", peak5 < 700))
        out.append(("5× peak RSS ≤ 1.5× the 1× peak", f"{peak5 / peak1:.2f}×", peak5 <= 1.5 * peak1))
        growth = five["build"]["searchkit"]["seconds"] / one["build"]["searchkit"]["seconds"]
        out.append(("build time 1×→5× within 6×", f"{growth:.2f}×", growth <= 6))
        p95 = five["queries"]["searchkit"]["p95"] / one["queries"]["searchkit"]["p95"]
        out.append(("query p95 1×→5× within 3×", f"{p95:.2f}×", p95 <= 3))
    return out


def render(report: dict) -> str:
    lines = ["# searchkit speed against a plain Whoosh script", ""]
    if report.get("quick"):
        lines += ["*Quick run (6,000 Reuters articles, no 5× corpus): floors are for the full run.*", ""]
    for name, result in report["corpora"].items():
        lines += [f"## {name} ({result['articles']:,} articles, {result['text_bytes'] / 2**20:.1f} MB of text)", "",
                  "| figure | searchkit | plain Whoosh | ratio | |", "|---|---:|---:|---:|---|"]
        lines += corpus_rows(result)
        lines.append("")
    for name, reason in report["skipped"].items():
        lines.append(f"- {name}: skipped ({reason})")
    checked = floors(report)
    if checked:
        lines += ["", "## Floors (issue 6)", "", "| floor | measured | met |", "|---|---:|---|"]
        lines += [f"| {floor} | {value} | {'yes' if met else '**no**'} |" for floor, value, met in checked]
    lines += ["", f"Run time {report['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"
