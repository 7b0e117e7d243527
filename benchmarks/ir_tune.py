"""Parameter sweeps behind docs/ranking.md (query-time settings; the index is built once).

    /work/venv/bin/python benchmarks/ir_tune.py '{"title":[0.2,0.3],"k1":[1.2,1.5],"k3":[4,8]}'

Settings: title (title field boost), k1, b, title_b, k3 (saturation of a
repeated query word); a setting left out keeps searchkit's value. Runs are
the same as benchmarks/ir_eval.py's (plain mode, top 1000, no folding).
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ir_collections import LOADERS, load_collection  # noqa: E402
from ir_eval import run_searchkit, search_runs  # noqa: E402
from ir_metrics import evaluate  # noqa: E402

from searchkit.api import SearchIndex  # noqa: E402
from searchkit.search import query as q_module  # noqa: E402
from searchkit.search import scoring  # noqa: E402


def sweep(data: Path, grid: dict[str, list]) -> list[tuple[dict, dict]]:
    collections = [load_collection(name, data) for name in LOADERS]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {}
        for c in collections:
            work = Path(tmp) / c.name
            work.mkdir()
            run_searchkit(c, work)  # builds the index
            indexes[c.name] = SearchIndex.open(work / "index")
        defaults = {"title": q_module.FIELD_BOOSTS[q_module.F.TITLE], "k1": scoring.K1, "b": scoring.B,
                    "title_b": scoring.TITLE_B, "k3": scoring.QTF_K3}
        for values in itertools.product(*grid.values()):
            setting = {**defaults, **dict(zip(grid, values))}
            q_module.FIELD_BOOSTS[q_module.F.TITLE] = setting["title"]
            scoring.K1, scoring.B, scoring.TITLE_B = setting["k1"], setting["b"], setting["title_b"]
            scoring.QTF_K3 = setting["k3"]
            result = {c.name: evaluate(search_runs(indexes[c.name], c), c.qrels) for c in collections}
            rows.append((setting, result))
            mean_map = sum(r["MAP"] for r in result.values()) / len(result)
            print(json.dumps(dict(zip(grid, values))), f"mean MAP {mean_map:.4f}",
                  " ".join(f"{n} {r['MAP']:.3f}/{r['nDCG@10']:.3f}" for n, r in result.items()), flush=True)
    return rows


if __name__ == "__main__":
    grid = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"k3": [4.0, 8.0, 16.0]}
    sweep(HERE.parent.parent / "shared" / "data" / "ir", grid)
