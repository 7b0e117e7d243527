"""The embedded index against a 1-node OpenSearch cluster, on the same corpus, in one run.

    python benchmarks/scale_out.py [--url http://127.0.0.1:9250]   # Reuters 1x and 5x
    python benchmarks/scale_out.py --quick                          # 6,000 Reuters articles, under 3 minutes

The cluster's base URL defaults to $SEARCHKIT_OPENSEARCH_URL (`scripts/opensearch
start` prints one). The corpora and the query set are the speed suite's
(speed_corpus.py). Figures, each for both engines and as the ratio
cluster/embedded:

- indexing articles/s through the searchkit API (SearchIndex.create + update,
  entity extraction on in both, in a child process as speed.py does), with the
  CPU time of the indexing processes and of the cluster's node;
- warm p50/p95/max latency of the speed suite's queries (10 hits, snippets,
  facets where the suite asks): one warm-up round, then 3 timed rounds (1 with --quick);
- searches per second with 1, 4 and 16 concurrent searcher threads (each its
  own index object: its own readers, or its own cluster client) for a fixed
  time, and the first of those where the cluster overtakes the embedded index;
- bytes per article on disk: the embedded folder as built; the cluster's
  primary store as built, and after a force merge to one segment.

Before measuring, the node is warmed up (a throwaway index of 2,000 articles,
searched once): a long-running cluster has compiled its hot code, a node just
started has not. The cluster indexes are named bench-scale-out-<pid>-… and
deleted at the end.
Writes benchmarks/results/scale_out.md and scale_out.json. A missing corpus or
cluster is skipped with a note (exit 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import speed_corpus  # noqa: E402
import speed_measure as measure  # noqa: E402
from scale_out_cluster import Cluster  # noqa: E402
from scale_out_report import render  # noqa: E402

PLACES = ["japan", "canada", "france", "china", "brazil", "britain", "iran", "mexico", "germany"]  # as speed.py
SEARCHERS = (1, 4, 16)
URL_ENV = "SEARCHKIT_OPENSEARCH_URL"
SLICES = 3  # turns per engine and number of searchers
WARM_UP_FILES = 2  # of 1,000 articles


def _search(ix, query) -> int:
    return len(ix.search(query.text, limit=10, facets=10 if query.facets else 0).hits)


# -- indexing --------------------------------------------------------------
def _build(target: str, corpus, cluster: Cluster) -> dict:
    """Index the corpus into `target` (a folder or a cluster URL) in a child process."""
    command = [measure.PYTHON, str(HERE / "speed_measure.py"), "build", target] + [str(f) for f in corpus.files]
    node_before = cluster.cpu_seconds()
    result = measure.run_build(command)
    result["node_cpu_seconds"] = cluster.cpu_seconds() - node_before
    if result["articles"] != corpus.articles:
        raise RuntimeError(f"indexing into {target} wrote {result['articles']} of {corpus.articles} articles "
                           f"({result['failed']} failed)")
    result["articles_per_second"] = result["articles"] / result["seconds"]
    return result


def _builds(corpus, folder: Path, url: str, name: str, cluster: Cluster) -> dict:
    out = {}
    for engine, target in (("embedded", str(folder)), ("cluster", url)):
        out[engine] = result = _build(target, corpus, cluster)
        print(f"  build {engine}: {result['articles']} articles in {result['seconds']:.1f} s "
              f"({result['articles_per_second']:.0f}/s); CPU indexing {result['cpu_seconds']:.1f} s, "
              f"node {result['node_cpu_seconds']:.1f} s", flush=True)
    out["embedded"]["store"] = {"bytes": measure.folder_bytes(folder), "docs": out["embedded"]["articles"]}
    out["cluster"]["store"] = cluster.store(name)
    out["cluster"]["heap_used_bytes"] = cluster.heap_used()
    return out


# -- searching -------------------------------------------------------------
def _latency(indexes: dict, queries, rounds: int) -> dict:
    """The speed suite's scheme (speed_measure.time_queries: a warm-up round, then `rounds`),
    the engines taking turns query by query, so that both see the same load on a shared machine."""
    times: dict = {engine: [] for engine in indexes}
    kinds: dict = {engine: {} for engine in indexes}
    hits = dict.fromkeys(indexes, 0)
    for timed in [False] + [True] * rounds:
        for query in queries:
            for engine, ix in indexes.items():
                started = time.perf_counter()
                found = _search(ix, query)
                elapsed = time.perf_counter() - started
                if timed:
                    times[engine].append(elapsed)
                    kinds[engine].setdefault(query.kind, []).append(elapsed)
                    hits[engine] += found
    out: dict = {"count": len(queries), "rounds": rounds}
    for engine in indexes:
        out[engine] = measure.percentiles(times[engine])
        out[engine]["by_kind"] = {kind: measure.percentiles(values) for kind, values in kinds[engine].items()}
        out[engine]["hits"] = hits[engine]
        print(f"  queries {engine}: p50 {out[engine]['p50']:.2f} ms, p95 {out[engine]['p95']:.2f} ms, "
              f"{hits[engine]} hits", flush=True)
    return out


def _load(open_one, queries, threads: int, seconds: float, cluster: Cluster) -> dict:
    """`threads` searchers, each with its own index object, for `seconds`: the raw figures."""
    indexes = [open_one() for _ in range(threads)]
    times: list[list[float]] = [[] for _ in range(threads)]
    errors: list[str] = []
    mark: dict = {}

    def begin() -> None:  # run by the last thread to reach the barrier, before any is released
        mark.update(cpu=time.process_time(), node=cluster.cpu_seconds())
        mark["began"] = time.perf_counter()
        mark["deadline"] = mark["began"] + seconds

    barrier = threading.Barrier(threads, action=begin)

    def searcher(slot: int) -> None:
        ix, position = indexes[slot], slot * 7
        try:
            _search(ix, queries[position % len(queries)])  # this thread's reader or connection
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            errors.append(repr(exc))
        barrier.wait()
        while time.perf_counter() < mark["deadline"]:
            query = queries[position % len(queries)]
            position += 1
            started = time.perf_counter()
            try:
                _search(ix, query)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
                continue
            times[slot].append(time.perf_counter() - started)

    workers = [threading.Thread(target=searcher, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - mark["began"]
    cpu, node = time.process_time() - mark["cpu"], cluster.cpu_seconds() - mark["node"]
    for ix in indexes:
        ix.close()
    return {"seconds": elapsed, "times": [t for per in times for t in per], "errors": errors,
            "cpu": cpu, "node": node}


def _summary(threads: int, slices: list[dict]) -> dict:
    done = [t for part in slices for t in part["times"]]
    errors = [e for part in slices for e in part["errors"]]
    seconds = sum(part["seconds"] for part in slices)
    searches = max(1, len(done))
    out = {"threads": threads, "seconds": seconds, "searches": len(done), "per_second": len(done) / seconds,
           "errors": len(errors), "first_error": errors[0] if errors else None,
           "cpu_ms_per_search": 1000 * sum(part["cpu"] for part in slices) / searches,
           "node_cpu_ms_per_search": 1000 * sum(part["node"] for part in slices) / searches}
    out.update(measure.percentiles(done))
    return out


def _loads(openers: dict, queries, seconds: float, cluster: Cluster) -> dict:
    """Each number of searchers on each engine for `seconds`, in SLICES turns that
    alternate between the engines (both see the same load on a shared machine)."""
    out: dict = {}
    for threads in SEARCHERS:
        slices: dict = {engine: [] for engine in openers}
        for _ in range(SLICES):
            for engine, open_one in openers.items():
                slices[engine].append(_load(open_one, queries, threads, seconds / SLICES, cluster))
        row = out[str(threads)] = {engine: _summary(threads, parts) for engine, parts in slices.items()}
        for engine, result in row.items():
            print(f"  {threads:2d} searchers, {engine}: {result['per_second']:.1f} searches/s, "
                  f"p95 {result['p95'] or 0:.1f} ms, {result['errors']} errors", flush=True)
    return out


# -- one corpus ------------------------------------------------------------
def measure_corpus(corpus, work: Path, cluster: Cluster, name: str, rounds: int, seconds: float) -> dict:
    from searchkit.api import open_index

    print(f"{corpus.name}: {corpus.articles} articles, {corpus.text_bytes / 2**20:.1f} MB of text", flush=True)
    result = {"articles": corpus.articles, "text_bytes": corpus.text_bytes, "index": name}
    folder, url = work / "embedded", cluster.location(name)
    result["build"] = _builds(corpus, folder, url, name, cluster)
    queries = speed_corpus.build_queries(corpus, PLACES)
    openers = {"embedded": lambda: open_index(folder), "cluster": lambda: open_index(url)}
    indexes = {engine: open_one() for engine, open_one in openers.items()}
    try:
        result["queries"] = _latency(indexes, queries, rounds)
    finally:
        for ix in indexes.values():
            ix.close()
    result["load"] = _loads(openers, queries, seconds, cluster)
    merged = result["build"]["cluster"]["merged"] = {"seconds": cluster.force_merge(name)}
    merged.update(cluster.store(name))
    print(f"  cluster store: {result['build']['cluster']['store']['bytes'] / 2**20:.1f} MB as built, "
          f"{merged['bytes'] / 2**20:.1f} MB in one segment (merge {merged['seconds']:.0f} s); embedded "
          f"{result['build']['embedded']['store']['bytes'] / 2**20:.1f} MB", flush=True)
    return result


def warm_up(corpus, cluster: Cluster, name: str) -> float:
    """Index a few files into a throwaway index and search it once: a running cluster's
    JVM has compiled its hot code; a node started just now has not. Not measured."""
    from searchkit.api import SearchIndex

    started = time.perf_counter()
    url = cluster.location(name)
    with SearchIndex.create(url) as ix:
        ix.update([str(f) for f in corpus.files[:WARM_UP_FILES]])
        for query in speed_corpus.build_queries(corpus, PLACES):
            _search(ix, query)
    cluster.delete_all(name)
    return time.perf_counter() - started


def _corpora(quick: bool, tmp: Path):
    limit = 6000 if quick else None
    reuters = speed_corpus.write_reuters(tmp / "reuters", 1, limit)
    yield "reuters", reuters
    if not quick and reuters:
        yield "reuters-5x", speed_corpus.write_reuters(tmp / "reuters5", 5)


def _problem(url: str | None) -> tuple[Cluster | None, str | None]:
    if not url:
        return None, f"no cluster: give --url http://HOST:PORT or set {URL_ENV} (scripts/opensearch start)"
    try:
        cluster = Cluster(url)
    except ValueError as exc:
        return None, str(exc)
    problem = cluster.problem()
    if problem:
        return None, f"no cluster: {problem}"
    from importlib.util import find_spec

    if find_spec("opensearchpy") is None:
        return None, "the OpenSearch engine needs opensearch-py: pip install 'searchkit[opensearch]'"
    try:
        import searchkit.opensearch.engine  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - an engine that cannot load is a skip, said plainly
        return None, f"the OpenSearch engine cannot be loaded: {type(exc).__name__}: {exc}"
    return cluster, None


def run(args, report: dict) -> None:
    cluster, problem = _problem(args.url)
    if problem:
        report["skipped"]["all"] = problem
        return
    report["cluster"] = cluster.describe()
    prefix = f"bench-scale-out-{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix="searchkit-scale-out-") as tmp:
        try:
            for name, corpus in _corpora(args.quick, Path(tmp)):
                if corpus is None:
                    report["skipped"][name] = "../shared/data/reuters21578 is absent"
                    print(f"{name}: skipped (../shared/data/reuters21578 is absent)", flush=True)
                    continue
                if "warm_up_seconds" not in report:
                    report["warm_up_seconds"] = warm_up(corpus, cluster, prefix + "warm-up")
                    print(f"cluster warmed up in {report['warm_up_seconds']:.0f} s (not measured)", flush=True)
                try:
                    report["corpora"][name] = measure_corpus(
                        corpus, Path(tmp) / f"{name}-work", cluster, prefix + name,
                        1 if args.quick else 3, args.seconds or (4 if args.quick else 12))
                except Exception as exc:  # noqa: BLE001 - one corpus failing still reports the others
                    traceback.print_exc()
                    report["failed"][name] = f"{type(exc).__name__}: {exc}"
        finally:
            report["deleted"] = cluster.delete_all(prefix)


def _commit() -> str | None:
    import subprocess

    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=HERE, capture_output=True,
                              text=True, timeout=10).stdout.strip() or None
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get(URL_ENV),
                        help=f"the cluster's base URL, http://HOST:PORT (default ${URL_ENV})")
    parser.add_argument("--quick", action="store_true", help="6,000 Reuters articles only")
    parser.add_argument("--seconds", type=float, help="seconds per engine and number of searchers (default 12; 4 with --quick)")
    parser.add_argument("--out", default=str(HERE / "results"), help="folder for scale_out.md and .json")
    args = parser.parse_args(argv)
    started = time.time()
    report: dict = {"quick": args.quick, "cores": os.cpu_count(), "corpora": {}, "skipped": {},
                    "failed": {}}
    report["commit"] = _commit()
    report["load_average"] = {"start": os.getloadavg()}
    run(args, report)
    report["load_average"]["end"] = os.getloadavg()
    report["seconds"] = time.time() - started
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale_out.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    markdown = render(report)
    (out / "scale_out.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
