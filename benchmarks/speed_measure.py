"""Measuring tools for benchmarks/speed.py: builds in a child process with the
peak memory of its whole process tree, warm query latencies, cold starts.

Also the child's entry point for a searchkit build:

    python benchmarks/speed_measure.py build INDEX_DIR [--no-entities] [--workers N] FILE...
    python benchmarks/speed_measure.py sync INDEX_DIR FILE...
    python benchmarks/speed_measure.py merge INDEX_DIR [--segments N]
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
PAGE = os.sysconf("SC_PAGE_SIZE")


def _descendants(pid: int) -> list[int]:
    """pid and its descendants, from /proc/<pid>/task/<tid>/children (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants (Linux /proc)."""
    total = 0
    for current in _descendants(pid):
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def run_build(command: list[str]) -> dict:
    """Run a build command; its JSON output plus the peak RSS of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, env=_env())
    peak = 0
    while proc.poll() is None:
        if os.path.isdir("/proc"):
            peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.1)
    out = proc.stdout.read().decode()
    if proc.returncode:
        raise RuntimeError(f"{command[:3]} failed with {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    # Sampled, not ru_maxrss: Linux carries the high-water mark across fork and exec, so a
    # child started by a big parent would report the parent's peak.
    result["peak_rss_mb"] = round(peak / 2**20, 1)
    return result


def _env() -> dict:
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    return env


def folder_bytes(path: str | Path) -> int:
    """Bytes of the index's live files: segment files a merge superseded, kept for the
    searches still reading them until a later commit deletes them (index/grace.py), are
    left out."""
    import json

    from searchkit.index.grace import LEDGER

    ledger = Path(path) / LEDGER
    superseded = set(json.loads(ledger.read_text())) if ledger.exists() else set()
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and p.name not in superseded)


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"p50": None, "p95": None, "max": None}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {"p50": at(0.50) * 1000, "p95": at(0.95) * 1000, "max": ordered[-1] * 1000}


def time_queries(run, queries, rounds: int) -> dict:
    """Latency of run(query) over the query set: one warm-up round, then `rounds`."""
    for query in queries:
        run(query)
    times: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            run(query)
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            by_kind.setdefault(query.kind, []).append(elapsed)
    out = percentiles(times)
    out["by_kind"] = {kind: percentiles(values) for kind, values in by_kind.items()}
    return out


def cold_start(command: list[str], runs: int) -> float:
    """Median wall time (seconds) of a one-off process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=_env())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def usage() -> dict:
    """ru_maxrss (inherited across exec: for reference only) and CPU seconds of this process
    and its children."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"maxrss_kb": max(me.ru_maxrss, children.ru_maxrss),
            "cpu_seconds": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime}


def _build_main(argv: list[str]) -> int:
    index_dir, rest = argv[0], argv[1:]
    extract = "--no-entities" not in rest
    workers = None
    if "--workers" in rest:
        workers = int(rest[rest.index("--workers") + 1])
        rest = rest[:rest.index("--workers")] + rest[rest.index("--workers") + 2:]
    files = [f for f in rest if not f.startswith("--")]
    sys.path.insert(0, str(ROOT))
    from searchkit.api import SearchIndex

    started = time.perf_counter()
    with SearchIndex.create(index_dir) as ix:
        report = ix.update(files, extract_entities=extract, workers=workers)
    seconds = time.perf_counter() - started
    print(json.dumps({"articles": report.added, "failed": report.failed, "seconds": seconds, **usage()}))
    return 0


def _sync_main(argv: list[str]) -> int:
    """Update an existing index from FILE...: what changed, in how long."""
    sys.path.insert(0, str(ROOT))
    from searchkit.api import SearchIndex

    started = time.perf_counter()
    with SearchIndex.open(argv[0]) as ix:
        report = ix.update(argv[1:])
    print(json.dumps({"seconds": time.perf_counter() - started, "added": report.added,
                      "updated": report.updated, "unchanged": report.unchanged,
                      "removed": report.removed, "failed": report.failed, **usage()}))
    return 0


def _merge_main(argv: list[str]) -> int:
    """Merge an index's segments: into N with --segments N, else by tiers as an update ends."""
    sys.path.insert(0, str(ROOT))
    from searchkit.api import SearchIndex
    from searchkit.index.merging import compact

    with SearchIndex.open(argv[0]) as ix:
        if "--segments" in argv:
            report = ix.optimize(max_segments=int(argv[argv.index("--segments") + 1]))
        else:
            report = compact(ix._ix)
    print(json.dumps({"seconds": report.seconds, "segments_before": report.segments_before,
                      "segments_after": report.segments_after, "merges": report.merges,
                      "articles": report.articles_merged, **usage()}))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        sys.exit(_build_main(sys.argv[2:]))
    if sys.argv[1:2] == ["sync"]:
        sys.exit(_sync_main(sys.argv[2:]))
    if sys.argv[1:2] == ["merge"]:
        sys.exit(_merge_main(sys.argv[2:]))
    sys.exit("usage: speed_measure.py build INDEX_DIR [--no-entities] [--workers N] FILE...\n"
             "       speed_measure.py merge INDEX_DIR [--segments N]")
