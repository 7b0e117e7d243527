"""Measure searchkit's HTML extraction beside trafilatura and htmldate (not a test).

    /work/main/.venv/bin/python benchmarks/html_eval.py [--data ../shared/data]
        [--no-anchors] [--only body|date] [--show N] [--rounds N]

Body: ../shared/data/html-body/ (ground-truth.json). Scored exactly as the
article-extraction benchmark (scrapinghub/article-extraction-benchmark,
evaluate.py): words are `\\w+` matches, case-sensitive; per page, tp/fp/fn over
multisets of overlapping 4-word shingles (normalised by their sum); precision
averaged over pages where something was extracted, recall over all pages, F1
from the two averages. trafilatura runs with favor_precision=True.
Every page is in the dev or the held-out part (benchmarks/html_split.py, by
its id); each part is scored on its own, and a bootstrap of the pages says how
often searchkit's F1 reaches each anchor's. --show lists the worst dev pages
only: held-out pages are for reporting, not for tuning.
Date: benchmarks/html_dates_eval.py (searchkit beside htmldate, same split).
Speed: pages per second over the body pages, best of --rounds passes (0: not
measured), the extractors taking turns so that both see the same machine load
(searchkit is given the bytes and decodes them itself; trafilatura gets utf-8
text). trafilatura and htmldate are benchmark-only anchors
(`pip install 'searchkit[bench]'`), never dependencies of searchkit.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bootstrap import share_holding  # noqa: E402
from html_dates_eval import run_dates  # noqa: E402
from html_split import PARTS, part_of  # noqa: E402

from searchkit.errors import ArticleParseError  # noqa: E402
from searchkit.ingest.html import parse_html  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text: str, n: int = 4) -> Counter:
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))
                   if words[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    want, got = shingles(true), shingles(pred)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp, fp, fn):
    return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp, fp, fn):
    return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": 2 * precision * recall / (precision + recall),
            "precision": precision, "recall": recall}


def searchkit_body(data: bytes, url: str) -> str:
    try:
        return parse_html(data, url=url).body
    except ArticleParseError:
        return ""


def trafilatura_body(data: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(data.decode("utf-8", "replace"), url=url,
                               favor_precision=True) or ""


def measure_speed(pages: dict, urls: dict, extractors: dict, rounds: int) -> dict[str, float]:
    """Pages per second of each extractor: best of `rounds` alternating passes."""
    best = {name: float("inf") for name in extractors}
    for _ in range(rounds):
        for name, extract in extractors.items():
            start = time.perf_counter()
            for key, data in pages.items():
                extract(data, urls[key])
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(pages) / seconds for name, seconds in best.items()}


def count_raises(pages: dict, urls: dict) -> int:
    """Pages on which parse_html raises."""
    raised = 0
    for key, data in pages.items():
        try:
            parse_html(data, url=urls[key])
        except ArticleParseError:
            raised += 1
    return raised


def run_body(data_dir: Path, extractors: dict, show: int, rounds: int) -> None:
    folder = data_dir / "html-body"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.open(folder / "html" / f"{key}.html.gz").read() for key in truth}
    urls = {key: truth[key]["url"] for key in pages}
    parts = Counter(part_of(key) for key in pages)
    print(f"body: {len(pages)} pages from {folder} ({parts['dev']} dev, "
          f"{parts['held-out']} held-out)")
    speed = measure_speed(pages, urls, extractors, rounds) if rounds else {}
    by_extractor = {}
    for name, extract in extractors.items():
        rows = []
        for key, data in pages.items():
            counts = tp_fp_fn(truth[key]["articleBody"], extract(data, urls[key]))
            rows.append((counts, part_of(key), key))
        by_extractor[name] = [counts for counts, _, _ in rows]
        for part in (*PARTS, "all"):
            metrics = score([c for c, p, _ in rows if part in ("all", p)])
            pace = f"  {speed[name]:6.1f} pages/s" if name in speed and part == "all" else ""
            print(f"  {part:<9} {name:<11} F1={metrics['f1']:.4f} "
                  f"precision={metrics['precision']:.4f} recall={metrics['recall']:.4f}{pace}")
        dev = sorted((r for r in rows if r[1] == "dev"), key=lambda r: r[0][0])
        for (tp, fp, fn), _, key in dev[:show]:
            print(f"      tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {key[:12]} {urls[key]}")
    for name in by_extractor:
        if name != "searchkit" and "searchkit" in by_extractor:
            share = reaches(by_extractor["searchkit"], by_extractor[name])
            print(f"  searchkit's F1 reaches {name}'s in {share:.0%} of 1,000 bootstrap resamples of the pages")
    print(f"  parse_html raised on {count_raises(pages, urls)} of {len(pages)} pages")


def reaches(ours: list, theirs: list) -> float:
    """Share of bootstrap resamples of the pages (the same pages for both) in which our F1
    is at least theirs."""
    return share_holding(len(ours), lambda drawn: score([ours[i] for i in drawn])["f1"] + 1e-12
                         >= score([theirs[i] for i in drawn])["f1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-anchors", action="store_true",
                        help="searchkit alone (no trafilatura, no htmldate)")
    parser.add_argument("--only", choices=("body", "date"))
    parser.add_argument("--show", type=int, default=0, help="list the N worst dev pages")
    parser.add_argument("--rounds", type=int, default=3, help="speed: best of N passes (0: none)")
    args = parser.parse_args()
    extractors = {"searchkit": searchkit_body}
    if not args.no_anchors:
        extractors["trafilatura"] = trafilatura_body
    if args.only != "date":
        run_body(args.data, extractors, args.show, args.rounds)
    if args.only != "body":
        run_dates(args.data, not args.no_anchors, args.show)


if __name__ == "__main__":
    main()
