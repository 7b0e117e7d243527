"""The user's alias file: merge names, suppress false positives, expand queries."""

from __future__ import annotations

import pytest

from searchkit.analysis.aliases import AliasFileError, Aliases, load_aliases, parse_aliases
from searchkit.analysis.entities import extract_entities
from searchkit.models import Entity

RULES = """\
# people
person: Qamar Bajwa = Bajwa, Gen Bajwa, COAS
org: Inter-Services Intelligence = ISI   # spelled out
Pakistan Army = Pak Army
!Op-Ed
!person: Ghani
"""


@pytest.fixture()
def aliases(tmp_path) -> Aliases:
    path = tmp_path / "aliases.txt"
    path.write_text(RULES, encoding="utf-8")
    return load_aliases(path)


def test_canonical_merges_case_insensitively(aliases):
    assert aliases.canonical("bajwa", "person") == "Qamar Bajwa"
    assert aliases.canonical("Gen Bajwa", "person") == "Qamar Bajwa"
    assert aliases.canonical("ISI", "org") == "Inter-Services Intelligence"
    assert aliases.canonical("pak army", "org") == "Pakistan Army"


def test_canonical_of_unknown_name_is_itself(aliases):
    assert aliases.canonical("William Burns", "person") == "William Burns"


def test_suppress_any_kind_or_one_kind(aliases):
    assert aliases.canonical("Op-Ed", "org") is None
    assert aliases.canonical("op-ed", "person") is None
    assert aliases.canonical("Ghani", "person") is None
    assert aliases.canonical("Ghani", "place") == "Ghani"


def test_a_kinded_rule_sets_the_kind(aliases):
    assert aliases.resolve("COAS", "org") == ("Qamar Bajwa", "person")


def test_expand_for_queries(aliases):
    assert aliases.expand("Bajwa", "person") == ["Qamar Bajwa", "Bajwa"]
    assert aliases.expand("Qamar Bajwa", "person") == ["Qamar Bajwa"]
    assert aliases.expand("U.S.", "place") == ["United States", "U.S."]
    assert aliases.expand("Nobody Known", "person") == ["Nobody Known"]


def test_extraction_applies_merge_and_suppress(aliases):
    text = ("Chief of the Army Staff (COAS) met Inter-Services Intelligence officers. "
            "The Pak Army and Mr Ghani wrote an Op-Ed, Gen Bajwa said.")
    entities = extract_entities(text, aliases=aliases)
    assert Entity("Qamar Bajwa", "person") in entities
    assert Entity("Inter-Services Intelligence", "org") in entities
    assert Entity("Pakistan Army", "org") in entities
    assert not [e for e in entities if e.name in ("Ghani", "Op-Ed", "COAS", "ISI")]
    assert len([e for e in entities if e.name == "Qamar Bajwa"]) == 1


def test_bad_lines_name_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("person: Fine = Ok\nthis line has no equals sign\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"bad\.txt:2"):
        load_aliases(path)
    with pytest.raises(AliasFileError, match="unknown kind"):
        parse_aliases("people: A = B")


def test_empty_file_is_falsy():
    assert not parse_aliases("# nothing yet\n\n")
