"""The one-pass evaluator scores exactly what Whoosh's own collector scores.

Every query is run both ways on real indexes — the seeds index (one segment)
and an index built in three updates with a changed file (several segments,
deleted documents) — and the two must agree on the set of matches and, within
rounding, on every score.
"""

from __future__ import annotations

import contextlib
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from searchkit.search.evaluate import Evaluator
from searchkit.search.query import parse_query
from searchkit.search.searcher import weighting

from conftest import ROOT

QUERIES = [
    "oil", "oil prices", "Oil Prices OR gas", "bank AND rates", "+oil prices", "oil -prices",
    "oil NOT prices", "NOT oil", "(oil OR gas) AND (price OR market)", "oil AND NOT (iran OR iraq)",
    '"prime minister"', '"prime minister"~3 election', "pakistan NEAR/5 taliban", "econom*",
    "medvedev~1", "title:election", "person:Obama", 'place:"United States" economy',
    "date:2008", "date:[2008-01-01 TO 2009-12-31] bank", "bank date:{2008-01-01 TO 2009-12-31}",
    "date:>=2010-06 oil", "election date:<2007",
    "dateline:london", "org:nato OR org:un", "president ANDMAYBE obama", "x*", "the economy",
    "nonexistentword", "nonexistentword OR oil", '"prime minister" NEAR/5 election',
    '"United States" economy', "+oil prices date:2008", "zimbabwe AND government",
]


@pytest.fixture(autouse=True)
def whoosh_and_not_fixed(monkeypatch):
    """The reference is Whoosh with its AndNotMatcher bug mended: its _find_first
    only skips the excluded side when both start on the same document, so when
    the excluded side starts earlier, the first match is never excluded."""
    from whoosh.matching.binary import AndNotMatcher

    def find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    monkeypatch.setattr(AndNotMatcher, "_find_first", find_first)


def _whoosh_scores(searcher, q):
    results = searcher.search(q, limit=None)
    return {hit.docnum: hit.score for hit in results}


def _assert_same(ix, text: str, syntax: bool = True, recency: float = 0.0):
    from searchkit.search.searcher import _recency

    q = parse_query(text, ix.schema, syntax=syntax, today="2012-01-01").query
    recency_factor = _recency(recency, "2012-01-01")
    with ix.searcher(weighting=weighting(recency_factor)) as searcher:
        expected = _whoosh_scores(searcher, q)
    with ix.searcher(weighting=weighting(recency_factor)) as searcher:
        found = Evaluator(searcher).scores(q)
    assert set(found) == set(expected), text
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-9, abs=1e-12), (text, docnum)


@contextlib.contextmanager
def small_blocks():
    """Posting blocks of 40 postings while building: the seeds' common words then span
    many blocks, as every common word of a large archive does (blocks hold 2,048)."""
    from searchkit.index import fastindex

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastindex, "BLOCK_POSTINGS", 40)
        yield


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory):
    """Three segments and deleted documents: the seeds corpus indexed in steps."""
    from searchkit.api import SearchIndex

    folder = tmp_path_factory.mktemp("segmented-docs")
    path = tmp_path_factory.mktemp("segmented") / "index"
    politics = ROOT / "seeds" / "wikinews-politics.jsonl"
    economy = ROOT / "seeds" / "wikinews-economy.jsonl"
    shutil.copy(politics, folder / politics.name)
    ix = SearchIndex.open_or_create(path)
    with small_blocks():
        ix.update([folder], workers=0)
        shutil.copy(economy, folder / economy.name)
        ix.update([folder], workers=0)
        lines = (folder / politics.name).read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / politics.name).write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        ix.update([folder], workers=0)
    yield ix._ix
    ix.close()


@pytest.fixture(scope="module")
def optimized_index(segmented_index, tmp_path_factory):
    """The segmented index merged into one segment by SearchIndex.optimize()."""
    from searchkit.api import SearchIndex

    path = tmp_path_factory.mktemp("optimized") / "index"
    shutil.copytree(segmented_index.storage.folder, path)
    ix = SearchIndex.open(path)
    with small_blocks():
        assert ix.optimize().segments_after == 1
    yield ix._ix.refresh()
    ix.close()


