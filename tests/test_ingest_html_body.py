"""Story text of real pages: ../shared/data/html-body (92 pages with their true
text; skipped when absent), scored as benchmarks/html_eval.py scores it."""

from __future__ import annotations

import gzip
import json

from conftest import shared_data
from html_eval import score, tp_fp_fn

from searchkit.ingest.html import parse_html


def test_real_pages_give_their_story_text():
    """Every page parses, and the text matches the truth about as well as the
    best published extractors (F1 0.96 for trafilatura on this benchmark)."""
    folder = shared_data("html-body")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    counts = []
    for key, item in truth.items():
        data = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        counts.append(tp_fp_fn(item["articleBody"], parse_html(data, url=item["url"]).body))
    assert len(counts) == 92
    assert score(counts)["f1"] >= 0.96
