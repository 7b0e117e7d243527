"""Did-you-mean: corrections from the index vocabulary and entity names.

Only offered when a query finds nothing or little, and only as a suggestion
(Results.suggestion): the user's query is never replaced silently. Entity and
dateline names are unstemmed, so they give readable corrections ("Imran
Kahn" -> "Imran Khan"); plain words are corrected against the title words.
"""

from __future__ import annotations

import re

from ..analysis.analyzers import STOP_WORDS
from ..index.schema import F

SUGGEST_BELOW = 3  # suggest when a query finds fewer hits than this
_NAME_FIELDS = (F.PERSON, F.PLACE, F.ORG, F.DATELINE)
_WORD = re.compile(r"(?<![\w:*?~\"])([A-Za-z][A-Za-z'’]{2,})(?![\w:*?~])")
_OPERATORS = {"AND", "OR", "NOT", "NEAR", "ANDNOT", "ANDMAYBE", "TO"}


def _known(reader, word: str) -> bool:
    from ..analysis.analyzers import text_analyzer

    lowered = word.lower()
    if any((field, lowered) in reader for field in _NAME_FIELDS):
        return True
    stems = [t.text for t in text_analyzer()(word)]
    return not stems or any((F.BODY, stem) in reader for stem in stems)


def _correct(searcher, word: str) -> str | None:
    lowered = word.lower()
    for field in _NAME_FIELDS + (F.TITLE,):
        try:
            found = searcher.corrector(field).suggest(lowered, limit=1, maxdist=2)
        except (KeyError, ValueError, AttributeError):
            continue
        if found and found[0] != lowered:
            return found[0]
    return None


def _cased(original: str, correction: str) -> str:
    if original.isupper():
        return correction.upper()
    if original[:1].isupper():
        return correction[:1].upper() + correction[1:]
    return correction


def suggest_query(searcher, text: str) -> str | None:
    """The query with unknown words corrected, or None when nothing changes."""
    reader = searcher.reader()
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match[1]
        if word in _OPERATORS or word.lower() in STOP_WORDS or _known(reader, word):
            return word
        correction = _correct(searcher, word)
        if not correction:
            return word
        changed = True
        return _cased(word, correction)

    suggestion = _WORD.sub(replace, text)
    return suggestion if changed and suggestion != text else None
