"""search/tree.py: every form of docs/query.md, parsed by searchkit's own parser and
lowered to the backend-neutral tree (surface words, Whoosh's structure and boosts)."""

from __future__ import annotations

import datetime as _dt

import pytest

from searchkit.errors import QuerySyntaxError
from searchkit.search import tree as t
from searchkit.search.query import FIELD_BOOSTS
from searchkit.search.tree import (And, AndMaybe, AndNot, DateRange, Exists, Fuzzy, MatchAll, MatchNone, Near,
                                   Not, Or, Phrase, Prefix, Require, Term, Wildcard, highlight_terms, parse_tree)

TODAY = "2021-09-20"
D = _dt.date


def tree(text: str, operator: str = "or", syntax: bool = True):
    return parse_tree(text, syntax=syntax, today=TODAY, operator=operator).query


TITLE = FIELD_BOOSTS["title"]  # the title's boost (the body's is 1.0)


def both(word: str, boost: float = 1.0) -> Or:
    """A free word: title and body."""
    return Or((Term("title", word, TITLE * boost), Term("body", word, boost)))


def near_words(a: str, b: str, slop: int) -> Or:
    return Or(tuple(Phrase(field, words, slop, boost) for field, boost in (("title", TITLE), ("body", 1.0))
                    for words in ((a, b), (b, a))))


def test_words_keep_their_surface_form_without_stop_words():
    assert tree("Pakistan's elections") == Or((both("pakistan"), both("elections")))
    assert tree("the elections of 2021") == Or((both("elections"), both("2021")))


def test_default_or_and_or_modes():
    assert tree("pakistan taliban", "and") == And((both("pakistan"), both("taliban")))
    parsed = parse_tree("pakistan taliban", today=TODAY, operator="and-or")
    assert parsed.query == And((both("pakistan"), both("taliban")))
    assert parsed.fallback == Or((both("pakistan"), both("taliban")))
    assert parse_tree("pakistan taliban", today=TODAY).fallback is None


def test_boolean_operators():
    assert tree("taliban AND kabul") == And((both("taliban"), both("kabul")))
    assert tree("taliban OR isis") == Or(both("taliban").children + both("isis").children)
    assert tree("pakistan NOT india") == And((Not(both("india")), both("pakistan")))
    assert tree("pakistan NOT india", "and") == And((both("pakistan"), Not(both("india"))))
    assert tree("NOT oil") == Not(both("oil"))


def test_plus_and_minus():
    assert tree("+kabul -embassy") == AndNot(both("kabul"), both("embassy"))
    assert tree("+kabul embassy date:2021") == AndMaybe(
        And((both("kabul"), DateRange(D(2021, 1, 1), D(2021, 12, 31)))), both("embassy"))
    assert tree("oil (+kabul -embassy)") == Or((both("oil"), AndNot(both("kabul"), both("embassy"))))
    assert tree("+kabul embassy date:2021", "and") == And(
        (both("kabul"), both("embassy"), DateRange(D(2021, 1, 1), D(2021, 12, 31))))


def test_grouping_and_boosts():
    assert tree("(taliban OR isis) AND kabul") == And(
        (Or(both("taliban").children + both("isis").children), both("kabul")))
    assert tree("oil^2 prices") == Or((Or(both("oil").children, 2.0), both("prices")))


def test_phrases_and_proximity():
    assert tree('"security council"') == Or((Phrase("title", ("security", "council"), 1, TITLE),
                                             Phrase("body", ("security", "council"), 1, 1.0)))
    assert tree('"oil prices"~5') == Or((Phrase("title", ("oil", "prices"), 5, TITLE),
                                         Phrase("body", ("oil", "prices"), 5, 1.0)))
    # stop words leave the phrase, as Whoosh's StopFilter leaves the index
    assert tree('title:"united states of america"') == Phrase("title", ("united", "states", "america"))


def test_near():
    assert tree("pakistan NEAR/5 taliban") == near_words("pakistan", "taliban", 5)
    assert tree("pakistan NEAR taliban") == near_words("pakistan", "taliban", 10)
    minister = Phrase("title", ("prime", "minister"))
    election = Term("title", "election")
    assert tree('title:"prime minister" NEAR/3 title:election') == Or(
        (Near((minister, election), 3), Near((election, minister), 3)))
    both_fields = tree('"prime minister" NEAR/5 election')
    assert isinstance(both_fields, Or) and len(both_fields.children) == 4
    assert both_fields.children[2] == Near((Phrase("body", ("prime", "minister")), Term("body", "election")), 5)


@pytest.mark.parametrize("text, field, word", [
    ("title:summit", "title", "summit"), ("person:burns", "person", "burns"), ("org:cia", "org", "cia"),
    ("place:kabul", "place", "kabul"), ("dateline:islamabad", "dateline", "islamabad"),
    ("author:smith", "author", "smith"), ("source:wikinews", "source", "wikinews"), ("id:abc", "id", "abc"),
])
def test_fields(text, field, word):
    assert tree(text) == Term(field, word)


def test_entity_phrase():
    assert tree('person:"William Burns"') == Phrase("person", ("william", "burns"))


