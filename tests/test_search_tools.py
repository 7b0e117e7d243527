"""Near-duplicate grouping and the CLI's search tools (cooccur, similar, explain, export)."""

from __future__ import annotations

import csv
import io
import json

import pytest

import searchkit
from searchkit.cli import main

WIRE = ("The central bank raised interest rates by half a point on Tuesday, its third increase this "
        "year, saying inflation remained far above its target and the labour market was still tight. "
        "Officials signalled that further increases were likely before the end of the year.")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("tools")
    rows = [
        {"id": "wire1", "title": "Bank raises rates", "text": WIRE, "date": "2021-09-14"},
        {"id": "wire2", "title": "Central bank lifts rates again",
         "text": "LONDON (Wire) - " + WIRE + " Markets barely moved.", "date": "2021-09-14"},
        {"id": "other", "title": "Rates and farms", "date": "2021-09-01",
         "text": "Farmers worry that higher interest rates will make new tractors and seed more "
                 "expensive this season, and several co-operatives asked the bank for patience."},
        {"id": "pk", "title": "Spymasters meet", "date": "2021-09-12",
         "text": "ISLAMABAD: Faiz Hamid met William Burns of the CIA and Dmitry Medvedev."},
    ]
    with open(root / "n.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    searchkit.index_folder([root / "n.jsonl"], root / "ix")
    return root / "ix"


def test_near_duplicates_fold_into_one_hit(index_dir):
    with searchkit.open_index(index_dir) as ix:
        grouped = ix.search("interest rates inflation")
        flat = ix.search("interest rates inflation", group=False)
    assert {h.id for h in flat.hits} >= {"wire1", "wire2"}
    top = grouped.hits[0]
    assert top.id in {"wire1", "wire2"} and top.duplicates == 1
    assert set(top.duplicate_ids) == {"wire1", "wire2"} - {top.id}
    assert len(grouped.hits) == len(flat.hits) - 1
    assert grouped.total == flat.total  # the count is of matches, not groups


def test_cli_export_streams_every_match_as_jsonl_and_csv(index_dir, capsys):
    assert main(["search", "rates", "--all", "--index", str(index_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == ["other", "wire1", "wire2"]
    assert main(["search", "rates", "--all", "--format", "csv", "--index", str(index_dir)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["rank"] for row in rows] == ["1", "2", "3"]
    assert main(["search", "zebra", "--all", "--index", str(index_dir)]) == 1


def test_cli_cooccur_similar_explain(index_dir, capsys):
    assert main(["cooccur", "person:Faiz Hamid", "--json", "--index", str(index_dir)]) == 0
    people = {v["name"] for v in json.loads(capsys.readouterr().out)["person"]}
    assert "Faiz Hamid" not in people and "William Burns" in people
    assert main(["similar", "wire1", "--json", "--index", str(index_dir)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["id"] == "wire2"
    assert main(["explain", "wire1", "interest", "rates", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "body:interest" in out and "score" in out
    assert main(["explain", "pk", "interest", "--index", str(index_dir)]) == 1


def test_cli_recent_and_plain(index_dir, capsys, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_TODAY", "2021-09-15")
    assert main(["search", "rates", "--json", "--index", str(index_dir)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["id"] == "other"
    assert main(["search", "rates", "--recent", "20", "--json", "--index", str(index_dir)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["id"] in {"wire1", "wire2"}
    assert main(["search", "--plain", "rates (AND", "--json", "--index", str(index_dir)]) == 0
    capsys.readouterr()
    assert main(["search", 'date:"last 7 days"', "--json", "--index", str(index_dir)]) == 0
    found = {json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()}
    assert found == {"wire1", "pk"}  # wire2 folded into wire1 as a near-copy
    assert main(["search", "rates AND", "--index", str(index_dir)]) == 2
    assert "position 7" in capsys.readouterr().err
