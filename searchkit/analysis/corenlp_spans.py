"""Reading CoreNLP's tagged names against the names the rules found (for CheckedExtractor).

A span is (PERSON | ORGANIZATION | LOCATION, start, end), offsets in code points of the text
the tagger read. `repaired` says what an unknown organisation becomes, `person_confirmed`
whether a person stands. Pure functions of the name, the text and the spans.
"""

from __future__ import annotations

import re

from .entity_rules import strip_possessive
from .gazetteer import load_gazetteer
from .org_check import mentions

Span = tuple[str, int, int]


def repaired(name: str, text: str, spans: list[Span]) -> list[str]:
    """What an unknown organisation's name becomes once the tagger has read the text.

    Each mention of the name is read against the tagged names it overlaps:
    - tagged as it is (or as part of a name it does not fit inside): the name stands;
    - inside a longer tagged organisation ("Medical Center" in "Aurora St. Luke's Medical
      Center"): that organisation's name, unless the longer name only adds an owner
      ("Tsvangirai's Movement for Democratic Change");
    - running several tagged names together ("Arab Times Bishara", "British Steel, Dorman
      Long"): the organisations among them.
    A name that one mention gives as it is stands; otherwise the run-together mentions' names
    win over the longer ones; with no tagged mention at all the name is dropped ([]), unless
    a mention and a tagged organisation define each other in brackets ("Fédération
    Internationale des Échecs (FIDE)"). A name not written out in the text (a canonical
    form) stands."""
    found = mentions(name, text)
    if not found:
        return [name]
    longer: list[str] = []
    parts: list[str] | None = None
    tagged = False
    for start, end in found:
        inside = [s for s in spans if start < s[2] and s[1] < end]
        if not inside:
            continue
        tagged = True
        if len(inside) == 1:
            label, first, last = inside[0]
            if label == "ORGANIZATION" and first <= start and end <= last and (first, last) != (start, end):
                whole = span_name(text, first, last)
                if (_is_name(whole) and not _lists(whole)
                        and not _adds_owner_or_title(text[first:start], text[end:last])):
                    longer.append(whole)
                    continue
            return [name]
        if parts is None and all(start <= s[1] and s[2] <= end for s in inside) and _run_together(text, inside):
            parts = [span_name(text, s[1], s[2]) for s in inside if s[0] == "ORGANIZATION"]
            continue
        return [name]
    if not tagged:
        return [name] if any(_defined(text, start, end, spans) for start, end in found) else []
    names = parts if parts is not None else longer
    return [n for n in dict.fromkeys(names) if _is_name(n)]


ODD = re.compile(r"[()\[\]{}|*=<>;:\n]")  # markup, not a name
CONNECTORS = frozenset("and & of the for de du des la le und in on at".split())


def _adds_owner_or_title(before: str, after: str) -> bool:
    """Whether the words a longer name adds are an owner or a person's title, not the
    organisation's own: an owner or any title before it ("Buffalo 's Planning Board",
    "President of Group Support Services"), a title right after it ("Foreign Ministry
    Spokesman Hamid"; "Department of Justice" is the department's own), or the name's own
    possessive ("CBS’s Face the Nation": a programme of CBS; a plural's, "Fire Brigade
    Employees' Union", belongs to the name)."""
    titles = load_gazetteer().words["titles"]
    following = after.split()[:1]
    return (_owner(before) or any(word.strip(".,") in titles for word in before.split())
            or any(word.strip(".,") in titles for word in following)
            or bool(re.match(r" ?['’]s\s", after)))  # "CBS’s Face the Nation"; not "Employees' Union"


def _owner(before: str) -> bool:
    """Whether the words before a name hold an owner's possessive: "Tsvangirai's", "Kingdom
    's", not one that names use ("Children's", "St. Luke's")."""
    keep = load_gazetteer().words["name_possessives"]
    words = re.sub(r" (['’]s?)(?=\s)", r"\1", before).split()
    return any(strip_possessive(word, keep)[1] and words[at - 1:at] not in (["St."], ["St"])
               for at, word in enumerate(words))


def _lists(name: str) -> bool:
    """Whether a name holds a comma that lists names ("Communist Party of Jordan, Party of
    Democratic Socialism"), not one before a company's suffix ("Adscape Media, Inc")."""
    return any(match.group(1).replace(".", "") not in COMPANY_SUFFIXES
               for match in re.finditer(r",\s*([^\s,]*)", name))


COMPANY_SUFFIXES = frozenset("Inc Ltd LLC Co Corp plc PLC SA AG NV LP Limited GmbH Pty".split())


def person_confirmed(name: str, text: str, spans: list[Span]) -> bool:
    """Whether a person the rules found stands once the tagger has read the text: not when no
    mention of the name is tagged as a name ("Exchequer", "Bradley Fighting Vehicle"), nor when
    every tagged mention is an organisation ("Al Jazeera", "Ryanair"; it is not made one: such
    names are often a longer organisation's fragment, "Globe", "Council"). A name not written
    out in the text stands."""
    found = mentions(name, text)
    if not found:
        return True
    labels = {label for start, end in found for label, first, last in spans if start < last and first < end}
    return bool(labels) and labels != {"ORGANIZATION"}


def _defined(text: str, start: int, end: int, spans: list[Span]) -> bool:
    """Whether the mention at start:end and a tagged organisation define each other in
    brackets: "People's Mujahedin of Iran (MEK)", "the ACLU (American Civil Liberties Union)"."""
    if text[start - 1:start] == "(" and text[end:end + 1] == ")":
        before = text[:start - 1].rstrip()
        return any(label == "ORGANIZATION" and last == len(before) for label, _, last in spans)
    after = text[end:]
    opening = len(after) - len(after.lstrip())
    if after[opening:opening + 1] == "(":
        first = end + opening + 1
        return any(label == "ORGANIZATION" and begin == first and text[last:last + 1] == ")"
                   for label, begin, last in spans)
    return False


def _run_together(text: str, inside: list[Span]) -> bool:
    """Whether tagged names inside one mention are several names, not one name's parts: a
    person among them, or a mark between two of them (a comma, a full stop); words that join
    one name's parts ("Ministry of Culture and Islamic Guidance") do not count."""
    if any(label == "PERSON" for label, _, _ in inside):
        return True
    for a, b in zip(inside, inside[1:]):
        gap = text[a[2]:b[1]]
        if gap.strip() and not all(word.lower() in CONNECTORS for word in gap.split()):
            return True
    return False


def span_name(text: str, start: int, end: int) -> str:
    """A tagged span as a name: spaces single, no leading "The", no full stop after an
    abbreviation ("Apple Inc." -> "Apple Inc", as the rules write it)."""
    name = " ".join(text[start:end].split())
    if name.startswith(("The ", "the ")) and len(name) > 4:
        name = name[4:]
    if name.endswith(".") and "." not in name.rsplit(" ", 1)[-1][:-1]:
        name = name[:-1]
    return name


def _is_name(name: str) -> bool:
    return len(name) > 1 and (name[0].isupper() or name[0].isdigit()) and not ODD.search(name)
