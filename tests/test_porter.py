"""analysis/porter.py stems as Porter's C version (and Lucene's porter_stem) stem."""

from __future__ import annotations

import pytest

from searchkit.analysis.analyzers import stem_word, text_analyzer
from searchkit.analysis.porter import stem

# (word, stem): examples of Porter's paper, and the words whoosh.lang.porter got wrong
PAIRS = [
    ("caresses", "caress"), ("ponies", "poni"), ("cats", "cat"), ("feed", "feed"), ("agreed", "agre"),
    ("plastered", "plaster"), ("motoring", "motor"), ("sing", "sing"), ("conflated", "conflat"),
    ("troubled", "troubl"), ("sized", "size"), ("hopping", "hop"), ("falling", "fall"), ("filing", "file"),
    ("happy", "happi"), ("relational", "relat"), ("rational", "ration"), ("generalization", "gener"),
    ("electrical", "electr"), ("revival", "reviv"), ("adjustable", "adjust"), ("controll", "control"),
    ("fundamentally", "fundament"),
    # step 1b finished: an "at|bl|iz" ending gets its e back, a double consonant loses one
    ("calculated", "calcul"), ("calculate", "calcul"), ("calculation", "calcul"),
    ("recognized", "recogn"), ("recognize", "recogn"), ("cutting", "cut"), ("added", "ad"),
    ("admitted", "admit"),
    # a "y" after a consonant is a vowel
    ("syndrome", "syndrom"), ("crystalline", "crystallin"), ("analogy", "analog"),
    # the C version's (and Lucene's) departures from the paper
    ("sensibly", "sensibl"), ("archaeology", "archaeolog"),
    # short words are left alone
    ("as", "as"), ("is", "is"),
]


@pytest.mark.parametrize("word, expected", PAIRS)
def test_porter_stems(word, expected):
    assert stem(word) == expected


def test_use_does_not_become_the_country():
    assert {stem_word(word) for word in ("use", "used", "uses", "using")} == {"use"}
    assert stem_word("us") == "us"


def test_the_text_analyser_conflates_the_forms_of_a_word():
    stems = {token.text for token in text_analyzer()("calculated calculation calculates")}
    assert stems == {"calcul"}
