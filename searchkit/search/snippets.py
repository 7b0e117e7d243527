"""Snippets: the best window of an article's text, with the matched words as spans.

Data first: a Snippet is text plus highlight ranges; renderers add the markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..analysis.analyzers import text_analyzer
from ..models import Snippet, Span

SNIPPET_CHARS = 240
LEAD_CHARS = 50  # context kept before the first match in the window
SCAN_CHARS = 200_000  # never analyse more than this much of one article
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _fused():
    """The body analyser as one cached loop (analysis/fused.py), or None."""
    from whoosh import fields

    from ..analysis.fused import fused_analysis

    return fused_analysis(fields.TEXT(analyzer=text_analyzer()))


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of the words of `text` that analyse to one of `terms`."""
    if not terms:
        return []
    fused = _fused()
    if fused is not None:
        return fused.matches(text[:SCAN_CHARS], terms)
    return [
        (token.startchar, token.endchar, token.text)
        for token in text_analyzer()(text[:SCAN_CHARS], chars=True, removestops=True)
        if token.text in terms
    ]


def _best_start(matches: list[tuple[int, int, str]], width: int) -> int:
    """Index of the match that opens the window with the most distinct terms."""
    best, best_score, j = 0, (-1, 0), 0
    for i, (start, _, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] <= start + width:
            j += 1
        window = matches[i:j]
        score = (len({m[2] for m in window}), len(window))
        if score > best_score:
            best, best_score = i, score
    return best


def _word_start(text: str, position: int) -> int:
    if position <= 0:
        return 0
    space = text.rfind(" ", 0, position)
    if space < 0:
        return 0 if position < 30 else position
    return space + 1 if position - space < 30 else position


def _word_end(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    return space if 0 <= space - position < 30 else position


def make_snippet(text: str, terms: frozenset[str], width: int = SNIPPET_CHARS) -> Snippet:
    """The window of about `width` characters that holds the most query terms."""
    text = text or ""
    matches = _matches(text, terms)
    if not matches:
        end = _word_end(text, width)
        body = " ".join(text[:end].split())
        return Snippet(body + ("…" if end < len(text) else ""), ())
    first = _best_start(matches, width - LEAD_CHARS)
    start = _word_start(text, matches[first][0] - LEAD_CHARS)
    end = _word_end(text, start + width)
    return _cut(text, start, end, [m for m in matches if start <= m[0] and m[1] <= end])


def _cut(text: str, start: int, end: int, inside: list[tuple[int, int, str]]) -> Snippet:
    """Cut text[start:end], fold its white space, and move the spans along."""
    out: list[str] = ["…"] if start > 0 else []
    length = len(out[0]) if out else 0
    spans: list[Span] = []
    position = start
    for mark_start, mark_end, _ in inside:
        folded = _SPACES.sub(" ", text[position:mark_start])
        if not length:
            folded = folded.lstrip(" ")
        word = text[mark_start:mark_end]
        spans.append(Span(length + len(folded), length + len(folded) + len(word)))
        out += (folded, word)
        length += len(folded) + len(word)
        position = mark_end
    tail = _SPACES.sub(" ", text[position:end])
    out.append(tail.lstrip(" ") if not length else tail)
    body = "".join(out).rstrip(" ")
    return Snippet(body + ("…" if end < len(text) else ""), tuple(spans))
