"""What the organisation check (searchkit/analysis/org_check.py) costs: the rules with and without it.

    python benchmarks/org_check_cost.py               # extraction over the Wikinews pool, indexing seeds/
    python benchmarks/org_check_cost.py --rounds 3

Both in this one process, interleaved, best of `--rounds` each:
- extraction alone: `extract_with_rules` over the Wikinews pool (../shared/data/wikinews; skipped
  without it), with `check_orgs=False` and with the check (the default);
- indexing the bundled seeds/ into a new temporary index with each (one worker process, so the
  two are alike), through extractors that call the rules one way or the other.
Prints articles per second and the ratio of the times (the check's over the rules').
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from entities_eval import WIKINEWS, wikinews_articles  # noqa: E402

import searchkit  # noqa: E402
from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import extract_with_rules  # noqa: E402


class Unchecked:
    """The rules without the organisation check (an extractor for SEARCHKIT_EXTRACTOR)."""

    def extract(self, text, dateline=None):
        return extract_with_rules(text, dateline, check_orgs=False)


class Checked:
    """The rules with it, as the default extractor runs them."""

    def extract(self, text, dateline=None):
        return extract_with_rules(text, dateline)


def extraction(rounds: int) -> None:
    articles = [split_dateline(row["text"]) for row in wikinews_articles()]
    best = {False: float("inf"), True: float("inf")}
    for _ in range(rounds):
        for check in (False, True):
            started = time.perf_counter()
            for dateline, body in articles:
                extract_with_rules(body, dateline, check_orgs=check)
            best[check] = min(best[check], time.perf_counter() - started)
    n = len(articles)
    print(f"extraction, {n} Wikinews articles: rules {n / best[False]:,.0f}/s, with the check "
          f"{n / best[True]:,.0f}/s: {best[True] / best[False]:.2f}x the time")


def indexing(rounds: int) -> None:
    best = {}
    for _ in range(rounds):
        for spec in (f"{__name__}:Unchecked", f"{__name__}:Checked"):
            folder = Path(tempfile.mkdtemp())
            try:
                started = time.perf_counter()
                with searchkit.create_index(folder / "ix") as ix:
                    count = ix.update([ROOT / "seeds"], extractor=spec, workers=0).indexed
                best[spec] = min(best.get(spec, float("inf")), time.perf_counter() - started)
            finally:
                shutil.rmtree(folder)
    plain, checked = best[f"{__name__}:Unchecked"], best[f"{__name__}:Checked"]
    print(f"indexing seeds/ ({count} articles, one process): rules {plain:.2f} s, with the check "
          f"{checked:.2f} s: {checked / plain:.2f}x the time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if WIKINEWS.is_dir():
        extraction(args.rounds)
    else:
        print(f"extraction skipped: no Wikinews dumps in {WIKINEWS}")
    indexing(max(1, args.rounds // 2 + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
