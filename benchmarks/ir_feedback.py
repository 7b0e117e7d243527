"""Pseudo-relevance feedback, measured on the dev queries before it is built (issue 15, item 4).

    python benchmarks/ir_feedback.py '{"docs":[5,10],"terms":[25,40],"beta":[0.8,1.2]}' \\
        --peers benchmarks/results/ir_eval.json [--part dev]

For each setting, ir_eval.py's run with searchkit searched twice per query: the first search's
best `docs` articles give each of their analysed words a weight (the share of the article's
words it makes, times the article's share of the summed scores: relevance model 1 with BM25
scores for the query likelihood; with "idf": p, times the word's BM25 idf to the power p); the
`terms` heaviest words are added to the query as body terms boosted `beta` times their weight
over the heaviest's, and the second search ranks (or, with "fuse", the two rankings are
fused). The expansion is made here, around the library (its query tree widened where the
searcher parses the text; searchkit's own feedback, built from what this measured, is turned
off here). With "within": 1 the words only add to the query's own matches (an AndMaybe, as
search/feedback.py does) instead of OR-ed with it. Prints, per setting and part, the mean over
the collections and measures of searchkit / best peer, the floors met (of 16) and the ratio per
collection. Only the dev part is printed unless --part says otherwise: the held-out part is for
the setting finally chosen.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import itertools
import json
import math
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import ir_eval  # noqa: E402

SETTING: dict = {}
EXPANSIONS: dict[str, list[tuple[str, float]]] = {}


def _widened_parse(parse):
    from whoosh.query import AndMaybe, Or, Term

    def parse_query(text, schema, **options):
        parsed = parse(text, schema, **options)
        extra = EXPANSIONS.get(text)
        if extra:
            terms = [Term("body", word, boost=boost) for word, boost in extra]
            widened = AndMaybe(parsed.query, Or(terms)) if SETTING.get("within") else Or([parsed.query, *terms])
            parsed = dataclasses.replace(parsed, query=widened)
        return parsed

    return parse_query


def expansion(ix, hits, texts: dict[str, str]) -> list[tuple[str, float]]:
    """The feedback words of a first search's hits and their boosts."""
    analyzer = ix._ix.schema["body"].analyzer
    total = sum(hit.score for hit in hits) or 1.0
    weights: Counter = Counter()
    for hit in hits:
        words = [token.text for token in analyzer(texts[hit.id])]
        for word, count in Counter(words).items():
            weights[word] += hit.score / total * count / len(words)
    if SETTING.get("idf"):
        with ix._ix.searcher() as searcher:
            size = searcher.doc_count()
            for word in list(weights):
                found = searcher.doc_frequency("body", word)
                weights[word] *= math.log(1 + (size - found + 0.5) / (found + 0.5)) ** SETTING["idf"]
    top = weights.most_common(SETTING["terms"])
    return [(word, SETTING["beta"] * weight / top[0][1]) for word, weight in top] if top else []


def search_runs(ix, collection, **options) -> dict[str, list[str]]:
    texts = {doc_id: f"{title or ''}\n{body}" for doc_id, title, body in collection.docs}
    runs = {}
    for qid, text in collection.queries:
        EXPANSIONS.pop(text, None)
        first = ix.search(text, limit=ir_eval.TOP, syntax=False, snippets=False, group=False, feedback=False).hits
        if not SETTING["beta"] or not first:
            runs[qid] = [hit.id for hit in first]
            continue
        EXPANSIONS[text] = expansion(ix, first[:SETTING["docs"]], texts)
        second = ix.search(text, limit=ir_eval.TOP, syntax=False, snippets=False, group=False,
                           feedback=False).hits
        runs[qid] = fused(first, second)
    return runs


def fused(first, second) -> list[str]:
    """The second search's ranking ("fuse": none), the first's best "keep" then the second's
    ("keep"), or the two searches' rankings fused:
    "rrf", reciprocal ranks (k = "k", default 60) with the first's weighed "alpha"; "mix",
    alpha x the first's score + (1 - alpha) x the second's, each divided by its best."""
    how, alpha = SETTING.get("fuse", "none"), SETTING.get("alpha", 0.5)
    if how == "none":
        return [hit.id for hit in second]
    if how == "keep":  # the first search's best `keep` stay on top, the second ranks the rest
        kept = [hit.id for hit in first[:SETTING.get("keep", 3)]]
        return kept + [hit.id for hit in second if hit.id not in set(kept)][:ir_eval.TOP - len(kept)]
    totals: Counter = Counter()
    if how == "rrf":
        k = SETTING.get("k", 60)
        for weight, hits in ((alpha, first), (1 - alpha, second)):
            for rank, hit in enumerate(hits, start=1):
                totals[hit.id] += weight / (k + rank)
    else:
        for weight, hits in ((alpha, first), (1 - alpha, second)):
            best = hits[0].score or 1.0
            for hit in hits:
                totals[hit.id] += weight * hit.score / best
    return [doc_id for doc_id, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))][:ir_eval.TOP]


def summary(path: Path) -> dict:
    """{part: (mean ratio, floors met, {collection: mean ratio})}."""
    scores = json.loads(path.read_text())["scores"]
    out = {}
    for part, collections in scores.items():
        ratios, floors, per = [], 0, {}
        for name, engines in collections.items():
            mine = engines["searchkit"]
            peers = [values for engine, values in engines.items() if engine != "searchkit"]
            these = []
            for metric, value in mine.items():
                best = max(peer[metric] for peer in peers)
                these.append(value / best if best else 1.0)
                floors += value >= best
            per[name] = sum(these) / len(these)
            ratios += these
        out[part] = (sum(ratios) / len(ratios), floors, per)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grid", help='JSON: {"docs": [...], "terms": [...], "beta": [...], "idf": [...]}')
    parser.add_argument("--peers", required=True, help="an earlier ir_eval.json (the peers' figures)")
    parser.add_argument("--part", default="dev", choices=["dev", "held-out", "all", "every"])
    args = parser.parse_args(argv)
    from searchkit.search import searcher

    searcher.parse_query = _widened_parse(searcher.parse_query)
    ir_eval.search_runs = search_runs
    grid = json.loads(args.grid)
    with tempfile.TemporaryDirectory() as out:
        for values in itertools.product(*grid.values()):
            SETTING.clear()
            SETTING.update({"docs": 10, "terms": 10, "beta": 0.0, "idf": 0.0, **dict(zip(grid, values))})
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                ir_eval.main(["--peers", args.peers, "--out", out])
            figures = summary(Path(out) / "ir_eval.json")
            for part in (figures if args.part == "every" else [args.part]):
                ratio, floors, per = figures[part]
                print(json.dumps(SETTING), part, f"ratio {ratio:.4f}", f"floors {floors}/16",
                      " ".join(f"{name} {value:.3f}" for name, value in per.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
