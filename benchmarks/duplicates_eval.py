"""How well near-duplicate sketches tell copies from distinct stories (issue 16).

    python benchmarks/duplicates_eval.py [--stories 3000] [--copies 3] [--pairs 200000]

Draws stories from Reuters-21578 (../shared/data/reuters21578) and makes perturbed copies of
each with the speed benchmark's own perturbation (speed_corpus.perturb: about 3% of the words
dropped and 2% swapped with a neighbour, so a copy differs from its original by about 5% of
its words, and two copies from each other by about 10%). For each threshold it reports:

- recall, original to copy and copy to copy: the share of pairs whose estimated resemblance
  reaches the threshold (the pairs that `group_duplicates` folds);
- false folds: pairs of distinct stories that share a Reuters topic (the hardest negatives: one
  topic, one vocabulary) that reach it, and how many of those are in truth near-copies in
  Reuters itself (word-sequence similarity >= 0.8: the same story filed twice);
- the old sketch (word 4-shingles, bottom-64, threshold 0.7, computed at query time) beside it.

Figures go to stdout and benchmarks/results/duplicates_eval.{md,json}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from reuters import iter_reuters  # noqa: E402
from speed_corpus import perturb  # noqa: E402

from searchkit.analysis.sketch import make_sketch, read_sketch, resemblance  # noqa: E402
from searchkit.search.duplicates import SIMILARITY  # noqa: E402

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
_WORD = re.compile(r"\w+")


def old_fingerprint(text: str) -> frozenset[int]:
    """The sketch before issue 16: bottom-64 of word 4-shingles, bodies of 25 words or more."""
    words = _WORD.findall(text.lower())
    if len(words) < 25:
        return frozenset()
    return frozenset(sorted(set(map(hash, zip(*(words[i:] for i in range(4))))))[:64])


def old_resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    union = sorted(a | b)[:64]
    return sum(1 for h in union if h in a and h in b) / len(union)


def sample_stories(count: int, copies: int, seed: int):
    rng = random.Random(seed)
    stories = [s for s in iter_reuters() if (s.body or s.title or "").strip()]
    chosen = rng.sample(stories, min(count, len(stories)))
    bodies = [story_text(s) for s in chosen]  # as speed_corpus writes them: a headline-only story is its headline
    texts = [[body] + [perturb(body, rng) for _ in range(copies - 1)] for body in bodies]
    return chosen, texts


def story_text(story) -> str:
    return story.body.strip() or story.title.strip()


def topic_pairs(chosen, limit: int, seed: int) -> list[tuple[int, int]]:
    by_topic = defaultdict(list)
    for number, story in enumerate(chosen):
        for topic in story.topics:
            by_topic[topic].append(number)
    pairs = sorted({pair for members in by_topic.values() for pair in itertools.combinations(members, 2)})
    random.Random(seed).shuffle(pairs)
    return pairs[:limit]


def evaluate(name, sketches, compare, thresholds, chosen, texts, pairs):
    """Rows of recall and false folds per threshold for one sketch."""
    copies = len(texts[0])
    scores_oc, scores_cc = [], []
    for number in range(len(chosen)):
        row = sketches[number]
        if row[0] is None:
            continue
        scores_oc += [compare(row[0], row[c]) for c in range(1, copies) if row[c] is not None]
        scores_cc += [compare(row[a], row[b]) for a, b in itertools.combinations(range(1, copies), 2)
                      if row[a] is not None and row[b] is not None]
    distinct = [(compare(sketches[a][0], sketches[b][0]), a, b) for a, b in pairs
                if sketches[a][0] is not None and sketches[b][0] is not None]
    words = {}

    def really_copies(a, b):
        for n in (a, b):
            words.setdefault(n, _WORD.findall(texts[n][0].lower()))
        return SequenceMatcher(None, words[a], words[b], autojunk=False).ratio() >= 0.8

    rows = []
    for threshold in thresholds:
        folded = [(a, b) for score, a, b in distinct if score >= threshold]
        rows.append({
            "sketch": name, "threshold": threshold,
            "recall_original_copy": sum(s >= threshold for s in scores_oc) / max(1, len(scores_oc)),
            "recall_copy_copy": sum(s >= threshold for s in scores_cc) / max(1, len(scores_cc)),
            "copy_pairs": len(scores_oc) + len(scores_cc),
            "distinct_pairs": len(distinct), "false_folds": len(folded),
            "folds_of_real_copies": sum(1 for a, b in folded if really_copies(a, b)),
        })
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--copies", type=int, default=3, help="versions of each story (the original included)")
    parser.add_argument("--pairs", type=int, default=200_000, help="same-topic pairs of distinct stories")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        chosen, texts = sample_stories(args.stories, args.copies, args.seed)
    except FileNotFoundError:
        print("Reuters-21578 is absent (../shared/data/reuters21578): nothing to measure")
        return 0
    pairs = topic_pairs(chosen, args.pairs, args.seed)
    started = time.perf_counter()
    new = [[read_sketch(make_sketch(story.title, text)) for text in versions]
           for story, versions in zip(chosen, texts)]
    per_article = (time.perf_counter() - started) / sum(map(len, texts))
    old = [[old_fingerprint(text) or None for text in versions] for versions in texts]
    rows = evaluate("word pairs, one-permutation 64 bins (stored)", new, resemblance, THRESHOLDS,
                    chosen, texts, pairs)
    short = [n for n, versions in enumerate(texts) if len(versions[0].split()) < 25]
    rows += evaluate("the same, stories under 25 words only", [new[n] for n in short], resemblance, THRESHOLDS,
                     [chosen[n] for n in short], [texts[n] for n in short],
                     topic_pairs([chosen[n] for n in short], args.pairs, args.seed))
    rows += evaluate("word 4-shingles, bottom-64 (before)", old, old_resemblance, (0.7,), chosen, texts, pairs)
    lines = [f"{len(chosen)} Reuters stories x {args.copies} versions; {rows[0]['distinct_pairs']} same-topic "
             f"pairs of distinct stories; sketch {per_article * 1e6:.0f} us an article; "
             f"searchkit folds at {SIMILARITY}", "",
             "| sketch | threshold | recall original-copy | recall copy-copy | false folds | of which real copies |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['sketch']} | {row['threshold']} | {row['recall_original_copy']:.4f} | "
                     f"{row['recall_copy_copy']:.4f} | {row['false_folds']} | {row['folds_of_real_copies']} |")
    text = "\n".join(lines)
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "duplicates_eval.md").write_text(text + "\n", encoding="utf-8")
    (results / "duplicates_eval.json").write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
