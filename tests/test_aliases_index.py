"""The alias file at index time and at query time, through the library and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import searchkit
from conftest import ROOT, write_seed_article

BODY = ("ISLAMABAD: Chief of the Army Staff Gen Qamar Bajwa met the envoy on Monday. "
        "The COAS said talks went well. An Op-Ed in a daily paper praised Bajwa.")


@pytest.fixture
def corpus(tmp_path):
    write_seed_article(tmp_path / "docs", "a.txt", "2021-09-12", BODY)
    return tmp_path


def people(ix):
    return {v.name for f in ix.entities(top=50) if f.kind == "person" for v in f.values}


def test_alias_file_merges_and_suppresses_at_index_and_query_time(corpus):
    aliases = corpus / "aliases.txt"
    aliases.write_text("person: Qamar Bajwa = COAS, Gen Bajwa\n!Op-Ed\n", encoding="utf-8")
    ix = searchkit.SearchIndex.create(corpus / "ix")
    with ix:
        ix.set_aliases(aliases)
        ix.update([corpus / "docs"])
        names = {v.name for f in ix.entities(top=50) for v in f.values}
        assert "Qamar Bajwa" in names and "COAS" not in names and "Op-Ed" not in names
        assert ix.search("person:COAS").total == 1  # widened to person:"Qamar Bajwa"
        assert ix.search('person:"Bajwa"').total == 1


def test_changing_the_alias_file_reextracts_unchanged_files(corpus):
    ix = searchkit.SearchIndex.create(corpus / "ix")
    with ix:
        ix.update([corpus / "docs"])
        before = {v.name for f in ix.entities(top=50) for v in f.values}
        (corpus / "aliases.txt").write_text("!Qamar Bajwa\n", encoding="utf-8")
        ix.set_aliases(corpus / "aliases.txt")
        report = ix.update([corpus / "docs"])
        after = {v.name for f in ix.entities(top=50) for v in f.values}
    assert "Qamar Bajwa" in before and "Qamar Bajwa" not in after
    assert report.updated == 1 and report.unchanged == 0


def test_bad_alias_file_is_one_line_error(corpus):
    bad = corpus / "bad.txt"
    bad.write_text("person: = nothing\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "searchkit", "index", str(corpus / "docs"), "--index",
                           str(corpus / "ix"), "--aliases", str(bad)],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert done.returncode == 2 and "bad.txt:1" in done.stderr and "Traceback" not in done.stderr
