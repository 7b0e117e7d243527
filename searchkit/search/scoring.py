"""Ranking: BM25F over title and body, with the BM25 idf and a recency factor.

Whoosh's BM25F uses idf = log(N / (n + 1)) + 1. We use the classic BM25 idf
log(1 + (N - n + 0.5) / (n + 0.5)) (Lucene, bm25s, FTS5), which measured
better on every test collection (docs/ranking.md). The optional recency
factor multiplies a hit's score by 1 + weight * 0.5 ** (age_days / half_life):
recent articles rise, old ones are never dropped (a decay, not a sort).
"""

from __future__ import annotations

import datetime as _dt
from math import log

from whoosh.scoring import BM25F, WeightLengthScorer, WeightScorer, bm25

from ..index.schema import F, number_day

# Chosen on the dev queries of CISI, Cranfield, TIME and MED (benchmarks/ir_tune.py,
# docs/ranking.md). A title is normalised fully by its length (b = 1): one word of a
# two-word headline says more than one word of a fifteen-word one.
K1 = 1.5
B = 0.75
TITLE_B = 1.0
QTF_K3 = 8.0  # saturation of a word repeated in the query (BM25's k3)
RECENCY_HALF_LIFE_DAYS = 30.0


def query_term_weight(count: float) -> float:
    """Weight of a word that counts `count` times in the query (see
    query.query_word_counts): BM25's (k3 + 1) * qtf / (k3 + qtf), 1 for a
    single occurrence."""
    return (QTF_K3 + 1.0) * count / (QTF_K3 + count)


def bm25_idf(doc_count: int, doc_frequency: int) -> float:
    """log(1 + (N - n + 0.5) / (n + 0.5)): never negative, unlike Robertson's."""
    return log(1.0 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class Recency:
    """Score multiplier 1 + weight * 0.5 ** (age / half_life), age in days before `today`."""

    def __init__(self, today: _dt.date, weight: float = 1.0,
                 half_life: float = RECENCY_HALF_LIFE_DAYS) -> None:
        self.today = today
        self.weight = float(weight)
        self.half_life = float(half_life)

    def factor(self, day: _dt.date | None) -> float:
        if day is None or self.weight <= 0:
            return 1.0
        age = max(0, (self.today - day).days)
        return 1.0 + self.weight * 0.5 ** (age / self.half_life)


class _Scorer(WeightLengthScorer):
    def __init__(self, searcher, fieldname: str, text, B: float, K1: float) -> None:
        parent = searcher.get_parent()
        self.idf = bm25_idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.B = B
        self.K1 = K1
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: int) -> float:
        return bm25(self.idf, weight, length, self.avgfl, self.B, self.K1)


class NewsBM25F(BM25F):
    """Whoosh BM25F with the BM25 idf and an optional recency factor."""

    def __init__(self, B: float = B, K1: float = K1, recency: Recency | None = None, **field_b) -> None:
        super().__init__(B=B, K1=K1, **field_b)
        self.recency = recency
        self.use_final = recency is not None
        self._dates = None

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        return _Scorer(searcher, fieldname, text, b, self.K1)

    def final(self, searcher, docnum, score):
        if self.recency is None:
            return score
        if self._dates is None or self._dates[0] is not searcher:
            self._dates = (searcher, searcher.reader().column_reader(F.DATE))
        return score * self.recency.factor(number_day(self._dates[1][docnum]))


def weighting(recency: Recency | None = None) -> NewsBM25F:
    return NewsBM25F(B=B, K1=K1, recency=recency, title_B=TITLE_B)
