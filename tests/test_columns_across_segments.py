"""Dates read from the right segment when a segment holds no dated article.

Whoosh's MultiReader.column_reader skipped segments without a column file, so the
articles after an all-undated segment were given the dates of the segment before
(searchkit/index/whoosh_fixes.py)."""

from __future__ import annotations

import json
import datetime as dt

import searchkit


def _write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_dates_after_a_segment_of_undated_articles(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs / "a.jsonl", [{"id": f"a{n}", "text": f"harbour story a{n}", "date": "2001-01-05"}
                              for n in range(3)])
    _write(docs / "b.jsonl", [{"id": f"b{n}", "text": f"harbour story b{n}"} for n in range(4)])
    _write(docs / "c.jsonl", [{"id": f"c{n}", "text": f"harbour story c{n}", "date": "2009-09-09"}
                              for n in range(2)])
    ix = searchkit.SearchIndex.create(tmp_path / "index")
    for name in ("a", "b", "c"):  # one commit, one segment each
        ix.update([str(docs / f"{name}.jsonl")], workers=0)
    dates = {hit.id: hit.date for hit in ix.search("harbour", limit=20).hits}
    assert dates == {**{f"a{n}": dt.date(2001, 1, 5) for n in range(3)},
                     **{f"b{n}": None for n in range(4)},
                     **{f"c{n}": dt.date(2009, 9, 9) for n in range(2)}}
    assert sorted(hit.id for hit in ix.search("harbour date:2009").hits) == ["c0", "c1"]
    newest = ix.search("harbour", sort="date", limit=2)
    assert [hit.date for hit in newest.hits] == [dt.date(2009, 9, 9)] * 2
    stats = ix.stats()
    assert (stats.first_date, stats.last_date) == (dt.date(2001, 1, 5), dt.date(2009, 9, 9))


def test_an_index_where_no_article_has_a_date(tmp_path):
    ix = searchkit.SearchIndex.create(tmp_path / "index")
    for name in ("a", "b"):
        path = tmp_path / f"{name}.jsonl"
        _write(path, [{"id": f"{name}{n}", "text": "undated harbour story"} for n in range(3)])
        ix.update([str(path)], workers=0)
    assert ix.stats().articles == 6
    assert all(hit.date is None for hit in ix.search("harbour", sort="date").hits)