@pytest.mark.parametrize("text, start, end", [
    ("date:2021", D(2021, 1, 1), D(2021, 12, 31)),
    ("date:2021-09", D(2021, 9, 1), D(2021, 9, 30)),
    ("date:2021-09-12", D(2021, 9, 12), D(2021, 9, 12)),
    ("date:[2021-09-01 TO 2021-09-30]", D(2021, 9, 1), D(2021, 9, 30)),
    ("date:[2021-09 TO 2022]", D(2021, 9, 1), D(2022, 12, 31)),
    ("date:>=2021-09-01", D(2021, 9, 1), None),
    ("date:>2021-08-31", D(2021, 9, 1), None),  # exclusive ends resolved to days
    ("date:<2022", None, D(2021, 12, 31)),
    ("date:<=2021-09", None, D(2021, 9, 30)),
    ('date:"last 7 days"', D(2021, 9, 14), D(2021, 9, 20)),
    ('date:"last 3 months"', D(2021, 6, 21), D(2021, 9, 20)),
    ('date:"last year"', D(2020, 9, 21), D(2021, 9, 20)),
    ("date:today", D(2021, 9, 20), D(2021, 9, 20)),
    ("date:yesterday", D(2021, 9, 19), D(2021, 9, 19)),
    ('date:"this week"', D(2021, 9, 20), D(2021, 9, 20)),
    ('date:"this month"', D(2021, 9, 1), D(2021, 9, 20)),
    ("since:2021-09-01", D(2021, 9, 1), None),
    ("until:2021-09", None, D(2021, 9, 30)),
    ('since:"last 30 days"', D(2021, 8, 22), None),
])
def test_dates(text, start, end):
    assert tree(text) == DateRange(start, end)


def test_impossible_dates_match_nothing():
    assert tree("date:>9999") == MatchNone()


def test_prefix_wildcard_fuzzy():
    assert tree("ECONOM*") == Or((Prefix("title", "econom", TITLE), Prefix("body", "econom")))
    assert tree("wom?n") == Or((Wildcard("title", "wom?n", TITLE), Wildcard("body", "wom?n")))
    assert tree("*stan") == Or((Wildcard("title", "*stan", TITLE), Wildcard("body", "*stan")))
    assert tree("medvedev~1") == Or((Fuzzy("title", "medvedev", 1, 0, TITLE), Fuzzy("body", "medvedev", 1, 0)))
    assert tree("Elections~2/3").children[1] == Fuzzy("body", "elections", 2, 3)
    default = tree("medvedev~").children[1]  # the parser's own default distance
    assert isinstance(default, Fuzzy) and default.maxdist >= 1


def test_every():
    assert tree("date:*") == Exists("date")
    assert tree("*") == Or((Exists("title", TITLE), Exists("body")))


def test_repeats_merge_by_stem_as_whoosh_merges_them():
    assert tree("election elections") == both("election")
    assert tree("title:(election elections)") == Term("title", "election")
    assert tree("oil AND oils") == both("oil")


def test_plain_mode_counts_repeats_by_stem():
    from searchkit.search.query import FIELD_BOOSTS, query_word_counts
    from searchkit.search.scoring import query_term_weight

    text = "Elections in Iraq. The election was held; iraq votes: AND OR NOT title:x"
    plain = tree(text, syntax=False)
    counts = query_word_counts(text)
    assert isinstance(plain, Or) and len(plain.children) == 2 * len(counts)
    weights = {(c.field, c.text): c.boost for c in plain.children}
    assert weights[("body", "elections")] == pytest.approx(query_term_weight(counts["elect"]))
    assert weights[("title", "iraq")] == pytest.approx(FIELD_BOOSTS["title"] * query_term_weight(counts["iraq"]))
    assert ("body", "title") in weights and ("body", "x") in weights  # no operators, no fields


def test_warnings_and_errors_come_from_the_parser():
    parsed = parse_tree("persn:burns", today=TODAY)
    assert parsed.warnings and "did you mean 'person'" in parsed.warnings[0]
    for bad in ('"unclosed', "AND oil", "date:2021-13", "", "the of"):
        with pytest.raises(QuerySyntaxError):
            parse_tree(bad, today=TODAY)


def test_a_form_no_cluster_runs_is_an_error():
    with pytest.raises(QuerySyntaxError, match="not supported on a cluster"):
        tree("title:[a TO c]")


def test_lowering_whoosh_nodes_the_parser_may_build():
    from whoosh import query as wq

    assert t.lower(wq.Require(wq.Term("body", "oil"), wq.Term("body", "gas"))) == Require(
        Term("body", "oil"), Term("body", "gas"))
    assert t.lower(wq.ConstantScoreQuery(wq.Term("body", "oil"), 2.0)) == Require(MatchAll(), Term("body", "oil"), 2.0)
    assert t.lower(wq.Every()) == MatchAll()
    assert t.lower(wq.NullQuery) == MatchNone()
    assert t.lower(wq.DisjunctionMax([wq.Term("body", "a"), wq.Term("body", "b")])) == Or(
        (Term("body", "a"), Term("body", "b")))


def test_highlight_terms_are_the_embedded_index_forms():
    assert highlight_terms(tree('"security council" elections -india person:Burns')) == {
        "secur", "council", "elect", "burn"}
    assert highlight_terms(tree("econom*")) == frozenset()
    assert highlight_terms(tree("date:2021 id:abc")) == frozenset()


def test_highlight_terms_expand_patterns_against_the_article_text():
    text = "The economies of Pakistan: economists and women, a woman; Medvedev and Medvedeva. Burns met Burnside."
    assert highlight_terms(tree("econom*"), text) == {"economi", "economist"}
    assert highlight_terms(tree("wom?n"), text) == {"woman", "women"}
    assert highlight_terms(tree("*stan"), text) == {"pakistan"}
    assert highlight_terms(tree("medvedev~1"), text) == {"medvedev", "medvedeva"}
    assert highlight_terms(tree("person:bur*"), text) == {"burn", "burnsid"}
    assert highlight_terms(tree("oil -wom?n"), text) == {"oil"}


def test_within_edits_is_levenshtein_without_transpositions():
    assert t.within_edits("kitten", "sitting", 3) and not t.within_edits("kitten", "sitting", 2)
    assert t.within_edits("abc", "abc", 0) and not t.within_edits("ab", "ba", 1)
