"""What pseudo-relevance feedback costs a plain-text search (search/feedback.py), measured side by side.

    python benchmarks/feedback_cost.py [--work DIR] [--queries 100] [--repeats 3] [--index URL-or-folder]

Indexes Reuters-21578 as JSON Lines in DIR (or uses the index given), then takes as queries
the lead sentences of articles from the sample the speed benchmark draws on (a sentence pasted
into a plain-text search, 8 to 40 words). Each query is timed through the library with
feedback off and then on, back to back (one warm-up round, then `repeats` timed rounds;
snippets and grouping as the CLI uses them), so that both see the same load on a noisy
machine. Prints p50 and p95 of each, their ratio, the median of the per-query ratios, and how
many first pages keep the same articles.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import speed_corpus  # noqa: E402

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def lead_sentences(sample: list[dict], wanted: int) -> list[str]:
    """The first sentence of 8-40 words of every k-th sampled article, `wanted` of them."""
    found = []
    for row in sample:
        text = " ".join((row.get("text") or "").split())
        lead = SENTENCE.split(text, maxsplit=1)[0]
        if 8 <= len(lead.split()) <= 40:
            found.append(lead)
    step = max(1, len(found) // wanted)
    return found[::step][:wanted]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(ix, query: str, feedback: bool) -> tuple[float, tuple[str, ...]]:
    started = time.perf_counter()
    results = ix.search(query, syntax=False, feedback=feedback)
    return time.perf_counter() - started, tuple(hit.id for hit in results.hits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, help="where the Reuters index is built (default: a temporary folder)")
    parser.add_argument("--index", help="an index of Reuters already built (a folder or a cluster URL)")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    import searchkit

    sample = speed_corpus.reuters_sample(1)
    if sample is None:
        print("reuters: skipped (../shared/data/reuters21578 is absent)")
        return 1
    queries = lead_sentences(sample.sample, args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        target = args.index
        if target is None:
            target = str(work / "reuters-index")
            if not Path(target).exists():
                corpus = speed_corpus.write_reuters(work / "reuters")
                searchkit.index_folder(corpus.files, target)
        with searchkit.open_index(target) as ix:
            times: dict[bool, dict[str, list[float]]] = {False: {}, True: {}}
            pages: dict[bool, dict[str, tuple[str, ...]]] = {False: {}, True: {}}
            for round_ in range(args.repeats + 1):
                for query in queries:
                    for feedback in (False, True):
                        seconds, pages[feedback][query] = timed(ix, query, feedback)
                        if round_:  # the first round warms up
                            times[feedback].setdefault(query, []).append(seconds)
    same_pages = sum(1 for query in queries if set(pages[False][query]) == set(pages[True][query]))
    best = {feedback: {query: min(values) for query, values in rows.items()} for feedback, rows in times.items()}
    off, on = list(best[False].values()), list(best[True].values())
    ratios = [best[True][query] / best[False][query] for query in queries]
    print(f"{len(queries)} plain-text queries (Reuters lead sentences, median "
          f"{statistics.median(len(q.split()) for q in queries)} words), best of {args.repeats} rounds each")
    print("| figure | feedback off | feedback on | ratio |\n|---|---:|---:|---:|")
    for label, share in (("p50", 0.5), ("p95", 0.95)):
        a, b = percentile(off, share) * 1000, percentile(on, share) * 1000
        print(f"| {label} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f}× |")
    print(f"median per-query ratio {statistics.median(ratios):.2f}×; first pages with the same articles: "
          f"{same_pages} of {len(queries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
