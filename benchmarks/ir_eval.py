"""Ranking quality of searchkit beside plain Whoosh and bm25s on four test collections.

    /work/venv/bin/pip install bm25s          # evaluation only, never a dependency
    /work/venv/bin/python benchmarks/ir_eval.py [--collections cisi,cranfield,time,med]
        [--data ../shared/data/ir] [--out benchmarks/results]

Each collection is written as JSON Lines to a temporary folder and indexed
with searchkit's own ingest path (SearchIndex.update); its queries run with
syntax=False, top 1000, near-duplicate folding off (it would hide judged
copies). Relevance is binary; Cranfield code -1 counts as not
relevant. Prints a Markdown table, then how often each floor holds when the
queries are resampled (a bootstrap: do the floors hold on other queries like
these?), and writes ir_eval.json and ir_eval.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ir_collections import LOADERS, Collection, load_collection  # noqa: E402
from ir_metrics import METRICS, mean_scores, per_query  # noqa: E402

TOP = 1000
FLOOR_METRICS = ("MAP", "nDCG@10")
PEERS = ("plain Whoosh", "bm25s")


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


def run_plain_whoosh(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """Whoosh out of the box: StemmingAnalyzer, default BM25F, OR-group queries."""
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT(analyzer=StemmingAnalyzer()),
                           body=fields.TEXT(analyzer=StemmingAnalyzer()))
    folder = workdir / "whoosh"
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc_id, title, body in collection.docs:
            writer.add_document(id=doc_id, title=title, body=body)
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
    runs = {}
    with ix.searcher() as searcher:
        for qid, text in collection.queries:
            query = parser.parse(re.sub(r"[^\w\s]", " ", text).lower())
            runs[qid] = [hit["id"] for hit in searcher.search(query, limit=TOP)]
    return runs


def run_bm25s(collection: Collection) -> dict[str, list[str]]:
    """bm25s (Lucene BM25, k1=1.5, b=0.75) on searchkit's tokens (same tokens in)."""
    import bm25s

    from searchkit.analysis.analyzers import text_analyzer

    analyzer = text_analyzer()
    corpus = [[t.text for t in analyzer(f"{title}\n{body}")] for _, title, body in collection.docs]
    vocab = {token for doc in corpus for token in doc}
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    ids = [doc_id for doc_id, _, _ in collection.docs]
    runs = {}
    for qid, text in collection.queries:
        tokens = [t.text for t in analyzer(text) if t.text in vocab]
        if not tokens:
            runs[qid] = []
            continue
        docs, _ = retriever.retrieve([tokens], k=min(TOP, len(ids)), show_progress=False)
        runs[qid] = [ids[int(i)] for i in docs[0]]
    return runs


def evaluate_collection(collection: Collection) -> dict[str, dict[str, dict[str, float]]]:
    """{engine: {query id: {metric: value}}}."""
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine, runner in (("searchkit", lambda: run_searchkit(collection, Path(tmp))),
                               ("plain Whoosh", lambda: run_plain_whoosh(collection, Path(tmp))),
                               ("bm25s", lambda: run_bm25s(collection))):
            started = time.perf_counter()
            scores[engine] = per_query(runner(), collection.qrels)
            print(f"{collection.name} {engine}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return scores


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
            best = max(sum(queries[peer][q][metric] for q in drawn) for peer in PEERS)
            held[metric] += ours + 1e-9 >= best
    return {metric: count / samples for metric, count in held.items()}


def markdown_table(all_scores: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| collection | engine | " + " | ".join(METRICS) + " |",
             "|---|---|" + "---:|" * len(METRICS)]
    for name, engines in all_scores.items():
        for engine, scores in engines.items():
            cells = " | ".join(f"{scores[m]:.3f}" for m in METRICS)
            lines.append(f"| {name} | {engine} | {cells} |")
    return "\n".join(lines)


def stability_table(stability: dict[str, dict[str, float]]) -> str:
    lines = ["| collection | " + " | ".join(f"{m} floor holds" for m in FLOOR_METRICS) + " |",
             "|---|" + "---:|" * len(FLOOR_METRICS)]
    for name, shares in stability.items():
        lines.append(f"| {name} | " + " | ".join(f"{shares[m]:.0%}" for m in FLOOR_METRICS) + " |")
    return "\n".join(lines)


def check_floors(all_scores) -> list[str]:
    """searchkit must reach the better peer on MAP and nDCG@10 in every collection."""
    misses = []
    for name, engines in all_scores.items():
        for metric in FLOOR_METRICS:
            best = max(engines[peer][metric] for peer in PEERS)
            if engines["searchkit"][metric] + 1e-9 < best:
                misses.append(f"{name} {metric}: {engines['searchkit'][metric]:.3f} < {best:.3f}")
    return misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections", default=",".join(LOADERS))
    parser.add_argument("--data", default=str(HERE.parent.parent / "shared" / "data" / "ir"))
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    all_scores, stability = {}, {}
    for name in args.collections.split(","):
        collection = load_collection(name, Path(args.data))
        queries = evaluate_collection(collection)
        all_scores[collection.name] = {engine: mean_scores(rows) for engine, rows in queries.items()}
        stability[collection.name] = floor_stability(queries)
    table = markdown_table(all_scores)
    misses = check_floors(all_scores)
    report = (table + "\n\nfloors: " + ("all met" if not misses else "MISSED " + "; ".join(misses))
              + "\n\nShare of 1,000 bootstrap resamples of the queries in which the floor holds:\n\n"
              + stability_table(stability))
    print(report)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ir_eval.json").write_text(json.dumps({"scores": all_scores, "floor_stability": stability},
                                                 indent=2))
    (out / "ir_eval.md").write_text(report + "\n")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
