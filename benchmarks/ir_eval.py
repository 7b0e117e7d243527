"""Ranking quality of searchkit beside its peers on four test collections.

    pip install -e '.[bench]'     # the peers: evaluation only
    python benchmarks/ir_eval.py [--collections cisi,cranfield,time,med]
        [--data ../shared/data/ir] [--out benchmarks/results] [--peers earlier/ir_eval.json]

Each collection is written as JSON Lines to a temporary folder and indexed
with searchkit's own ingest path (SearchIndex.update); its queries run with
syntax=False, top 1000, near-duplicate folding off (it would hide judged
copies). The peers and their setups are in ir_peers.py. Relevance is binary;
Cranfield code -1 counts as not relevant. Prints a Markdown table for all the
judged queries, the dev part and the held-out part (ir_collections.split_queries),
with a floor check (searchkit >= the best peer on every measure), then how
often searchkit reaches the best peer when the queries are resampled (a
bootstrap) and, for each measure still below the best peer on some part, a
paired randomisation test against that peer on the part's queries; writes
ir_eval.json (with every query's figures) and ir_eval.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bootstrap import share_holding  # noqa: E402
from ir_collections import LOADERS, Collection, load_collection, split_queries  # noqa: E402
from ir_metrics import METRICS, mean_scores, per_query  # noqa: E402
from ir_peers import PEERS, TOP  # noqa: E402

FLOOR_METRICS = METRICS  # every measure: searchkit >= the best peer
ENGINES = ("searchkit", *PEERS)


def run_searchkit(collection: Collection, workdir: Path, **search_options) -> dict[str, list[str]]:
    """Index through JSON Lines + SearchIndex.update, search with syntax=False."""
    from searchkit.api import SearchIndex

    source = workdir / "docs"
    source.mkdir(exist_ok=True)
    with open(source / f"{collection.name.lower()}.jsonl", "w", encoding="utf-8") as out:
        for doc_id, title, body in collection.docs:
            row = {"id": doc_id, "title": title or None, "text": body}
            out.write(json.dumps({k: v for k, v in row.items() if v}) + "\n")
    with SearchIndex.create(workdir / "index") as ix:
        ix.update([source])
        return search_runs(ix, collection, **search_options)


def search_runs(ix, collection: Collection, **search_options) -> dict[str, list[str]]:
    """Each query in plain mode, top 1000, near-duplicate folding off."""
    return {qid: [hit.id for hit in ix.search(text, limit=TOP, syntax=False, snippets=False, group=False,
                                              **search_options).hits]
            for qid, text in collection.queries}


def evaluate_collection(collection: Collection, engines: tuple[str, ...] = ENGINES
                        ) -> dict[str, dict[str, dict[str, float]]]:
    """{engine: {query id: {metric: value}}}."""
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in engines:
            started = time.perf_counter()
            runs = run_searchkit(collection, Path(tmp)) if engine == "searchkit" else PEERS[engine](collection)
            scores[engine] = per_query(runs, collection.qrels)
            print(f"{collection.name} {engine}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return scores


def part_means(collection: Collection, queries: dict[str, dict[str, dict[str, float]]]
               ) -> dict[str, dict[str, dict[str, float]]]:
    """{part: {engine: mean metrics}} for "all" the judged queries, "dev" and "held-out"."""
    parts = {"all": [qid for qid, _ in collection.queries], **split_queries(collection)}
    return {part: {engine: mean_scores({q: rows[q] for q in qids}) for engine, rows in queries.items()}
            for part, qids in parts.items()}


def floor_stability(queries: dict[str, dict[str, dict[str, float]]], samples: int = 1000,
                    seed: int = 1) -> dict[str, float]:
    """Share of bootstrap resamples of the queries in which searchkit reaches the
    better peer, per floor metric: near 1 is a real lead, near 0.5 a coin toss."""
    rng = random.Random(seed)
    qids = sorted(queries["searchkit"])
    held = dict.fromkeys(FLOOR_METRICS, 0)
    for _ in range(samples):
        drawn = [rng.choice(qids) for _ in qids]
        for metric in FLOOR_METRICS:
            ours = sum(queries["searchkit"][q][metric] for q in drawn)
            best = max(sum(queries[peer][q][metric] for q in drawn) for peer in PEERS if peer in queries)
            held[metric] += ours + 1e-9 >= best
    return {metric: count / samples for metric, count in held.items()}


def best_peer(engines: dict[str, dict[str, float]]) -> dict[str, float]:
    return {m: max(engines[peer][m] for peer in PEERS if peer in engines) for m in METRICS}


def markdown_table(all_scores: dict[str, dict[str, dict[str, float]]]) -> str:
    """One row per collection and engine, then the best peer's value of each measure."""
    lines = ["| collection | engine | " + " | ".join(METRICS) + " |",
             "|---|---|" + "---:|" * len(METRICS)]
    for name, engines in all_scores.items():
        for engine, scores in engines.items():
            cells = " | ".join(f"{scores[m]:.3f}" for m in METRICS)
            lines.append(f"| {name} | {engine} | {cells} |")
        cells = " | ".join(f"{value:.3f}" for value in best_peer(engines).values())
        lines.append(f"| {name} | *best peer* | {cells} |")
    return "\n".join(lines)