@pytest.mark.parametrize("text", QUERIES)
def test_scores_match_whoosh_after_a_merge(optimized_index, text):
    _assert_same(optimized_index, text)


def test_the_segmented_index_has_segments_and_deletions(segmented_index, optimized_index):
    with segmented_index.searcher() as searcher:
        reader = searcher.reader()
        assert len(searcher.leaf_searchers()) > 1 or reader.has_deletions()
    for ix in (segmented_index, optimized_index):  # and common words over many blocks
        with ix.reader() as reader:
            segment = next(r for r, _ in reader.leaf_readers())
            info = segment._terms.term_info("body", b"govern")
            assert info.doc_frequency() > 120 and not info.is_inlined()
            matcher = segment.postings("body", b"govern")
            blocks = 1
            while matcher.is_active():
                blocks += matcher.next()  # True when it moved on to the next block
            assert blocks > 3


@pytest.mark.parametrize("text", QUERIES)
def test_scores_match_whoosh_on_one_segment(seeds_index, text):
    _assert_same(seeds_index._ix, text)


@pytest.mark.parametrize("text", QUERIES)
def test_scores_match_whoosh_over_segments_and_deletions(segmented_index, text):
    _assert_same(segmented_index, text)


def test_recency_factor_is_applied_to_every_match(seeds_index):
    _assert_same(seeds_index._ix, "election government", recency=2.0)


def test_plain_queries_with_repeated_words_match(seeds_index):
    _assert_same(seeds_index._ix, "what did the bank say about the bank rates and inflation?", syntax=False)


WORDS = ["oil", "bank", "election", "president", "war", "iraq", "market", "vote", "police", "china"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["", "+", "-", "NOT ", "OR ", "AND "]),
                          st.sampled_from(WORDS)), min_size=1, max_size=5))
def test_random_boolean_queries_match(segmented_index, parts):
    text = " ".join(op + word for op, word in parts)
    try:
        parse_query(text, segmented_index.schema)
    except searchkit.QuerySyntaxError:
        return
    _assert_same(segmented_index, text)


def test_excluded_words_are_excluded_where_whoosh_keeps_one(segmented_index, monkeypatch):
    from whoosh.matching.binary import AndNotMatcher

    monkeypatch.undo()  # Whoosh as shipped
    assert AndNotMatcher._find_first.__module__ == "whoosh.matching.binary"
    with segmented_index.searcher(weighting=weighting()) as searcher:
        excluded = set(Evaluator(searcher).scores(parse_query("president", segmented_index.schema).query))
        for text in ("oil -president", "bank -president", "market -president"):
            found = Evaluator(searcher).scores(parse_query(text, segmented_index.schema).query)
            assert found and not set(found) & excluded, text


def test_a_passed_deadline_returns_partial_scores(seeds_index):
    from searchkit.search.evaluate import TimedOut

    q = parse_query("oil OR gas OR bank", seeds_index._ix.schema).query
    with seeds_index._ix.searcher(weighting=weighting()) as searcher:
        with pytest.raises(TimedOut) as stopped:
            Evaluator(searcher, deadline=0.0).scores(q)
        complete = Evaluator(searcher).scores(q)
    assert stopped.value.partial
    assert set(stopped.value.partial) <= set(complete)


@pytest.mark.parametrize("text", ['"prime minister" election', "oil OR bank -war", "person:Obama"])
def test_other_weightings_take_whoosh_scoring(seeds_index, text):
    from whoosh.scoring import BM25F

    ix = seeds_index._ix
    q = parse_query(text, ix.schema).query
    with ix.searcher(weighting=BM25F()) as searcher:
        expected = _whoosh_scores(searcher, q)
        found = Evaluator(searcher).scores(q)
    assert set(found) == set(expected)
    assert all(found[d] == pytest.approx(s, rel=1e-9) for d, s in expected.items())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=2, max_size=3000),
       st.integers(min_value=1, max_value=60))
def test_the_ranking_window_keeps_exactly_the_best_scores(values, window):
    """searcher._ranked narrows the candidates with slice maxima before the heap:
    the threshold must be the window-th largest score, ties included."""
    from searchkit.search.score_maps import window_threshold
    from searchkit.search.searcher import _ranked

    window = min(window, len(values) - 1)
    assert window_threshold(list(values), window) == sorted(values, reverse=True)[window - 1]
    scores = dict(enumerate(values))
    expected = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:window]
    assert _ranked(None, scores, window, "score") == expected


