"""Latency growth, measured side by side: the 1× index and an N× index searched in turns.

    python benchmarks/speed_growth.py DIR/reuters-index DIR/reuters-25x-index --copies 25

DIR is what `speed.py --scale N --work DIR` leaves (run `searchkit optimize` on the N×
index first to measure it merged). Each repeat times the speed benchmark's query set on the
1× index and then on the N× one (one warm-up round and three timed rounds each, through the
library, with snippets and grouping), so that on a shared, noisy machine both sizes see the
same load (with --interleave, query by query: each query on the 1x index, then on the Nx
one); it prints every repeat's p50 and p95, their medians, the growth and the medians by
kind of query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import speed_corpus  # noqa: E402
import speed_measure as measure  # noqa: E402
from speed_scale import PLACES  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("one", type=Path, help="the 1x index")
    parser.add_argument("big", type=Path, help="the Nx index")
    parser.add_argument("--copies", type=int, required=True, help="N, the copies the big index holds")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--interleave", action="store_true",
                        help="time each query on the 1x index and then on the Nx one, back to back (the fairest "
                             "pairing on a machine whose speed drifts from second to second)")
    args = parser.parse_args(argv)
    from searchkit.api import open_index

    sizes = {"1x": (args.one, 1), f"{args.copies}x": (args.big, args.copies)}
    runs: dict[str, list[dict]] = {}
    indexes, queries = {}, {}
    for name, (path, copies) in sizes.items():
        sample = speed_corpus.reuters_sample(copies)
        if sample is None:
            print("reuters: skipped (../shared/data/reuters21578 is absent)")
            return 1
        indexes[name], queries[name] = open_index(path), speed_corpus.build_queries(sample, PLACES)
    for _ in range(args.repeats):
        if args.interleave:
            for name, timed in _interleaved(indexes, queries, 3).items():
                runs.setdefault(name, []).append(timed)
            continue
        for name, ix in indexes.items():
            timed = measure.time_queries(lambda q: ix.search(q.text, limit=10, facets=10 if q.facets else 0),
                                         queries[name], 3)
            runs.setdefault(name, []).append(timed)
    medians = {}
    for name, timed in runs.items():
        p50s, p95s = [t["p50"] for t in timed], [t["p95"] for t in timed]
        medians[name] = statistics.median(p50s), statistics.median(p95s)
        print(f"{name}: p50 {' '.join(f'{v:.2f}' for v in p50s)} ms, p95 {' '.join(f'{v:.2f}' for v in p95s)} ms;"
              f" medians {medians[name][0]:.2f} / {medians[name][1]:.2f} ms")
        kinds = sorted(timed[0]["by_kind"])
        print("   " + "; ".join(f"{kind} {statistics.median(t['by_kind'][kind]['p50'] for t in timed):.1f}/"
                                f"{statistics.median(t['by_kind'][kind]['p95'] for t in timed):.1f}" for kind in kinds))
    (one_p50, one_p95), (big_p50, big_p95) = medians.values()
    print(f"growth: p50 {big_p50 / one_p50:.2f}x, p95 {big_p95 / one_p95:.2f}x (issue 16's goal: 2x and 3x)")
    for ix in indexes.values():
        ix.close()
    return 0


def _interleaved(indexes: dict, queries: dict, rounds: int) -> dict:
    """measure.time_queries' figures for each index, with the indexes taking turns query by
    query: one warm-up round, then `rounds`."""
    import time

    def run(ix, query):
        return ix.search(query.text, limit=10, facets=10 if query.facets else 0)

    names = list(indexes)
    for position in range(len(queries[names[0]])):
        for name in names:
            run(indexes[name], queries[name][position])
    times = {name: [] for name in names}
    by_kind = {name: {} for name in names}
    for _ in range(rounds):
        for position in range(len(queries[names[0]])):
            for name in names:
                query = queries[name][position]
                started = time.perf_counter()
                run(indexes[name], query)
                elapsed = time.perf_counter() - started
                times[name].append(elapsed)
                by_kind[name].setdefault(query.kind, []).append(elapsed)
    out = {}
    for name in names:
        out[name] = measure.percentiles(times[name])
        out[name]["by_kind"] = {kind: measure.percentiles(values) for kind, values in by_kind[name].items()}
    return out


if __name__ == "__main__":
    sys.exit(main())