def stability_table(stability: dict[str, dict[str, float]]) -> str:
    lines = ["| collection | " + " | ".join(FLOOR_METRICS) + " |",
             "|---|" + "---:|" * len(FLOOR_METRICS)]
    for name, shares in stability.items():
        lines.append(f"| {name} | " + " | ".join(f"{shares[m]:.0%}" for m in FLOOR_METRICS) + " |")
    return "\n".join(lines)


def check_floors(all_scores) -> list[str]:
    """searchkit must reach the best peer on every measure in every collection."""
    misses = []
    for name, engines in all_scores.items():
        best = best_peer(engines)
        for metric in FLOOR_METRICS:
            if engines["searchkit"][metric] + 1e-9 < best[metric]:
                misses.append(f"{name} {metric}: {engines['searchkit'][metric]:.3f} < {best[metric]:.3f}")
    return misses


def miss_test(queries: dict[str, dict[str, dict[str, float]]], qids: list[str], metric: str,
              samples: int = 10000, seed: int = 1) -> dict:
    """How firm a miss is, on the part's queries: the best peer there, the mean difference
    (searchkit - peer), the one-sided p of a paired sign-flip randomisation test (the
    chance of a gap this large or larger if the two ranked alike: small p, a real lag)
    and the share of bootstrap resamples in which searchkit reaches that peer."""
    peers = [peer for peer in PEERS if peer in queries]
    peer = max(peers, key=lambda name: sum(queries[name][q][metric] for q in qids))
    diffs = [queries["searchkit"][q][metric] - queries[peer][q][metric] for q in qids]
    observed = sum(diffs)
    rng = random.Random(seed)
    as_low = sum(sum(d if rng.random() < 0.5 else -d for d in diffs) <= observed + 1e-12
                 for _ in range(samples))
    reached = share_holding(len(diffs), lambda drawn: sum(diffs[i] for i in drawn) >= -1e-9,
                            samples=samples // 10, rng=rng)
    return {"peer": peer, "difference": observed / len(diffs), "p": as_low / samples,
            "reached": reached, "queries": len(diffs)}


def miss_lines(collection: Collection, queries, part: str) -> list[str]:
    """A line per measure on which searchkit is below the best peer on the part's queries."""
    qids = [q for q, _ in collection.queries] if part == "all" else split_queries(collection)[part]
    means = {engine: mean_scores({q: rows[q] for q in qids}) for engine, rows in queries.items()}
    best = best_peer(means)
    lines = []
    for metric in FLOOR_METRICS:
        if means["searchkit"][metric] + 1e-9 < best[metric]:
            found = miss_test(queries, qids, metric)
            lines.append(f"- {part}, {collection.name} {metric}: {found['difference']:+.3f} against "
                         f"{found['peer']} over {found['queries']} queries; paired randomisation p = "
                         f"{found['p']:.2f}; searchkit reaches it in {found['reached']:.0%} of bootstrap resamples")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", default=",".join(LOADERS))
    parser.add_argument("--data", default=str(HERE.parent.parent / "shared" / "data" / "ir"))
    parser.add_argument("--shorten", type=int, metavar="N",
                        help="cut every document to its first N words (very short documents; ir_collections.shortened)")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--peers", help="take the peers' figures from an earlier ir_eval.json (same data "
                                        "and analyser) and run searchkit only")
    args = parser.parse_args(argv)
    earlier = json.loads(Path(args.peers).read_text())["per_query"] if args.peers else None
    by_part: dict[str, dict] = {}
    per_query_scores, stability = {}, {}
    tested: list[str] = []
    for name in args.collections.split(","):
        collection = load_collection(name, Path(args.data), args.shorten)
        if earlier:
            queries = {**evaluate_collection(collection, ("searchkit",)),
                       **{peer: earlier[collection.name][peer] for peer in PEERS}}
        else:
            queries = evaluate_collection(collection)
        per_query_scores[collection.name] = queries
        for part, engines in part_means(collection, queries).items():
            by_part.setdefault(part, {})[collection.name] = engines
        stability[collection.name] = floor_stability(queries)
        tested += [line for part in ("all", "dev", "held-out") for line in miss_lines(collection, queries, part)]
    sections, misses = [], []
    for part, scores in by_part.items():
        part_misses = check_floors(scores)
        misses += [f"{part}: {miss}" for miss in part_misses]
        sections.append(f"### {part} queries\n\n" + markdown_table(scores) + "\n\nfloors: "
                        + ("all met" if not part_misses else "MISSED " + "; ".join(part_misses)))
    report = ("\n\n".join(sections)
              + "\n\nShare of 1,000 bootstrap resamples of all the queries in which searchkit reaches "
                "the best peer:\n\n" + stability_table(stability)
              + ("\n\nHow firm each miss is (one-sided p: the chance of a gap this large if searchkit and "
                 "that peer ranked alike):\n\n" + "\n".join(tested) if tested else ""))
    print(report)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ir_eval.json").write_text(json.dumps({"scores": by_part, "per_query": per_query_scores,
                                                  "floor_stability": stability}, indent=1))
    (out / "ir_eval.md").write_text(report + "\n")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
