"""Ranking metrics with binary relevance: AP, nDCG@k, P@k, Recall@k."""

from __future__ import annotations

from math import log2


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / log2(rank + 1) for rank, doc in enumerate(ranked[:k], start=1) if doc in relevant)
    ideal = sum(1.0 / log2(rank + 1) for rank in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


def precision_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return sum(1 for doc in ranked[:k] if doc in relevant) / k


def recall_at(ranked: list[str], relevant: set[str], k: int = 100) -> float:
    return sum(1 for doc in ranked[:k] if doc in relevant) / len(relevant) if relevant else 0.0


METRICS = ("MAP", "nDCG@10", "P@10", "R@100")


def per_query(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    """Each judged query's metrics (a query with no run scores 0)."""
    scores = {}
    for qid, judged in qrels.items():
        relevant = set(judged)
        ranked = runs.get(qid, [])
        values = (average_precision(ranked, relevant), ndcg_at(ranked, relevant),
                  precision_at(ranked, relevant), recall_at(ranked, relevant))
        scores[qid] = dict(zip(METRICS, values))
    return scores


def mean_scores(rows: dict[str, dict[str, float]]) -> dict[str, float]:
    count = len(rows) or 1
    return {name: sum(row[name] for row in rows.values()) / count for name in METRICS}


def evaluate(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean of each metric over the judged queries (a query with no run scores 0)."""
    return mean_scores(per_query(runs, qrels))
