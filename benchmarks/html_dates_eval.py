"""Publication dates: searchkit beside htmldate on the same pages, in one run.

    /work/main/.venv/bin/python benchmarks/html_dates_eval.py [--data ../shared/data]
        [--no-htmldate] [--show N] [--truth eval_default.json]

Data: ../shared/data/html-date/ (eval_default.json, 800 pages, htmldate's
evaluation set). The folder holds one truth file but two kinds of pages:
770 saved under a name made from their site ("site-named") and 30 under a
32-digit hex id ("hash-named", October 2019 news pages); each group is
reported on its own as well as together. Every page is in the dev or the
held-out part (benchmarks/html_split.py, by its url).

Score: share of pages whose date equals the truth to the day (a page given
no date counts as wrong). htmldate runs as its evaluation recommends,
`find_date(html, url=url, extensive_search=True, original_date=True)`; both
extractors get the page's url. htmldate is a benchmark-only anchor
(`pip install 'searchkit[bench]'`), never a dependency of searchkit.
`--show N` lists N pages of the dev part that searchkit gets wrong (never
held-out pages: they are for reporting, not tuning).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bootstrap import share_holding  # noqa: E402
from html_split import PARTS, part_of  # noqa: E402

from searchkit.errors import ArticleParseError  # noqa: E402
from searchkit.ingest.html import parse_html  # noqa: E402

_HASH_NAME = re.compile(r"^[0-9a-f]{32}\.html$")
GROUPS = ("site-named", "hash-named")


def searchkit_date(data: bytes, url: str) -> tuple[str | None, str | None, bool]:
    """(date, source, raised): what parse_html finds, and whether it raised."""
    try:
        article = parse_html(data, url=url)
    except ArticleParseError:
        return None, None, True
    return (article.date.isoformat() if article.date else None), article.date_source, False


def htmldate_date(data: bytes, url: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(data, url=url, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001 - an anchor's crash counts as no date
        return None


def load_pages(data_dir: Path, truth_file: str = "eval_default.json") -> list[dict]:
    """One row per page of the truth file: url, truth, bytes, part, group."""
    folder = data_dir / "html-date"
    truth = json.loads((folder / truth_file).read_text(encoding="utf-8"))
    return [{"url": url, "truth": item["date"], "part": part_of(url),
             "group": GROUPS[bool(_HASH_NAME.match(item["file"]))],
             "data": gzip.open(folder / "eval" / f"{item['file']}.gz").read()}
            for url, item in truth.items()]


def measure(pages: list[dict], anchors: bool) -> None:
    """Add each extractor's answer to every row."""
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    for row in pages:
        row["searchkit"], row["source"], row["raised"] = searchkit_date(row["data"], row["url"])
        if anchors:
            row["htmldate"] = htmldate_date(row["data"], row["url"])


def accuracy_table(pages: list[dict], names: tuple[str, ...]) -> list[str]:
    """Lines: accuracy of each extractor by part and group."""
    lines = [f"  {'part':<9} {'pages':<18} {'n':>4}  " + "  ".join(f"{n:>9}" for n in names)]
    for part in (*PARTS, "all"):
        for group in (*GROUPS, "all"):
            rows = [r for r in pages if part in ("all", r["part"]) and group in ("all", r["group"])]
            if not rows:  # a truth file with one kind of page
                continue
            cells = "  ".join(f"{sum(r[n] == r['truth'] for r in rows) / len(rows):9.4f}"
                              for n in names)
            lines.append(f"  {part:<9} {group:<18} {len(rows):>4}  {cells}")
    return lines


def given_line(pages: list[dict], name: str) -> str:
    """Right, a wrong date, no date, and the share right of the dates given, for one extractor."""
    right = sum(r[name] == r["truth"] for r in pages)
    given = sum(r[name] is not None for r in pages)
    return (f"{name}: {right} right, {given - right} a wrong date, {len(pages) - given} no date; "
            f"right on {right / given if given else 0:.3f} of the dates given")


def reaches(pages: list[dict]) -> float:
    """Share of bootstrap resamples of the pages in which searchkit gets at least as many
    right as htmldate."""
    margin = [(r["searchkit"] == r["truth"]) - (r["htmldate"] == r["truth"]) for r in pages]
    return share_holding(len(margin), lambda drawn: sum(margin[i] for i in drawn) >= 0)


def run_dates(data_dir: Path, anchors: bool = True, show: int = 0, truth_file: str = "eval_default.json") -> None:
    pages = load_pages(data_dir, truth_file)
    measure(pages, anchors)
    names = ("searchkit", "htmldate") if anchors else ("searchkit",)
    parts = Counter(r["part"] for r in pages)
    print(f"date: {len(pages)} pages from {data_dir / 'html-date'} "
          f"({parts['dev']} dev, {parts['held-out']} held-out); accuracy to the day")
    print("\n".join(accuracy_table(pages, names)))
    if anchors:
        print(f"  searchkit reaches htmldate in {reaches(pages):.0%} of 1,000 bootstrap resamples of all the pages")
    for name in names:
        print("  " + given_line(pages, name))
    if anchors:
        dated = [r for r in pages if r["searchkit"] is not None]
        print(f"  on the {len(dated)} pages searchkit dates, htmldate is right on "
              f"{sum(r['htmldate'] == r['truth'] for r in dated)}; on the other {len(pages) - len(dated)} "
              f"it guesses {sum(r['htmldate'] is not None for r in pages if r['searchkit'] is None)}, "
              f"{sum(r['htmldate'] == r['truth'] for r in pages if r['searchkit'] is None)} of them right")
    none = sum(r["searchkit"] is None for r in pages)
    raised = [r["url"] for r in pages if r["raised"]]
    print(f"  searchkit: {none} pages without a date; parse_html raised on {len(raised)}")
    print("  sources: " + ", ".join(f"{k}={v}" for k, v in
                                    Counter(r["source"] for r in pages).most_common()))
    wrong = [r for r in pages if r["part"] == "dev" and r["searchkit"] != r["truth"]]
    for row in wrong[:show]:
        print(f"      {row['truth']} got {row['searchkit']} ({row['source']})"
              + (f" htmldate {row['htmldate']}" if anchors else "") + f" {row['url']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-htmldate", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="list N wrong dev pages")
    parser.add_argument("--truth", default="eval_default.json",
                        help="the truth file in DATA/html-date/ (its pages in eval/NAME.gz)")
    args = parser.parse_args()
    run_dates(args.data, not args.no_htmldate, args.show, args.truth)


if __name__ == "__main__":
    main()
