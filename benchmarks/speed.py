"""How fast is searchkit, against a plain Whoosh script, on real corpora?

    python benchmarks/speed.py            # full run (about 10-15 minutes on 2 cores)
    python benchmarks/speed.py --quick    # 6,000 Reuters articles and Wikinews, under 2 minutes
    python benchmarks/speed.py --scale 25 # Reuters 1x against 25x, searchkit only (speed_scale.py)

Corpora: Reuters-21578 (converted on the fly to JSON Lines in a temporary
folder), a 5x version of it (new ids, lightly perturbed text) and the
Wikinews sample in seeds/. An absent corpus is skipped with a note.

Figures, each as searchkit's value and its ratio to the baseline
(benchmarks/baseline_whoosh.py) measured in the same run: build articles/s
(with entity extraction, and without), peak RSS of the build (all its
processes), index size against the raw text, warm query latency p50/p95/max
over a fixed seeded query set (snippets on every query), and the wall time of
a cold one-off `searchkit search` process. Writes benchmarks/results/speed.md
and speed.json; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import speed_corpus  # noqa: E402
import speed_measure as measure  # noqa: E402
import speed_report  # noqa: E402

PLACES = ["japan", "canada", "france", "china", "brazil", "britain", "iran", "mexico", "germany"]


def _builds(corpus, work: Path) -> dict:
    files = [str(f) for f in corpus.files]
    out = {}
    runs = {
        "searchkit": [measure.PYTHON, str(HERE / "speed_measure.py"), "build", str(work / "sk")],
        "searchkit_no_entities": [measure.PYTHON, str(HERE / "speed_measure.py"), "build",
                                  str(work / "sk-plain"), "--no-entities"],
        "baseline": [measure.PYTHON, str(HERE / "baseline_whoosh.py"), "build", str(work / "base")],
    }
    for name, command in runs.items():
        result = measure.run_build(command + files)
        result["articles_per_second"] = result["articles"] / result["seconds"]
        out[name] = result
        print(f"  build {name}: {result['articles']} articles in {result['seconds']:.1f} s "
              f"({result['articles_per_second']:.0f}/s), peak RSS {result['peak_rss_mb']} MB", flush=True)
    out["searchkit"]["index_bytes"] = measure.folder_bytes(work / "sk")
    out["baseline"]["index_bytes"] = measure.folder_bytes(work / "base")
    return out


def _queries(corpus, work: Path, rounds: int) -> dict:
    import baseline_whoosh
    from whoosh import index as whoosh_index

    from searchkit.api import open_index

    queries = speed_corpus.build_queries(corpus, PLACES)
    sk = open_index(work / "sk")
    base = whoosh_index.open_dir(str(work / "base"))
    hits = {"searchkit": 0, "baseline": 0}

    def run_sk(query):
        hits["searchkit"] += len(sk.search(query.text, limit=10, facets=10 if query.facets else 0).hits)

    def run_base(query):
        hits["baseline"] += len(baseline_whoosh.search(base, query.base, limit=10))

    out = {"count": len(queries), "searchkit": measure.time_queries(run_sk, queries, rounds),
           "baseline": measure.time_queries(run_base, queries, rounds), "hits": hits}
    sk.close()
    print(f"  queries: searchkit p50 {out['searchkit']['p50']:.2f} ms p95 {out['searchkit']['p95']:.2f} ms; "
          f"baseline p50 {out['baseline']['p50']:.2f} ms p95 {out['baseline']['p95']:.2f} ms", flush=True)
    return out


def _cold(work: Path, runs: int, word: str) -> dict:
    sk = measure.cold_start([measure.PYTHON, "-m", "searchkit", "search", word, "--index", str(work / "sk")], runs)
    base = measure.cold_start([measure.PYTHON, str(HERE / "baseline_whoosh.py"), "search",
                               str(work / "base"), word], runs)
    print(f"  cold search: searchkit {sk * 1000:.0f} ms, baseline {base * 1000:.0f} ms", flush=True)
    return {"searchkit": sk, "baseline": base}


def measure_corpus(corpus, work: Path, rounds: int, cold_runs: int) -> dict:
    print(f"{corpus.name}: {corpus.articles} articles, {corpus.text_bytes / 2**20:.1f} MB of text", flush=True)
    result = {"articles": corpus.articles, "text_bytes": corpus.text_bytes}
    result["build"] = _builds(corpus, work)
    result["queries"] = _queries(corpus, work, rounds)
    result["cold"] = _cold(work, cold_runs, "oil")
    return result


def _corpora(args, tmp: Path):
    limit = 6000 if args.quick else None
    reuters = speed_corpus.write_reuters(tmp / "reuters", 1, limit)
    yield "reuters", reuters, "../shared/data/reuters21578 is absent"
    if not args.quick:
        yield "reuters-5x", speed_corpus.write_reuters(tmp / "reuters5", 5) if reuters else None, \
            "../shared/data/reuters21578 is absent"
    yield "wikinews", speed_corpus.read_seeds(), "seeds/*.jsonl is absent"


def _scale(args) -> int:
    import speed_scale

    if args.work:
        Path(args.work).mkdir(parents=True, exist_ok=True)
        return speed_scale.run(args.scale, Path(args.work), Path(args.out), optimize=not args.no_optimize)
    with tempfile.TemporaryDirectory(prefix="searchkit-scale-") as tmp:
        return speed_scale.run(args.scale, Path(tmp), Path(args.out), optimize=not args.no_optimize)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="6,000 Reuters articles and Wikinews only")
    parser.add_argument("--out", default=str(HERE / "results"), help="folder for speed.md and speed.json")
    parser.add_argument("--scale", type=int, metavar="N",
                        help="instead: Reuters 1x against Nx copies, searchkit only, with growth ratios")
    parser.add_argument("--work", metavar="DIR", help="with --scale: keep the corpora and indexes in DIR")
    parser.add_argument("--no-optimize", action="store_true",
                        help="with --scale: leave out the merge into one segment and the queries after it")
    args = parser.parse_args(argv)
    if args.scale:
        return _scale(args)
    started = time.time()
    report = {"quick": args.quick, "corpora": {}, "skipped": {}}
    with tempfile.TemporaryDirectory(prefix="searchkit-speed-") as tmp:
        for name, corpus, reason in _corpora(args, Path(tmp)):
            if corpus is None:
                print(f"{name}: skipped ({reason})", flush=True)
                report["skipped"][name] = reason
                continue
            work = Path(tmp) / f"{name}-work"
            report["corpora"][name] = measure_corpus(corpus, work, 1 if args.quick else 3,
                                                     3 if args.quick else 7)
    report["seconds"] = time.time() - started
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "speed.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    markdown = speed_report.render(report)
    (out / "speed.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
