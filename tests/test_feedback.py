"""Pseudo-relevance feedback (search/feedback.py): the words it picks, and what it changes in a
search on a real index: the order of the matches only, with the first search's best kept first.
The cluster's side is in test_opensearch_parity.py."""

from __future__ import annotations

import json

import pytest

import searchkit
from searchkit.cli import main
from searchkit.index.documents import ranked_text
from searchkit.search.feedback import FEEDBACK_BOOST, feedback_words, kept_first, wants_feedback

ARTICLES = [
    {"id": "best", "title": "Jaguar speed in the rainforest",
     "text": "The jaguar hunts prey at speed. The jaguar is a cat of the rainforest, a predator that "
             "stalks prey along rivers."},
    # "wild" and "car" match the query once, with texts of the same length: tied without feedback
    {"id": "wild", "title": "Rainforest notes",
     "text": "A jaguar was seen near the rivers of the rainforest, where the predator stalks prey at night."},
    {"id": "car", "title": "Showroom notes",
     "text": "A jaguar was seen near the doors of the showroom, where the dealer sells sedans with seats."},
    {"id": "markets", "title": "Markets fall", "text": "Stock markets fell on Tuesday as investors sold shares."},
    {"id": "council", "title": "Budget passed", "text": "The city council approved a new budget for schools."},
    {"id": "river", "title": "River levels", "text": "Rivers rose after the rain; the rainforest flooded."},
]
QUERY = "how fast is a jaguar"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("feedback")
    (root / "a.jsonl").write_text("".join(json.dumps(row) + "\n" for row in ARTICLES), encoding="utf-8")
    searchkit.index_folder([root / "a.jsonl"], root / "ix")
    return root / "ix"


def test_words_weigh_by_their_share_of_each_article_and_its_share_of_the_scores():
    words = feedback_words([("apple apple banana", 3.0), ("banana cherry", 1.0)])
    # apple 3/4 x 2/3 = 0.5; banana 3/4 x 1/3 + 1/4 x 1/2 = 0.375; cherry 1/4 x 1/2 = 0.125
    assert [word.stem for word in words] == ["appl", "banana", "cherri"]
    heaviest = 3 / 4 * 2 / 3
    expected = [heaviest, 3 / 4 * 1 / 3 + 1 / 4 * 1 / 2, 1 / 4 * 1 / 2]
    assert [word.boost for word in words] == pytest.approx([FEEDBACK_BOOST * w / heaviest for w in expected])


def test_idf_puts_the_words_that_tell_the_articles_apart_first(monkeypatch):
    from searchkit.search import feedback
    from searchkit.search.scoring import bm25_idf

    articles = [("apple apple banana", 3.0), ("banana cherry", 1.0)]
    asked = []

    def frequencies(words):
        asked.append([word.stem for word in words])
        return 100, {"appl": 90, "banana": 2}  # cherry: in no article

    weighed = feedback_words(articles, frequencies)
    relevance = {"appl": 0.5, "banana": 0.375, "cherri": 0.125}
    expected = {stem: weight * bm25_idf(100, {"appl": 90, "banana": 2}.get(stem, 0)) ** feedback.FEEDBACK_IDF
                for stem, weight in relevance.items()}
    order = sorted(expected, key=lambda stem: -expected[stem])
    assert [word.stem for word in weighed] == order and order[-1] == "appl"
    heaviest = expected[order[0]]
    assert [word.boost for word in weighed] == pytest.approx([FEEDBACK_BOOST * expected[s] / heaviest for s in order])
    monkeypatch.setattr(feedback, "FEEDBACK_POOL", 2)  # only the pool's words are looked up
    assert [word.stem for word in feedback_words(articles, frequencies)] == ["banana", "appl"]
    assert asked[-1] == ["appl", "banana"]


def test_a_stem_is_one_word_named_by_its_first_form_and_the_list_is_cut():
    words = feedback_words([("Elections were held; the election count and elected members.", 1.0)], words=2)
    assert len(words) == 2
    assert words[0].stem == "elect" and words[0].surface == "elections"  # 3 of its 6 words
    assert words[0].boost == FEEDBACK_BOOST


def test_nothing_to_add_from_no_articles_or_only_stop_words():
    assert feedback_words([]) == ()
    assert feedback_words([("the of and", 2.0)]) == ()
    zero = feedback_words([("oil oil gas", 0.0), ("gas", 0.0)])  # no scores: the articles weigh alike
    assert [word.stem for word in zero] == ["ga", "oil"]


def test_when_feedback_runs():
    assert wants_feedback(None, syntax=False, sort="relevance")
    assert not wants_feedback(None, syntax=True, sort="relevance")
    assert wants_feedback(True, syntax=True, sort="relevance")
    assert not wants_feedback(False, syntax=False, sort="relevance")
    assert not wants_feedback(True, syntax=False, sort="date")  # it only reorders


def test_the_kept_item_comes_first_once():
    assert list(kept_first([3, 1, 2], 1, key=lambda x: x)) == [1, 3, 2]
    assert list(kept_first([3, 2], 1, key=lambda x: x)) == [1, 3, 2]
    assert list(kept_first([3, 2], None, key=lambda x: x)) == [3, 2]


