"""Whether an organisation the rules found is one: a small learnt model, in pure Python.

The rules name an organisation from the shape of a capitalised phrase ("… Council", an
acronym); about one in five such names that no gazetteer or alias file knows is wrong or cut
short ("State and Vicepresident of the Council", "Massachusetts Family Institute Kristian
Mineau", "Task Force"). `drop_unlikely_orgs` scores each unknown organisation of an article
with a logistic model over the name's words and shape, the words around its mentions, and what
the article says of its words (written in lower case elsewhere, a person's surname), and drops
it below the model's threshold. Known organisations, names the alias file rules on and names
not written out in the text (canonical forms) are never dropped.

The weights (`data/org_check.json`) were learnt by `benchmarks/train_org_check.py` from the
project's hand-judged Wikinews pairs (benchmarks/judgments); see docs/entity-precision.md.
Scoring an article costs a few dictionary lookups per unknown organisation.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from ..models import Entity
from .entity_rules import LOWER_WORD
from .gazetteer import DATA_PACKAGE, Gazetteer, load_gazetteer

MODEL_FILE = "org_check.json"
OPENS_SENTENCE = frozenset('.!?"“”\n:')  # a mention after one of these opens a sentence
MENTIONS_READ = 4  # the first mentions of a name give its context features
CONTEXT = 60  # characters read on each side of a mention


@dataclass(frozen=True)
class OrgModel:
    """Feature weights (a logistic model) and the probability below which a name goes."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: list[str]) -> float:
        score = sum(self.weights.get(feature, 0.0) for feature in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@functools.lru_cache(maxsize=1)
def load_org_model() -> OrgModel:
    data = json.loads(resources.files(DATA_PACKAGE).joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    return OrgModel(weights=data["weights"], threshold=float(data["threshold"]))


def mentions(name: str, text: str) -> list[tuple[int, int]]:
    """Where `name` is written out in `text`, as a whole name (no word character touching it)."""
    out = []
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not (start and _in_word(text[start - 1])) and not (end < len(text) and _in_word(text[end])):
            out.append((start, end))
        start = text.find(name, start + 1)
    return out


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "X"
    if word[:1].isupper():
        return "Xx"
    return "d" if word[:1].isdigit() else "x"


def _bare(token: str) -> str:
    token = token.strip("\"“”‘’'()[],;:")
    return token.lower() if token else "<p>"


def pair_features(name: str, text: str, persons: list[str], lower: set[str],
                  gaz: Gazetteer | None = None, found: list[tuple[int, int]] | None = None) -> list[str]:
    """The model's features of one organisation `name` in one article: its words and shape,
    gazetteer facts about its words, and the context of its first mentions. `persons` are the
    people the rules found in the article, `lower` the words the text writes in lower case,
    `found` the name's mentions when they are already known."""
    gaz = gaz or load_gazetteer()
    lexicon = gaz.words
    words = name.split()
    features = {"bias", f"n={min(len(words), 5)}", "first=" + words[0].lower(), "last=" + words[-1].lower(),
                "shape=" + "_".join(dict.fromkeys(_shape(w) for w in words)), "suf3=" + words[-1][-3:].lower()}
    if len(words) == 1 and name.isupper():
        features.add(f"acr{min(len(name), 6)}")
    if any(c.isdigit() for c in name):
        features.add("digit")
    if any(k and w in lexicon["first_names"] for k, w in enumerate(words)):
        features.add("inner_first_name")
    if any(w in lexicon["titles"] or w.lower() in lexicon["titles"] for w in words):
        features.add("title_word")
    if any(w in lexicon["org_words"] or w.lower() in lexicon["org_words"] for w in words):
        features.add("org_word")
    if words[-1] in lexicon["org_words"] or words[-1].lower() in lexicon["org_words"]:
        features.add("org_word_last")
    surnames = {p.split()[-1] for p in persons if " " in p}
    if any(w in surnames for w in words):
        features.add("person_surname_inside")
    if any(p in name for p in persons):
        features.add("person_inside")
    for a in range(len(words)):
        for b in range(a + 1, min(len(words), a + 4) + 1):
            if (a, b) != (0, len(words)):
                hit = gaz.known(" ".join(words[a:b]))
                if hit:
                    edge = "_start" if a == 0 else "_end" if b == len(words) else ""
                    features.add(f"known_inside_{hit[1]}{edge}")
    if " and " in name:
        features.add("has_and")
    if " of " in name:
        features.add("has_of")
    if words[0].lower() in lower:
        features.add("first_lower_seen")
    if words[-1].lower() in lower:
        features.add("last_lower_seen")
    found = mentions(name, text) if found is None else found
    features.add(f"m={min(len(found), 3)}")
    for start, end in found[:MENTIONS_READ]:
        features.update(_context(text[max(0, start - CONTEXT):start], text[end:end + CONTEXT], len(words)))
    return list(features)


def _context(before: str, after: str, size: int) -> set[str]:
    """Features of one mention from the text just before and just after it."""
    before, after = before.rstrip(), after.lstrip()
    prev_raw = before.rsplit(None, 1)[-1] if before else ""
    next_raw = after.split(None, 1)[0] if after else ""
    opens = not before or before[-1] in OPENS_SENTENCE
    out = {"p1=" + (_bare(prev_raw) if prev_raw else "<s>"), "n1=" + (_bare(next_raw) if next_raw else "</s>"),
           f"shape1+{'start' if opens else 'mid'}+n{min(size, 3)}"}
    if opens:
        out.add("sent_start")
    char_before, char_after = before[-1:] or "<s>", after[:1] or "</s>"
    if not char_before.isalnum():
        out.add("pc=" + char_before)
    if not char_after.isalnum():
        out.add("nc=" + char_after)
    if prev_raw[:1].isupper() and not opens:
        out.add("prev_cap")
    if next_raw[:1].isupper():
        out.add("next_cap")
    return out


def unknown_org(entity: Entity, aliases=None, gaz: Gazetteer | None = None) -> bool:
    """An organisation no gazetteer knows and the alias file does not rule on."""
    gaz = gaz or load_gazetteer()
    return (entity.kind == "org" and gaz.known(entity.name) is None
            and not (aliases and aliases.rule_for(entity.name)))


def drop_unlikely_orgs(entities: list[Entity], text: str, aliases=None, model: OrgModel | None = None,
                       lower_words: Callable[[], set[str]] | None = None) -> list[Entity]:
    """`entities` without the unknown organisations the model finds unlikely (see the module).
    `lower_words` gives the words `text` writes in lower case (the rules' classifier has
    them); they are worked out here when it is not given."""
    gaz = load_gazetteer()
    unknown = [(e, mentions(e.name, text)) for e in entities if unknown_org(e, aliases, gaz)]
    unknown = [(e, found) for e, found in unknown if found]
    if not unknown:
        return entities
    model = model or load_org_model()
    persons = [e.name for e in entities if e.kind == "person"]
    lower = lower_words() if lower_words is not None else set(LOWER_WORD.findall(text))
    dropped = {e for e, found in unknown
               if model.probability(pair_features(e.name, text, persons, lower, gaz, found)) < model.threshold}
    return [e for e in entities if e not in dropped]
