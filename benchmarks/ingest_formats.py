"""One big file against the same records in many files, and a sync after an append.

    python benchmarks/ingest_formats.py [--scale 5] [--work DIR] [--rounds 2]

Reuters-21578 times `--scale` (the copies perturbed as in speed.py) is written as
1,000-record JSON Lines files (the baseline), as one JSON Lines file, as one
`.jsonl.gz` and as one CSV. Each is indexed from scratch in a child process
(entities on, the workers searchkit picks), timed from inside, with the peak RSS
of the whole process tree sampled every 100 ms. With `--rounds 2` the baseline
and the one-file build alternate twice and the medians are compared. Then 1,000
new records are appended to the one-file JSON Lines and the index synced: its
time against the full build's. Results: benchmarks/results/ingest_formats.md
and .json. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from speed_corpus import PER_FILE, _reuters_rows  # noqa: E402
from speed_measure import PYTHON, run_build  # noqa: E402

APPENDED = 1000
COLUMNS = ("id", "title", "date", "dateline", "text")


def write_corpora(work: Path, scale: int) -> dict[str, list[Path]]:
    rows = list(_reuters_rows(scale, None))
    split, one = work / "split", work / "one"
    for folder in (split, one, work / "gz", work / "csv"):
        folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
    for start in range(0, len(lines), PER_FILE):
        (split / f"part-{start // PER_FILE:04d}.jsonl").write_text("".join(lines[start:start + PER_FILE]),
                                                                  encoding="utf-8")
    (one / "reuters.jsonl").write_text("".join(lines), encoding="utf-8")
    with gzip.open(work / "gz" / "reuters.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(lines)
    with (work / "csv" / "reuters.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([row.get(column, "") for column in COLUMNS] for row in rows)
    return {"split": sorted(split.iterdir()), "one JSON Lines": [one / "reuters.jsonl"],
            "one .jsonl.gz": [work / "gz" / "reuters.jsonl.gz"], "one CSV": [work / "csv" / "reuters.csv"]}


def build(work: Path, name: str, files: list[Path]) -> dict:
    index = work / f"index-{abs(hash(name))}"
    shutil.rmtree(index, ignore_errors=True)
    result = run_build([PYTHON, str(HERE / "speed_measure.py"), "build", str(index), *map(str, files)])
    result["index"] = str(index)
    return result


def append_and_sync(index: str, data: Path) -> dict:
    rows = [{"id": f"appended-{number}", "title": f"Appended story {number}", "date": "1987-04-01",
             "text": f"An appended story, number {number}, about oil and grain prices."}
            for number in range(APPENDED)]
    with data.open("a", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    return run_build([PYTHON, str(HERE / "speed_measure.py"), "sync", index, str(data)])


def render(report: dict) -> str:
    base = report["builds"]["split"]
    out = [f"# One big file against many (Reuters {report['scale']}x, {base['articles']:,} articles, "
           f"{report['bytes'] / 2**20:,.0f} MB of JSON Lines)", "",
           "| input | build s | articles/s | peak RSS MiB | CPU s | time / split files |",
           "|---|---:|---:|---:|---:|---:|"]
    for name, figures in report["builds"].items():
        out.append(f"| {name} | {figures['seconds']:.1f} | {figures['articles'] / figures['seconds']:,.0f} | "
                   f"{figures['peak_rss_mb']:.0f} | {figures['cpu_seconds']:.1f} | "
                   f"{figures['seconds'] / base['seconds']:.2f} |")
    sync = report["sync"]
    full = report["builds"]["one JSON Lines"]["seconds"]
    out += ["", f"Sync after appending {APPENDED:,} records to the one file: {sync['seconds']:.2f} s "
                f"(added {sync['added']:,}, unchanged {sync['unchanged']:,}, updated {sync['updated']}, "
                f"removed {sync['removed']}), {sync['seconds'] / full:.3f} of the full build "
                f"({full:.1f} s)."]
    if report.get("rounds"):
        out += ["", "Rounds (split, one file): " + "; ".join(
            f"{a:.1f} s / {b:.1f} s" for a, b in report["rounds"])]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--only", default="", help="comma-separated inputs to build (default: all)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="searchkit-formats-"))
    try:
        corpora = write_corpora(work, args.scale)
    except FileNotFoundError:
        print("Reuters-21578 is absent (../shared/data/reuters21578): nothing measured")
        return 0
    report = {"scale": args.scale, "bytes": (work / "one" / "reuters.jsonl").stat().st_size,
              "builds": {}, "rounds": []}
    wanted = [name for name in corpora if not args.only or name in args.only.split(",") or name == "split"]
    pairs = []
    for _ in range(args.rounds):  # the baseline and the one-file build alternate
        pairs.append((build(work, "split", corpora["split"]),
                      build(work, "one JSON Lines", corpora["one JSON Lines"])))
    for key, position in (("split", 0), ("one JSON Lines", 1)):
        runs = [pair[position] for pair in pairs]
        best = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
        best["seconds"] = statistics.median(run["seconds"] for run in runs)
        report["builds"][key] = best
    report["rounds"] = [(a["seconds"], b["seconds"]) for a, b in pairs]
    for name in wanted:
        if name not in report["builds"]:
            report["builds"][name] = build(work, name, corpora[name])
    report["sync"] = append_and_sync(report["builds"]["one JSON Lines"]["index"], corpora["one JSON Lines"][0])
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "ingest_formats.json").write_text(json.dumps(report, indent=2, default=str))
    text = render(report)
    (out / "ingest_formats.md").write_text(text)
    print(text)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