def test_ranked_text_is_what_the_body_field_indexes():
    assert ranked_text("Headline", "Text.") == "Headline\n\nText."
    assert ranked_text("Lead derived", "Lead derived and more.", title_derived=True) == "Lead derived and more."
    assert ranked_text(None, None) == ""


def test_articles_like_the_best_one_rank_above_others_that_match_as_well(index_dir):
    with searchkit.open_index(index_dir) as ix:
        plain = ix.search(QUERY, syntax=False, feedback=False, group=False)
        fed = ix.search(QUERY, syntax=False, group=False)
    score = {hit.id: hit.score for hit in plain.hits}
    assert score["wild"] == pytest.approx(score["car"])  # the query alone cannot tell them apart
    order = [hit.id for hit in fed.hits]
    assert order[0] == plain.hits[0].id == "best"
    assert order.index("wild") < order.index("car")
    assert {"jaguar", "rainforest", "prey"} <= set(fed.feedback)


def test_feedback_changes_the_order_only(index_dir):
    with searchkit.open_index(index_dir) as ix:
        plain = ix.search(QUERY, syntax=False, feedback=False, facets=5, limit=20)
        fed = ix.search(QUERY, syntax=False, facets=5, limit=20)
        exported = [hit.id for hit in ix.iter_all(QUERY, syntax=False, snippets=False)]
        flat = ix.search(QUERY, syntax=False, group=False, limit=20)
    assert plain.feedback == () and fed.feedback
    assert fed.total == plain.total and fed.facets == plain.facets
    assert {hit.id for hit in fed.hits} == {hit.id for hit in plain.hits}
    assert fed.hits[0].id == plain.hits[0].id
    assert exported == [hit.id for hit in flat.hits]  # the export ranks as the search
    assert [hit.rank for hit in fed.hits] == list(range(1, len(fed.hits) + 1))


def test_syntax_mode_and_date_order_have_no_feedback_unless_asked(index_dir):
    with searchkit.open_index(index_dir) as ix:
        assert ix.search("jaguar").feedback == ()
        assert ix.search(QUERY, syntax=False, sort="date").feedback == ()
        asked = ix.search("jaguar OR speed", feedback=True, group=False)
        alone = ix.search("jaguar OR speed", group=False)
    assert asked.feedback and asked.total == alone.total
    assert asked.hits[0].id == alone.hits[0].id


def test_no_match_means_no_feedback(index_dir):
    with searchkit.open_index(index_dir) as ix:
        found = ix.search("zebra giraffe", syntax=False)
    assert found.total == 0 and found.feedback == () and not found.hits


def test_cli_names_the_feedback_words_and_can_turn_them_off(index_dir, capsys):
    assert main(["search", "--plain", QUERY, "--index", str(index_dir)]) == 0
    named = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("ranked with words of the best articles: ")]
    assert len(named) == 1 and "jaguar" in named[0].split(": ", 1)[1].split(", ")
    assert main(["search", "--plain", "--no-feedback", QUERY, "--index", str(index_dir)]) == 0
    assert "ranked with words" not in capsys.readouterr().out
    assert main(["search", "--feedback", "jaguar", "--index", str(index_dir)]) == 0
    assert "ranked with words" in capsys.readouterr().out


def test_explain_gives_the_score_the_search_ranks_by_with_the_words_added(index_dir, capsys):
    with searchkit.open_index(index_dir) as ix:
        fed = ix.search(QUERY, syntax=False, group=False)
        plain = ix.search(QUERY, syntax=False, feedback=False, group=False)
        explained = [ix.explain(QUERY, hit.id, syntax=False) for hit in fed.hits]
        alone = [ix.explain(QUERY, hit.id, syntax=False, feedback=False) for hit in plain.hits]
    assert [found.score for found in explained] == pytest.approx([hit.score for hit in fed.hits])
    assert [found.kept_first for found in explained] == [True] + [False] * (len(fed.hits) - 1)
    assert all(found.feedback_words == fed.feedback for found in explained)
    wild = next(found for found in explained if found.article_id == "wild")
    assert {"rainforest", "prei"} <= {part.term for part in wild.feedback}  # stems, as the index holds them
    assert wild.score == pytest.approx(sum(part.score for part in wild.parts + wild.feedback))
    assert [found.score for found in alone] == pytest.approx([hit.score for hit in plain.hits])
    assert not any(found.feedback or found.feedback_words or found.kept_first for found in alone)

    assert main(["explain", "wild", *QUERY.split(), "--plain", "--index", str(index_dir)]) == 0
    shown = capsys.readouterr().out
    assert "+ feedback, " in shown and "body:rainforest" in shown
    assert main(["explain", "best", *QUERY.split(), "--plain", "--index", str(index_dir)]) == 0
    assert "kept first" in capsys.readouterr().out
    assert main(["explain", "wild", *QUERY.split(), "--plain", "--no-feedback", "--index", str(index_dir)]) == 0
    assert "feedback" not in capsys.readouterr().out
