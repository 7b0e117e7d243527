"""Hostile queries: random and adversarial strings either return results or raise
QuerySyntaxError — nothing else — and each finishes within a deadline (a hang
or a runaway expansion fails the test)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from conftest import write_seed_article

DEADLINE = dt.timedelta(seconds=2)
FUZZ = settings(deadline=DEADLINE, max_examples=250, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TOKENS = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "NEAR", "NEAR/3", "(", ")", '"', "'", "*", "?", "~", "~2",
    "^", "^3",
    "[", "]", "{", "}", "+", "-", "(+", "(-", "+(", ":", "\\", "/", "<", ">", ">=", "<=", "=", "!",
    "&&", "||",
    "title:", "body:", "person:", "org:", "place:", "dateline:", "date:", "author:", "source:",
    "url:", "id:", "nosuchfield:", "date:[", "date:>", "date:2021-09", "date:2021-13", "date:9999",
    "date:0000-00-00", "2021-09-12", "spymasters", "Pakistan", "William Burns", "may", "the", "a*",
    "*a", "a*b*c*d", "??", "é", "\u0301", "\u200b", "\x00", "\n", "\t", "🙂", "ß", "İ", "ﬁ",
    "9" * 30, "-1", "1e309", "nan", "$", "%", "#", "@", "|", "&",
]
SEPARATORS = st.sampled_from(["", " ", "  ", "\t", ":", "\n"])
ADVERSARIAL = st.lists(st.tuples(st.sampled_from(TOKENS), SEPARATORS), max_size=14).map(
    lambda parts: "".join(token + sep for token, sep in parts))
SURROGATES = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3)
RANDOM = st.text(max_size=60)
ANY_QUERY = st.one_of(RANDOM, ADVERSARIAL, st.tuples(ADVERSARIAL, SURROGATES, RANDOM).map("".join))


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    docs = root / "docs"
    write_seed_article(docs, "a.txt", "2021-09-12", "ISLAMABAD: Pakistan hosted spymasters; "
                       "CIA chief William Burns and Gen Qamar Bajwa met in May.")
    write_seed_article(docs, "b.txt", "2020-03-01", "KABUL: The Taliban met envoys of Russia and China.")
    write_seed_article(docs, "c.txt", "9999-12-31", "PARIS: Café société élection ß straße naïve.")
    for number in range(40):
        write_seed_article(docs, f"n{number}.txt", f"2019-{number % 12 + 1:02d}-01",
                           f"LONDON: abc{number} abcd{number * 7} market minister report {number}.")
    searchkit.index_folder([docs], root / "ix")
    with searchkit.open_index(root / "ix") as opened:
        yield opened


def check(ix, text: str, **options) -> None:
    try:
        results = ix.search(text, limit=5, **options)
    except searchkit.QuerySyntaxError as exc:
        assert str(exc), "a QuerySyntaxError without a message"
        return
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert hit.id and hit.rank >= 1


@FUZZ
@given(text=ANY_QUERY)
def test_any_query_returns_results_or_a_syntax_error(ix, text):
    check(ix, text)


@FUZZ
@given(text=ANY_QUERY, sort=st.sampled_from(["relevance", "date"]), page=st.integers(1, 3),
       operator=st.sampled_from(["or", "and", "and-or"]))
def test_sorted_and_paged_queries_too(ix, text, sort, page, operator):
    check(ix, text, sort=sort, page=page, operator=operator)


@settings(FUZZ, max_examples=100)
@given(text=ANY_QUERY)
def test_plain_mode_too(ix, text):
    check(ix, text, syntax=False)  # only "no searchable words" can be a syntax error here


@settings(FUZZ, max_examples=100)
@given(text=ADVERSARIAL)
def test_entities_and_timeline_of_hostile_queries(ix, text):
    for call in (lambda: ix.entities(text, top=3), lambda: ix.timeline(text)):
        try:
            call()
        except searchkit.QuerySyntaxError:
            pass


@pytest.mark.parametrize("text", [
    "*", "*" * 200, "a" * 10_000, "(" * 500 + "x" + ")" * 500, '"' + "a " * 2000 + '"',
    "NOT " * 300 + "x", "x~" + "9" * 20, "date:[0001 TO 9999]", "date:[9999 TO 0001]",
    "title:" * 100, "x^" + "9" * 400, "a* OR " * 200 + "b",
])
def test_known_troublemakers(ix, text):
    check(ix, text)
