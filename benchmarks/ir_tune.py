"""Parameter sweeps behind docs/ranking.md, chosen on dev queries only, with a
leave-one-collection-out estimate (query-time settings; each index is built once).

    python benchmarks/ir_tune.py '{"title":[0.2,0.3],"k1":[1.2,1.5],"b":[0.6,0.75]}'
        [--peers benchmarks/results/ir_eval.json]   # the peers' figures of an earlier ir_eval run

Settings: title (title field boost), k1, b, title_b, k3 (saturation of a
repeated query word), fb_articles, fb_words, fb_boost, fb_idf, fb_pool (pseudo-relevance
feedback: search/feedback.py); a setting left out keeps searchkit's value. Runs are the
same as benchmarks/ir_eval.py's (plain mode, top 1000, no folding), and so are
the peers (ir_peers.py), run once.

A setting's score on some collections' dev queries is the mean, over those
collections and the four measures, of searchkit's measure divided by the best
peer's (1.0: level with the best peer). Printed per setting; then, for each
collection, the setting that scores best on the OTHER three collections' dev
queries and what it gives on this one's dev and held-out queries against the
best peer (leave one collection out); then the setting chosen on all four dev
parts, on the held-out parts. Writes benchmarks/results/ir_tune.json and ir_tune.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ir_collections import LOADERS, load_collection, split_queries  # noqa: E402
from ir_eval import PEERS, evaluate_collection, run_searchkit, search_runs  # noqa: E402
from ir_metrics import METRICS, mean_scores, per_query  # noqa: E402

from searchkit.api import SearchIndex  # noqa: E402
from searchkit.search import feedback  # noqa: E402
from searchkit.search import query as q_module  # noqa: E402
from searchkit.search import scoring  # noqa: E402


def current_settings() -> dict:
    return {"title": q_module.FIELD_BOOSTS[q_module.F.TITLE], "k1": scoring.K1, "b": scoring.B,
            "title_b": scoring.TITLE_B, "k3": scoring.QTF_K3, "fb_articles": feedback.FEEDBACK_ARTICLES,
            "fb_words": feedback.FEEDBACK_WORDS, "fb_boost": feedback.FEEDBACK_BOOST, "fb_idf": feedback.FEEDBACK_IDF,
            "fb_pool": feedback.FEEDBACK_POOL}


def apply_settings(setting: dict) -> None:
    q_module.FIELD_BOOSTS[q_module.F.TITLE] = setting["title"]
    scoring.K1, scoring.B, scoring.TITLE_B = setting["k1"], setting["b"], setting["title_b"]
    scoring.QTF_K3 = setting["k3"]
    feedback.FEEDBACK_ARTICLES, feedback.FEEDBACK_WORDS = setting["fb_articles"], setting["fb_words"]
    feedback.FEEDBACK_BOOST, feedback.FEEDBACK_IDF = setting["fb_boost"], setting["fb_idf"]
    feedback.FEEDBACK_POOL = setting["fb_pool"]


def relative_score(rows: dict, peers: dict, qids_by_collection: dict, objective: str = "mean") -> float:
    """Mean (objective "mean") or least ("worst": the floor furthest from being met) over
    collections and measures of searchkit / best peer on the given queries."""
    ratios = []
    for name, qids in qids_by_collection.items():
        ours = mean_scores({q: rows[name][q] for q in qids})
        best = {m: max(mean_scores({q: peers[name][p][q] for q in qids})[m] for p in PEERS) for m in METRICS}
        ratios += [ours[m] / best[m] for m in METRICS if best[m]]
    if objective == "worst":
        return min(ratios)
    return sum(ratios) / len(ratios)


def margins(rows: dict, peers: dict, name: str, qids: list[str]) -> dict:
    """{measure: (searchkit, best peer)} on one collection's queries."""
    ours = mean_scores({q: rows[name][q] for q in qids})
    best = {m: max(mean_scores({q: peers[name][p][q] for q in qids})[m] for p in PEERS) for m in METRICS}
    return {m: (round(ours[m], 4), round(best[m], 4)) for m in METRICS}


def sweep(collections, grid: dict[str, list]) -> list[tuple[dict, dict]]:
    """[(setting, {collection: {query id: measures}})] for every setting of the grid."""
    rows = []
    defaults = current_settings()
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {}
        for c in collections:
            work = Path(tmp) / c.name
            work.mkdir()
            run_searchkit(c, work)  # builds the index
            indexes[c.name] = SearchIndex.open(work / "index")
        for values in itertools.product(*grid.values()):
            setting = {**defaults, **dict(zip(grid, values))}
            apply_settings(setting)
            rows.append((setting, {c.name: per_query(search_runs(indexes[c.name], c), c.qrels)
                                   for c in collections}))
        apply_settings(defaults)
        for ix in indexes.values():
            ix.close()
    return rows


