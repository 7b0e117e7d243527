"""Growth with the archive: Reuters 1x against Reuters Nx, searchkit only.

    python benchmarks/speed.py --scale 25     # 1x and 25x (~540,000 articles)
    python benchmarks/speed.py --scale 100    # the long run (2.2 million articles)

For each size: articles, build time, peak RSS of the build (all processes),
index size / raw text, query p50/p95 over the seeded query set (1 warm-up +
3 timed rounds, 10 hits with snippets), the segment count, and how many first
pages show more than 2 copies of one story (copies are the corpus's own: the
same Reuters NEWID, see speed_corpus.py). The Nx column comes with its growth
ratio over 1x. Then the Nx index is merged into one segment (`searchkit
optimize`, timed with its peak RSS) and the queries run again. The plain Whoosh baseline is left out: at 25x it takes longer
than everything else together. `--no-optimize` leaves out the merge (the 100x
run: the merge alone would take hours). Writes benchmarks/results/speed-scale-N.md
and speed-scale-N.json.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import speed_corpus
import speed_measure as measure

HERE = Path(__file__).resolve().parent
PLACES = ["japan", "canada", "france", "china", "brazil", "britain", "iran", "mexico", "germany"]
_COPY = re.compile(r"-copy\d+$")


def story_of(article_id: str) -> str:
    """The original Reuters article an id is a copy of."""
    return _COPY.sub("", article_id)


def segment_count(index_dir: Path) -> int:
    from searchkit.api import open_index

    ix = open_index(index_dir)
    try:
        return len(ix._ix._segments())
    finally:
        ix.close()


def flooded_pages(ix, queries, most: int = 2) -> dict:
    """First pages (with hits) that show more than `most` copies of one story; and the folds
    on them: how many folded articles are copies of the hit they fold into (precision), and
    how many copies still show as hits of their own beside their story's first hit."""
    flooded = pages = folded = true_folds = shown_apart = 0
    for query in queries:
        hits = ix.search(query.text, limit=10).hits
        if not hits:
            continue
        pages += 1
        shown = Counter(story_of(hit.id) for hit in hits)
        flooded += max(shown.values()) > most
        shown_apart += sum(shown.values()) - len(shown)
        for hit in hits:
            folded += len(hit.duplicate_ids)
            true_folds += sum(story_of(other) == story_of(hit.id) for other in hit.duplicate_ids)
    return {"flooded": flooded, "pages": pages, "folded": folded, "true_folds": true_folds,
            "copies_shown_apart": shown_apart}


def time_search(index_dir: Path, queries, rounds: int) -> tuple[dict, dict]:
    """Latencies over the query set, and the first pages' copies."""
    from searchkit.api import open_index

    ix = open_index(index_dir)
    timed = measure.time_queries(lambda q: ix.search(q.text, limit=10, facets=10 if q.facets else 0),
                                 queries, rounds)
    ungrouped = measure.time_queries(lambda q: ix.search(q.text, limit=10, facets=10 if q.facets else 0,
                                                         group=False), queries, rounds)
    pages = flooded_pages(ix, queries)
    pages["ungrouped_p50"], pages["ungrouped_p95"] = ungrouped["p50"], ungrouped["p95"]
    ix.close()
    return timed, pages


def measure_optimize(index_dir: Path, queries, rounds: int) -> dict:
    """`searchkit optimize` (into one segment): its time and peak RSS, then the queries again."""
    merge = measure.run_build([measure.PYTHON, str(HERE / "speed_measure.py"), "merge", str(index_dir),
                               "--segments", "1"])
    timed, _ = time_search(index_dir, queries, rounds)
    print(f"  optimize: {merge['seconds']:.1f} s, peak RSS {merge['peak_rss_mb']} MB; then p50 "
          f"{timed['p50']:.2f} ms p95 {timed['p95']:.2f} ms", flush=True)
    return {"merge": merge, "queries": timed, "index_bytes": measure.folder_bytes(index_dir)}


def measure_size(corpus, work: Path, rounds: int, optimize: bool = False) -> dict:
    print(f"{corpus.name}: {corpus.articles} articles, {corpus.text_bytes / 2**20:.1f} MB of text", flush=True)
    index_dir = work / f"{corpus.name}-index"
    build = measure.run_build([measure.PYTHON, str(HERE / "speed_measure.py"), "build", str(index_dir)]
                              + [str(f) for f in corpus.files])
    print(f"  build: {build['seconds']:.1f} s, peak RSS {build['peak_rss_mb']} MB", flush=True)
    queries = speed_corpus.build_queries(corpus, PLACES)
    timed, pages = time_search(index_dir, queries, rounds)
    result = {"articles": corpus.articles, "text_bytes": corpus.text_bytes, "build": build,
              "index_bytes": measure.folder_bytes(index_dir), "segments": segment_count(index_dir),
              "queries": timed, "query_count": len(queries), "duplicates": pages}
    print(f"  queries: p50 {timed['p50']:.2f} ms p95 {timed['p95']:.2f} ms; segments {result['segments']}; "
          f"{pages['flooded']} of {pages['pages']} first pages with >2 copies; folds {pages['true_folds']} of "
          f"{pages['folded']} true, {pages['copies_shown_apart']} copies shown apart; without grouping p50 "
          f"{pages['ungrouped_p50']:.2f} ms p95 {pages['ungrouped_p95']:.2f} ms", flush=True)
    if optimize:
        result["optimized"] = measure_optimize(index_dir, queries, rounds)
    return result


