"""Every form of the query language, on a real index built in a temp folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import searchkit
from searchkit import QuerySyntaxError

TODAY = "2021-09-20"
ARTICLES = [
    ("pk1", "2021-09-12", "Spymasters meet in Islamabad",
     "ISLAMABAD: Pakistan hosted spymasters. Faiz Hamid met William Burns of the CIA. "
     "The Taliban in Kabul were discussed. Imran Khan spoke about the Taliban government."),
    ("pk2", "2021-09-18", "Taliban name a cabinet",
     "KABUL: The Taliban named a cabinet. Pakistan welcomed it and Faiz Hamid visited Kabul."),
    ("oil1", "2021-08-30", "Oil prices rise",
     "Oil prices rose on Monday as OPEC kept output low. Brent crude oil prices hit a high."),
    ("oil2", "2020-03-09", "Prices of oil collapse",
     "Crude prices collapsed as the oil war began. Oil demand fell and prices of oil slumped."),
    ("eco1", "2019-05-02", "Economy grows",
     "The economy grew and economic growth in May surprised economists. Medvedev commented."),
    ("ru1", "2019-06-02", "Medvedev visits Beijing",
     "Dmitry Medvedev met officials in Beijing to discuss trade and the economy of Russia."),
    ("nodate", None, "Undated note", "A note about prices and the weather, with no date at all."),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    with open(root / "news.jsonl", "w", encoding="utf-8") as out:
        for article_id, day, title, text in ARTICLES:
            row = {"id": article_id, "title": title, "text": text}
            if day:
                row["date"] = day
            out.write(json.dumps(row) + "\n")
    searchkit.index_folder([root / "news.jsonl"], root / "ix")
    with searchkit.open_index(root / "ix") as index:
        yield index


def ids(ix, query, **options):
    options.setdefault("today", TODAY)
    return {hit.id for hit in ix.search(query, limit=50, **options).hits}


@pytest.mark.parametrize("query, expected", [
    ("oil AND prices", {"oil1", "oil2"}),
    ("oil OR medvedev", {"oil1", "oil2", "eco1", "ru1"}),
    ("oil NOT collapse", {"oil1"}),
    ("oil -collapse", {"oil1"}),
    ("+medvedev +beijing", {"ru1"}),
    ("(oil OR economy) AND medvedev", {"eco1", "ru1"}),
    ('"oil prices"', {"oil1"}),
    ('"oil prices"~3', {"oil1", "oil2"}),
    ("taliban NEAR/3 cabinet", {"pk2"}),
    ("cabinet NEAR/3 taliban", {"pk2"}),
    ("pakistan NEAR/2 spymasters", {"pk1"}),
    ('"faiz hamid" NEAR/3 burns', {"pk1"}),  # faiz hamid met william burns
    ('burns NEAR/3 "faiz hamid"', {"pk1"}),
    ('"faiz hamid" NEAR/2 burns', set()),
    ('"hamid met" NEAR "william burns"', {"pk1"}),
    ('"faiz william" NEAR/5 burns', set()),  # a phrase's words stay next to each other
    ('title:"taliban name" NEAR/2 title:cabinet', {"pk2"}),
    ("title:taliban", {"pk2"}),
    ('person:"Faiz Hamid"', {"pk1", "pk2"}),
    ("org:CIA", {"pk1"}),
    ("place:Beijing", {"ru1"}),
    ("dateline:kabul", {"pk2"}),
    ("econom*", {"eco1", "ru1"}),
    ("econ?my", {"eco1", "ru1"}),
    ("medvedov~1", {"eco1", "ru1"}),
])
def test_syntax_forms(ix, query, expected):
    assert ids(ix, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("date:2021-09-12", {"pk1"}),
    ("date:2021-09", {"pk1", "pk2"}),
    ("date:2019", {"eco1", "ru1"}),
    ("date:[2019-06 TO 2021-08]", {"ru1", "oil2", "oil1"}),
    ("date:>=2021-09-01", {"pk1", "pk2"}),
    ("date:<2020", {"eco1", "ru1"}),
    ("date:>2021-08-30", {"pk1", "pk2"}),
    ('date:"last 7 days"', {"pk2"}),
    ('date:"last 30 days"', {"pk1", "pk2", "oil1"}),
    ("date:today", set()),
    ('date:"this year"', {"pk1", "pk2", "oil1"}),
    ("since:2021-09-12", {"pk1", "pk2"}),
    ("until:2019-05", {"eco1"}),
    ("prices since:2020", {"oil1", "oil2"}),
    ('since:"last 2 weeks" taliban', {"pk1", "pk2"}),
])
def test_dates(ix, query, expected):
    assert ids(ix, query) == expected


def test_near_with_a_phrase_scores_as_whoosh_does(ix):
    from searchkit.search.evaluate import Evaluator
    from searchkit.search.query import parse_query
    from searchkit.search.searcher import weighting

    q = parse_query('"faiz hamid" NEAR/5 taliban', ix._ix.schema).query
    with ix._ix.searcher(weighting=weighting()) as searcher:
        expected = {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}
        assert expected and Evaluator(searcher).scores(q) == pytest.approx(expected)


def test_today_from_environment(ix, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_TODAY", "2019-06-05")
    assert {h.id for h in ix.search('date:"last 7 days"').hits} == {"ru1"}


def test_plain_mode_has_no_operators(ix):
    assert ids(ix, "oil AND NOT (prices", syntax=False) >= {"oil1", "oil2"}
    assert ids(ix, "person:Medvedev?", syntax=False) == {"eco1", "ru1"}


def test_plain_mode_counts_a_repeated_word_more_across_sentences_than_within_one():
    from searchkit.search.query import query_word_counts

    across = query_word_counts("Bone loss in the old. Growth hormone and bone.")
    within = query_word_counts("Bone, bone cells and growth hormone in the old.")
    assert across["bone"] > within["bone"] > within["growth"] == across["growth"] == 1
    assert within["bone"] < 2  # a repeat inside one sentence still counts, less
    assert query_word_counts("U.S. oil; oil output!")["oil"] == across["bone"]


def test_plain_mode_ranks_by_the_repeated_word(tmp_path):
    def filler(word):  # as long in both articles, different words: they are not copies of each other
        return " ".join(f"{word}{i}" for i in range(20))
    rows = [{"id": "reactor", "title": "Plant", "text": f"The reactor reactor budget. {filler('alpha')}"},
            {"id": "budget", "title": "Plant", "text": f"The budget budget reactor. {filler('gamma')}"}]
    (tmp_path / "docs.jsonl").write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    searchkit.index_folder([tmp_path / "docs.jsonl"], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as index:
        def top(text):
            return [hit.id for hit in index.search(text, syntax=False).hits]
        assert top("What of the reactor budget? The reactor is late.") == ["reactor", "budget"]
        assert top("What of the reactor budget? The budget is late.") == ["budget", "reactor"]


def test_default_operator_is_or_with_filters_required(ix):
    assert ids(ix, "medvedev beijing") == {"eco1", "ru1"}
    assert ids(ix, "medvedev beijing date:2019-05") == {"eco1"}
    assert ids(ix, "medvedev beijing -economy") == set()
    assert ids(ix, "medvedev beijing", operator="and") == {"ru1"}


@pytest.mark.parametrize("query, expected", [
    ("+oil prices date:2020", {"oil2"}),  # the date stays a filter beside +words
    ("+oil prices date:2021", {"oil1"}),
    ("+prices oil since:2021", {"oil1"}),
    ("+oil -collapse date:2020", set()),
    ("+prices oil NOT brent", {"oil2", "nodate"}),  # a NOT among the optional words holds too
    ("+taliban cabinet org:cia", {"pk1"}),
    ("oil prices +date:2020", {"oil2"}),
    ("(+oil prices date:2020)", {"oil2"}),
])
def test_plus_minus_keep_filters_required(ix, query, expected):
    assert ids(ix, query) == expected


def test_plus_minus_inside_brackets(ix):
    assert ids(ix, "medvedev (+oil -collapse)") == {"eco1", "ru1", "oil1"}
    assert ids(ix, "beijing ((+oil -brent))") == {"ru1", "oil2"}


def test_plus_minus_in_and_mode_keep_every_word_required(ix):
    assert ids(ix, "+medvedev beijing", operator="and") == {"ru1"}
    assert ids(ix, "+oil prices date:2020", operator="and") == {"oil2"}
    # the OR fallback loosens the unmarked words only
    assert ids(ix, "+medvedev xylophone", operator="and-or") == {"eco1", "ru1"}
    assert ids(ix, "+xylophone medvedev", operator="and-or") == set()


def test_and_with_or_fallback(ix):
    results = ix.search("medvedev xylophone", operator="and-or")
    assert {h.id for h in results.hits} == {"eco1", "ru1"}
    assert any("any of them" in w for w in results.warnings)
    assert ids(ix, "medvedev xylophone", operator="and") == set()
    assert ids(ix, "medvedev beijing", operator="and-or") == {"ru1"}
    # a filter stays a filter in the fallback
    assert ids(ix, "medvedev xylophone date:2019-06", operator="and-or") == {"ru1"}


@pytest.mark.parametrize("query, position", [
    ('"oil prices', 0), ("(oil OR gas", 0), ("oil)", 3), ("oil AND", 4), ("OR oil", 0),
    ("oil AND OR gas", 4), ("NEAR/5 oil", 0), ("since:someday", 0), ("date:2021-13", None),
    ('oil "gas" NEAR', 10), ('"oil prices"~2 NEAR gas', 15), ("title:oil NEAR gas", 0),
    ("date:2021 NEAR date:2020", None), ("econom* NEAR/3 growth", None),
])
def test_bad_queries_name_the_problem(ix, query, position):
    with pytest.raises(QuerySyntaxError) as info:
        ix.search(query)
    if position is not None:
        assert info.value.position == position
        assert f"position {position + 1}" in str(info.value)


def test_unknown_field_is_a_warning_with_did_you_mean(ix):
    results = ix.search("persn:Medvedev", today=TODAY)
    assert {h.id for h in results.hits} >= {"ru1"}
    assert any("did you mean 'person'" in w for w in results.warnings)


def test_wildcard_expansion_is_capped_with_a_warning(ix, monkeypatch):
    from searchkit.search import limits

    monkeypatch.setattr(limits, "WILDCARD_CAP", 2)
    results = ix.search("*e")
    assert results.total > 0
    assert any("more than 2 words" in w for w in results.warnings)


def test_time_limit_returns_partial_results_with_a_warning(ix, monkeypatch):
    from searchkit.search import limits

    monkeypatch.setattr(limits, "TIME_LIMIT", 0.0)
    query = " OR ".join(f"word{i}" for i in range(300)) + " OR oil"
    results = ix.search(query)
    assert any("longer than" in w for w in results.warnings)


def test_did_you_mean_from_entity_names(ix):
    results = ix.search("Imran Kahn")
    assert results.suggestion == "Imran Khan"
    assert results.query == "Imran Kahn"  # never replaced silently


def test_recency_boost_raises_newer_articles(ix):
    plain = [h.id for h in ix.search("oil prices", operator="or", today=TODAY).hits]
    recent = [h.id for h in ix.search("oil prices", operator="or", today=TODAY, recency=5.0).hits]
    assert set(plain) == set(recent)
    assert recent.index("oil1") <= plain.index("oil1")
    assert recent.index("oil1") < recent.index("oil2")


def test_explain_adds_up_to_the_hit_score(ix):
    hit = ix.search("oil prices", today=TODAY).hits[0]
    explanation = ix.explain("oil prices", hit.id, today=TODAY)
    assert explanation.matched
    assert {part.field for part in explanation.parts} <= {"title", "body"}
    assert {part.term for part in explanation.parts} == {"oil", "price"}
    assert explanation.score == pytest.approx(hit.score, rel=1e-3)
    assert any("body:oil" in line for line in explanation.lines())
    boosted = ix.explain("oil prices", hit.id, today=TODAY, recency=1.0)
    assert boosted.recency_factor > 1.0


def test_explain_of_a_proximity_query_gives_the_hit_score(seeds_index):
    for query in ("president NEAR/3 election", '"prime minister" election', "election NOT iraq"):
        hit = seeds_index.search(query).hits[0]
        explanation = seeds_index.explain(query, hit.id)
        assert explanation.matched
        assert explanation.score == pytest.approx(hit.score, rel=1e-6), query


def test_similar_articles(ix):
    results = ix.similar("oil1", limit=3)
    assert results.hits and results.hits[0].id == "oil2"
    assert "oil1" not in {h.id for h in results.hits}
    with pytest.raises(searchkit.ArticleNotFound):
        ix.similar("nope")


def test_iter_all_streams_every_match(ix):
    hits = ix.iter_all("prices OR economy")
    first = next(hits)
    rest = list(hits)
    assert first.rank == 1 and len(rest) + 1 == ix.search("prices OR economy").total
    assert isinstance(first.date, (dt.date, type(None)))


def test_sorting_by_date_puts_undated_articles_last(ix):
    """The date column holds its largest number for an article without a date; the
    newest-first order must not take that for the newest."""
    hits = ix.search("prices", sort="date", today=TODAY).hits
    assert [hit.id for hit in hits] == ["oil1", "oil2", "nodate"]
