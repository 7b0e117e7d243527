"""Proximity of the query's words, measured on the dev queries only (issue 15, item 4).

    python benchmarks/ir_proximity.py '{"boost":[0.0,0.1,0.25],"slop":[1,4]}' \\
        --peers benchmarks/results/ir_eval.json

For each setting, ir_eval.py's run with each pair of neighbouring analysed query words added
as a body phrase within `slop` positions (in the query's order; "both": 1 adds the reversed
order too), boosted `boost`, as an AndMaybe: an article holding the two words close together
gains their scores again (Whoosh scores a phrase as its words' sum); the matches stay the
query's. searchkit's feedback then runs on the ranking this gives, as in the product. The pairs
are added here, around the library (searchkit.search.searcher._collect wrapped), before anything
is built. Prints, per setting, the dev ratio (the mean over the collections and measures of
searchkit / best peer, as ir_tune.py) and each collection's: the held-out part is not run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ir_collections import LOADERS, load_collection, split_queries  # noqa: E402
from ir_eval import TOP  # noqa: E402
from ir_metrics import per_query  # noqa: E402
from ir_tune import relative_score  # noqa: E402
from whoosh import query as wq  # noqa: E402

from searchkit.api import SearchIndex  # noqa: E402
from searchkit.index.schema import F  # noqa: E402
from searchkit.search import searcher as searcher_module  # noqa: E402
from searchkit.search.evaluate import and_maybe_scores  # noqa: E402
from searchkit.search.limits import score_all  # noqa: E402

SETTING = {"boost": 0.0, "slop": 1, "both": 0}
_collect = searcher_module._collect


def with_proximity(searcher, parsed):
    """_collect, then the neighbouring pairs' phrase scores added to the matches'."""
    q, scores, warnings, timed_out = _collect(searcher, parsed)
    if not SETTING["boost"] or not scores:
        return q, scores, warnings, timed_out
    words = [leaf.text for leaf in parsed.query.leaves() if getattr(leaf, "fieldname", None) == F.BODY]
    pairs = [(a, b) for a, b in zip(words, words[1:]) if a != b]
    if SETTING["both"]:
        pairs += [(b, a) for a, b in pairs]
    phrases = [wq.Phrase(F.BODY, list(pair), slop=SETTING["slop"], boost=SETTING["boost"]) for pair in pairs]
    if phrases:
        extra, _ = score_all(searcher, wq.Or(phrases))
        scores = and_maybe_scores(scores, extra)
    return q, scores, warnings, timed_out


def dev_runs(collection, settings: list[dict]) -> list[dict]:
    """[{query id: measures}] for each setting, over the collection's dev queries."""
    dev = set(split_queries(collection)["dev"])
    queries = [(qid, text) for qid, text in collection.queries if qid in dev]
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "docs"
        source.mkdir()
        with open(source / "docs.jsonl", "w", encoding="utf-8") as out:
            for doc_id, title, body in collection.docs:
                row = {"id": doc_id, "title": title or None, "text": body}
                out.write(json.dumps({k: v for k, v in row.items() if v}) + "\n")
        with SearchIndex.create(Path(tmp) / "index") as ix:
            ix.update([source])
            for setting in settings:
                SETTING.update(setting)
                runs = {qid: [hit.id for hit in ix.search(text, limit=TOP, syntax=False, snippets=False,
                                                          group=False).hits]
                        for qid, text in queries}
                found.append(per_query(runs, collection.qrels))
    return found


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grid", nargs="?", default='{"boost":[0.0,0.1,0.25],"slop":[1,4]}')
    parser.add_argument("--data", default=str(HERE.parent.parent / "shared" / "data" / "ir"))
    parser.add_argument("--peers", required=True, help="the peers' figures of an ir_eval.json (same data)")
    args = parser.parse_args(argv)
    grid = json.loads(args.grid)
    settings = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    peers = json.loads(Path(args.peers).read_text())["per_query"]
    searcher_module._collect = with_proximity
    collections = [load_collection(name, Path(args.data)) for name in LOADERS]
    dev = {c.name: split_queries(c)["dev"] for c in collections}
    rows = [{} for _ in settings]
    for collection in collections:
        for row, found in zip(rows, dev_runs(collection, settings)):
            row[collection.name] = found
    for setting, row in zip(settings, rows):
        per_collection = " ".join(f"{name} {relative_score(row, peers, {name: dev[name]}):.4f}" for name in dev)
        print(json.dumps(setting), f"dev {relative_score(row, peers, dev):.4f}", per_collection, flush=True)


if __name__ == "__main__":
    main()
