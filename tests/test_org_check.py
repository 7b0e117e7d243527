"""The learnt organisation check: what it may drop, and that the shipped model is the one used."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.analysis.aliases import Aliases
from searchkit.analysis.datelines import split_dateline
from searchkit.analysis.entities import extract_entities, extract_with_rules
from searchkit.analysis.gazetteer import load_gazetteer
from searchkit.analysis.org_check import (OrgModel, drop_unlikely_orgs, load_org_model, mentions,
                                          pair_features)
from searchkit.ingest.jsonl import parse_jsonl
from searchkit.models import Article, Entity

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TEXT = ("The Zorblax Widgets Ltd board met on Monday. Officials of the United Nations and of "
        "Quarnet Holdings said Zorblax Widgets Ltd would be sold.")
ENTITIES = [Entity("Zorblax Widgets Ltd", "org"), Entity("United Nations", "org"),
            Entity("Quarnet Holdings", "org"), Entity("Quarnet Group", "org")]  # the last: not in the text
DROP_ALL, KEEP_ALL = OrgModel({"bias": -10.0}, 0.5), OrgModel({"bias": 10.0}, 0.5)


def seed_articles() -> list[Article]:
    text = (SEEDS / "wikinews-economy.jsonl").read_text(encoding="utf-8")
    return [a for a in parse_jsonl(text, "wikinews-economy.jsonl") if isinstance(a, Article)][:300]


def test_a_model_that_doubts_every_name_drops_only_unknown_organisations_written_in_the_text():
    kept = drop_unlikely_orgs(ENTITIES, TEXT, model=DROP_ALL)
    assert kept == [Entity("United Nations", "org"), Entity("Quarnet Group", "org")]
    assert drop_unlikely_orgs(ENTITIES, TEXT, model=KEEP_ALL) == ENTITIES


def test_a_name_the_alias_file_rules_on_is_never_dropped():
    aliases = Aliases()
    aliases.add_merge("Quarnet Holdings", ["Quarnet"], "org")
    kept = drop_unlikely_orgs(ENTITIES, TEXT, aliases=aliases, model=DROP_ALL)
    assert Entity("Quarnet Holdings", "org") in kept
    assert Entity("Zorblax Widgets Ltd", "org") not in kept


def test_people_and_places_are_never_scored():
    entities = [Entity("Anna Quarnet", "person"), Entity("Quarnetville", "place")]
    assert drop_unlikely_orgs(entities, "Anna Quarnet of Quarnetville spoke.", model=DROP_ALL) == entities


def test_mentions_are_whole_names_only():
    text = "Zorblax Widgets Ltd, not Zorblax Widgets Ltda nor XZorblax Widgets Ltd; Zorblax Widgets Ltd."
    assert [text[a:b] for a, b in mentions("Zorblax Widgets Ltd", text)] == ["Zorblax Widgets Ltd"] * 2
    assert mentions("Zorblax Widgets Ltd", text)[0] == (0, 19)


def test_features_read_the_name_and_its_mentions_context():
    lower = {"board", "met", "officials", "of", "the", "and", "said", "would", "be", "sold"}
    features = set(pair_features("Zorblax Widgets Ltd", TEXT, [], lower))
    assert {"n=3", "first=zorblax", "last=ltd", "m=2", "p1=the", "n1=board", "n1=would"} <= features
    inner = set(pair_features("Quarnet Holdings Anna Quarnet", "Quarnet Holdings Anna Quarnet spoke.",
                              ["Anna Quarnet"], set()))
    assert {"person_inside", "person_surname_inside", "sent_start"} <= inner


def test_the_shipped_model_loads():
    model = load_org_model()
    assert 0.0 < model.threshold < 1.0
    assert "bias" in model.weights and len(model.weights) > 100


@pytest.mark.skipif(not (SEEDS / "wikinews-economy.jsonl").exists(), reason="the bundled seeds are absent")
def test_on_real_articles_the_check_only_removes_unknown_organisations_and_removes_some():
    known = load_gazetteer().known
    dropped: list[Entity] = []
    for article in seed_articles():
        dateline, body = split_dateline(article.body)
        unchecked = extract_with_rules(body, dateline, check_orgs=False)
        checked = extract_with_rules(body, dateline)
        assert [e for e in unchecked if e in checked] == checked  # a subset, in the same order
        gone = [e for e in unchecked if e not in checked]
        assert all(e.kind == "org" and known(e.name) is None and mentions(e.name, body) for e in gone)
        dropped += gone
        assert extract_entities(body, dateline=dateline) == checked  # the default extractor checks
    assert dropped
