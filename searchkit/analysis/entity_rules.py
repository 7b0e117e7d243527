"""The rule-based extractor: capitalised sequences, gazetteers, titles, suffixes.

One compiled regex finds the candidate sequences (capitalised words joined by
particles such as `of`, `de`, `bin`); each is split at possessives, days and
months, then classified by `Classifier`, in this order:

1. the alias file and the gazetteers (whole sequence): known places and orgs;
2. titles ("Lt Gen Faiz Hamid" -> person Faiz Hamid; what precedes the title
   is classified on its own: "Japanese Prime Minister X" also gives Japan);
3. organisation words (Ministry, Council, Bank, Inc …) -> org; a demonym or a
   country at its start also gives that country as a place;
4. a demonym or a known place at the start, then the rest on its own;
5. given names and context (`Mr X`, `chairman X`, `X said`) -> person;
6. single words: acronyms -> org (unless a common abbreviation); others are
   kept only when they are the surname of a person named in the article.

Sentence-initial words are not names unless something above vouches for them.
"""

from __future__ import annotations

import re

from .analyzers import STOP_WORDS
from .gazetteer import Gazetteer, is_acronym

_UP = "A-ZÀ-ÖØ-Þ"
# A middle initial ("George W. Bush") counts as a word only between two names.
_WORD = rf"(?:[{_UP}]\.){{2,}}|(?<=[a-z][ \t])[{_UP}]\.(?=[ \t]+[{_UP}][a-z])|[{_UP}][\w&]*(?:[-'’.][\w&]+)*(?:(?<=s)['’](?![\w]))?"
_PARTICLE = r"(?:of(?:[ \t]+the)?|for|and|&|de(?:[ \t]+la)?|du|des|del|della|da|do|dos|van(?:[ \t]+(?:der|den))?|von|der|al|el|bin|ibn|bint|y)"
_SEP = r"(?:[ \t]+\n?|\n)[ \t]*"
# Every candidate starts with a capital: the lookahead first lets the regex
# engine skip to the next capital instead of trying each position (1/3 faster).
CANDIDATE = re.compile(
    rf"(?=[{_UP}])(?<![\w'’.\-])(?:{_WORD})(?:{_SEP}(?:{_PARTICLE}{_SEP})?(?:{_WORD}))*"
)
LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9&.-]{1,7})\)")
NUMBER_AFTER = re.compile(r"[ \t-]?\d")
ORDINAL_BEFORE = re.compile(r"(?<![\w.])(\d{1,3}(?:st|nd|rd|th))[ \t]+$")
ON_AFTER = re.compile(rf"[ \t]+on[ \t]+((?:[{_UP}][\w'’-]*)(?:[ \t]+(?:and[ \t]+|&[ \t]+)?[{_UP}][\w'’-]*)*)")
NEXT_WORD = re.compile(r"[\s,]*([A-Za-z]+)")
PREV_WORD = re.compile(r"([A-Za-z][A-Za-z.-]*)[\s,]*$")
PARTICLES = frozenset(
    "of the for and & de la du des del della da do dos van der den von al el bin ibn bint y".split()
)
NAME_PARTICLES = frozenset("de la du del della da do dos van der den von al el bin ibn bint y".split())
ATTRIBUTIVE = ("-based", "-controlled", "-led", "-owned", "-backed", "-born", "-run")
EMPHASIS_FOLLOWERS = frozenset("a an the one not no".split())  # after a capitalised verb, in lower case
SENTENCE_END = frozenset('.!?:;"“”‘\'(—–-\n')

Found = list[tuple[str, str]]  # (name, kind) in order
PENDING = "?"  # a lone capitalised word: a person if it is the surname of one named in the text
PENDING_INITIAL = "?^"  # the same at the start of a sentence