# -- the numpy path (dense.py): an OR of words over many postings ------------------------

def _both_paths(ix, text: str, monkeypatch):
    """(dict path scores, numpy path scores) of `text`, the numpy path forced."""
    from searchkit.search import dense

    q = parse_query(text, ix.schema, today="2012-01-01").query
    with ix.searcher(weighting=weighting()) as searcher:
        monkeypatch.setattr(dense, "DENSE_FROM", 10**12)
        expected = Evaluator(searcher).scores(q)
        monkeypatch.setattr(dense, "DENSE_FROM", 0)
        monkeypatch.setattr(dense, "DENSE_WITHIN", 0)
        found = Evaluator(searcher).scores(q)
    return expected, found


PHRASES = ['"president of the united states"', '"new york city"', '"minister prime"', 'title:"prime minister"',
           '"said the" government', '"police said police"', '"united states" "prime minister"',
           '"the united states"']


@pytest.mark.parametrize("which", ["seeds", "segmented", "optimized"])
@pytest.mark.parametrize("text", QUERIES + PHRASES + ["oil gas bank market police", "title:election", "the",
                                                     'government "prime minister"', 'place:"united states" OR war'])
def test_the_numpy_path_gives_the_same_scores_bit_for_bit(which, text, seeds_index, segmented_index,
                                                          optimized_index, monkeypatch):
    from searchkit.search.dense import DenseScores

    ix = {"seeds": seeds_index._ix, "segmented": segmented_index, "optimized": optimized_index}[which]
    try:
        expected, found = _both_paths(ix, text, monkeypatch)
    except searchkit.QuerySyntaxError:
        return
    assert dict(found.items()) == expected  # equal floats, not approximately equal
    assert len(found) == len(expected)
    plain = text.replace(" OR ", " ").split()
    if isinstance(found, DenseScores) or not expected:
        return
    assert not all(word.isalpha() and word.islower() for word in plain), f"{text!r} should take the numpy path"


def test_the_numpy_path_ranks_as_the_dict_path(segmented_index, monkeypatch):
    from searchkit.search.dense import DenseScores
    from searchkit.search.searcher import _ranked

    expected, found = _both_paths(segmented_index, "oil gas bank market police war", monkeypatch)
    assert isinstance(found, DenseScores) and len(found) > 100
    with segmented_index.searcher() as searcher:
        for window in (1, 10, 57, len(found) - 1, None):
            assert _ranked(searcher, found, window, "relevance") == _ranked(searcher, expected, window, "relevance")
        assert _ranked(searcher, found, 40, "date") == _ranked(searcher, expected, 40, "date")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sets(st.integers(min_value=0, max_value=300), max_size=60), max_size=5),
       st.sets(st.integers(min_value=0, max_value=300), max_size=20), st.booleans(), st.sampled_from([301, 10**6]))
def test_summed_scores_add_in_order_and_leave_deleted_documents_out(parts, deleted, nested, size):
    """dense._summed: each document's scores added in the terms' order, as the dict path
    adds them, whether the first term holds every other term's documents (its arrays are
    the result) or not (arrays as long as the index, or, in an index much larger than the
    postings, the parts merged); deleted documents are left out."""
    import numpy as np

    from searchkit.search.dense import _summed

    if nested and parts:  # every later term's documents among the first's
        parts = [parts[0] | set().union(*parts[1:])] + parts[1:]
    scored, expected = [], {}
    for term, docs in enumerate(parts):
        ids = np.array(sorted(docs), dtype=np.int64)
        scores = np.array([1.0 / (3 + term) + doc / 7.0 for doc in ids.tolist()])
        scored.append((ids, scores))
        for doc, score in zip(ids.tolist(), scores.tolist()):
            expected[doc] = expected.get(doc, 0.0) + score
    found = _summed(np, scored, set(deleted), size)
    assert dict(found.items()) == {doc: score for doc, score in expected.items() if doc not in deleted}
    assert list(found.docnums) == sorted(found.docnums)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([0.5, 1.25, 2.0, 3.5, 7.0, 7.000000000000001]), min_size=2, max_size=400),
       st.integers(min_value=1, max_value=60))
