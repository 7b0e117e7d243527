"""The rules checked by CoreNLP's tagger (SEARCHKIT_EXTRACTOR=corenlp / --extractor corenlp).

The decisions are tested with a stand-in tagger whose spans the test gives; the Java bridge,
the index and the CLI with the real tagger, fetched by `searchkit fetch-corenlp` (.ci/run does;
the tests skip without it, and fail in CI)."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import write_seed_article

from searchkit.analysis.aliases import parse_aliases
from searchkit.analysis.corenlp import CheckedExtractor, NerTagger
from searchkit.analysis.corenlp_spans import repaired, span_name
from searchkit.analysis.corenlp_files import (MODEL, MODEL_IN_JAR, VERSION, CoreNLPError,
                                              corenlp_files, fetch_corenlp)
from searchkit.analysis.entities import extract_with_rules, load_extractor


def _fetched() -> bool:
    try:
        corenlp_files()
    except CoreNLPError:
        return False
    return True


needs_tagger = pytest.mark.skipif(not _fetched() and os.environ.get("CI") != "true",
                                  reason="CoreNLP's tagger not fetched (searchkit fetch-corenlp)")


class SpansOf:
    """A stand-in tagger: tags the (label, name) pairs it is given wherever they occur."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = pairs
        self.calls = 0

    def tag(self, text: str) -> list[tuple[str, int, int]]:
        self.calls += 1
        spans = []
        for label, name in self.pairs:
            start = text.find(name)
            while start >= 0:
                spans.append((label, start, start + len(name)))
                start = text.find(name, start + 1)
        return sorted(spans, key=lambda span: span[1])


def orgs(entities) -> list[str]:
    return [e.name for e in entities if e.kind == "org"]


# --- the decisions, with a stand-in tagger --------------------------------------------------

TEXT = "Officials of Zorblax Widgets Ltd met on Monday. The WXQ said the FBI would look into it."


def test_an_unknown_organisation_no_mention_of_which_is_tagged_is_dropped():
    assert {"Zorblax Widgets Ltd", "WXQ", "FBI"} <= set(orgs(extract_with_rules(TEXT, check_orgs=False)))
    checked = CheckedExtractor(tagger=SpansOf(("ORGANIZATION", "Zorblax Widgets Ltd")))
    found = orgs(checked.extract(TEXT))
    assert "WXQ" not in found
    assert "Zorblax Widgets Ltd" in found
    assert "FBI" in found  # known: kept although the tagger marked nothing there


def test_places_and_known_organisations_never_reach_the_tagger():
    text = "ISLAMABAD: The FBI and NATO met in Lahore."
    tagger = SpansOf()
    assert CheckedExtractor(tagger=tagger).extract(text) == extract_with_rules(text, check_orgs=False)
    assert tagger.calls == 0


def test_a_person_is_dropped_when_untagged_or_tagged_as_an_organisation():
    text = "Mr Hargreaves of Glorbco said so, Imran Khan said in Lahore, and Mr Exchequer agreed."
    people = [e.name for e in extract_with_rules(text, check_orgs=False) if e.kind == "person"]
    assert {"Hargreaves", "Imran Khan", "Exchequer"} <= set(people)
    tagger = SpansOf(("PERSON", "Imran Khan"), ("ORGANIZATION", "Hargreaves"), ("LOCATION", "Lahore"))
    found = CheckedExtractor(tagger=tagger).extract(text)
    assert [e.name for e in found if e.kind == "person"] == ["Imran Khan"]
    assert "Hargreaves" not in orgs(found)  # not made an organisation either
    assert "Lahore" in [e.name for e in found if e.kind == "place"]


def test_an_organisation_the_alias_file_names_is_kept():
    aliases = parse_aliases("WXQ Holdings = WXQ\n")
    found = CheckedExtractor(tagger=SpansOf()).extract(TEXT, aliases=aliases)
    assert "WXQ Holdings" in orgs(found)


