"""What the CoreNLP-checked extractor (--extractor corenlp) costs and changes, against the rules.

    python benchmarks/extractor_cost.py                # the Wikinews pool (5,554 articles)
    python benchmarks/extractor_cost.py --limit 1000

Extracts the same articles (the pool of entities_judge.py, from ../shared/data/wikinews) with
the rules and then with the checked extractor, in this one process, and prints articles per
second for each and their ratio (the checked extractor's time includes starting its Java
process), the pairs of each kind, and how the organisation pairs change: kept, dropped, or
renamed (a pair whose name only the checked extractor gives). Needs CoreNLP's tagger
(`searchkit fetch-corenlp`); skips cleanly without it or without the data.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from entities_eval import WIKINEWS, wikinews_articles  # noqa: E402

from searchkit.analysis.corenlp import CheckedExtractor  # noqa: E402
from searchkit.analysis.corenlp_files import CoreNLPError, corenlp_files  # noqa: E402
from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import RuleExtractor  # noqa: E402


def timed(extractor, articles) -> tuple[float, dict[str, set]]:
    started = time.perf_counter()
    pairs = {aid: {(e.kind, e.name) for e in extractor.extract(body, dateline)}
             for aid, dateline, body in articles}
    return time.perf_counter() - started, pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    try:
        corenlp_files()
    except CoreNLPError as exc:
        print(f"skipped: {exc} (searchkit fetch-corenlp)")
        return 0
    if not WIKINEWS.is_dir():
        print(f"skipped: no Wikinews dumps in {WIKINEWS}")
        return 0
    articles = [(row["id"], *split_dateline(row["text"])) for row in wikinews_articles()]
    articles = articles[:args.limit] if args.limit else articles
    checked = CheckedExtractor()
    rules_s, rules = timed(RuleExtractor(), articles)
    checked_s, found = timed(checked, articles)
    checked.tagger.close()
    n = len(articles)
    print(f"{n} articles: rules {n / rules_s:,.0f}/s ({rules_s:.1f} s), "
          f"checked {n / checked_s:,.0f}/s ({checked_s:.1f} s): {checked_s / rules_s:.1f}x the time")
    for kind in ("person", "org", "place"):
        before = sum(1 for pairs in rules.values() for k, _ in pairs if k == kind)
        after = sum(1 for pairs in found.values() for k, _ in pairs if k == kind)
        print(f"{kind:6} pairs: rules {before}, checked {after}")
    fate = Counter()
    for aid, pairs in rules.items():
        old = {name for kind, name in pairs if kind == "org"}
        new = {name for kind, name in found[aid] if kind == "org"}
        fate["kept"] += len(old & new)
        fate["dropped or renamed"] += len(old - new)
        fate["new names"] += len(new - old)
    print("org pairs: " + ", ".join(f"{key} {value}" for key, value in fate.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