def leave_one_out(rows, peers, splits, part: str = "dev", objective: str = "mean") -> dict:
    """For each collection: the setting best on the other three's `part` queries, and its figures here."""
    report = {}
    for held in splits:
        others = {name: parts[part] for name, parts in splits.items() if name != held}
        setting, result = max(rows, key=lambda row: relative_score(row[1], peers, others, objective))
        report[held] = {"setting": setting,
                        **{part: margins(result, peers, held, qids) for part, qids in splits[held].items()}}
    return report


def figures_row(label: str, figures: dict) -> str:
    return f"| {label} | " + " | ".join(f"{ours:.3f} / {best:.3f}" for ours, best in figures.values()) + " |"


def markdown(loo: dict, grid: dict, chosen: dict, chosen_figures: dict) -> str:
    """The leave-one-out table and the held-out figures of the setting chosen on all dev parts."""
    head = ("| collection (setting chosen on the other three) | part | "
            + " | ".join(f"{m} searchkit / best peer" for m in METRICS) + " |\n|---|---|" + "---|" * len(METRICS))
    lines = [head]
    for name, found in loo.items():
        setting = ", ".join(f"{k} {found['setting'][k]:g}" for k in grid)
        for part in ("dev", "held-out", "all"):
            lines.append(figures_row(f"{name} ({setting}) | {part}", found[part]))
    lines += ["", "Chosen on all four dev parts: " + ", ".join(f"{k} {chosen[k]:g}" for k in grid), "", head]
    for name, parts in chosen_figures.items():
        for part, figures in parts.items():
            lines.append(figures_row(f"{name} | {part}", figures))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grid", nargs="?", default='{"k3": [4.0, 8.0, 16.0]}')
    parser.add_argument("--data", default=str(HERE.parent.parent / "shared" / "data" / "ir"))
    parser.add_argument("--shorten", type=int, metavar="N",
                        help="cut every document to its first N words (very short documents; ir_collections.shortened)")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--peers", help="reuse the peers' figures of an ir_eval.json (same data)")
    parser.add_argument("--objective", choices=("mean", "worst"), default="mean",
                        help="choose by the mean ratio, or by the least (the floor furthest from met)")
    parser.add_argument("--tune-on", choices=("dev", "all"), default="dev",
                        help="the queries settings are chosen on: dev, or all once the held-out parts are spent")
    args = parser.parse_args(argv)
    grid = json.loads(args.grid)
    collections = [load_collection(name, Path(args.data), args.shorten) for name in LOADERS]
    if args.peers:
        peers = json.loads(Path(args.peers).read_text())["per_query"]
    else:
        peers = {c.name: evaluate_collection(c, tuple(PEERS)) for c in collections}
    splits = {c.name: {"all": [q for q, _ in c.queries], **split_queries(c)} for c in collections}
    dev = {name: parts[args.tune_on] for name, parts in splits.items()}
    rows = sweep(collections, grid)
    for setting, result in rows:
        per_collection = " ".join(f"{name} {relative_score(result, peers, {name: dev[name]}, 'mean'):.4f}"
                                  for name in dev)
        print(json.dumps({k: setting[k] for k in grid}), f"dev {relative_score(result, peers, dev, 'mean'):.4f}",
              f"worst {relative_score(result, peers, dev, 'worst'):.4f}", per_collection, flush=True)
    loo = leave_one_out(rows, peers, splits, args.tune_on, args.objective)
    print("\nleave one collection out (chosen on the other three's dev queries): measure searchkit/best peer")
    for name, found in loo.items():
        print(name, json.dumps({k: found["setting"][k] for k in grid}))
        for part in ("dev", "held-out", "all"):
            print(f"  {part:8}", "  ".join(f"{m} {a:.3f}/{b:.3f}" for m, (a, b) in found[part].items()))
    setting, result = max(rows, key=lambda row: relative_score(row[1], peers, dev, args.objective))
    print("\nchosen on all four dev parts:", json.dumps({k: setting[k] for k in grid}))
    chosen = {name: {part: margins(result, peers, name, splits[name][part]) for part in ("dev", "held-out")}
              for name in splits}
    for name, parts in chosen.items():
        for part, figures in parts.items():
            print(f"  {name:9} {part:8}", "  ".join(f"{m} {a:.3f}/{b:.3f}" for m, (a, b) in figures.items()))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ir_tune.json").write_text(json.dumps({"grid": grid, "leave_one_out": loo, "chosen": setting,
                                                  "chosen_figures": chosen}, indent=1))
    (out / "ir_tune.md").write_text(markdown(loo, grid, setting, chosen) + "\n")


if __name__ == "__main__":
    main()
