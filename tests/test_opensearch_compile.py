"""opensearch/compile.py and opensearch/mapping.py without a server (the DSL of every
tree node, the recency wrapper, the index body, the document builder), and against a
node when SEARCHKIT_OPENSEARCH_URL is set (analysis equal to Whoosh's, every query
form accepted and matching what the embedded index matches)."""

from __future__ import annotations

import datetime as _dt
import json
import re

import pytest

from conftest import ROOT
from searchkit.analysis.analyzers import STOP_WORDS, WORD_PATTERN
from searchkit.models import Article, Entity, FullArticle, Hit
from searchkit.opensearch.compile import compile_query, recency_query
from searchkit.opensearch.mapping import (KEYWORD_FIELDS, OS_SCHEMA_VERSION, TEXT_FIELDS, article_fields,
                                          document_id, index_body, opensearch_document)
from searchkit.search import tree as t
from searchkit.search.scoring import B, K1, TITLE_B

D = _dt.date


def test_terms_match_text_fields_and_term_keyword_fields():
    assert compile_query(t.Term("body", "elections")) == {"match": {"body": {"query": "elections"}}}
    assert compile_query(t.Term("title", "oil", 0.3)) == {"match": {"title": {"query": "oil", "boost": 0.3}}}
    assert compile_query(t.Term("person", "burns")) == {"match": {"person": {"query": "burns"}}}
    assert compile_query(t.Term("id", "Ab-1")) == {"term": {"id": {"value": "Ab-1"}}}
    assert "url" in KEYWORD_FIELDS and "body" in TEXT_FIELDS


def _words(field, *words):
    return [{"match": {field: {"query": word}}} for word in words]


def test_a_phrase_scores_its_words_and_filters_on_positions():
    assert compile_query(t.Phrase("body", ("security", "council"), 1, 0.3)) == {"bool": {
        "must": [{"bool": {"must": _words("body", "security", "council"), "boost": 0.3}}],
        "filter": [{"match_phrase": {"body": {"query": "security council"}}}]}}
    sloppy = compile_query(t.Phrase("body", ("oil", "prices"), 5))
    assert sloppy["bool"]["filter"] == [
        {"intervals": {"body": {"match": {"query": "oil prices", "mode": "ordered", "max_gaps": 4}}}}]
    assert compile_query(t.Phrase("body", ("oil",), 1, 2.0)) == {"match": {"body": {"query": "oil", "boost": 2.0}}}


def test_a_long_sloppy_phrase_keeps_whooshs_per_word_slop():
    rule = compile_query(t.Phrase("body", ("a1", "b2", "c3"), 3))["bool"]["filter"][0]["intervals"]["body"]
    assert rule == {"all_of": {"mode": "ordered", "max_gaps": 2, "intervals": [
        {"match": {"query": "a1"}}, {"match": {"query": "b2 c3", "mode": "ordered", "max_gaps": 2}}]}}


def test_near():
    node = t.Near((t.Phrase("title", ("prime", "minister"), 1, 0.3), t.Term("title", "election", 0.3)), 5)
    assert compile_query(node) == {"bool": {
        "must": [{"bool": {"must": _words("title", "prime", "minister"), "boost": 0.3}},
                 {"match": {"title": {"query": "election", "boost": 0.3}}}],
        "filter": [{"intervals": {"title": {"all_of": {"mode": "ordered", "max_gaps": 4, "intervals": [
            {"match": {"query": "prime minister", "mode": "ordered", "max_gaps": 0}},
            {"match": {"query": "election"}}]}}}}]}}
    with pytest.raises(TypeError):
        compile_query(t.Near((t.Term("title", "a"), t.Term("body", "b")), 5))


def test_multi_term_leaves():
    assert compile_query(t.Prefix("body", "econom")) == {"prefix": {"body": {"value": "econom"}}}
    assert compile_query(t.Wildcard("title", "wom?n", 0.3)) == {"wildcard": {"title": {"value": "wom?n",
                                                                                       "boost": 0.3}}}
    fuzzy = compile_query(t.Fuzzy("body", "medvedev", 3, 2))["match"]["body"]
    assert fuzzy == {"query": "medvedev", "fuzziness": 2, "prefix_length": 2, "fuzzy_transpositions": False,
                     "max_expansions": 1000, "fuzzy_rewrite": "constant_score"}