def strip_possessive(word: str, keep: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The word without its possessive ending, and whether it had one; the words of
    `keep` (People's, Workers') stay whole: they belong inside names."""
    if word in keep:
        return word, False
    if word.endswith(("'s", "’s")) and len(word) > 3:
        return word[:-2], True
    if word.endswith(("'", "’")):
        return word[:-1], True
    return word, False


class Classifier:
    """Classifies the candidate sequences of one article (it keeps per-article state)."""

    def __init__(self, gaz: Gazetteer, text: str, aliases=None) -> None:
        self.gaz = gaz
        self.words = gaz.words
        self.text = text
        self.aliases = aliases
        self.local: dict[str, str] = {}  # acronym -> org named just before it, in this article
        self.not_orgs: set[str] = set()  # acronyms defined by a law, an index, a facility …
        self.consumed = 0  # the end of the text an extended name has taken
        self._lower: set[str] | None = None

    def lower_words(self) -> set[str]:
        if self._lower is None:
            self._lower = set(LOWER_WORD.findall(self.text))
        return self._lower

    # -- whole candidates -------------------------------------------------

    def candidate(self, match: re.Match) -> Found:
        """Entities of one candidate. Kind PENDING marks a lone word to decide later."""
        found: Found = []
        initial = self.is_initial(match.start())
        defined = PAREN_ACRONYM.match(self.text, match.end())
        words = match[0].split()
        if defined and (self.ends_with(words, "defines_no_org", "venues") or self.place_initials(words, defined[1])):
            # "Indian Penal Code (IPC)", "Australian Capital Territory (ACT)": no organisation
            # either; "United Nations Mission in Liberia (UNMIL)" is one
            self.not_orgs.add(defined[1])
        segments = self.segments(words)
        for index, segment in enumerate(segments):
            before = match.start() if index == 0 else -1
            after = match.end() if index == len(segments) - 1 else -1
            found.extend(self.segment(segment, initial and index == 0, before, after))
        if match.start() < self.consumed:
            return []  # already part of the name before it ("Office on Drugs and Crime")
        if len(found) == 1 and found[0][1] == "org" and not self.gaz.known(found[0][0]):
            found = [(self.extended(found[0][0], match), "org")]
        if len(found) == 1 and found[0][1] == "org":
            acronym = PAREN_ACRONYM.match(self.text, match.end())
            if acronym and not self.gaz.lookup(acronym[1]):
                self.local[acronym[1]] = found[0][0]
        return found

    def extended(self, name: str, match: re.Match) -> str:
        """An organisation's name with an ordinal before it ("3rd Infantry Division") and
        an "on" object after it ("Intergovernmental Authority on Development") when the
        words after "on" are no name of their own."""
        ordinal = ORDINAL_BEFORE.search(self.text, max(0, match.start() - 8), match.start())
        if ordinal and match[0].startswith(name):
            name = f"{ordinal[1]} {name}"
        tail = ON_AFTER.match(self.text, match.end())
        if tail and match[0].endswith(name.split()[-1]):
            rest = tail[1].split()
            rest[-1] = strip_possessive(rest[-1])[0]
            if not any(self.gaz.known(w) or w in self.words["first_names"] or w in self.words["calendar"]
                       or w in self.words["stop"] for w in rest) and self.gaz.known(tail[1]) is None:
                self.consumed = tail.end()
                return f"{name} on {' '.join(rest)}"
        return name

    def is_initial(self, start: int) -> bool:
        i = start - 1
        text = self.text
        while i >= 0 and text[i] in " \t\r\n":
            i -= 1
        return i < 0 or text[i] in SENTENCE_END or text[i] == "\n"

    def prev_word(self, start: int) -> str:
        match = PREV_WORD.search(self.text, max(0, start - 24), start)
        return match[1].lower().rstrip(".") if match else ""

    def has_cue(self, before: int, after: int) -> bool:
        """`chairman X`, `Mr X` before (a candidate starting at `before`), `X said` after."""
        if before >= 0 and self.prev_word(before) in self.words["person_cues"]:
            return True
        return after >= 0 and self.next_word(after) in self.words["said"]

    def next_word(self, end: int) -> str:
        match = NEXT_WORD.match(self.text, end, end + 24)
        return match[1].lower() if match else ""

    def segments(self, words: list[str]) -> list[list[str]]:
        """Split at possessives and calendar words; trim particles at the edges."""
        calendar = self.words["calendar"]
        out: list[list[str]] = []
        current: list[str] = []
        for word in words:
            if word in calendar or (word == "The" and current):  # "The" inside: a new name begins
                self.flush(current, out)
                current = []
                continue
            word, possessive = strip_possessive(word, self.words["name_possessives"])
            current.append(word)
            if possessive:
                self.flush(current, out)
                current = []
        self.flush(current, out)
        return out

    @staticmethod
    def flush(current: list[str], out: list[list[str]]) -> None:
        while current and current[-1] in PARTICLES:
            current.pop()
        while current and current[0] in PARTICLES:
            current.pop(0)
        if current:
            out.append(current)

    # -- one segment --------------------------------------------------------

    def segment(self, words: list[str], initial: bool, before: int, after: int) -> Found:
        """Entities of one segment (a lone unknown word comes back as PENDING)."""
        words = self.strip_leading(words, initial)
        if not words or (after >= 0 and len(words) == 1 and self.text[after:after + 1] == "$"):
            return []  # "US$", "AU$": a currency
        name = " ".join(words)
        if len(words) == 1 and self.emphatic(name, after):
            return []  # "the government IS the problem": the verb in capitals, not Islamic State
        known = self.known(name)
        if known is not None:
            return known
        if len(words) == 1:
            return self.single(words[0], initial, before, after)
        for rule in (self.titled, self.organisation, self.conjoined, self.prefixed, self.person):
            got = rule(words, before, after)
            if got is not None:
                return got
        return []

    def strip_leading(self, words: list[str], initial: bool) -> list[str]:
        """Drop sentence openers and articles before a name. "The" does not make the next
        word sentence-initial (The National Socialism Movement); a word that also begins
        names (New, First) stays unless it opens the sentence and starts nothing known."""
        stop, adjectives = self.words["stop"], self.words["name_adjectives"]
        while words and (words[0] in stop or words[0].lower() == "the") and not self.known(" ".join(words)):
            if words[0] in adjectives and len(words) > 1 and (not initial or self.starts_known(words)):
                break
            initial = words[0].lower() != "the"  # after "The" a capital is the name's own
            words = words[1:]
        if initial and len(words) > 1 and self.is_common(words[0]) and not self.starts_known(words):
            words = words[1:]
        while words and (words[0] in PARTICLES or words[0].endswith(ATTRIBUTIVE)):
            words = words[1:]  # "California-based Autodesk Inc" -> "Autodesk Inc"
        return words

    def starts_known(self, words: list[str]) -> bool:
        """Whether the whole name, or its first two words, is a known name or demonym."""
        pair = " ".join(words[:2])
        return bool(self.known(" ".join(words)) or self.gaz.lookup(pair) or self.gaz.demonym(pair))

    def is_common(self, word: str) -> bool:
        """A capitalised word that is an ordinary word of this text (sentence-initial use)."""
        if word in self.words["first_names"] or word in self.words["titles"] or self.gaz.lookup(word):
            return False
        return word.lower() in self.lower_words() or word in self.words["nonname"]

    def known(self, name: str) -> Found | None:
        """The alias file's or the gazetteer's entity for a whole name, if any."""
        if self.aliases:
            rule = self.aliases.rule_for(name)
            if rule is not None:
                return [rule]
        hit = self.gaz.known(name)
        if hit is not None:
            return [hit]
        local = self.local.get(name)
        return [(local, "org")] if local else None

    def single(self, word: str, initial: bool, before: int, after: int) -> Found:
        if is_acronym(word) and not word.isdigit():
            if (self.stop_acronym(word) or word in self.words["titles"] or word in self.not_orgs
                    or self.is_fragment(word, after)):
                return []
            return [(word, "org")] if len(word) > 1 else []
        if word in self.words["stop"] or word in self.words["nonname"] or word in self.words["titles"]:
            return []
        if word.isupper() or not word[0].isupper():
            return []
        if self.has_cue(before, after) and not initial:
            return [(word, "person")]
        return [(word, PENDING_INITIAL if initial else PENDING)]

    def emphatic(self, word: str, after: int) -> bool:
        """A function word written in capitals for emphasis ("he IS one of the good guys",
        "Ford IS an inveterate braggart"): the capitals are a word the text also uses in lower
        case as English, and an article, "one" or "not" follows in lower case."""
        if after < 0 or not word.isupper() or word.lower() not in STOP_WORDS:
            return False
        following = NEXT_WORD.match(self.text, after, after + 24)
        return following is not None and following[1] in EMPHASIS_FOLLOWERS

    def is_fragment(self, word: str, after: int) -> bool:
        """An acronym that is no organisation on its own: a company or club suffix (FC, AG),
        or a model, rating or index with a number (US101, EF1, AK-47, CAC 40)."""
        if word in self.words["org_suffix_acronyms"] or any(c.isdigit() for c in word):
            return True
        return after >= 0 and NUMBER_AFTER.match(self.text, after) is not None

    def titled(self, words: list[str], before: int, after: int) -> Found | None:
        start, end = self.title_block(words)
        if start is None:
            return None
        prefix, name = words[:start], words[end:]
        if name and name[0] in ("and", "&") and words[end - 1] in self.words["portfolios"]:
            return None  # "Justice and Electoral Select Committee": a subject word, not a title
        found: Found = []
        if prefix:
            while prefix and (prefix[-1] in self.words["portfolios"] or prefix[-1] in PARTICLES):
                prefix = prefix[:-1]
            found.extend(self.segment(prefix, False, before, -1) if prefix else [])
        if name and name[0] in ("of", "for"):
            return found + self.title_object(name[1:], after)
        cut = next((i for i, w in enumerate(name) if w in PARTICLES and w not in NAME_PARTICLES), None)
        if cut is not None:
            rest = self.segment(name[cut + 1:], False, -1, after)
            return self.titled(words[:end + cut], before, -1) + rest
        if name and not any(w in self.words["org_words"] for w in name[-1:]):
            known = self.known(" ".join(name))
            found.extend(known if known else [(" ".join(name), "person")])
        return found

    def title_object(self, words: list[str], after: int) -> Found:
        """After "Chancellor of": the body, then a person's name if a given name starts one."""
        first_names = self.words["first_names"]
        cut = next((i for i, w in enumerate(words) if i and w in first_names), None)
        if cut is None:
            return self.segment(words, False, -1, after)
        return self.segment(words[:cut], False, -1, -1) + [(" ".join(words[cut:]), "person")]

    def title_block(self, words: list[str]) -> tuple[int | None, int]:
        titles, general = self.words["titles"], self.words["title_general"]
        for start, word in enumerate(words):
            if word in titles and not (start == 0 and word == "General"):
                end = start + 1
                while end < len(words) and (
                    words[end] in titles or (words[end] == "General" and words[end - 1] in general)
                ):
                    end += 1
                return start, end
        return None, 0

    def organisation(self, words: list[str], before: int, after: int) -> Found | None:
        org_words = self.words["org_words"]
        if self.ends_with(words, "not_org_ends", "venues"):
            return None  # Dulles International Airport, Commonwealth Electoral Act, Taipei World Trade Center
        split = self.split_organisations(words)
        if split is not None:  # House and Senate; National Security Council Frederick Jones
            return self.segment(words[:split[0]], False, before, -1) + self.segment(words[split[1]:], False, -1, after)
        joint = next((i for i, w in enumerate(words) if w in ("and", "&", "of")), None)
        if joint and not any(w in org_words or w in self.words["org_heads"] for w in words[:joint]) \
                and not self.joins_one_name(words, joint):
            return None  # "Richard Colebatch of the HR Nicholls Society", "MP X and French Senate"
        is_org = any(w in org_words for w in words[1:]) or (
            words[0] in self.words["org_heads"] and words[1] in ("of", "for")
        )
        if not is_org:
            return None
        name = " ".join(words)
        local = self.local_name(words)
        if local is not None:
            return local
        found: Found = [(name, "org")]
        country = self.gaz.demonym(words[0]) or self.gaz.demonym(" ".join(words[:2]))
        if country is None:
            for i, word in enumerate(words[:-1]):
                if word == "of" or i == 0:
                    hit = self.gaz.lookup(words[i + 1] if word == "of" else word)
                    if hit and hit[1] == "place":
                        country = hit[0]
        if country:
            found.append((country, "place"))
        return found

    def split_organisations(self, words: list[str]) -> tuple[int, int] | None:
        """Where one sequence holds two names: (end of the first, start of the second).
        At "and"/"&" when what follows is an organisation on its own, or when both sides
        are two words or more ending in an organisation word; after the last organisation
        word when a given name follows (a person)."""
        org_words = self.words["org_words"]
        for i, word in enumerate(words[1:-1], 1):
            if word in ("and", "&") and (self.is_org(words[i + 1:]) or (
                    i >= 2 and len(words) - i > 2 and words[i - 1] in org_words and words[-1] in org_words)):
                return i, i + 1
        last = max((i for i, word in enumerate(words) if word in org_words), default=None)
        if last is not None and last + 1 < len(words) and words[last + 1] in self.words["first_names"]:
            return last + 1, last + 1
        return None

    def joins_one_name(self, words: list[str], joint: int) -> bool:
        """Whether "and" joins the words of one organisation's name (Economic and Financial
        Crimes Commission, Foreign and Commonwealth Office): what comes before it (after a
        demonym) is subject words (Foreign, Economic) or words the text also writes in lower
        case, not a name of its own ("Elasa Teleni and Fiji Police")."""
        left = words[:joint]
        if words[joint] == "of" or words[-1] not in self.words["org_words"]:
            return False
        if self.gaz.demonym(left[0]):
            left = left[1:]
        common = self.words["portfolios"] | self.words["nonname"]
        return all((w in common or w.lower() in self.lower_words()) and w not in self.words["first_names"]
                   and self.gaz.known(w) is None for w in left)

    def local_name(self, words: list[str]) -> Found | None:
        """A country's name or demonym before a known organisation of that country:
        "US Federal Reserve" -> Federal Reserve (and the place)."""
        for size in range(1, min(3, len(words) - 1) + 1):
            head = " ".join(words[:size])
            hit = self.gaz.lookup(head)
            country = self.gaz.demonym(head) or (hit[0] if hit and hit[1] == "place" else None)
            rest = self.gaz.known(" ".join(words[size:]))
            if country and rest and rest[1] == "org" and self.gaz.country_of.get(rest[0]) == country:
                return [rest, (country, "place")]
        return None

    def is_org(self, words: list[str]) -> bool:
        """Whether `words` alone name a known organisation, or are an unknown acronym."""
        name = " ".join(words)
        known = self.known(name)
        if known is not None:
            return known[0][1] == "org"
        return len(words) == 1 and is_acronym(name) and not self.stop_acronym(name)

    def stop_acronym(self, word: str) -> bool:
        """An all-capital word that is no organisation: a listed term, or a function or number
        word written in capitals ("only ONE school system"; WHO is known before this is asked)."""
        return word in self.words["stop_acronyms"] or (
            len(word) > 2 and (word.capitalize() in self.words["stop"] or word.lower() in STOP_WORDS))

    def place_initials(self, words: list[str], acronym: str) -> bool:
        """Whether a bracketed acronym is the initials of the place just named (Australian
        Capital Territory (ACT), Papua New Guinea (PNG)), not of a longer organisation's name
        that the place ends (Mission in Liberia (UNMIL))."""
        if len(words) < 2 or "".join(w[0] for w in words).upper() != acronym.replace(".", ""):
            return False
        known = self.known(" ".join(words))
        return known is not None and known[0][1] == "place"

    def ends_with(self, words: list[str], *sections: str) -> bool:
        """Whether the name's last word, or its last two joined by "_", is in the lexicon sections."""
        return bool(words) and any(words[-1] in self.words[section] or "_".join(words[-2:]) in self.words[section]
                                   for section in sections)

    def conjoined(self, words: list[str], before: int, after: int) -> Found | None:
        for i, word in enumerate(words):
            if word in PARTICLES and word not in NAME_PARTICLES:
                left = self.segment(words[:i], False, before, -1) if i else []
                return left + self.segment(words[i + 1:], False, -1, after)
        return None

    def prefixed(self, words: list[str], before: int, after: int) -> Found | None:
        """A known name or demonym at the start, then the rest on its own."""
        for size in range(min(len(words) - 1, self.gaz.max_words), 0, -1):
            head = " ".join(words[:size])
            country = self.gaz.demonym(head)
            hit = (country, "place") if country else self.gaz.lookup(head)
            if hit and size < len(words):
                if hit[1] == "org" and self.ends_with(words, "not_org_ends", "venues"):
                    hit = None  # "Commonwealth Electoral Act": a law, not the Commonwealth
                if country and size == len(words) - 1 and words[-1] in self.words["waters"]:
                    return []  # "Persian Gulf", "Indian Ocean": a sea, not the country
                return [*([hit] if hit else []), *self.segment(words[size:], False, -1, after)]
        return None

    def person(self, words: list[str], before: int, after: int) -> Found | None:
        if len(words) > 4 or any(is_acronym(w) for w in words):
            return []
        nonname = self.words["nonname"]
        if words[-1] in nonname or words[0] in nonname:
            return []
        if self.has_cue(before, after) or words[0] in self.words["first_names"]:
            return [(" ".join(words), "person")]
        return []
