"""Tokenisation: the only place where searchkit decides what a word is.

Whoosh analysers compose with `|`. The tokenizer's expression is passed
explicitly (the Whoosh forks changed the default pattern), and the stop list is
ours (Whoosh's default drops the month "May" and the country "US").
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

# A word: letters and digits, joined by inner apostrophes ("o'neill").
WORD_PATTERN = r"\w+(?:['’]\w+)*"

# English function words, the fuller list measured best on four test
# collections (docs/ranking.md). Deliberately absent: "may" (the month), "us"
# (the country, once lower-cased), "will", "can" (nouns in news text too),
# "first", "last", "next", "use" (they carry meaning in news queries).
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not of off on
    once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who
    whom why with would you your yours yourself yourselves
    also although always among another anyhow anyone anything anyway anywhere became
    become becomes becoming beforehand behind beside besides beyond cannot either else
    elsewhere enough etc even ever every everyone everything everywhere except get give
    go however indeed instead latter least less made make many meanwhile might mine
    moreover much must neither never nevertheless nobody none noone nothing now nowhere
    often onto others otherwise per perhaps please quite rather really seem seemed
    seeming seems several since still therefore thereby thus together toward towards
    upon via whatever whenever whereas wherever whether whither whoever whole whose
    within without yet
    """.split()
)


def stem_word(word: str) -> str:
    """Porter stem (analysis/porter.py: as Lucene's, not whoosh.lang.porter's), except
    that "use", "used", "using" do not become "us" (the country, which the stop list
    deliberately keeps)."""
    from .porter import stem

    stemmed = stem(word)
    return "use" if stemmed == "us" and word != "us" else stemmed


class PossessiveFilter(Filter):
    """Drops the possessive "'s" so that "Pakistan's" is indexed as "pakistan"."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) > 2 and text[-2] in "'’" and text[-1] in "sS":
                token.text = text[:-2]
            yield token


@lru_cache(maxsize=None)
def text_analyzer():
    """Body and title: words, lower-cased, stop words removed, Porter-stemmed."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | PossessiveFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(stemfn=stem_word, cachesize=100_000)
    )


@lru_cache(maxsize=None)
def surface_analyzer():
    """Body and title words as a query typed them: text_analyzer without the stemmer.
    A cluster engine gets these and stems them with its own analyser (search/tree.py)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | PossessiveFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
    )


@lru_cache(maxsize=None)
def name_analyzer():
    """Entity names and datelines: words, lower-cased, nothing dropped or stemmed,
    so `person:"william burns"` and `person:Burns` both match William Burns."""
    return RegexTokenizer(WORD_PATTERN) | PossessiveFilter() | LowercaseFilter()