def test_a_mention_inside_a_longer_tagged_organisation_takes_its_name():
    text = "Dr. Anthony DeFranco of Aurora St. Luke's Medical Center said so."
    assert "Medical Center" in orgs(extract_with_rules(text, check_orgs=False))
    found = CheckedExtractor(tagger=SpansOf(("ORGANIZATION", "Aurora St. Luke's Medical Center"),
                                            ("PERSON", "Anthony DeFranco"))).extract(text)
    assert "Aurora St. Luke's Medical Center" in orgs(found)
    assert "Medical Center" not in orgs(found)
    assert "Anthony DeFranco" in [e.name for e in found if e.kind == "person"]


def test_a_longer_name_that_only_adds_an_owner_title_or_list_is_not_taken():
    cases = [("Tsvangirai's Movement for Democratic Change", "Movement for Democratic Change"),
             ("President of Group Support Services", "Group Support Services"),
             ("Foreign Ministry Spokesman Hamid", "Foreign Ministry"),
             ("Communist Party of Jordan, Party of Democratic Socialism", "Party of Democratic Socialism"),
             ("CBS’s Face the Nation", "CBS")]
    for longer, name in cases:
        text = f"It was {longer} again."
        assert repaired(name, text, SpansOf(("ORGANIZATION", longer)).tag(text)) == [name], longer


def test_a_company_suffix_after_a_comma_belongs_to_the_name():
    text = "It was Adscape Media, Inc. again."
    spans = SpansOf(("ORGANIZATION", "Adscape Media, Inc.")).tag(text)
    assert repaired("Adscape Media", text, spans) == ["Adscape Media, Inc"]


def test_a_mention_running_names_together_becomes_its_organisations():
    text = "In an article for the Arab Times Bishara said so."
    spans = SpansOf(("ORGANIZATION", "Arab Times"), ("PERSON", "Bishara")).tag(text)
    assert repaired("Arab Times Bishara", text, spans) == ["Arab Times"]
    text = "Parties: CDU |Christian Democratic Union of Germany."
    spans = SpansOf(("ORGANIZATION", "CDU"), ("ORGANIZATION", "Christian Democratic Union of Germany")).tag(text)
    assert repaired("CDU |Christian Democratic Union of Germany", text, spans) == [
        "CDU", "Christian Democratic Union of Germany"]


def test_the_parts_of_one_name_are_not_split():
    text = "The Ministry of Culture and Islamic Guidance said so."
    spans = SpansOf(("ORGANIZATION", "Ministry of Culture"), ("ORGANIZATION", "Islamic Guidance")).tag(text)
    assert repaired("Ministry of Culture and Islamic Guidance", text, spans) == [
        "Ministry of Culture and Islamic Guidance"]


def test_one_mention_tagged_as_it_is_keeps_the_name():
    text = "CBS Corporation owns it. Later, CBS said no."
    spans = SpansOf(("ORGANIZATION", "CBS Corporation"), ("ORGANIZATION", "CBS said")).tag(text)
    spans = [s for s in spans if text[s[1]:s[2]] != "CBS said"] + [("ORGANIZATION", text.rindex("CBS"),
                                                                   text.rindex("CBS") + 3)]
    assert repaired("CBS", text, spans) == ["CBS"]
    assert repaired("CBS", text, spans[:1]) == ["CBS Corporation"]


def test_a_name_not_written_out_stands_and_an_untagged_one_goes():
    text = "The U.N. said so, and the WXQ agreed."
    assert repaired("United Nations", text, []) == ["United Nations"]
    assert repaired("WXQ", text, []) == []


def test_an_acronym_defined_in_brackets_by_a_tagged_organisation_stays():
    text = "Members of the People's Mujahedin of Iran (MEK) met the WXQ (a club)."
    spans = SpansOf(("ORGANIZATION", "People's Mujahedin of Iran")).tag(text)
    assert repaired("MEK", text, spans) == ["MEK"]
    assert repaired("WXQ", text, spans) == []  # brackets, but no organisation defines it
    text = "The ACLU (American Civil Liberties Union) sued."
    spans = SpansOf(("ORGANIZATION", "American Civil Liberties Union")).tag(text)
    assert repaired("ACLU", text, spans) == ["ACLU"]


