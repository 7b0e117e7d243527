"""One name per person across the archive (search/name_merges.py), on real indexes."""

from __future__ import annotations

import pytest

import searchkit
from conftest import write_seed_article
from searchkit.analysis.aliases import parse_aliases
from searchkit.search.name_merges import MergedNames, Merges, plan_merges

# Each article names its people as a news story would; the extractor resolves a
# surname to a full name only within one article.
ARTICLES = {
    "full1.txt": "President George W. Bush met Prime Minister Tony Blair in London.",
    "full2.txt": "George W. Bush said the budget would pass, his spokesman said.",
    "full3.txt": "US President George W. Bush spoke to reporters at the White House.",
    "short1.txt": "President Bush signed the bill at the White House on Friday.",
    "short2.txt": "Critics said President Bush had ignored the report.",
    "obama1.txt": "Senator Barack Obama spoke in Chicago about health care.",
    "obama2.txt": "Senator Obama said the plan was not enough.",
    "clinton1.txt": "Senator Hillary Clinton spoke in Iowa.",
    "clinton2.txt": "Former President Bill Clinton spoke in Little Rock.",
    "clinton3.txt": "Senator Clinton said the vote was close.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("merges")
    for name, body in ARTICLES.items():
        write_seed_article(root / "docs", name, "2007-05-01", body)
    ix = searchkit.SearchIndex.create(root / "ix")
    ix.update([root / "docs"], workers=0)
    yield ix
    ix.close()


def people(facets) -> dict[str, int]:
    return {v.name: v.count for f in facets if f.kind == "person" for v in f.values}


def test_the_index_stores_what_each_article_says(index):
    stored = {name for hit in index.search("said OR spoke OR signed OR met", limit=20).hits
              for name in hit.people}
    assert {"Bush", "George W. Bush", "Obama", "Barack Obama", "Clinton"} <= stored


def test_a_surname_counts_under_the_dominant_or_only_full_name(index):
    counts = people(index.entities(top=20))
    assert counts["George W. Bush"] == 5 and "Bush" not in counts
    assert counts["Barack Obama"] == 2 and "Obama" not in counts


def test_a_surname_of_two_full_names_stays_as_it_is(index):
    counts = people(index.entities(top=20))
    assert counts["Clinton"] == 1 and counts["Hillary Clinton"] == 1 and counts["Bill Clinton"] == 1


def test_facets_and_stats_show_the_merged_counts(index):
    assert people(index.search("White House", facets=10).facets)["George W. Bush"] == 2
    assert people(index.stats(top=20).top_entities)["George W. Bush"] == 5


def test_a_query_for_either_form_finds_both(index):
    assert index.search('person:"George W. Bush"').total == 5
    assert index.search("person:Bush").total == 5
    assert index.search("person:Clinton").total == 3  # the word matches every Clinton
    assert index.search('person:"Hillary Clinton"').total == 1


def test_cooccur_leaves_out_every_form_of_the_name_asked(index):
    names = people(index.cooccur("person:Bush", top=20))
    assert "George W. Bush" not in names and "Bush" not in names and names["Tony Blair"] == 1


def test_the_alias_file_overrides(tmp_path):
    for name, body in ARTICLES.items():
        write_seed_article(tmp_path / "docs", name, "2007-05-01", body)
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("!person: Obama\n", encoding="utf-8")
    with searchkit.SearchIndex.create(tmp_path / "ix") as ix:
        ix.set_aliases(aliases)
        ix.update([tmp_path / "docs"], workers=0)
        counts = people(ix.entities(top=20))
        assert counts["Barack Obama"] == 1 and "Obama" not in counts  # suppressed, not merged
        assert counts["George W. Bush"] == 5


def test_plan_rules():
    plan = plan_merges({"person": {"George W. Bush": 40, "George H. W. Bush": 2, "George Bush": 3,
                                   "Bush": 10, "Laura Bush": 4, "Hillary Clinton": 7, "Bill Clinton": 3,
                                   "Clinton": 4, "Obama": 2, "Barack Obama": 9, "Nouri": 3}})
    assert plan.full_of == {("person", "Bush"): "George W. Bush", ("person", "George Bush"): "George W. Bush",
                            ("person", "Obama"): "Barack Obama"}
    assert plan.forms("person", "bush") == ("George W. Bush", "Bush", "George Bush")
    assert plan.merge_counts("person", {"Bush": 10, "George W. Bush": 40}) == {"George W. Bush": 50}
    assert Merges.from_json(plan.to_json()) == plan


def test_a_short_form_never_merges_into_a_much_rarer_name():
    plan = plan_merges({"person": {"James Baker": 100, "James Secertary Baker": 2, "Baker": 30,
                                   "Ronald Reagan": 50, "Reagan": 80}})
    assert plan.full_of == {("person", "Baker"): "James Baker", ("person", "Reagan"): "Ronald Reagan"}


def test_a_given_name_alone_never_merges():
    assert plan_merges({"person": {"Elton John": 5, "John": 3, "Barney Frank": 4, "Frank": 2}}).full_of == {}


def test_a_name_the_alias_file_mentions_is_left_to_it():
    counts = {"person": {"George W. Bush": 40, "Bush": 10}}
    assert plan_merges(counts, parse_aliases("person: Jeb Bush = Bush\n")).full_of == {}


def test_query_widening_adds_every_form():
    plan = plan_merges({"person": {"Barack Obama": 9, "Obama": 2}})
    names = MergedNames(parse_aliases(""), plan)
    assert names.expand("Obama", "person") == ["Obama", "Barack Obama"]
    assert names.expand("barack obama", "person") == ["barack obama", "Obama"]


# Two forms of one name in one article: counted once (the cluster counts such groups again).
BOTH_FORMS = {"both.txt": "George Bush and George W. Bush are one man here, aides said."}


@pytest.fixture(scope="module")
def engines(tmp_path_factory, opensearch_url):
    """The same articles in an embedded index and on the OpenSearch node."""
    pytest.importorskip("opensearchpy")
    import opensearch_support

    root = tmp_path_factory.mktemp("merges-parity")
    for name, body in {**ARTICLES, **BOTH_FORMS}.items():
        write_seed_article(root / "docs", name, "2007-05-01", body)
    with opensearch_support.both_engines(root / "ix", opensearch_url, "searchkit-test-merges", [root / "docs"],
                                         workers=0) as opened:
        yield opened


def test_both_engines_merge_alike(engines):
    embedded, cluster = engines
    counts = people(embedded.entities(top=20))
    assert counts["George W. Bush"] == 6 and "Bush" not in counts and "George Bush" not in counts
    for top in (1, 2, 20):
        assert embedded.entities(top=top) == cluster.entities(top=top)
        assert embedded.stats(top=top).top_entities == cluster.stats(top=top).top_entities
    for query in ("said", "White House", "person:Bush", 'person:"George W. Bush"', "person:Clinton"):
        one, other = embedded.search(query, facets=5), cluster.search(query, facets=5)
        assert (one.total, one.facets) == (other.total, other.facets), query
    assert embedded.cooccur("person:Bush") == cluster.cooccur("person:Bush")
