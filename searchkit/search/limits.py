"""Keeping expensive queries cheap: capped wildcard expansion and a time limit.

A leading wildcard (`*stan`) or a fuzzy term over a large vocabulary can
expand to thousands of words; each expansion is capped at WILDCARD_CAP words
(with a warning). Scoring stops after TIME_LIMIT seconds: the matches scored so
far come back, with a warning, instead of a query that never ends.
"""

from __future__ import annotations

from whoosh import query as wq

WILDCARD_CAP = 1000
TIME_LIMIT = 5.0


def cap_expansions(q: wq.Query, reader, cap: int | None = None) -> tuple[wq.Query, list[str]]:
    """Replace each multi-term leaf (wildcard, prefix, fuzzy, regex) that expands
    to more than `cap` words by an OR of its first `cap` words."""
    warnings: list[str] = []
    cap = WILDCARD_CAP if cap is None else cap

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.MultiTerm) and not isinstance(node, wq.Term):
            words = []
            for word in node._btexts(reader):
                words.append(word)
                if len(words) > cap:
                    break
            if len(words) > cap:
                text = getattr(node, "text", "?")
                warnings.append(f"'{node.fieldname}:{text}' matches more than {cap} words; "
                                f"searched the first {cap} only (make the pattern longer)")
                return wq.Or([wq.Term(node.fieldname, w, boost=node.boost) for w in words[:cap]])
            return node
        return node.apply(visit)

    return visit(q), warnings


def score_all(searcher, q: wq.Query, time_limit: float | None = None) -> tuple[dict[int, float], bool]:
    """The score of every match of `q` within the time limit: (scores, timed_out)."""
    import time

    from .evaluate import Evaluator, TimedOut

    time_limit = TIME_LIMIT if time_limit is None else time_limit
    evaluator = Evaluator(searcher, deadline=time.perf_counter() + time_limit)
    try:
        return evaluator.scores(q), False
    except TimedOut as stopped:
        return stopped.partial, True