def test_dates_and_existence():
    day = {"format": "yyyy-MM-dd"}
    assert compile_query(t.DateRange(D(2021, 9, 1), D(2021, 9, 30))) == {
        "range": {"date": {**day, "gte": "2021-09-01", "lte": "2021-09-30"}}}
    assert compile_query(t.DateRange(None, D(2021, 12, 31), 2.0)) == {
        "range": {"date": {**day, "lte": "2021-12-31", "boost": 2.0}}}
    assert compile_query(t.DateRange(None, None)) == {"exists": {"field": "date"}}
    assert compile_query(t.Exists("title", 0.3)) == {"exists": {"field": "title", "boost": 0.3}}
    assert compile_query(t.MatchAll()) == {"match_all": {}}
    assert compile_query(t.MatchNone()) == {"match_none": {}}


def test_boolean_nodes():
    oil, gas = t.Term("body", "oil"), t.Term("body", "gas")
    c_oil, c_gas = compile_query(oil), compile_query(gas)
    assert compile_query(t.And((oil, gas), 2.0)) == {"bool": {"must": [c_oil, c_gas], "boost": 2.0}}
    assert compile_query(t.Or((oil, gas))) == {"bool": {"should": [c_oil, c_gas], "minimum_should_match": 1}}
    assert compile_query(t.Not(oil)) == {"bool": {"must": [{"match_all": {}}], "must_not": [c_oil]}}
    assert compile_query(t.AndNot(oil, gas)) == {"bool": {"must": [c_oil], "must_not": [c_gas]}}
    assert compile_query(t.AndMaybe(oil, gas)) == {"bool": {"must": [c_oil], "should": [c_gas]}}
    assert compile_query(t.Require(oil, gas)) == {"bool": {"must": [c_oil], "filter": [c_gas]}}
    with pytest.raises(TypeError):
        compile_query("oil")


def test_every_form_of_the_query_language_compiles():
    forms = ["pakistan taliban", "+kabul -embassy", 'title:"prime minister" NEAR/3 title:election',
             'date:"last 7 days"', "econom* wom?n *stan", "medvedev~1", "NOT oil", "oil OR NOT gas"]
    for form in forms:
        json.dumps(compile_query(t.parse_tree(form, today="2021-09-20").query))


def test_recency_multiplies_by_the_same_decay():
    query = {"match_all": {}}
    assert recency_query(query, D(2021, 9, 20), 0) is query
    wrapped = recency_query(query, D(2021, 9, 20), 2.0, 30)["function_score"]
    assert wrapped["query"] is query and wrapped["score_mode"] == "sum" and wrapped["boost_mode"] == "multiply"
    one, past, future = wrapped["functions"]
    assert one == {"weight": 1}
    assert past["exp"] == {"date": {"origin": "2021-09-20", "scale": "30d", "offset": "0d", "decay": 0.5}}
    assert past["weight"] == future["weight"] == 2.0
    assert past["filter"]["range"]["date"]["lte"] == future["filter"]["range"]["date"]["gt"] == "2021-09-20"
    half_day = recency_query(query, D(2021, 9, 20), 1.0, 0.5)["function_score"]["functions"][1]
    assert half_day["exp"]["date"]["scale"] == "43200000ms"


def test_index_body_derives_analysis_and_scoring_from_searchkit():
    body = index_body(shards=3, replicas=1, aliases_text="Imran Khan = Khan\n")
    settings, mappings = body["settings"], body["mappings"]
    assert settings["index"]["number_of_shards"] == 3 and settings["index"]["number_of_replicas"] == 1
    assert settings["index"]["similarity"]["sk_bm25"] == {"type": "BM25", "k1": K1, "b": B}
    assert settings["index"]["similarity"]["sk_bm25_title"] == {"type": "BM25", "k1": K1, "b": TITLE_B}
    assert settings["analysis"]["tokenizer"]["sk_words"]["pattern"] == WORD_PATTERN
    assert mappings["dynamic"] == "strict"
    assert mappings["_meta"] == {"searchkit_schema": OS_SCHEMA_VERSION, "aliases": "Imran Khan = Khan\n"}
    props = mappings["properties"]
    assert props["body"]["analyzer"] == "sk_text" and props["body"]["similarity"] == "sk_bm25"
    assert props["title"]["analyzer"] == "sk_text" and props["title"]["similarity"] == "sk_bm25_title"
    assert props["person"]["analyzer"] == "sk_name" and props["person"]["fields"]["raw"]["type"] == "keyword"
    assert props["date"] == {"type": "date", "format": "yyyy-MM-dd"}
    assert props["display_title"]["index"] is False and props["body_offset"]["index"] is False


