"""Named entities (people, organisations, places) from English news text.

`extract_entities(text, dateline=None, aliases=None)` returns canonical,
de-duplicated `Entity`s in order of first mention. The default extractor is
rule-based (see `entity_rules`) and needs no model. Another extractor can
replace it through the `EntityExtractor` protocol: name it with
`SEARCHKIT_EXTRACTOR=package.module:Name` or `load_extractor("package.module:Name")`.
See docs/entities.md.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import os
from collections.abc import Mapping
from importlib import resources
from typing import Protocol, runtime_checkable

from ..errors import SearchkitError
from ..models import ENTITY_KINDS, Entity
from .aliases import Aliases
from .datelines import parse_dateline
from .entity_rules import CANDIDATE, PENDING, PENDING_INITIAL, Classifier, Found
from .gazetteer import DATA_PACKAGE, load_gazetteer, normalise_key
from .org_check import drop_unlikely_orgs

ENV_EXTRACTOR = "SEARCHKIT_EXTRACTOR"
RULES_VERSION = 2  # raise it when a change of the built-in rules' code changes what they find


class ExtractorError(SearchkitError):
    """The extractor named by SEARCHKIT_EXTRACTOR (or load_extractor) cannot be used."""

    hint = "give it as package.module:Name, or unset SEARCHKIT_EXTRACTOR to use the built-in rules"


@runtime_checkable
class EntityExtractor(Protocol):
    """What a replacement extractor (spaCy, a service, …) must provide."""

    def extract(self, text: str, dateline: str | None = None) -> list[Entity]:
        """Canonical entities of one article, in order of first mention."""
        ...


class RuleExtractor:
    """The default extractor: rules plus the shipped gazetteers (no model)."""

    def __init__(self, aliases: Aliases | None = None) -> None:
        self.aliases = aliases

    def extract(self, text: str, dateline: str | None = None) -> list[Entity]:
        return extract_with_rules(text, dateline, self.aliases)


def extract_with_rules(text: str, dateline: str | None = None, aliases: Aliases | None = None,
                       check_orgs: bool = True) -> list[Entity]:
    """The rule-based extraction itself. Without a dateline, one opening the text is used.
    Unknown organisations are checked by the learnt model (org_check) unless `check_orgs`
    is False."""
    gaz = load_gazetteer()
    found: Found = []
    if dateline is None and text[:1].isupper():
        opening = parse_dateline(text)
        if opening is not None:
            dateline, text = opening.place, text[opening.end:]
            region = gaz.lookup(opening.region) if opening.region else None
            if region and region[1] == "place":
                found.append(region)
    if dateline:
        hit = gaz.lookup(dateline)
        found.insert(0, (hit[0] if hit and hit[1] == "place" else dateline, "place"))
    classifier = Classifier(gaz, text, aliases)
    for match in CANDIDATE.finditer(text):
        found.extend(classifier.candidate(match))
    entities = finalise(found, aliases)
    if not check_orgs:
        return entities
    return drop_unlikely_orgs(entities, text, aliases, lower_words=classifier.lower_words)


def surnames(found: Found) -> dict[str, str]:
    """Last word (folded) -> the first full name of a person that ends with it."""
    out: dict[str, str] = {}
    for name, kind in found:
        if kind == "person" and " " in name:
            out.setdefault(normalise_key(name.rsplit(" ", 1)[1]), name)
    return out


def longer_orgs(found: Found) -> dict[str, str]:
    """The last words (folded, two or more) of each organisation's name -> the first name
    that ends with them and is longer: "Housing Authority" -> "Oakland Housing Authority"."""
    out: dict[str, str] = {}
    for name, kind in found:
        words = name.split()
        if kind == "org":
            for start in range(1, len(words) - 1):
                out.setdefault(normalise_key(" ".join(words[start:])), name)
    return out


def finalise(found: Found, aliases: Aliases | None) -> list[Entity]:
    """Resolve surnames, short forms of an organisation named in full and pending words,
    apply aliases, de-duplicate in order."""
    full, orgs = surnames(found), longer_orgs(found)
    known = load_gazetteer().known
    seen: set[tuple[str, str]] = set()
    out: list[Entity] = []
    for name, kind in found:
        if kind in (PENDING, PENDING_INITIAL, "person") and " " not in name:
            resolved = full.get(normalise_key(name))
            if resolved:
                name, kind = resolved, "person"
            elif kind != "person":
                continue
        elif kind == "org" and " " in name and known(name) is None:
            name = orgs.get(normalise_key(name), name)  # "the Housing Authority" after its full name
        if aliases:
            rule = aliases.resolve(name, kind)
            if rule is None:
                continue
            name, kind = rule
        key = (normalise_key(name), kind)
        if key not in seen and kind in ENTITY_KINDS:
            seen.add(key)
            out.append(Entity(name, kind))
    return out


def load_extractor(spec: str | None = None, aliases: Aliases | None = None) -> EntityExtractor:
    """The extractor named by `spec` ("package.module:Name", or "rules" or "corenlp" for the
    built-in ones), else by SEARCHKIT_EXTRACTOR, else the rule-based one. `Name` may be a
    class (called with no arguments), a factory function, or an object with an `extract`
    method."""
    spec = spec if spec is not None else os.environ.get(ENV_EXTRACTOR, "")
    if not spec.strip() or spec.strip() == "rules":
        return RuleExtractor(aliases)
    if spec.strip() == "corenlp":
        from .corenlp import CheckedExtractor

        return CheckedExtractor(aliases)
    module_name, _, attribute = spec.strip().partition(":")
    try:
        target = getattr(importlib.import_module(module_name), attribute or "Extractor")
    except (ImportError, AttributeError) as exc:
        raise ExtractorError(f"cannot load entity extractor {spec!r}: {exc}") from None
    if isinstance(target, type) or (callable(target) and not hasattr(target, "extract")):
        target = target()
    if not isinstance(target, EntityExtractor):
        raise ExtractorError(f"{spec!r} has no extract(text, dateline=None) method")
    return target


_current: tuple[str, EntityExtractor] | None = None


def current_extractor() -> EntityExtractor:
    """The extractor SEARCHKIT_EXTRACTOR names now (loaded once per value)."""
    global _current
    spec = os.environ.get(ENV_EXTRACTOR, "")
    if _current is None or _current[0] != spec:
        before, _current = _current, (spec, load_extractor(spec))
        close = getattr(before[1], "close", None) if before else None
        if close is not None:
            close()  # the one it replaces lets go of what it holds (CoreNLP's Java process)
    return _current[1]


def chosen_extractor(given: str | None = None, stored: str | None = None) -> str:
    """The extractor an index update uses: the one `given`, else SEARCHKIT_EXTRACTOR's, else
    the one the index was last built with (`stored`), else "rules"."""
    for spec in (given, os.environ.get(ENV_EXTRACTOR), stored):
        if spec and spec.strip():
            return spec.strip()
    return "rules"


def extraction_version(spec: str) -> str:
    """What an index records of how its entities were found, so that an update after a change
    extracts every article again: an outside extractor's spec as it is; for the built-in ones
    ("rules", "corenlp"), the spec with a digest of RULES_VERSION and the shipped data
    (gazetteers, word lists, the organisation check's weights)."""
    spec = spec.strip() or "rules"
    return f"{spec}:{_builtin_digest()}" if spec in ("rules", "corenlp") else spec


RECORD_DEFAULTS = {"aliases_sha1": "", "extractor": "rules"}  # an index that recorded nothing


def extraction_record(aliases_sha1: str, spec: str, extract_entities: bool = True) -> dict[str, str]:
    """What an index records of how its entities are found, as meta keys: the alias file's
    digest, the extractor and (when entities are extracted) its extraction_version."""
    record = {"aliases_sha1": aliases_sha1, "extractor": spec}
    if extract_entities:
        record["extraction"] = extraction_version(spec)
    return record


def extracted_otherwise(recorded: Mapping[str, str | None], record: dict[str, str]) -> bool:
    """Whether the articles of an index that `recorded` how it found entities must have them
    extracted again to match `record` (extraction_record)."""
    return any((recorded.get(key) or RECORD_DEFAULTS.get(key)) != value for key, value in record.items())


@functools.lru_cache(maxsize=1)
def _builtin_digest() -> str:
    digest = hashlib.sha1(str(RULES_VERSION).encode())
    for entry in sorted(resources.files(DATA_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".txt", ".json")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def extractor_in_use(spec: str):
    """SEARCHKIT_EXTRACTOR set to `spec` while the block runs (worker processes inherit it),
    after the extractor was loaded and, when it has a `check()`, checked: an extractor that
    cannot run fails once, here, not once per file. The loaded extractor stays the current
    one, so a later block with the same spec checks it again at no cost."""
    before = os.environ.get(ENV_EXTRACTOR)
    os.environ[ENV_EXTRACTOR] = spec
    try:
        check = getattr(current_extractor(), "check", None)
        if check is not None:
            check()
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_EXTRACTOR, None)
        else:
            os.environ[ENV_EXTRACTOR] = before


def check_extractor(spec: str) -> None:
    """Raise now when the extractor `spec` names cannot be loaded or cannot run."""
    with extractor_in_use(spec):
        pass


def extract_entities(text: str, dateline: str | None = None,
                     aliases: Aliases | None = None) -> list[Entity]:
    """Canonical people, organisations and places of one article, in order of first mention.

    `dateline` is the article's origin place (it is also a place); when it is
    None, a dateline opening the text (`ISLAMABAD: …`) is used. `aliases` merge
    and suppress names (see `load_aliases`).
    """
    extractor = current_extractor()
    if isinstance(extractor, RuleExtractor):
        return extract_with_rules(text, dateline, aliases)
    if getattr(extractor, "reads_aliases", False):  # the built-in CheckedExtractor
        return extractor.extract(text, dateline, aliases)
    entities = extractor.extract(text, dateline)
    if not aliases:
        return entities
    return finalise([(e.name, e.kind) for e in entities], aliases)
