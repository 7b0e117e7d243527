"""Pseudo-relevance feedback: the first search's best articles lend the query their words.

Both engines run it the same way (search/searcher.py, opensearch/queries.py):

1. the query is searched as typed;
2. its best FEEDBACK_ARTICLES articles give each of their analysed words a weight: the share of
   the article's words it makes, times the article's share of their summed scores (relevance
   model 1, with BM25 scores for the query likelihood); the FEEDBACK_POOL heaviest are weighed
   again by their BM25 idf in the index (to the power FEEDBACK_IDF), so that words every article
   has ("said", "year") give way to the ones that tell these articles apart;
3. the FEEDBACK_WORDS heaviest words are added to the body, each boosted FEEDBACK_BOOST x its
   weight / the heaviest's weight. They only add to the scores of the query's own matches (an
   AndMaybe): the matches, their count, facets and timeline stay the query's;
4. the first search's best article stays first; the widened query ranks the rest.

Measured on four test collections beside bm25s, rank-bm25, FTS5 and tantivy (the settings chosen
on the dev queries, then run once on the held-out ones): docs/ranking.md, "Pseudo-relevance
feedback". It pays on queries that describe what they look for in a sentence or a paragraph,
so it is on for plain-mode searches (syntax=False) ranked by relevance, and off otherwise unless
asked for (`feedback=True`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, TypeVar

FEEDBACK_ARTICLES = 5
FEEDBACK_WORDS = 40
FEEDBACK_BOOST = 4.0
FEEDBACK_IDF = 1.0
FEEDBACK_POOL = 100  # words whose document frequency is looked up (one request on a cluster)

# (the pool's words) -> (articles in the index, {stem: articles with the word}); a word left
# out counts as in no article
Frequencies = Callable[[Sequence["FeedbackWord"]], tuple[int, Mapping[str, int]]]

Item = TypeVar("Item")


@dataclass(frozen=True)
class FeedbackWord:
    stem: str  # the embedded index's form of the word
    surface: str  # a form it takes in the articles: a cluster stems it with its own analyser
    boost: float


def wants_feedback(feedback: bool | None, syntax: bool, sort: str) -> bool:
    """Feedback only reorders, so never for a date sort; by default, for plain-mode text."""
    if sort != "relevance":
        return False
    return (not syntax) if feedback is None else bool(feedback)


def feedback_words(articles: Iterable[tuple[str, float]], frequencies: Frequencies | None = None,
                   words: int | None = None, boost: float | None = None) -> tuple[FeedbackWord, ...]:
    """The words to add for the first search's best articles, given as (ranked text, score),
    heaviest first (equal weights in the order of their stems); with `frequencies`, weighed
    by idf. `words` and `boost` default to FEEDBACK_WORDS and FEEDBACK_BOOST; these and the
    other settings are read at each call (benchmarks/ir_tune.py sets them)."""
    words = FEEDBACK_WORDS if words is None else words
    boost = FEEDBACK_BOOST if boost is None else boost
    weighed = _model_weights(articles)
    if frequencies is not None and FEEDBACK_IDF and weighed:
        weighed = _idf_weights(weighed[:FEEDBACK_POOL], frequencies)
    top = weighed[:words]
    if not top or top[0][1] <= 0:
        return ()
    heaviest = top[0][1]
    return tuple(FeedbackWord(word.stem, word.surface, boost * weight / heaviest) for word, weight in top)


def _idf_weights(pool: list[tuple[FeedbackWord, float]], frequencies: Frequencies) -> list[tuple[FeedbackWord, float]]:
    from .scoring import bm25_idf

    size, found = frequencies([word for word, _ in pool])
    weighed = [(word, weight * bm25_idf(size, min(found.get(word.stem, 0), size)) ** FEEDBACK_IDF)
               for word, weight in pool]
    return sorted(weighed, key=lambda item: (-item[1], item[0].stem))


def _model_weights(articles: Iterable[tuple[str, float]]) -> list[tuple[FeedbackWord, float]]:
    """Every analysed word of the articles with its relevance-model weight, heaviest first
    (the FeedbackWords' boosts are not set yet)."""
    from ..analysis.analyzers import surface_analyzer
    from .tree import stem

    articles = [(text, max(float(score or 0.0), 0.0)) for text, score in articles]
    total = sum(score for _, score in articles)
    weights: Counter = Counter()
    surface: dict[str, str] = {}
    for text, score in articles:
        share = score / total if total else 1.0 / len(articles)
        counts: Counter = Counter()
        for token in surface_analyzer()(text):
            form = stem(token.text)
            counts[form] += 1
            surface.setdefault(form, token.text)
        length = sum(counts.values())
        for form, count in counts.items():
            weights[form] += share * count / length
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [(FeedbackWord(form, surface[form], 0.0), weight) for form, weight in ranked]


def kept_first(items: Iterable[Item], kept: Item | None, key: Callable[[Item], Hashable]) -> Iterator[Item]:
    """`kept` (the first search's best article), then `items` without it."""
    if kept is None:
        yield from items
        return
    yield kept
    kept_key = key(kept)
    for item in items:
        if key(item) != kept_key:
            yield item