def test_the_stop_filter_deletes_whole_stop_words_and_their_possessives():
    """What the character filter leaves, tokenised, is what Whoosh keeps (Python's re
    standing in for Java's regex here; the node test checks the real thing)."""
    from searchkit.analysis.analyzers import surface_analyzer

    pattern = index_body()["settings"]["analysis"]["char_filter"]["sk_stops"]["pattern"]
    stops = re.compile(pattern, re.IGNORECASE)
    assert all(stops.fullmatch(word) for word in STOP_WORDS)
    text = "The others' theory: it's what THEY said about Theodore’s ideas, don't thereby ours. Its end"
    assert " ".join(stops.sub("", text).split()) == "' theory: said Theodore’s ideas, don't . end"
    for sentence in [text] + _seed_texts(200):
        kept = [re.sub("['’][sS]$", "", word).lower() for word in re.findall(WORD_PATTERN, stops.sub("", sentence))]
        assert kept == [token.text for token in surface_analyzer()(sentence)], sentence


def _article(**changes) -> Article:
    fields = dict(id="a1", body="Oil rose.", title="Oil up", date=D(2021, 9, 12), date_source="header",
                  dateline="KABUL", url="https://x.test/a1", source="Wire", path="/data/a.jsonl",
                  authors=("Ann Lee",))
    fields.update(changes)
    return Article(**fields)


ENTITIES = [Entity("Imran Khan", "person"), Entity("Kabul", "place"), Entity("UN", "org"), Entity("X", "thing")]


def test_the_document_ranks_the_headline_in_the_body_and_shows_the_text_alone():
    doc = opensearch_document(_article(), "hash1", ENTITIES, "host:/data")
    assert doc["body"] == "Oil up\n\nOil rose." and doc["body_offset"] == 8
    assert doc["title"] == "Oil up" and doc["display_title"] == "Oil up" and doc["title_derived"] is False
    assert doc["person"] == ["Imran Khan"] and doc["place"] == ["Kabul"] and doc["org"] == ["UN"]
    assert doc["date"] == "2021-09-12" and doc["origin"] == "host:/data" and doc["file_hash"] == "hash1"
    assert set(doc) <= set(index_body()["mappings"]["properties"])
    fields = article_fields(json.loads(json.dumps(doc)))
    assert FullArticle(**fields) == FullArticle(
        id="a1", title="Oil up", body="Oil rose.", date=D(2021, 9, 12), date_source="header", dateline="KABUL",
        path="/data/a.jsonl", url="https://x.test/a1", source="Wire", people=("Imran Khan",), orgs=("UN",),
        places=("Kabul",), authors=("Ann Lee",))
    fields.pop("body")
    assert Hit(score=1.0, rank=1, **fields).people == ("Imran Khan",)


def test_a_derived_title_is_for_display_only():
    doc = opensearch_document(_article(title="Oil rose.", title_derived=True, date=None, url=None), "h", [], "o")
    assert "title" not in doc and doc["display_title"] == "Oil rose." and doc["body"] == "Oil rose."
    assert "date" not in doc and "url" not in doc and "person" not in doc
    fields = article_fields(doc)
    assert fields["title"] == "Oil rose." and fields["body"] == "Oil rose." and fields["date"] is None
    assert fields["people"] == ()


def test_document_ids_are_stable_and_distinct():
    one = document_id("host-a:/data", "/data/a.jsonl", "a1")
    assert one == document_id("host-a:/data", "/data/a.jsonl", "a1") and len(one) == 40
    others = {document_id("host-b:/data", "/data/a.jsonl", "a1"), document_id("host-a:/data", "/data/b.jsonl", "a1"),
              document_id("host-a:/data", "/data/a.jsonl", "a2"), document_id("host-a:/dat", "a/data/a.jsonl", "a1")}
    assert one not in others and len(others) == 4


