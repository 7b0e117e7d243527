"""Syntax highlighting of the query line as it is typed.

`tokenize(line)` is pure: it returns (token class, text) pairs that join back into the
line. `QueryLexer` hands them to prompt_toolkit as `class:<token>` styles.
"""

from __future__ import annotations

import re

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer

from .. import api

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
DATE_FIELDS = frozenset({"date", "since", "until"})
_NEAR = re.compile(r"NEAR(/\d+)?$")
_DATE = re.compile(r"[<>]?=?\d{4}(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?$")
_WORD = re.compile(r"[^\s\"()\[\]{}]+")
_FIELD = re.compile(r"([A-Za-z_]\w*):")
_FUZZY = re.compile(r"(.+?)(~\d*)$")

Token = tuple[str, str]


def _classify_value(text: str, in_date: bool) -> list[Token]:
    """A word without its field prefix."""
    if not text:
        return []
    if in_date or _DATE.match(text):
        return [("date", text)]
    fuzzy = _FUZZY.match(text)
    if fuzzy:
        return _classify_value(fuzzy[1], False) + [("operator", fuzzy[2])]
    if "*" in text or "?" in text:
        return [("wildcard", text)]
    return [("word", text)]


def _classify_word(text: str, fields: frozenset[str]) -> tuple[list[Token], str | None]:
    """One word: returns its tokens and the field it opens (for a following phrase or range)."""
    if text in OPERATORS or _NEAR.match(text):
        return [("operator", text)], None
    tokens: list[Token] = []
    if text[0] in "+-" and len(text) > 1:
        tokens.append(("operator", text[0]))
        text = text[1:]
    match = _FIELD.match(text)
    if not match:
        return tokens + _classify_value(text, False), None
    name = match[1].lower()
    known = name in fields
    tokens.append(("field" if known else "unknown-field", match[0]))
    rest = text[match.end():]
    tokens += _classify_value(rest, known and name in DATE_FIELDS)
    return tokens, name if not rest else None


def _phrase(line: str, start: int) -> tuple[list[Token], int]:
    end = line.find('"', start + 1)
    if end < 0:
        return [("error", line[start:])], len(line)
    tokens = [("phrase", line[start:end + 1])]
    slop = re.match(r"~\d*", line[end + 1:])
    if slop:
        tokens.append(("operator", slop[0]))
    return tokens, end + 1 + (len(slop[0]) if slop else 0)


def _mark_unclosed(tokens: list[Token], opened: list[int]) -> list[Token]:
    for index in opened:
        tokens[index] = ("error", tokens[index][1])
    return tokens


def _bracket(char: str, opened: list[int], index: int) -> Token:
    """A bracket token; '(' is remembered until closed, a stray ')' is an error."""
    if char == "(":
        opened.append(index)
        return ("paren", char)
    if char == ")":
        if not opened:
            return ("error", char)
        opened.pop()
        return ("paren", char)
    return ("operator", char)  # range brackets [ ] { }


def tokenize_query(line: str, fields: frozenset[str] | None = None) -> list[Token]:
    """The tokens of a query; `fields` are the known field names (default: the API's)."""
    if fields is None:
        fields = frozenset(api.query_fields()) | DATE_FIELDS
    tokens: list[Token] = []
    opened: list[int] = []  # token indexes of '(' not closed yet
    field = None  # a field just before: `date:"last 7 days"` is a date
    position = 0
    while position < len(line):
        char = line[position]
        if char.isspace():
            end = len(line) - len(line[position:].lstrip())
            found, field = [("space", line[position:end])], None
        elif char == '"':
            found, end = _phrase(line, position)
            if field in DATE_FIELDS and found[0][0] == "phrase":
                found[0] = ("date", found[0][1])
            field = None
        elif char in "()[]{}":
            found, end = [_bracket(char, opened, len(tokens))], position + 1
        else:
            word = _WORD.match(line, position)[0]
            found, field = _classify_word(word, fields)
            end = position + len(word)
        tokens += found
        position = end
    return _mark_unclosed(tokens, opened)


def tokenize(line: str, commands: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of a REPL line: a `:command` with arguments, or a query."""
    if line.lstrip().startswith(":"):
        match = re.match(r"(\s*)(:\S*)(.*)$", line, re.S)
        name = match[2][1:]
        known = not commands or name in commands
        tokens = [("space", match[1]), ("command" if known else "error", match[2])]
        return [t for t in tokens + [("argument", match[3])] if t[1]]
    return tokenize_query(line)


class QueryLexer(Lexer):
    """prompt_toolkit's view of `tokenize`: style classes `class:<token>`."""

    def __init__(self, commands: frozenset[str] = frozenset()) -> None:
        self.commands = commands

    def lex_document(self, document: Document):
        lines = [
            [(f"class:{kind}", text) for kind, text in tokenize(line, self.commands)]
            for line in document.lines
        ]
        return lambda number: lines[number] if number < len(lines) else []
