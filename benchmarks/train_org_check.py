"""Learn the organisation check (searchkit/analysis/org_check.py) from the hand-judged pairs.

    python benchmarks/train_org_check.py                   # cross-validate, print the figures
    python benchmarks/train_org_check.py --write           # ... and write the shipped weights
    python benchmarks/train_org_check.py --threshold 0.6 --folds 5

The examples are the judged organisation pairs (article id, name, verdict) of
benchmarks/judgments/org-*.tsv, except the samples in MEASURED (judged to measure the check once
it was built), that today's rules still give as an unknown organisation written out in the
article (Wikinews, ../shared/data/wikinews): label 1 for ✓, 0 for ~ and ✗. The model is a
logistic regression over `org_check.pair_features`, trained with AdaGrad (pure Python, a fixed
shuffle, so a run gives the same weights). Before training on all of them, a k-fold
cross-validation grouped by article prints what the check would do to pairs it did not learn
from: the area under the ROC curve, the pairs kept and their precision at each threshold, the
judged ✓ pairs lost, and each sample's precision with the known organisations added back (the
samples judged fresh for the rules: seeds 9015 and 10015). `--write` stores the weights and the
threshold in searchkit/analysis/data/org_check.json. Skips cleanly without the data.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from entities_eval import WIKINEWS, wikinews_articles  # noqa: E402
from entities_judge import JUDGMENTS, VERDICTS, read_judged  # noqa: E402

from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import extract_with_rules  # noqa: E402
from searchkit.analysis.gazetteer import load_gazetteer  # noqa: E402
from searchkit.analysis.org_check import (LOWER_WORD, MODEL_FILE, OrgModel, mentions,  # noqa: E402
                                          pair_features, unknown_org)

OUT = ROOT / "searchkit" / "analysis" / "data" / MODEL_FILE
FRESH = ("org-seed9015.tsv", "org-seed10015.tsv")  # judged fresh for the rules, nothing chosen from them
# Judged after the check was built, to measure it (docs/entity-precision.md, part 5): never trained on.
MEASURED = ("org-seed15015.tsv", "org-dropped-seed16015.tsv")
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)


def verdicts_of(path: Path) -> list[tuple[tuple[str, str], str]]:
    """((article, name), verdict) of each judged line of one judgment file."""
    return [((row[2], row[1]), row[3]) for row in read_judged(path) if row[3] in VERDICTS]


def judged() -> dict[tuple[str, str], str]:
    """(article, name) -> verdict, over every organisation judgment file (a later file's wins)."""
    return {key: verdict for path in sorted(p for p in JUDGMENTS.glob("org-*.tsv") if p.name not in MEASURED)
            for key, verdict in verdicts_of(path)}


def examples(verdicts: dict[tuple[str, str], str]) -> tuple[list, dict]:
    """(article, name, features, label) of each judged pair the rules give as an unknown
    organisation written in the text; and (article, name) -> "known" / "unknown" for every
    organisation the rules give in a judged article."""
    gaz = load_gazetteer()
    wanted = {article for article, _ in verdicts}
    rows, kinds = [], {}
    for row in wikinews_articles():
        if row["id"] not in wanted:
            continue
        dateline, body = split_dateline(row["text"])
        entities = extract_with_rules(body, dateline, check_orgs=False)
        persons = [e.name for e in entities if e.kind == "person"]
        lower = set(LOWER_WORD.findall(body))
        for entity in entities:
            if entity.kind != "org":
                continue
            key = (row["id"], entity.name)
            checked = unknown_org(entity, gaz=gaz) and bool(mentions(entity.name, body))
            kinds[key] = "unknown" if checked else "known"
            if checked and key in verdicts:
                rows.append((row["id"], entity.name, pair_features(entity.name, body, persons, lower, gaz),
                             int(verdicts[key] == "✓")))
    return rows, kinds


def train(rows: list, epochs: int = 10, rate: float = 0.2, l2: float = 1e-3, seed: int = 0) -> dict[str, float]:
    """Logistic regression by AdaGrad over binary features."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(rows)
    shuffle = random.Random(seed)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for _, _, features, label in order:
            score = sum(weights.get(f, 0.0) for f in features)
            error = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score)))) - label
            for f in features:
                gradient = error + l2 * weights.get(f, 0.0)
                squares[f] = squares.get(f, 0.0) + gradient * gradient
                weights[f] = weights.get(f, 0.0) - rate * gradient / math.sqrt(squares[f] + 1e-8)
    return weights


def area_under_curve(scored: list[tuple[float, int]]) -> float:
    positives = [p for p, label in scored if label]
    negatives = sorted(p for p, label in scored if not label)
    wins = sum(bisect.bisect_left(negatives, p) + 0.5 * (bisect.bisect_right(negatives, p)
                                                         - bisect.bisect_left(negatives, p)) for p in positives)
    return wins / (len(positives) * len(negatives))


def cross_validated(rows: list, folds: int) -> dict[tuple[str, str], float]:
    """Each pair's probability from a model that did not see its article."""
    articles = sorted({row[0] for row in rows})
    random.Random(2).shuffle(articles)
    fold = {article: k % folds for k, article in enumerate(articles)}
    out = {}
    for k in range(folds):
        model = OrgModel(train([r for r in rows if fold[r[0]] != k]), 0.5)
        out.update({(r[0], r[1]): model.probability(r[2]) for r in rows if fold[r[0]] == k})
    return out


def best_threshold(scored: list[tuple[float, int]]) -> float:
    """The threshold (a multiple of 0.05) at which the kept pairs hold the most ✓ pairs
    beyond their wrong ones: where dropping more would lose at least as many right names
    as wrong ones. The lowest such threshold on a tie."""
    def margin(threshold: float) -> int:
        return sum(1 if label else -1 for p, label in scored if p >= threshold)
    return max((round(0.05 * k, 2) for k in range(20)), key=lambda t: (margin(t), -t))


def report(rows: list, kinds: dict, verdicts: dict, scores: dict) -> None:
    scored = [(scores[(r[0], r[1])], r[3]) for r in rows]
    good = sum(label for _, label in scored)
    print(f"{len(rows)} judged unknown organisations ({good} ✓), cross-validated area under the ROC curve "
          f"{area_under_curve(scored):.3f}")
    print("| threshold | kept | precision (unknown only) | ✓ lost |")
    print("|---:|---:|---:|---:|")
    print(f"| none | {len(scored)} | {good / len(scored):.3f} | 0 |")
    for threshold in THRESHOLDS:
        kept = [label for p, label in scored if p >= threshold]
        print(f"| {threshold} | {len(kept)} | {sum(kept) / len(kept):.3f} | {good - sum(kept)} |")
    for name in FRESH:
        path = JUDGMENTS / name
        if not path.exists():
            continue
        pairs = verdicts_of(path)
        cells = []
        for threshold in (0.0, *THRESHOLDS):
            kept = [v for key, v in pairs if kinds.get(key) != "unknown" or key not in scores
                    or scores[key] >= threshold]
            right = sum(v == "✓" for v in kept)
            cells.append(f"{threshold}: {right}/{len(kept)} = {right / len(kept):.3f}")
        print(f"{name} (all its pairs, known organisations kept): " + "; ".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, help="the probability below which a name goes "
                        "(default: the cross-validated best_threshold)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    if not WIKINEWS.is_dir():
        print(f"skipped: no Wikinews dumps in {WIKINEWS}")
        return 0
    verdicts = judged()
    rows, kinds = examples(verdicts)
    scores = cross_validated(rows, args.folds)
    report(rows, kinds, verdicts, scores)
    chosen = best_threshold([(scores[(r[0], r[1])], r[3]) for r in rows])
    print(f"cross-validated best threshold: {chosen}")
    args.threshold = chosen if args.threshold is None else args.threshold
    if args.write:
        weights = {f: round(w, 4) for f, w in sorted(train(rows).items()) if abs(w) >= 1e-3}
        OUT.write_text(json.dumps({
            "about": "searchkit's organisation check: logistic weights learnt by benchmarks/train_org_check.py "
                     f"from {len(rows)} hand-judged organisation pairs of English Wikinews articles "
                     "(benchmarks/judgments; Wikinews content CC BY 2.5)",
            "threshold": args.threshold, "weights": weights}, indent=0, ensure_ascii=False) + "\n",
            encoding="utf-8")
        print(f"wrote {OUT} ({len(weights)} weights, threshold {args.threshold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
