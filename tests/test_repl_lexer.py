"""Syntax highlighting: the tokens of a query line."""

from __future__ import annotations

import pytest
from prompt_toolkit.document import Document

from searchkit.repl.commands import command_names
from searchkit.repl.lexer import QueryLexer, tokenize

CASES = {
    'person:"William Burns" AND date:2021-09': [
        ("field", "person:"), ("phrase", '"William Burns"'), ("operator", "AND"),
        ("field", "date:"), ("date", "2021-09")],
    "pakistan NEAR/5 taliban -bajwa": [
        ("word", "pakistan"), ("operator", "NEAR/5"), ("word", "taliban"), ("operator", "-"), ("word", "bajwa")],
    "econom* medvedev~1": [("wildcard", "econom*"), ("word", "medvedev"), ("operator", "~1")],
    '"oil prices"~5': [("phrase", '"oil prices"'), ("operator", "~5")],
    "date:[2021-09-01 TO 2021-09-30]": [
        ("field", "date:"), ("operator", "["), ("date", "2021-09-01"), ("operator", "TO"),
        ("date", "2021-09-30"), ("operator", "]")],
    'date:"last 7 days" date:>=2021': [("field", "date:"), ("date", '"last 7 days"'),
                                        ("field", "date:"), ("date", ">=2021")],
    "persn:burns": [("unknown-field", "persn:"), ("word", "burns")],
}


def visible(tokens):
    return [token for token in tokens if token[0] != "space"]


@pytest.mark.parametrize("line", CASES)
def test_query_tokens(line):
    tokens = tokenize(line)
    assert "".join(text for _, text in tokens) == line
    assert visible(tokens) == CASES[line]


@pytest.mark.parametrize("line, bad", [
    ('person:"William', '"William'), ("(oil OR gas", "("), ("oil)", ")"),
])
def test_errors_are_marked(line, bad):
    assert ("error", bad) in tokenize(line)


def test_commands_known_and_unknown():
    names = command_names()
    assert visible(tokenize(":open 3", names)) == [("command", ":open"), ("argument", " 3")]
    assert visible(tokenize(":opne 3", names))[0] == ("error", ":opne")


def test_the_prompt_toolkit_lexer_gives_style_classes():
    line = QueryLexer(command_names()).lex_document(Document('title:oil "a b'))(0)
    assert line[0] == ("class:field", "title:")
    assert line[-1] == ("class:error", '"a b')
