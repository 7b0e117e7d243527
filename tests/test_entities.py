"""The rule-based entity extractor on real news text."""

from __future__ import annotations

import re

import pytest
from conftest import SEED_ARTICLE

from searchkit.analysis.aliases import parse_aliases
from searchkit.analysis.datelines import split_dateline
from searchkit.analysis.entities import (
    EntityExtractor,
    ExtractorError,
    RuleExtractor,
    extract_entities,
    load_extractor,
)
from searchkit.models import Entity


def by_kind(entities: list[Entity]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"person": [], "org": [], "place": []}
    for entity in entities:
        out[entity.kind].append(entity.name)
    return out


@pytest.fixture(scope="module")
def seed() -> dict[str, list[str]]:
    raw = SEED_ARTICLE.read_text(encoding="utf-8")
    body = re.sub(r"^\s*date\s+\S+\s*", "", raw)
    dateline, rest = split_dateline(body)
    assert dateline == "Islamabad"
    return by_kind(extract_entities(rest, dateline=dateline))


def test_seed_people(seed):
    for name in ("Dmitry Medvedev", "William Burns", "Qamar Bajwa", "Faiz Hamid"):
        assert name in seed["person"]


def test_seed_orgs(seed):
    assert {"CIA", "ISI"} <= set(seed["org"])


def test_seed_places_include_the_dateline(seed):
    for name in ("Pakistan", "Afghanistan", "Russia", "China", "Iran", "Kabul", "Islamabad"):
        assert name in seed["place"]
    assert seed["place"][0] == "Islamabad"


def test_seed_has_no_common_words_as_names(seed):
    every = {name for names in seed.values() for name in names}
    for word in ("Saturday", "Wednesday", "The", "According", "Op-Ed", "Also", "Earlier", "Sept"):
        assert word not in every
    assert not any(name.startswith(("Gen ", "Lt ", "Director ", "Chief ")) for name in every)


def test_seed_names_are_canonical_and_unique(seed):
    every = [name for names in seed.values() for name in names]
    assert len(every) == len(set(every))
    assert "Bajwa" not in seed["person"] and "Burns" not in seed["person"]
    assert "United States" in seed["place"] and "US" not in seed["place"]


def test_dateline_in_the_text_is_used_when_none_is_given():
    names = by_kind(extract_entities("NEW YORK: Shares rose on Monday, traders said."))
    assert names["place"] == ["New York"]


def test_country_aliases_merge():
    text = ("The U.S. and Britain agreed. US officials said the United States would "
            "talk to the UK and to America's allies.")
    places = by_kind(extract_entities(text))["place"]
    assert places == ["United States", "United Kingdom"]


def test_possessives_straight_and_curly():
    text = "Pakistan's army met Afghanistan’s envoy in Kabul."
    assert by_kind(extract_entities(text))["place"] == ["Pakistan", "Afghanistan", "Kabul"]


def test_titles_are_stripped_and_surnames_resolve():
    text = ("West German Finance Minister Gerhard Stoltenberg met Fed Chairman Paul Volcker "
            "on Tuesday. Stoltenberg said later that Mr Volcker agreed.")
    names = by_kind(extract_entities(text))
    assert names["person"] == ["Gerhard Stoltenberg", "Paul Volcker"]
    assert "West Germany" in names["place"] and "Federal Reserve" in names["org"]


def test_organisation_suffixes_and_demonyms():
    text = "The Japanese Finance Ministry and the Bank of Japan said Tokyo would act."
    names = by_kind(extract_entities(text))
    assert names["org"] == ["Japanese Finance Ministry", "Bank of Japan"]
    assert names["place"] == ["Japan", "Tokyo"]


def test_international_organisations():
    text = "OPEC ministers met in Vienna while the IMF and NATO, and the U.N., watched."
    names = by_kind(extract_entities(text))
    assert names["org"] == ["OPEC", "IMF", "NATO", "United Nations"]


def test_aliases_merge_and_suppress_at_extraction():
    aliases = parse_aliases("person: Qamar Bajwa = COAS\n!Taliban\n")
    text = "The COAS met the Taliban in Kabul."
    names = by_kind(extract_entities(text, aliases=aliases))
    assert names == {"person": ["Qamar Bajwa"], "org": [], "place": ["Kabul"]}


def test_rule_extractor_satisfies_the_protocol():
    extractor = load_extractor("")
    assert isinstance(extractor, RuleExtractor)
    assert isinstance(extractor, EntityExtractor)


class Shouting:
    def extract(self, text, dateline=None):
        return [Entity(word, "org") for word in text.split() if word.isupper()]


def test_load_extractor_by_dotted_path(monkeypatch):
    extractor = load_extractor(f"{__name__}:Shouting")
    assert extractor.extract("the BBC and NHS") == [Entity("BBC", "org"), Entity("NHS", "org")]
    monkeypatch.setenv("SEARCHKIT_EXTRACTOR", f"{__name__}:Shouting")
    assert extract_entities("ask the BBC") == [Entity("BBC", "org")]


def test_load_extractor_reports_a_bad_path():
    with pytest.raises(ExtractorError):
        load_extractor("no_such_module_here:Thing")


def test_middle_initials_stay_inside_a_name():
    from searchkit.analysis.entities import extract_entities

    names = [(e.kind, e.name) for e in extract_entities(
        "President George W. Bush met Christopher R. Hill on Monday. Bush said little.")]
    assert ("person", "George W. Bush") in names and ("person", "Christopher R. Hill") in names
    assert ("person", "George W") not in names and ("person", "Bush") not in names
