"""Hand-judged entity precision on Wikinews: draw a sample, show contexts, score judgments.

    python benchmarks/entities_judge.py draw --kind org --seed 15 > sample.tsv
    python benchmarks/entities_judge.py draw --kind org --seed 15015 --size 150 --unjudged
    python benchmarks/entities_judge.py score benchmarks/judgments/org-seed15.tsv
    python benchmarks/entities_judge.py recheck benchmarks/judgments/org-seed3.tsv
    python benchmarks/entities_judge.py pool after.json        # every article's pairs, this code
    python benchmarks/entities_judge.py compare before.json after.json

The pool is the one `entities_eval.py --wikinews-sample` draws from (every
(article, canonical entity) pair `extract_entities` returns over the Wikinews
dumps in ../shared/data/wikinews), so a seed gives the same draw as that script.
`draw` prints a TSV to judge: number, name, article, verdict (empty), why, and the
contexts of the mention (up to two, the name or its last word). A judged file has
the verdict column filled with ✓ (correct), ~ (lenient) or ✗ (wrong), or `gone`
when a recheck found that the pair is no longer extracted; `score` counts them
(gone pairs left out). `recheck` reads a judged file made with older code and prints, for
each line, whether the current extractor still gives that name in that article,
and what it gives instead when it does not (to re-judge the changed lines only). `pool` and
`compare` show a change's effect on the whole pool: run `pool` in a checkout of the code
before the change (`git worktree add`) and in this one, then `compare` the two files.
The data stays outside the repository; the judgment files hold names, article
ids and verdicts only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from entities_eval import wikinews_articles  # noqa: E402

from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import extract_entities  # noqa: E402

KINDS = ("person", "org", "place")
VERDICTS = ("✓", "~", "✗")
JUDGMENTS = ROOT / "benchmarks" / "judgments"
GONE = "gone"  # a recheck's verdict for a pair the current extractor no longer gives


def extracted() -> dict[str, tuple[str, list]]:
    """article id -> (body, entities), as the indexer extracts them."""
    out = {}
    for row in wikinews_articles():
        dateline, body = split_dateline(row["text"])
        out[row["id"]] = (body, extract_entities(body, dateline=dateline))
    return out


def contexts(body: str, name: str, width: int = 70, most: int = 2) -> list[str]:
    found = [m.start() for m in re.finditer(re.escape(name), body)][:most]
    size = len(name)
    if not found:
        last = name.split()[-1]
        found, size = [m.start() for m in re.finditer(rf"\b{re.escape(last)}\b", body)][:most], len(last)
    return [" ".join(body[max(0, at - width): at + size + width].split()) for at in found] or ["(not in text)"]


def draw(kind: str, seed: int, size: int, unjudged: bool = False) -> None:
    pool = [(entity.name, article, body) for article, (body, entities) in extracted().items()
            for entity in entities if entity.kind == kind]
    if unjudged:  # pairs no earlier sample judged (the learnt organisation check was trained on them)
        judged = {(row[2], row[1]) for path in JUDGMENTS.glob(f"{kind}-*.tsv") for row in read_judged(path)}
        pool = [(name, article, body) for name, article, body in pool if (article, name) not in judged]
    print(f"# {kind}: {size} of {len(pool)} article-entity pairs{' never judged before' if unjudged else ''}, "
          f"seed {seed}")
    print("#\tname\tarticle\tverdict\twhy\tcontext")
    for number, (name, article, body) in enumerate(random.Random(seed).sample(pool, min(size, len(pool))), 1):
        print(f"{number}\t{name}\t{article}\t\t\t" + " ‖ ".join(contexts(body, name)))


def read_judged(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append((line.split("\t") + [""] * 5)[:6])
    return rows


def score(path: Path) -> None:
    rows = read_judged(path)
    counts = Counter(row[3] for row in rows)
    unjudged = [row[0] for row in rows if row[3] not in (*VERDICTS, GONE)]
    total = len(rows) - len(unjudged) - counts[GONE]
    gone = f" ({counts[GONE]} no longer extracted, left out)" if counts[GONE] else ""
    print(f"{path.name}: {total} judged{gone}; ✓ {counts['✓']}, ~ {counts['~']}, ✗ {counts['✗']}; "
          f"strict {counts['✓'] / (total or 1):.3f}, lenient {(counts['✓'] + counts['~']) / (total or 1):.3f}")
    if unjudged:
        print(f"not judged: {', '.join(unjudged)}")


def recheck(path: Path, kind: str) -> None:
    articles = extracted()
    for number, name, article, verdict, why, *_ in read_judged(path):
        body, entities = articles.get(article, ("", []))
        names = [e.name for e in entities if e.kind == kind]
        if name in names:
            print(f"{number}\tsame\t{name}\t{verdict}")
            continue
        last = name.split()[-1].lower()
        near = [n for n in names if last in n.lower() or n.lower() in name.lower()]
        print(f"{number}\tGONE\t{name}\t{verdict}\tnow: {near or '-'}\t{' ‖ '.join(contexts(body, name))}")


def pool(out: Path) -> None:
    """Write every article's (kind, name) pairs, as the current code extracts them, to `out`."""
    pairs = {article: sorted({(e.kind, e.name) for e in entities}) for article, (_, entities) in extracted().items()}
    out.write_text(json.dumps(pairs), encoding="utf-8")
    print(f"{sum(map(len, pairs.values()))} pairs of {len(pairs)} articles written to {out}")


def compare(before: Path, after: Path, top: int = 60) -> None:
    """The pairs that two `pool` files differ by, the most frequent first (a rule change's
    effect on the whole pool, beyond the judged samples)."""
    old, new = (json.loads(path.read_text(encoding="utf-8")) for path in (before, after))
    gone: Counter = Counter()
    came: Counter = Counter()
    for article in old.keys() | new.keys():
        was = {tuple(pair) for pair in old.get(article, [])}
        now = {tuple(pair) for pair in new.get(article, [])}
        gone.update(was - now)
        came.update(now - was)
    for label, counts in (("gone", gone), ("new", came)):
        print(f"{label}: {sum(counts.values())} pairs, {len(counts)} names")
        for (kind, name), count in counts.most_common(top):
            print(f"  {count:4}  {kind:6}  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("draw", "score", "recheck", "pool", "compare"))
    parser.add_argument("file", nargs="?", type=Path,
                        help="a judged TSV (score, recheck), the JSON to write (pool) or the earlier one (compare)")
    parser.add_argument("other", nargs="?", type=Path, help="compare: the later pool JSON")
    parser.add_argument("--kind", choices=KINDS, default="org")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--unjudged", action="store_true",
                        help="draw: only pairs that no file in benchmarks/judgments has judged")
    args = parser.parse_args()
    if args.action == "draw":
        draw(args.kind, args.seed, args.size, args.unjudged)
    elif args.file is None:
        parser.error(f"{args.action} needs a file")
    elif args.action == "pool":
        pool(args.file)
    elif args.action == "compare":
        if args.other is None:
            parser.error("compare needs two pool files: the earlier, then the later")
        compare(args.file, args.other)
    elif args.action == "score":
        score(args.file)
    else:
        recheck(args.file, args.kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
