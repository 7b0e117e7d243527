"""Named entities (people, organisations, places) from English news text.

Placeholder: the rule-based extractor is being written (issue 3). The public
signature is fixed: extract_entities(text, dateline=None) -> list[Entity].
"""

from __future__ import annotations

import re

from ..models import Entity

_NAME = re.compile(r"\b(?:[A-Z][a-z]+\s){1,2}[A-Z][a-z]+\b")


def extract_entities(text: str, dateline: str | None = None) -> list[Entity]:
    found: dict[tuple[str, str], Entity] = {}
    if dateline:
        found[(dateline.lower(), "place")] = Entity(dateline, "place")
    for match in _NAME.finditer(text):
        found.setdefault((match[0].lower(), "person"), Entity(match[0], "person"))
    return list(found.values())
