"""Fused analysis: the terms and positions a schema analyser gives, in one loop.

Whoosh analyses text by passing one Token object through a generator per
filter. An analyser recognised exactly — a RegexTokenizer followed, in this
order, by any of PossessiveFilter, LowercaseFilter, StopFilter, StemFilter,
into the Positions format — is run here as one function with a per-word
cache, with the same result (checked on a probe text before it is used, and
by tests/test_writer_fastindex.py on real text). The index writer uses it for
postings (index/fastindex.py), snippets use it to find the query's words.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import repeat

from whoosh import formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer

from . import analyzers

PossessiveFilter = getattr(analyzers, "PossessiveFilter", LowercaseFilter)
MAX_CACHED_WORDS = 500_000
_UNSEEN = object()
_ORDER = (PossessiveFilter, LowercaseFilter, StopFilter, StemFilter)

# Checked at install: the fused path must give exactly what Whoosh gives.
PROBE = (
    "ISLAMABAD: Pakistan's spymasters met the CIA's Director, William Burns, in May 2021; "
    "they're said to have used U.S. data. The talks, which were \"frank\", ran 3-4 hours. "
    "A an THE of O'Neill’s Ünïcode naïve café x's ab's 1,000,000 e-mail mid-air"
)


class FusedAnalysis:
    """One field's analyser as a single function: text -> Whoosh posting items."""

    def __init__(self, tokenizer, filters, field_boost: float) -> None:
        self.finditer = tokenizer.expression.finditer
        # findall gives whole matches only when the pattern has no capturing group
        self.findall = tokenizer.expression.findall if not tokenizer.expression.groups else None
        kinds = {type(f): f for f in filters}
        self.possessive = PossessiveFilter in kinds
        self.lower = LowercaseFilter in kinds
        stop = kinds.get(StopFilter)
        self.stops = stop.stops if stop else None
        self.minsize = stop.min if stop else 0
        self.maxsize = stop.max if stop else None
        self.renumber = bool(stop and stop.renumber)
        stem = kinds.get(StemFilter)
        self.stem = stem._stem if stem else None
        self.ignore = stem.ignore if stem else frozenset()
        self.field_boost = field_boost
        self.encode_positions = formats.Positions().encode
        self.terms: dict[str, str | None] = {}  # token -> indexed form (a pure function of it)
        self.singles: dict[int, bytes] = {}

    def term(self, word: str) -> str | None:
        """The indexed form of one token, or None when it is a stop word."""
        if self.possessive and len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            word = word[:-2]
        if self.lower:
            word = word.lower()
        if self.stops is not None:
            size = len(word)
            if size < self.minsize or (self.maxsize is not None and size > self.maxsize) or word in self.stops:
                return None
        if self.stem is not None and word not in self.ignore:
            word = self.stem(word)
        return word

    def positions(self, text: str) -> dict[str, list[int]]:
        """word -> positions, numbered as Whoosh numbers them."""
        terms = self.terms
        if len(terms) > MAX_CACHED_WORDS:
            terms.clear()
        raws = self.findall(text) if self.findall else [m.group(0) for m in self.finditer(text)]
        words = list(map(terms.get, raws, repeat(_UNSEEN)))
        if _UNSEEN in words:
            term = self.term
            for index, word in enumerate(words):
                if word is _UNSEEN:
                    raw = raws[index]
                    word = words[index] = terms.get(raw, _UNSEEN)
                    if word is _UNSEEN:
                        word = words[index] = terms[raw] = term(raw)
        out: defaultdict[str, list[int]] = defaultdict(list)
        if self.renumber:  # Whoosh's StopFilter: kept words are numbered on from the first one
            kept = [word for word in words if word is not None]
            if kept:
                first = words.index(kept[0])
                for position, word in enumerate(kept, first):
                    out[word].append(position)
        else:
            for position, word in enumerate(words):
                if word is not None:
                    out[word].append(position)
        return out

    def matches(self, text: str, wanted) -> list[tuple[int, int, str]]:
        """(start, end, term) of each word of `text` whose term is in `wanted`."""
        terms, term = self.terms, self.term
        if len(terms) > MAX_CACHED_WORDS:
            terms.clear()
        found = []
        for match in self.finditer(text):
            raw = match.group(0)
            try:
                word = terms[raw]
            except KeyError:
                word = terms[raw] = term(raw)
            if word in wanted:
                found.append((match.start(), match.end(), word))
        return found

    def encode(self, places: list[int]) -> bytes:
        if len(places) == 1:  # most postings: cache the encoding of a lone position
            single = self.singles.get(places[0])
            if single is None:
                single = self.singles[places[0]] = self.encode_positions(places)
            return single
        return self.encode_positions(places)

    def __call__(self, value, **kwargs):
        if not isinstance(value, str):
            raise TypeError("fused analysis takes text only")
        boost, encode = self.field_boost, self.encode
        return [(word.encode("utf-8"), len(places), float(len(places)) * boost, encode(places))
                for word, places in self.positions(value).items()]


def fused_analysis(field) -> FusedAnalysis | None:
    """A FusedAnalysis for `field`, or None when its analysis is not one we reproduce."""
    if not getattr(field, "indexed", False) or type(getattr(field, "format", None)) is not formats.Positions:
        return None
    analyzer = getattr(field, "analyzer", None)
    if type(analyzer) is not CompositeAnalyzer:
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) is not RegexTokenizer or tokenizer.gaps:
        return None
    kinds = [type(f) for f in filters]
    if any(kind not in _ORDER for kind in kinds) or len(set(kinds)) != len(kinds):
        return None
    if kinds != sorted(kinds, key=_ORDER.index):
        return None
    stop = next((f for f in filters if type(f) is StopFilter), None)
    stem = next((f for f in filters if type(f) is StemFilter), None)
    if stop is not None and not isinstance(stop.stops, frozenset | set):
        return None
    if stem is not None and not callable(getattr(stem, "_stem", None)):
        return None
    fused = FusedAnalysis(tokenizer, filters, field.format.field_boost)
    if sorted(fused(PROBE)) != sorted(field.index(PROBE)):
        return None
    return fused


