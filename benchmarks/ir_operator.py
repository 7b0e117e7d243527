"""Which default operator ranks best: AND, OR, or AND with an OR fallback.

    /work/venv/bin/python benchmarks/ir_operator.py

Runs each collection's queries in syntax mode (punctuation removed, lower
case so no word is an operator) as written ("full"), and cut to their first
three content words ("short", like a typed keyword query), with each operator.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ir_collections import LOADERS, load_collection  # noqa: E402
from ir_eval import run_searchkit  # noqa: E402
from ir_metrics import evaluate  # noqa: E402

from searchkit.analysis.analyzers import STOP_WORDS  # noqa: E402
from searchkit.api import SearchIndex  # noqa: E402

OPERATORS = ("and", "or", "and-or")


def keyword_query(text: str, words: int | None) -> str:
    tokens = [w for w in re.sub(r"[^\w\s]", " ", text).lower().split() if w not in STOP_WORDS]
    return " ".join(tokens[:words] if words else tokens)


def main() -> None:
    data = HERE.parent.parent / "shared" / "data" / "ir"
    print("| queries | collection | " + " | ".join(f"{op} MAP / nDCG@10" for op in OPERATORS) + " |")
    print("|---|---|" + "---|" * len(OPERATORS))
    means: dict[tuple[str, str], list[float]] = {}
    for name in LOADERS:
        collection = load_collection(name, data)
        with tempfile.TemporaryDirectory() as tmp:
            run_searchkit(collection, Path(tmp))
            with SearchIndex.open(Path(tmp) / "index") as ix:
                for label, words in (("full", None), ("short", 3)):
                    cells = []
                    for op in OPERATORS:
                        runs = {qid: [h.id for h in ix.search(keyword_query(text, words), limit=1000,
                                                              operator=op, snippets=False, group=False).hits]
                                for qid, text in collection.queries if keyword_query(text, words)}
                        scores = evaluate(runs, collection.qrels)
                        means.setdefault((label, op), []).append(scores["MAP"])
                        cells.append(f"{scores['MAP']:.3f} / {scores['nDCG@10']:.3f}")
                    print(f"| {label} | {collection.name} | " + " | ".join(cells) + " |", flush=True)
    for (label, op), values in sorted(means.items()):
        print(f"mean MAP {label} {op}: {sum(values) / len(values):.4f}")


if __name__ == "__main__":
    main()