def test_span_names_are_written_as_the_rules_write_them():
    assert span_name("The  Apple Inc.", 0, 15) == "Apple Inc"
    assert span_name("WebSource Media, L.L.C.", 0, 23) == "WebSource Media, L.L.C."


# --- fetching ---------------------------------------------------------------------------

def _maven_folder(root: Path, model: bytes, damage: bool = False) -> str:
    """A file:// Maven repository holding the two artifacts fetch_corenlp asks for."""
    folder = root / "edu" / "stanford" / "nlp" / "stanford-corenlp" / VERSION
    folder.mkdir(parents=True)
    jar, models = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("edu/stanford/nlp/ie/crf/CRFClassifier.class", b"not really")
    with zipfile.ZipFile(models, "w") as archive:
        archive.writestr(MODEL_IN_JAR, model)
        archive.writestr("edu/stanford/nlp/models/pos-tagger/other.tagger", b"x" * 1000)
    for name, data in ((f"stanford-corenlp-{VERSION}.jar", jar.getvalue()),
                       (f"stanford-corenlp-{VERSION}-models.jar", models.getvalue())):
        (folder / name).write_bytes(data)
        digest = hashlib.sha1(b"damaged" if damage else data).hexdigest()
        (folder / (name + ".sha1")).write_text(digest + "\n")
    return root.as_uri()


