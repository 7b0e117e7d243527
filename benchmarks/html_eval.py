"""Measure searchkit's HTML extraction beside trafilatura (not a test).

    /work/venv/bin/python benchmarks/html_eval.py [--data ../shared/data] [--no-trafilatura]
        [--only body|date] [--show N] [--rounds N]

Body: ../shared/data/html-body/ (ground-truth.json). Scored exactly as the
article-extraction benchmark (scrapinghub/article-extraction-benchmark,
evaluate.py): words are `\\w+` matches, case-sensitive; per page, tp/fp/fn over
multisets of overlapping 4-word shingles (normalised by their sum); precision
averaged over pages where something was extracted, recall over all pages, F1
from the two averages.
Date: ../shared/data/html-date/ (eval_default.json); share of pages whose date
equals the truth to the day, and how many got none.
Speed: pages per second over the body pages, best of --rounds passes, the
extractors taking turns so that both see the same machine load (searchkit is
given the bytes and decodes them itself; trafilatura gets utf-8 text).
trafilatura is only imported here; it is never a dependency of searchkit.
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

    return trafilatura.extract(data.decode("utf-8", "replace"), url=url) or ""


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


def run_body(data_dir: Path, extractors: dict, show: int, rounds: int) -> None:
    folder = data_dir / "html-body"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: gzip.open(folder / "html" / f"{key}.html.gz").read() for key in truth}
    print(f"body: {len(pages)} pages from {folder}")
    speed = measure_speed(pages, {k: truth[k]["url"] for k in pages}, extractors, rounds)
    for name, extract in extractors.items():
        counts, worst = [], []
        for key, data in pages.items():
            result = extract(data, truth[key]["url"])
            counts.append(tp_fp_fn(truth[key]["articleBody"], result))
            worst.append((counts[-1], key, truth[key]["url"]))
        metrics = score(counts)
        print(f"  {name:<11} F1={metrics['f1']:.4f} precision={metrics['precision']:.4f} "
              f"recall={metrics['recall']:.4f}  {speed[name]:6.1f} pages/s")
        for (tp, fp, fn), key, url in sorted(worst, key=lambda w: w[0][0])[:show]:
            print(f"      tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {key[:12]} {url}")


def run_date(data_dir: Path, show: int) -> None:
    folder = data_dir / "html-date"
    truth = json.loads((folder / "eval_default.json").read_text(encoding="utf-8"))
    right = none = 0
    sources, wrong, start = Counter(), [], time.perf_counter()
    for url, item in truth.items():
        data = gzip.open(folder / "eval" / f"{item['file']}.gz").read()
        try:
            article = parse_html(data, url=url)
            day, source = article.date, article.date_source
        except ArticleParseError:
            day, source = None, None
        sources[source] += 1
        if day is None:
            none += 1
        elif day.isoformat() == item["date"]:
            right += 1
        else:
            wrong.append((url, item["date"], day.isoformat(), source))
    seconds = time.perf_counter() - start
    print(f"date: {len(truth)} pages from {folder}: accuracy {right / len(truth):.4f} "
          f"({right} right, {len(wrong)} wrong, {none} no date)  {len(truth) / seconds:.1f} pages/s")
    print("  sources: " + ", ".join(f"{k}={v}" for k, v in sources.most_common()))
    for row in wrong[:show]:
        print("     ", *row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--only", choices=("body", "date"))
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--rounds", type=int, default=3, help="speed: best of N passes")
    args = parser.parse_args()
    extractors = {"searchkit": searchkit_body}
    if not args.no_trafilatura:
        extractors["trafilatura"] = trafilatura_body
    if args.only != "date":
        run_body(args.data, extractors, args.show, args.rounds)
    if args.only != "body":
        run_date(args.data, args.show)


if __name__ == "__main__":
    main()
