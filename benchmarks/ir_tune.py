"""Parameter sweeps behind docs/ranking.md (query-time settings; the index is built once).

    /work/venv/bin/python benchmarks/ir_tune.py
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
from ir_eval import run_searchkit  # noqa: E402
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
        for values in itertools.product(*grid.values()):
            setting = dict(zip(grid, values))
            q_module.FIELD_BOOSTS[q_module.F.TITLE] = setting.get("title", 1.0)
            scoring.K1, scoring.B = setting.get("k1", scoring.K1), setting.get("b", scoring.B)
            scoring.TITLE_B = setting.get("title_b", scoring.TITLE_B)
            result = {}
            for c in collections:
                runs = {qid: [h.id for h in indexes[c.name].search(text, limit=1000, syntax=False,
                                                                   snippets=False).hits]
                        for qid, text in c.queries}
                result[c.name] = evaluate(runs, c.qrels)
            rows.append((setting, result))
            mean_map = sum(r["MAP"] for r in result.values()) / len(result)
            print(json.dumps(setting), f"mean MAP {mean_map:.4f}",
                  " ".join(f"{n} {r['MAP']:.3f}/{r['nDCG@10']:.3f}" for n, r in result.items()), flush=True)
    return rows


if __name__ == "__main__":
    grid = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"title": [1.0, 1.5, 2.0]}
    sweep(HERE.parent.parent / "shared" / "data" / "ir", grid)
