"""The library facade on real indexes: the core issue's acceptance checks."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import searchkit
from conftest import SEED_ARTICLE, write_seed_article

SEED_ID = SEED_ARTICLE.name


def seed_hit(ix, query):
    results = ix.search(query, limit=50)
    return next((hit for hit in results.hits if hit.id == SEED_ID), None)


def test_seed_article_parses_to_date_and_dateline():
    article = next(searchkit.load_articles(SEED_ARTICLE))
    assert article.date == dt.date(2021, 9, 12)
    assert article.date_source == "header"
    assert article.dateline == "Islamabad"
    assert article.title_derived and article.title.startswith("Pakistan on Saturday hosted")


def test_seed_article_entities():
    article = next(searchkit.load_articles(SEED_ARTICLE))
    entities = searchkit.extract_entities(article.body, dateline=article.dateline)
    names = {(e.kind, e.name) for e in entities}
    for person in ("Dmitry Medvedev", "William Burns", "Qamar Bajwa", "Faiz Hamid"):
        assert ("person", person) in names
    for org in ("CIA", "ISI"):
        assert ("org", org) in names
    for place in ("Pakistan", "Afghanistan", "Russia", "China", "Iran", "Kabul", "Islamabad"):
        assert ("place", place) in names


@pytest.mark.parametrize("query", ["spymasters", 'person:"William Burns"', "date:2021-09",
                                   "date:2021-09-12 spymasters", "dateline:islamabad", "org:CIA"])
def test_seed_article_is_found(seeds_index, query):
    hit = seed_hit(seeds_index, query)
    assert hit is not None, query
    assert hit.date == dt.date(2021, 9, 12)
    assert hit.dateline == "Islamabad"


def test_date_filter_excludes(seeds_index):
    assert seed_hit(seeds_index, "spymasters date:2020") is None
    assert seeds_index.search("date:2020 spymasters").total == 0


def test_hits_are_plain_objects_usable_after_close(tmp_path):
    write_seed_article(tmp_path / "a", "one.txt", "2021-09-12", "KABUL: The Taliban met envoys.")
    searchkit.index_folder([tmp_path / "a"], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as ix:
        results = ix.search("taliban")
    hit = results.hits[0]
    assert results.total == 1 and hit.id == "one.txt"
    assert hit.snippet.text[hit.snippet.spans[0].start:hit.snippet.spans[0].end] == "Taliban"
    assert hit.path.endswith("one.txt")


def test_sort_by_date_and_paging(seeds_index):
    newest = seeds_index.search("government", sort="date", limit=5)
    days = [hit.date for hit in newest.hits]
    assert days == sorted(days, reverse=True)
    page1 = seeds_index.search("government", limit=5, page=1)
    page2 = seeds_index.search("government", limit=5, page=2)
    assert page1.total == page2.total > 10
    assert {h.id for h in page1.hits}.isdisjoint({h.id for h in page2.hits})
    assert [h.rank for h in page2.hits] == [6, 7, 8, 9, 10]


def test_title_outranks_body(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        '{"id": "in-title", "title": "Wheat harvest", "text": "Farmers report on the season. Rain fell."}\n'
        '{"id": "in-body", "title": "Farm report", "text": "Farmers report on the wheat season. Rain fell."}\n',
        encoding="utf-8",
    )
    searchkit.index_folder([folder], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as ix:
        # the ranking itself: the two texts are one word apart, which folds them as copies
        assert [h.id for h in ix.search("wheat", group=False).hits] == ["in-title", "in-body"]
        assert [(h.id, h.duplicate_ids) for h in ix.search("wheat").hits] == [("in-title", ("in-body",))]


def test_get_and_stats(seeds_index):
    article = seeds_index.get(SEED_ID)
    assert "spymasters" in article.body and article.dateline == "Islamabad"
    with pytest.raises(searchkit.ArticleNotFound):
        seeds_index.get("no-such-id")
    stats = seeds_index.stats()
    assert stats.articles == sum(1 for _ in searchkit.load_articles(SEED_ARTICLE.parent))
    assert stats.first_date <= dt.date(2021, 9, 12) <= stats.last_date


def test_reindex_unchanged_changed_deleted(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "LONDON: Apples are red.")
    write_seed_article(docs, "b.txt", "2021-01-02", "PARIS: Bananas are yellow.")
    write_seed_article(docs, "c.txt", "2021-01-03", "ROME: Cherries are dark.")
    first = searchkit.index_folder([docs], tmp_path / "ix")
    assert (first.added, first.updated, first.removed) == (3, 0, 0)
    again = searchkit.index_folder([docs], tmp_path / "ix")
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)
    write_seed_article(docs, "a.txt", "2021-01-01", "LONDON: Apples are green now.")
    (docs / "c.txt").unlink()
    write_seed_article(docs, "d.txt", "2021-01-04", "OSLO: Dates are sweet.")
    changed = searchkit.index_folder([docs], tmp_path / "ix")
    assert (changed.added, changed.updated, changed.unchanged, changed.removed) == (1, 1, 1, 1)
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("green").total == 1 and ix.search("red").total == 0
        assert ix.search("cherries").total == 0 and ix.search("sweet").total == 1
        assert ix.stats().articles == 3


def test_broken_file_reported_others_indexed(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs, "good.txt", "2021-01-01", "LONDON: Apples are red.")
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00junk" * 10)
    (docs / "lines.jsonl").write_text('{"id": "ok", "text": "Plums are purple."}\n{not json\n', encoding="utf-8")
    report = searchkit.index_folder([docs], tmp_path / "ix")
    assert report.added == 2
    reasons = {f.path.rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert "binary" in reasons["broken.txt"]
    assert "line 2" in reasons["lines.jsonl"]
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert ix.search("apples").total == 1 and ix.search("plums").total == 1


def test_jsonl_id_becomes_hit_id(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "feed.jsonl").write_text(
        '{"id": "wire-42", "title": "Oil prices climb", "date": "1987-02-26", "text": "Oil prices rose.", '
        '"url": "https://example.org/42", "source": "Wire"}\n', encoding="utf-8")
    searchkit.index_folder([docs], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as ix:
        hit = ix.search("oil").hits[0]
    assert (hit.id, hit.title, hit.date, hit.url, hit.source) == (
        "wire-42", "Oil prices climb", dt.date(1987, 2, 26), "https://example.org/42", "Wire")


def test_missing_index_and_schema_mismatch(tmp_path):
    with pytest.raises(searchkit.IndexNotFound):
        searchkit.open_index(tmp_path / "nothing")
    write_seed_article(tmp_path / "d", "a.txt", "2021-01-01", "Text.")
    searchkit.index_folder([tmp_path / "d"], tmp_path / "ix")
    meta = tmp_path / "ix" / "searchkit.json"
    meta.write_text(meta.read_text().replace('"schema_version": ', '"schema_version": 99'))
    with pytest.raises(searchkit.SchemaMismatch) as info:
        searchkit.open_index(tmp_path / "ix")
    assert "rebuild" in info.value.hint


def test_bad_query_raises_query_syntax_error(seeds_index):
    for bad in ['"unclosed', "(pakistan", "date:2021-13"]:
        with pytest.raises(searchkit.QuerySyntaxError):
            seeds_index.search(bad)


def test_unknown_field_is_a_warning(seeds_index):
    results = seeds_index.search("persn:Medvedev")
    assert any("did you mean 'person'" in w for w in results.warnings)


def test_rebuild_from_copy_of_folder(tmp_path):
    shutil.copytree(SEED_ARTICLE.parent, tmp_path / "seeds")
    ix = searchkit.SearchIndex.create(tmp_path / "ix")
    with ix:
        report = ix.update([tmp_path / "seeds"])
        assert report.added == ix.stats().articles
        assert ix.roots == [str(tmp_path / "seeds")]


def test_html_page_indexed_with_title_date_and_relative_id(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.html").write_text(
        "<html><head><title>Bridge opens | Springfield Times</title>"
        '<meta property="article:published_time" content="2020-05-01T09:00:00Z"></head>'
        "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Bridge opens</h1>"
        "<p>The mayor of Springfield opened a new bridge on Friday, officials said.</p>"
        "<p>Residents welcomed the bridge, which links the two halves of the town.</p></article>"
        "<footer>Copyright Springfield Times</footer></body></html>", encoding="utf-8")
    searchkit.index_folder([docs], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as ix:
        hit = ix.search("bridge").hits[0]
        assert (hit.id, hit.title, hit.date, hit.date_source) == ("page.html", "Bridge opens",
                                                                  dt.date(2020, 5, 1), "meta")
        assert ix.search("copyright").total == 0
