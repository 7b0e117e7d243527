"""What name merging (search/name_merges.py) costs the embedded engine.

    python benchmarks/merges_cost.py --copies 5     # Reuters x5 (~100,000 articles)

Builds (or reuses) an index of Reuters-21578 times `copies` under
benchmarks/results/merges-index-<copies>x (git-ignored), then on one reader times:
the per-generation work (the facet line table that facets already build, the merge
plan, the remapped table), and facet counting over the matches of a few queries with
and without merges (best of 5 each). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import speed_corpus  # noqa: E402

import searchkit  # noqa: E402
from searchkit.search import facets  # noqa: E402
from searchkit.search.evaluate import matching_docs  # noqa: E402
from searchkit.search.query import parse_query  # noqa: E402

QUERIES = ("oil", "trade deficit", "bank rates", "reagan", "japan OR germany")


def build(copies: int) -> Path:
    folder = ROOT / "benchmarks" / "results" / f"merges-index-{copies}x"
    if (folder / "index").exists():
        return folder / "index"
    corpus = speed_corpus.write_reuters(folder / "corpus", copies=copies)
    if corpus is None:
        sys.exit("no Reuters data in ../shared/data/reuters21578")
    started = time.perf_counter()
    with searchkit.SearchIndex.create(folder / "index") as ix:
        ix.update([folder / "corpus"])
    print(f"built {corpus.articles} articles in {time.perf_counter() - started:.0f} s")
    return folder / "index"


def best(action, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    path = build(args.copies)
    ix = searchkit.SearchIndex.open(path)
    view = ix._fresh()
    with view.searcher() as searcher:
        reader = searcher.reader()
        lines_s, coded = timed(lambda: facets._distinct_lines(reader))
        plan_s, merges = timed(lambda: facets.index_merges(reader))
        remap_s, _ = timed(lambda: facets._merged_lines(reader, coded, merges))
        print(f"articles: {reader.doc_count()}; merges planned: {len(merges.full_of)}")
        print("| once per index generation | seconds |\n|---|---:|")
        print(f"| facet line table (built before this change too) | {lines_s:.3f} |")
        print(f"| merge plan | {plan_s:.3f} |\n| merged line table | {remap_s:.3f} |")
        print("\n| query | matches | facets (top 10) without merges, ms | with merges, ms |\n|---|---:|---:|---:|")
        for text in (*QUERIES, None):
            if text:
                docnums = sorted(matching_docs(searcher, parse_query(text, view.schema).query))
            else:
                docnums = list(reader.all_doc_ids())
            plain = best(lambda: facets.count_entities(reader, docnums, top=10))
            merged = best(lambda: facets.count_entities(reader, docnums, top=10, merges=merges))
            print(f"| {text or '(every article)'} | {len(docnums)} | {plain * 1000:.1f} | {merged * 1000:.1f} |")
    top = [f"{v.name} {v.count}" for f in ix.entities(top=8) if f.kind == "person" for v in f.values]
    print("\ntop people, merged:", ", ".join(top))
    ix.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