# -- against a real node -------------------------------------------------------------------


@pytest.fixture(scope="module")
def node_index(opensearch_url):
    """A client and a fresh index made from index_body (deleted after); skipped without
    a node (SEARCHKIT_OPENSEARCH_URL), failed in CI."""
    import opensearch_support

    opensearchpy = pytest.importorskip("opensearchpy")
    client = opensearchpy.OpenSearch(opensearch_url, timeout=60)
    name = opensearch_support.unique_index_name("searchkit-test-compile")
    client.indices.create(index=name, body=index_body())
    yield client, name
    opensearch_support.delete_indexes(opensearch_url, name)


def _seed_texts(sentences: int = 400) -> list[str]:
    """Whole seed articles (headline and text), until they hold about `sentences` sentences."""
    texts, count = [], 0
    for path in sorted((ROOT / "seeds").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts.append(f"{record.get('title', '')}\n\n{record.get('text', '')}")
            count += len(re.findall(r"[.!?](?:\s|$)", texts[-1]))
            if count >= sentences:
                return texts
    return texts


def _analyzed(client, name: str, analyzer: str, text: str) -> list[tuple[str, int]]:
    tokens = client.indices.analyze(index=name, body={"analyzer": analyzer, "text": text})["tokens"]
    return [(token["token"], token["position"]) for token in tokens]


def test_cluster_analysis_has_whooshs_positions_and_names(node_index):
    from searchkit.analysis.analyzers import name_analyzer, text_analyzer

    client, name = node_index
    same = total = 0
    for sentence in _seed_texts():
        ours = [(token.text, token.pos) for token in text_analyzer()(sentence, positions=True)]
        theirs = _analyzed(client, name, "sk_text", sentence)
        # Whoosh's StopFilter keeps the first word's position and renumbers the rest
        # after it: the same gaps (none), shifted by the stop words in front
        assert [pos - theirs[0][1] for _, pos in theirs] == [pos - ours[0][1] for _, pos in ours], sentence
        same += sum(a == b for (a, _), (b, _) in zip(ours, theirs))
        total += len(ours)
        names = [(token.text, token.pos) for token in name_analyzer()(sentence, positions=True)]
        assert _analyzed(client, name, "sk_name", sentence) == names, sentence
    assert total > 5000 and same / total > 0.97  # both are Porter's C version (analysis/porter.py)


CLUSTER_FORMS = [
    "pakistan taliban", "president NOT bush", "+bank -interest", "+bank rates date:2005",
    "oil (+bank -interest)", "(oil OR gas) AND prices", '"security council"', '"oil prices"~5',
    '"united nations security council"~3', "president NEAR/5 election", '"prime minister" NEAR/5 election',
    'title:"prime minister" NEAR/3 title:election', "title:bank", 'person:"George Bush"', "person:bush",
    "org:congress", "place:iraq", "source:wikinews", "date:2005-09", "date:[2005-09 TO 2006]",
    "date:>2005-08-31", "date:<2005", "econom*", "wom?n", "*stan", "medvedev~1", "election elections",
    "date:*", "title:*", "NOT oil", "oil OR NOT gas", "oil^2 prices",
]


def test_compiled_queries_run_and_match_what_the_embedded_index_matches(node_index, seeds_index):
    from opensearchpy import helpers

    from searchkit.index.documents import article_entities
    from searchkit.ingest import load_articles

    client, name = node_index
    docs = [{"_index": name, "_id": document_id("test", article.path, article.id),
             "_source": opensearch_document(article, "h", article_entities(article), "test")}
            for path in sorted((ROOT / "seeds").iterdir()) if path.suffix in (".jsonl", ".txt")
            for article in load_articles(path)]
    helpers.bulk(client, docs, refresh=True)
    for form in CLUSTER_FORMS:
        # an index widens entity names (aliases, merged names) before parsing, as the cluster's does
        query = compile_query(t.parse_tree(seeds_index._query(form), today="2021-09-20").query)
        found = client.count(index=name, body={"query": query})["count"]
        assert found == seeds_index.search(form, limit=1, today="2021-09-20").total, form
    ranked = recency_query(compile_query(t.parse_tree("oil prices").query), D(2006, 1, 1), 1.0)
    assert client.search(index=name, body={"query": ranked, "size": 3})["hits"]["hits"]
