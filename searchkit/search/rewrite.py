"""Query text rewrites that run before Whoosh's parser: NEAR and operator checks.

    pakistan NEAR/5 taliban   ->  ("pakistan taliban"~5 OR "taliban pakistan"~5)
    pakistan NEAR taliban     ->  the same with the default distance (10)

Whoosh's proximity phrase ("a b"~N) keeps the words in order; NEAR does not.
"""

from __future__ import annotations

import re

from ..errors import QuerySyntaxError

NEAR_DEFAULT = 10
_TERM = r"(?:([A-Za-z_]\w*):)?([^\s()\"~:]+)"
_NEAR = re.compile(r"(?<!\S)" + _TERM + r"\s+NEAR(?:/(\d+))?\s+" + _TERM + r"(?!\S)")
_NEAR_WORD = re.compile(r"(?<![\w\"])NEAR(?:/\d*)?(?![\w\"])")
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")


def rewrite_near(text: str) -> str:
    """Turn `a NEAR/n b` into an unordered proximity query; a NEAR without two
    words around it is an error that names its position."""

    def replace(match: re.Match) -> str:
        field_a, word_a, distance, field_b, word_b = match.groups()
        if (field_a or None) != (field_b or None):
            raise QuerySyntaxError(
                f"NEAR at position {match.start() + 1} joins words of different fields", match.start())
        slop = int(distance) if distance else NEAR_DEFAULT
        prefix = f"{field_a}:" if field_a else ""
        return f'({prefix}"{word_a} {word_b}"~{slop} OR {prefix}"{word_b} {word_a}"~{slop})'

    rewritten = _NEAR.sub(replace, text)
    stray = _NEAR_WORD.search(_strip_quoted(rewritten))
    if stray:
        position = _position_of(text, stray[0])
        raise QuerySyntaxError(f"NEAR at position {position + 1} needs a word on each side "
                               "(pakistan NEAR/5 taliban)", position)
    return rewritten


def _strip_quoted(text: str) -> str:
    """Quoted text becomes one placeholder word of the same length."""
    return re.sub(r'"[^"]*"', lambda m: "q" * len(m[0]), text)


def _position_of(text: str, token: str) -> int:
    found = _NEAR_WORD.search(_strip_quoted(text))
    return found.start() if found else max(0, text.find(token))


def check_operators(text: str) -> None:
    """AND / OR at the start or end of the query, or two in a row: an error with a position."""
    tokens = [(m.start(), m[0]) for m in re.finditer(r"[^\s()]+|[()]", _strip_quoted(text))]
    previous = None
    for index, (position, token) in enumerate(tokens):
        is_binary = token in _BINARY
        at_edge = index == 0 or index == len(tokens) - 1 or tokens[index + 1][1] == ")" \
            or (previous is not None and previous[1] == "(")
        if is_binary and at_edge:
            raise QuerySyntaxError(f"'{token}' at position {position + 1} needs a word on each side",
                                   position)
        if is_binary and previous is not None and previous[1] in _BINARY + ("NOT",):
            raise QuerySyntaxError(f"'{previous[1]} {token}' at position {previous[0] + 1}: "
                                   "two operators in a row", previous[0])
        if token == "NOT" and index == len(tokens) - 1:
            raise QuerySyntaxError(f"'NOT' at position {position + 1} needs a word after it", position)
        previous = (position, token)