def _folds(size: dict) -> str:
    found = size["duplicates"]
    return f"{found['true_folds']:,} of {found['folded']:,}" if "folded" in found else "–"


def _ungrouped(size: dict) -> str:
    found = size["duplicates"]
    return f"{found['ungrouped_p50']:.2f} / {found['ungrouped_p95']:.2f}" if "ungrouped_p50" in found else "–"


def _row(figure: str, one: str, big: str, ratio: str) -> str:
    return f"| {figure} | {one} | {big} | {ratio} |"


def render(report: dict) -> str:
    scale = report["scale"]
    one, big = report["sizes"]["1"], report["sizes"][str(scale)]
    ratio = lambda a, b: f"{b / a:.2f}×" if a else "–"  # noqa: E731
    rows = [
        ("articles", f"{one['articles']:,}", f"{big['articles']:,}", ratio(one["articles"], big["articles"])),
        ("build (s)", f"{one['build']['seconds']:.1f}", f"{big['build']['seconds']:.1f}",
         ratio(one["build"]["seconds"], big["build"]["seconds"])),
        ("peak RSS, all processes (MiB)", f"{one['build']['peak_rss_mb']:.0f}", f"{big['build']['peak_rss_mb']:.0f}",
         ratio(one["build"]["peak_rss_mb"], big["build"]["peak_rss_mb"])),
        ("index / raw text", f"{one['index_bytes'] / one['text_bytes']:.2f}",
         f"{big['index_bytes'] / big['text_bytes']:.2f}", ""),
        ("query p50 (ms)", f"{one['queries']['p50']:.2f}", f"{big['queries']['p50']:.2f}",
         ratio(one["queries"]["p50"], big["queries"]["p50"])),
        ("query p95 (ms)", f"{one['queries']['p95']:.2f}", f"{big['queries']['p95']:.2f}",
         ratio(one["queries"]["p95"], big["queries"]["p95"])),
        ("segments", str(one["segments"]), str(big["segments"]), ""),
        ("first pages with >2 copies of one story",
         f"{one['duplicates']['flooded']} of {one['duplicates']['pages']}",
         f"{big['duplicates']['flooded']} of {big['duplicates']['pages']}", ""),
        ("first pages' folds that are copies of their hit", _folds(one), _folds(big), ""),
        ("copies shown as hits of their own (first pages)", str(one["duplicates"].get("copies_shown_apart", "–")),
         str(big["duplicates"].get("copies_shown_apart", "–")), ""),
        ("query p50 / p95 without grouping (ms)", _ungrouped(one), _ungrouped(big), ""),
    ]
    optimized = big.get("optimized")
    if optimized:
        merge = optimized["merge"]
        rows += [
            ("`searchkit optimize` to 1 segment: time (s)", "", f"{merge['seconds']:.1f}", ""),
            ("`searchkit optimize`: peak RSS (MiB)", "", f"{merge['peak_rss_mb']:.0f}",
             ratio(one["build"]["peak_rss_mb"], merge["peak_rss_mb"])),
            ("after optimize: query p50 (ms)", "", f"{optimized['queries']['p50']:.2f}",
             ratio(one["queries"]["p50"], optimized["queries"]["p50"])),
            ("after optimize: query p95 (ms)", "", f"{optimized['queries']['p95']:.2f}",
             ratio(one["queries"]["p95"], optimized["queries"]["p95"])),
        ]
    lines = [f"# searchkit at 1× and {scale}× Reuters", "",
             f"| figure | 1× | {scale}× | growth |", "|---|---:|---:|---:|"]
    lines += [_row(*row) for row in rows]
    kinds = sorted(big["queries"]["by_kind"])
    lines += ["", f"| p50 / p95 by kind of query (ms) | 1× | {scale}× |", "|---|---:|---:|"]
    for kind in kinds:
        a, b = one["queries"]["by_kind"].get(kind), big["queries"]["by_kind"][kind]
        lines.append(f"| {kind} | {a['p50']:.1f} / {a['p95']:.1f} | {b['p50']:.1f} / {b['p95']:.1f} |")
    lines += ["", f"Goal (issue 16): p95 growth ≤ 3×, p50 growth ≤ 2×, peak RSS ≤ 1.5× the 1× build's, "
              "no first page with more than 2 copies of one story.", "",
              f"Run time {report['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def run(scale: int, tmp: Path, out: Path, rounds: int = 3, optimize: bool = True) -> int:
    started = time.time()
    report = {"scale": scale, "sizes": {}}
    for copies in (1, scale):
        corpus = speed_corpus.write_reuters(tmp / f"reuters{copies}", copies)
        if corpus is None:
            print("reuters: skipped (../shared/data/reuters21578 is absent)")
            return 1
        report["sizes"][str(copies)] = measure_size(corpus, tmp, rounds, optimize=optimize and copies == scale)
    report["seconds"] = time.time() - started
    out.mkdir(parents=True, exist_ok=True)
    (out / f"speed-scale-{scale}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    markdown = render(report)
    (out / f"speed-scale-{scale}.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0