def test_fetch_keeps_the_jar_and_the_one_model(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_MAVEN_REPO", _maven_folder(tmp_path / "maven", b"the model"))
    told = []
    files = fetch_corenlp(tmp_path / "home", progress=told.append)
    assert files.model.read_bytes() == b"the model"
    assert files.jar.is_file()
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == sorted([files.jar.name, MODEL])
    assert len(told) == 2
    assert fetch_corenlp(tmp_path / "home", progress=told.append) == files  # nothing fetched again
    assert len(told) == 2


def test_fetch_refuses_a_file_that_does_not_match_its_sha1(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_MAVEN_REPO", _maven_folder(tmp_path / "maven", b"m", damage=True))
    with pytest.raises(CoreNLPError, match="SHA-1"):
        fetch_corenlp(tmp_path / "home")
    assert list((tmp_path / "home").iterdir()) == []


def test_a_missing_tagger_is_one_error_saying_how_to_fetch_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_CORENLP_HOME", str(tmp_path / "none"))
    with pytest.raises(CoreNLPError) as caught:
        load_extractor("corenlp").check()
    assert "searchkit fetch-corenlp" in caught.value.hint


def test_cli_index_with_a_missing_tagger_fails_in_one_line_and_keeps_the_index(tmp_path):
    folder = tmp_path / "articles"
    write_seed_article(folder, "a.txt", "2024-01-02", "ISLAMABAD: The Zorblax Widgets Ltd board met.")
    env = {**os.environ, "SEARCHKIT_CORENLP_HOME": str(tmp_path / "none")}
    env.pop("SEARCHKIT_EXTRACTOR", None)
    index = str(tmp_path / "ix")
    run = [sys.executable, "-m", "searchkit", "index", str(folder), "--index", index]
    assert subprocess.run(run, env=env, capture_output=True).returncode == 0
    for extra in (["--extractor", "corenlp"], ["--extractor", "corenlp", "--rebuild"]):
        done = subprocess.run(run + extra, env=env, capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "fetch-corenlp" in done.stderr
        assert "Traceback" not in done.stderr
    import searchkit

    with searchkit.open_index(index) as ix:
        assert ix.stats().articles == 1


# --- the real tagger ----------------------------------------------------------------------

@needs_tagger
def test_the_tagger_gives_offsets_in_the_text_it_was_given():
    text = "The FBI said 😀 on Monday.\nKPMG met John Smith in Paris.\r\nNothing else."
    tagger = NerTagger()
    try:
        spans = tagger.tag(text)
        assert ("PERSON", "John Smith") in [(label, text[s:e]) for label, s, e in spans]
        assert all(text[s:e].strip() == text[s:e] and text[s:e] for _, s, e in spans)
        assert tagger.tag("") == []
    finally:
        tagger.close()


@needs_tagger
def test_switching_away_from_the_checked_extractor_stops_its_java_process(monkeypatch):
    from searchkit.analysis import entities

    monkeypatch.setenv("SEARCHKIT_EXTRACTOR", "corenlp")
    checked = entities.current_extractor()
    checked.check()
    process = checked.tagger._process
    assert process is not None and process.poll() is None
    monkeypatch.setenv("SEARCHKIT_EXTRACTOR", "rules")
    entities.current_extractor()
    assert process.wait(timeout=30) == 0


def _tag_in_child(queue, tagger, text):
    queue.put(tagger.tag(text))


@needs_tagger
def test_curly_quotes_are_read_as_straight_ones():
    tagger = NerTagger()
    try:
        for quote in ("'", "’"):
            text = f"Russian Security Council{quote}s deputy chairman Dmitry Medvedev said so."
            organisations = [text[s:e] for label, s, e in tagger.tag(text) if label == "ORGANIZATION"]
            assert organisations == ["Russian Security Council"], quote
    finally:
        tagger.close()


@needs_tagger
def test_a_forked_process_starts_its_own_tagger():
    tagger = NerTagger()
    text = "Officials of Zorblax Widgets Ltd met John Smith in Paris."
    try:
        mine = tagger.tag(text)
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_tag_in_child, args=(queue, tagger, text))
        child.start()
        theirs = queue.get(timeout=120)
        child.join(timeout=60)
        assert theirs == mine
        assert tagger.tag(text) == mine  # the parent's process still answers
    finally:
        tagger.close()


@needs_tagger
def test_index_with_the_checked_extractor_keeps_it_and_reextracts_on_a_change(tmp_path):
    import searchkit

    folder = tmp_path / "articles"
    write_seed_article(folder, "a.txt", "2024-01-02",
                  "LONDON: The WXQ met officials of the Bank of England and Barclays on Monday.")
    ix = searchkit.create_index(tmp_path / "ix")
    with ix:
        first = ix.update([folder], extractor="corenlp")
        assert first.added == 1
        again = ix.update([folder])
        assert again.unchanged == 1  # the stored extractor: nothing to do
        assert ix.stats().extractor == "corenlp"
        checked = org_facet(ix)
        ruled = ix.update([folder], extractor="rules")
        assert ruled.updated == 1  # another extractor: the entities extracted again
        by_rules = org_facet(ix)
    assert "WXQ" in by_rules and "WXQ" not in checked
    assert checked and checked <= by_rules


def org_facet(ix) -> set[str]:
    return {value.name for facet in ix.entities(top=20) if facet.kind == "org" for value in facet.values}


@needs_tagger
def test_a_cluster_index_keeps_its_extractor_per_origin(tmp_path, opensearch_index_url):
    import searchkit

    folder = tmp_path / "articles"
    write_seed_article(folder, "a.txt", "2024-01-02",
                       "LONDON: The WXQ met officials of the Bank of England and Barclays on Monday.")
    with searchkit.SearchIndex.create(opensearch_index_url) as ix:
        assert ix.update([folder], extractor="corenlp").added == 1
        assert ix.update([folder]).unchanged == 1
        assert ix.stats().extractor == "corenlp"
        checked = org_facet(ix)
        assert ix.update([folder], extractor="rules").updated == 1
        by_rules = org_facet(ix)
    assert "WXQ" in by_rules and "WXQ" not in checked
