"""The Porter stemmer, as Lucene's porter_stem and Martin Porter's C version stem.

whoosh.lang.porter ports a JavaScript version with three slips that leave many
words unconflated: its consonant and vowel runs never count a "y" after a
consonant as a vowel ("syndrome", "crystalline", "analogy" keep their ends), and
it tests the endings "at|bl|iz" and a double consonant of step 1b from the start
of the word (re.match) instead of at its end, so "calculated" stays "calculat"
while "calculate" and "calculation" become "calcul", and "admitted" stays
"admitt". This is the same algorithm with those mended (docs/ranking.md
measures it); the rest follows whoosh.lang.porter (BSD licence, Matt Chaput),
with the C version's departures "bli" -> "ble" and "logi" -> "log", as Lucene.
"""

from __future__ import annotations

import re

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
    "ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive",
    "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble",
    "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}

_C = "[^aeiou][^aeiouy]*"  # a consonant run: a "y" after a consonant is a vowel
_V = "[aeiouy][aeiou]*"  # a vowel run
_M_GT0 = re.compile(f"^({_C})?{_V}{_C}")
_M_EQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_M_GT1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_HAS_VOWEL = re.compile(f"^({_C})?[aeiouy]")
_CVC = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")  # m = 1 and *o (short word, e.g. "hop")

_ED_ING = re.compile("^(.+?)(ed|ing)$")
_AT_BL_IZ = re.compile("(at|bl|iz)$")
_DOUBLE = re.compile("([^aeiouylsz])\\1$")
_STEP2_RE = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_STEP3_RE = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_STEP4_RE = re.compile("^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_STEP4_ION = re.compile("^(.+?)(s|t)(ion)$")
_STEP5 = re.compile("^(.+?)e$")


def _step1(w: str) -> str:
    if w.endswith("s"):
        if w.endswith("sses") or w.endswith("ies"):
            w = w[:-2]
        elif w[-2] != "s":
            w = w[:-1]
    if w.endswith("eed"):
        if _M_GT0.match(w[:-3]):
            w = w[:-1]
    else:
        m = _ED_ING.match(w)
        if m and _HAS_VOWEL.match(m[1]):
            w = m[1]
            if _AT_BL_IZ.search(w):
                w += "e"
            elif _DOUBLE.search(w):
                w = w[:-1]
            elif _CVC.match(w):
                w += "e"
    if w.endswith("y") and _HAS_VOWEL.match(w[:-1]):
        w = w[:-1] + "i"
    return w


def _steps2to4(w: str) -> str:
    for pattern, table in ((_STEP2_RE, _STEP2), (_STEP3_RE, _STEP3)):
        m = pattern.match(w)
        if m and _M_GT0.match(m[1]):
            w = m[1] + table[m[2]]
    m = _STEP4_RE.match(w)
    if m:
        if _M_GT1.match(m[1]):
            w = m[1]
    else:
        m = _STEP4_ION.match(w)
        if m and _M_GT1.match(m[1] + m[2]):
            w = m[1] + m[2]
    return w


def stem(word: str) -> str:
    """The Porter stem of a lower-case word."""
    if len(word) < 3:
        return word
    w = "Y" + word[1:] if word[0] == "y" else word
    w = _steps2to4(_step1(w))
    m = _STEP5.match(w)
    if m and (_M_GT1.match(m[1]) or (_M_EQ1.match(m[1]) and not _CVC.match(m[1]))):
        w = m[1]
    if w.endswith("ll") and _M_GT1.match(w):
        w = w[:-1]
    return "y" + w[1:] if w[0] == "Y" else w
