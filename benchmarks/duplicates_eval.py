"""Near-duplicate folding on Reuters copies: precision, recall, false folds, cost.

    python benchmarks/duplicates_eval.py                 # pairs: copies and same-topic stories
    python benchmarks/duplicates_eval.py --index DIR     # also first pages of an index of
                                                         # Reuters copies (speed.py --scale N --work)

Copies are made as speed_corpus.py makes them (about 3% of the words dropped,
2% swapped with a neighbour), so two copies of one story differ by up to twice
that. The truth is the Reuters NEWID: a pair is a true copy when both come
from the same original article.

- pairs: for a seeded sample of stories (at least MIN_WORDS words), the
  resemblance of original and copy and of two copies (recall: the share at or
  over the threshold), and of each story with up to PEERS other stories that
  share a Reuters topic (false folds: the share over the threshold). Reuters
  itself holds some stories filed twice under two NEWIDs; pairs whose originals
  are nearly equal (exact shingle resemblance >= 0.9) are counted apart.
- pages (--index): each query of the speed benchmark's set, grouped as a search
  page is: folded hits that are copies of the hit they fold into (precision),
  copies of a shown hit that stay on the page unfolded (recall), and pages
  with more than 2 copies of one story.
- cost: microseconds to fingerprint one article.

Methods are (shingle words, threshold) pairs, compared in one run; the
first is searchkit's current setting.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from searchkit.search import duplicates  # noqa: E402

SEED = 20260617
SAMPLE = 2000
PEERS = 60
METHODS = [(4, 0.7, 1), (4, 0.4, 1), (2, 0.5, 1), (1, 0.8, 1), (1, 0.7, 3), (1, 0.8, 3), (1, 0.7, 4)]


def _stories(limit: int | None = None):
    from reuters import iter_reuters

    return [s for s in iter_reuters(limit=limit)
            if len(duplicates._WORD.findall(s.body.lower())) >= duplicates.MIN_WORDS]


def _exact(a: str, b: str, shingle: int = 4) -> float:
    def grams(text):
        words = duplicates._WORD.findall(text.lower())
        return set(zip(*(words[i:] for i in range(shingle))))

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def pair_eval(stories, methods) -> dict:
    import speed_corpus

    rng = random.Random(SEED)
    sample = rng.sample(stories, min(SAMPLE, len(stories)))
    by_topic = defaultdict(list)
    for story in stories:
        for topic in story.topics:
            by_topic[topic].append(story)
    copies = [(s.body, speed_corpus._perturb(s.body, rng), speed_corpus._perturb(s.body, rng)) for s in sample]
    peers = []
    twins = 0
    for story in sample:
        pool = {p.newid: p for t in story.topics for p in by_topic[t] if p.newid != story.newid}
        chosen = rng.sample(sorted(pool), min(PEERS, len(pool)))
        for newid in chosen:
            if _exact(story.body, pool[newid].body) >= 0.9:
                twins += 1  # Reuters filed the same story twice
            else:
                peers.append((story.body, pool[newid].body))
    out = {"stories": len(sample), "topic_pairs": len(peers), "reuters_twins": twins, "methods": {}}
    for shingle, threshold, weight in methods:
        sketch = lambda text: duplicates.fingerprint(text, shingle, weight)  # noqa: E731
        started = time.perf_counter()
        sketches = [(sketch(a), sketch(b), sketch(c)) for a, b, c in copies]
        per_text = (time.perf_counter() - started) / (3 * len(copies)) * 1e6
        orig_copy = [duplicates.resemblance(a, b) for a, b, _ in sketches]
        copy_copy = [duplicates.resemblance(b, c) for _, b, c in sketches]
        cache: dict[str, frozenset] = {}

        def cached(text):
            if text not in cache:
                cache[text] = sketch(text)
            return cache[text]

        topic = [duplicates.resemblance(cached(a), cached(b)) for a, b in peers]
        out["methods"][_name(shingle, threshold, weight)] = {
            "recall_original_copy": sum(r >= threshold for r in orig_copy) / len(orig_copy),
            "recall_copy_copy": sum(r >= threshold for r in copy_copy) / len(copy_copy),
            "false_fold_topic_pairs": sum(r >= threshold for r in topic) / max(1, len(topic)),
            "false_folds": sum(r >= threshold for r in topic),
            "median_copy_copy": sorted(copy_copy)[len(copy_copy) // 2],
            "p99_topic": sorted(topic)[int(0.99 * (len(topic) - 1))] if topic else 0.0,
            "microseconds_per_text": per_text,
        }
    return out


def page_eval(index_dir: Path, methods, pages: int = 10) -> dict:
    import speed_corpus
    import speed_scale

    from searchkit.api import open_index

    corpus = speed_corpus.write_reuters(Path(index_dir).parent / "dup-eval-sample", 1)
    queries = speed_corpus.build_queries(corpus, speed_scale.PLACES)
    ix = open_index(index_dir)
    bodies: dict[str, str] = {}
    out = {"queries": len(queries), "methods": {}}
    ranked_lists = []
    for query in queries:
        ranked = [hit.id for hit in ix.search(query.text, limit=200, group=False, snippets=False).hits]
        ranked_lists.append(ranked)
    for shingle, threshold, weight in methods:
        folded_true = folded_false = unfolded = flooded = shown_pages = 0
        seconds = 0.0
        for ranked in ranked_lists:
            if not ranked:
                continue
            for article_id in ranked:
                if article_id not in bodies:
                    bodies[article_id] = ix.get(article_id).body
            started = time.perf_counter()
            groups = _group(ranked, bodies, (shingle, weight), threshold, pages)
            seconds += time.perf_counter() - started
            shown_pages += 1
            page = groups[:pages]
            stories = Counter(speed_scale.story_of(kept) for kept, _ in page)
            flooded += max(stories.values()) > 2
            unfolded += sum(n - 1 for n in stories.values())
            for kept, folded in page:
                for other in folded:
                    if speed_scale.story_of(other) == speed_scale.story_of(kept):
                        folded_true += 1
                    else:
                        folded_false += 1
        folds = folded_true + folded_false
        out["methods"][_name(shingle, threshold, weight)] = {
            "pages": shown_pages, "flooded_pages": flooded,
            "precision": folded_true / folds if folds else 1.0, "folds": folds,
            "copies_left_unfolded_on_pages": unfolded,
            "grouping_ms_per_page": seconds / max(1, shown_pages) * 1000,
        }
    ix.close()
    return out


def _name(shingle: int, threshold: float, weight: int) -> str:
    words = "single words" if shingle == 1 else f"{shingle}-word shingles"
    numbers = f", figures x{weight}" if shingle == 1 and weight > 1 else ""
    return f"{words}{numbers}, >= {threshold}"


def _group(ranked, bodies, method, threshold, needed):
    real = duplicates.fingerprint
    duplicates.fingerprint = lambda text, *_: real(text, *method)
    try:
        return duplicates.group_duplicates(ranked, bodies.__getitem__, threshold=threshold, needed=needed)
    finally:
        duplicates.fingerprint = real


def _print(title: str, result: dict) -> None:
    print(f"\n{title}")
    for name, figures in result["methods"].items():
        print(f"  {name}: " + ", ".join(
            f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}" for key, value in figures.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", help="an index of Reuters copies (speed.py --scale N --work DIR)")
    parser.add_argument("--limit", type=int, help="read only this many Reuters articles")
    args = parser.parse_args(argv)
    methods = METHODS
    pairs = pair_eval(_stories(args.limit), methods)
    print(f"{pairs['stories']} stories, {pairs['topic_pairs']} same-topic pairs of distinct stories "
          f"({pairs['reuters_twins']} Reuters twins left out)")
    _print("pairs", pairs)
    if args.index:
        _print(f"first pages of {args.index}", page_eval(Path(args.index), methods))
    return 0


if __name__ == "__main__":
    sys.exit(main())
