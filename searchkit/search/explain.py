"""Explain: why a hit scored what it did, per term and field, and the recency factor."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ArticleNotFound
from ..index.schema import F, number_day


@dataclass(frozen=True)
class TermScore:
    field: str
    term: str
    frequency: float  # occurrences in the field (Whoosh's term weight)
    boost: float
    score: float


@dataclass(frozen=True)
class Explanation:
    article_id: str
    query: str
    score: float  # what the search ranked the hit by
    parts: tuple[TermScore, ...]
    recency_factor: float = 1.0
    matched: bool = True
    counted_all: bool = True  # False: not every word found scores (a phrase or NEAR order that does not match)
    # With feedback (search/feedback.py): the words it added, the scores of those the article
    # holds (part of `score`), and whether the article is the first search's best, kept first.
    feedback_words: tuple[str, ...] = ()
    feedback: tuple[TermScore, ...] = ()
    kept_first: bool = False

    def lines(self) -> list[str]:
        """A readable breakdown, one line per matched term and field."""
        out = [f"{self.article_id}: score {self.score:.3f} for {self.query!r}"]
        if not self.matched:
            out.append("  the article does not match the query")
        out += [_part_line(part) for part in self.parts]
        if self.feedback_words:
            named = ", ".join(self.feedback_words[:8]) + ("…" if len(self.feedback_words) > 8 else "")
            out.append(f"  + feedback, {len(self.feedback_words)} words of the best articles ({named}); "
                       f"this article holds {len(self.feedback)}:")
            out += [_part_line(part) for part in self.feedback]
        if self.kept_first:
            out.append("  kept first: the best article of the search as typed")
        if self.recency_factor != 1.0:
            out.append(f"  × recency factor {self.recency_factor:.3f}")
        if not self.counted_all:
            out.append("  (words of a phrase or NEAR count only where they match in order and distance, "
                       "and a NOT adds 1; so the score is not the sum above)")
        return out


def _part_line(part: TermScore) -> str:
    return (f"  {part.field + ':' + part.term:<26} tf {part.frequency:<4g} "
            f"boost {part.boost:<4.3g} -> {part.score:.3f}")


def with_feedback(plain: Explanation, added: Explanation, words: tuple[str, ...], kept_first: bool) -> Explanation:
    """The explanation of a search ranked with feedback: the query's own parts, then the added
    words' (`added`, the same article explained for them alone); the score is their sum, as
    feedback only adds to the query's matches."""
    from dataclasses import replace

    if not plain.matched:
        return replace(plain, feedback_words=words)
    return replace(plain, score=plain.score + added.score, feedback_words=words, feedback=added.parts,
                   kept_first=kept_first, counted_all=plain.counted_all and added.counted_all)


def _leaf_boosts(q) -> dict[tuple[str, object], float]:
    """(field, term) -> the boost of the leaf it comes from, parents' boosts included."""
    boosts: dict[tuple[str, object], float] = {}

    def walk(node, inherited: float) -> None:
        boost = inherited * getattr(node, "boost", 1.0)
        if node.is_leaf():
            for field, text in node.terms():
                boosts[(field, text)] = max(boosts.get((field, text), 0.0), boost)
            return
        for child in node.children():
            walk(child, boost)

    walk(q, 1.0)
    return boosts


def explain_hit(searcher, q, docnum: int, article_id: str, text: str, recency=None, scores=None) -> Explanation:
    """`scores`: `q`'s matches with their scores, when the caller has them already."""
    from .searcher import _existing_terms

    boosts = _leaf_boosts(q)
    parts = []
    for field, term in _existing_terms(q, searcher.reader()):
        matcher = searcher.postings(field, term, weighting=searcher.weighting)
        matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            continue
        boost = boosts.get((field, term), 1.0)
        shown = term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term)
        parts.append(TermScore(field, shown, matcher.weight(), boost, matcher.score() * boost))
    factor = 1.0
    if recency is not None:
        factor = recency.factor(number_day(searcher.reader().column_reader(F.DATE)[docnum]))
    from .evaluate import matching_docs

    if scores is None:
        scores = matching_docs(searcher, q)  # the score the search ranks by (recency included)
    matched = docnum in scores
    total = sum(p.score for p in parts) * factor
    return Explanation(article_id, text, scores[docnum] if matched else total, tuple(parts), factor,
                       matched, counted_all=not matched or abs(scores[docnum] - total) <= 1e-6 * max(1.0, total))


def find_docnum(searcher, article_id: str) -> int:
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        raise ArticleNotFound(f"no article with id {article_id!r}")
    return docnum