def test_dense_best_keeps_ties_in_docnum_order(values, window):
    """Many equal scores: the window-th best's ties are kept, and ties rank by docnum."""
    import numpy as np

    from searchkit.search.dense import DenseScores
    from searchkit.search.searcher import _ranked

    window = min(window, len(values) - 1)
    docnums = np.arange(0, 3 * len(values), 3)
    dense = DenseScores(docnums, np.array(values))
    scores = dict(zip(docnums.tolist(), values))
    assert dense.best(window) == _ranked(None, scores, window, "relevance")
    assert dense.best(None) == _ranked(None, scores, None, "relevance")


def test_searches_are_the_same_on_the_numpy_path(segmented_index, monkeypatch):
    """Hits, scores, totals, facets, pages and copies folded: the same either way."""
    from searchkit.api import SearchIndex
    from searchkit.search import dense

    ix = SearchIndex.open(segmented_index.storage.folder)
    runs = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(dense, "DENSE_FROM", threshold)
        runs.append([ix.search(text, limit=7, page=page, facets=5, sort=sort, group=group)
                     for text in ("oil gas bank", "election OR vote OR president", "war")
                     for page in (1, 3) for sort in ("relevance", "date") for group in (True, False)]
                    # plain text: feedback's AndMaybe of two numpy score sets (dense.added_where_found)
                    + [ix.search("oil prices fell as the central bank raised rates", syntax=False, limit=7,
                                 page=page, facets=5) for page in (1, 3)])
    ix.close()
    assert runs[0] == runs[1]
    assert runs[1][-1].feedback
    assert any(results.total > 50 and results.hits for results in runs[1])


def test_the_numpy_path_returns_partial_scores_past_the_deadline(seeds_index, monkeypatch):
    from searchkit.search import dense
    from searchkit.search.evaluate import TimedOut

    monkeypatch.setattr(dense, "DENSE_FROM", 0)
    q = parse_query("oil OR gas OR bank", seeds_index._ix.schema).query
    with seeds_index._ix.searcher(weighting=weighting()) as searcher:
        with pytest.raises(TimedOut) as stopped:
            Evaluator(searcher, deadline=0.0).scores(q)
        complete = Evaluator(searcher).scores(q)
    assert isinstance(stopped.value.partial, dense.DenseScores) and len(stopped.value.partial)
    assert set(stopped.value.partial) <= set(complete)


@pytest.mark.parametrize("threshold", [10**12, 0])
def test_feedback_scores_only_the_added_words_and_sums_as_one_and_maybe(segmented_index, monkeypatch, threshold):
    """The widened query's scores reuse the query's own: the same floats as the AndMaybe of the
    query and the added words evaluated whole, on the dict and the numpy paths."""
    from whoosh import query as wq

    from searchkit.index.schema import F
    from searchkit.search import dense
    from searchkit.index.documents import ranked_text
    from searchkit.search.feedback import feedback_words
    from searchkit.search.searcher import _frequencies, _ranked, _with_feedback

    monkeypatch.setattr(dense, "DENSE_FROM", threshold)
    q = parse_query("oil prices fell as the central bank raised rates", segmented_index.schema, syntax=False).query
    with segmented_index.searcher(weighting=weighting()) as searcher:
        scores = Evaluator(searcher).scores(q)
        widened, kept, words = _with_feedback(searcher, q, scores)
        best = _ranked(searcher, scores, 5, "relevance")
        texts = [(ranked_text(s.get(F.TITLE), s.get(F.BODY), s.get(F.TITLE_DERIVED)), score)
                 for s, score in ((searcher.stored_fields(docnum), score) for docnum, score in best)]
        expected = feedback_words(texts, _frequencies(searcher))
        added = wq.Or([wq.Term(F.BODY, word.stem, boost=word.boost) for word in expected])
        whole = Evaluator(searcher).scores(wq.AndMaybe(q, added))
    assert words == expected and len(words) == 40
    assert dict(widened.items()) == dict(whole.items()) and len(whole) == len(scores)
    assert kept == (best[0][0], whole[best[0][0]])
    assert isinstance(widened, dense.DenseScores) == (threshold == 0)
