"""Facets, timeline and co-occurrence over ALL matches, checked against counts made in the test."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

import searchkit

PEOPLE = ["Faiz Hamid", "William Burns", "Imran Khan"]


def _articles():
    """60 articles over 2020-2021: who appears in which is decided here, then counted here."""
    rows = []
    for i in range(60):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=12 * i)
        people = [PEOPLE[j] for j in range(3) if (i + j) % (j + 2) == 0]
        topic = "pipeline" if i % 3 else "election"
        text = f"Story {i} about the {topic}. " + " ".join(f"{p} spoke." for p in people)
        entities = [{"name": p, "kind": "person"} for p in people]
        rows.append({"id": f"a{i}", "title": f"Story {i}", "text": text, "date": day.isoformat(),
                     "people": people, "entities": entities})
    return rows


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("facets")
    rows = _articles()
    with open(root / "a.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({k: row[k] for k in ("id", "title", "text", "date")}) + "\n")
    searchkit.index_folder([root / "a.jsonl"], root / "ix")
    with searchkit.open_index(root / "ix") as ix:
        yield ix, rows


def _extracted_people(ix, article_id):
    return set(ix.get(article_id).people)


def test_entity_facets_count_all_matches_not_the_page(corpus):
    ix, rows = corpus
    results = ix.search("pipeline", limit=3, facets=10)
    matching = [r["id"] for r in rows if "pipeline" in r["text"]]
    assert results.total == len(matching) > 3
    expected = Counter(name for article_id in matching for name in _extracted_people(ix, article_id))
    people = next(f for f in results.facets if f.kind == "person")
    assert {v.name: v.count for v in people.values} == dict(expected.most_common(10))


def test_timeline_counts_and_normalisation(corpus):
    ix, rows = corpus
    interval, buckets = ix.timeline("election", normalise=True)
    assert interval == "month"  # two years of matches: months keep it under 60 bars
    matching = [dt.date.fromisoformat(r["date"]) for r in rows if "election" in r["text"]]
    expected = Counter(day.strftime("%Y-%m") for day in matching)
    totals = Counter(dt.date.fromisoformat(r["date"]).strftime("%Y-%m") for r in rows)
    assert {b.label: b.count for b in buckets if b.count} == dict(expected)
    assert all(b.total == totals[b.label] for b in buckets)
    assert sum(b.count for b in buckets) == len(matching)


def test_timeline_interval_follows_the_span(corpus):
    ix, _ = corpus
    assert ix.timeline("date:2020-01")[0] == "day"
    assert ix.timeline("story")[0] == "month"
    assert ix.timeline("story", interval="year")[1][0].label == "2020"


def test_cooccurrence_counts_per_article(corpus):
    ix, _ = corpus
    facets = ix.cooccur("person:Faiz Hamid")
    with_faiz = [h.id for h in ix.iter_all('person:"Faiz Hamid"', snippets=False)]
    assert with_faiz
    expected = Counter(name for article_id in with_faiz
                       for name in _extracted_people(ix, article_id) if name != "Faiz Hamid")
    people = next(f for f in facets if f.kind == "person")
    assert "Faiz Hamid" not in {v.name for v in people.values}
    assert {v.name: v.count for v in people.values} == dict(expected.most_common(10))


@pytest.mark.parametrize("top", [1, 3, 10, 40])
def test_facets_counted_over_an_array_of_matches_equal_the_counts_over_a_list(seeds_index, top):
    """A large query's matches come as a numpy array (search/dense.py) and are counted with
    numpy: the same names and counts, ties in name order, names merged or not."""
    import numpy as np

    from searchkit.models import ENTITY_KINDS
    from searchkit.search.facets import count_entities, index_merges

    with seeds_index._ix.reader() as reader:
        docnums = [docnum for docnum in reader.all_doc_ids() if docnum % 3]
        merges = index_merges(reader)
        for kinds in (ENTITY_KINDS, ("org",)):
            for merged in (None, merges):
                expected = count_entities(reader, docnums, top=top, kinds=kinds, merges=merged)
                found = count_entities(reader, np.array(docnums), top=top, kinds=kinds, merges=merged)
                assert found == expected
                assert sum(len(facet.values) for facet in found) >= min(top, 3)
