"""The REPL knows no engine: fields from the API, a cluster URL shown without a password,
no default-index building for a cluster, and a whole session on a real node."""

from __future__ import annotations

import opensearch_support
import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from searchkit.models import IndexStats
from searchkit.repl.app import banner_location, ensure_default_index
from searchkit.repl.completer import SearchCompleter, Vocabulary
from searchkit.repl.lexer import tokenize_query
from searchkit.repl.toolbar import index_label, toolbar_text
from test_cli_cluster import NOWHERE, engine_or_skip
from test_repl_session import CTRL_D, ENTER, drive
from test_repl_support import isolated_home, write_corpus  # noqa: F401

SECRET_URL = "opensearch+https://alice:s3cret@search.example:9200/news"


def completions(text: str) -> list[str]:
    document = Document(text, len(text))
    found = SearchCompleter(Vocabulary()).get_completions(document, CompleteEvent(completion_requested=True))
    return [completion.text for completion in found]


def test_the_fields_come_from_the_api(monkeypatch):
    from searchkit import api

    monkeypatch.setattr(api, "query_fields", lambda: ("person", "desk"))
    assert "desk:" in completions("de")
    assert ("field", "desk:") in tokenize_query("desk:sport")
    assert ("unknown-field", "title:") in tokenize_query("title:oil")
    assert ("field", "date:") in tokenize_query("date:2021")  # date words stay known


def test_a_cluster_url_is_shown_without_a_password():
    assert index_label(SECRET_URL) == "opensearch+https://alice@search.example:9200/news"
    assert index_label("opensearch://127.0.0.1:9200/news") == "opensearch://127.0.0.1:9200/news"
    assert index_label("archive/index") == "archive/index"
    assert banner_location(SECRET_URL) == "opensearch+https://alice@search.example:9200/news"
    assert banner_location("index") == "index/"
    stats = IndexStats(path=SECRET_URL, articles=3, first_date=None, last_date=None, undated=3)
    text = toolbar_text(SECRET_URL, stats, "relevance", None)
    assert "s3cret" not in text and "alice@search.example:9200/news" in text


def test_no_default_index_is_built_for_a_cluster(tmp_path, monkeypatch):
    from searchkit import api

    write_corpus(tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("the cluster was touched")

    monkeypatch.setattr(api.SearchIndex, "open", refuse)
    monkeypatch.setattr(api.SearchIndex, "create", refuse)
    echoed: list[str] = []
    ensure_default_index("opensearch://127.0.0.1:9200/index", echoed.append)
    assert echoed == [] and not (tmp_path / "index").exists()


def test_an_unreachable_cluster_is_an_error_line_and_the_session_goes_on():
    engine_or_skip()
    code, echoed, _ = drive(NOWHERE, f"kabul{ENTER}:help{ENTER}{CTRL_D}")
    assert code == 0
    assert echoed[0].startswith(f"searchkit · {NOWHERE} ·")
    errors = [line for line in echoed if "error" in line]
    assert len(errors) == 1 and "127.0.0.1:1" in errors[0] and "internal error" not in errors[0]
    assert any(":timeline" in text for text in echoed)


@pytest.fixture(scope="module")
def corpus_on_cluster(opensearch_url, tmp_path_factory):
    """The REPL tests' small corpus in a fresh index on the node; removed afterwards."""
    engine_or_skip()
    import searchkit

    name = opensearch_support.unique_index_name("searchkit-test-repl")
    url = opensearch_support.index_location(opensearch_url, name)
    try:
        report = searchkit.index_folder([write_corpus(tmp_path_factory.mktemp("corpus"))], url)
        assert report.added == 15 and not report.failures
        yield url
    finally:
        opensearch_support.delete_indexes(opensearch_url, name)


def test_a_session_on_a_cluster(corpus_on_cluster):
    keys = f"afghanistan{ENTER}:open 1{ENTER}:sort date{ENTER}:facets{ENTER}:timeline{ENTER}:stats{ENTER}{CTRL_D}"
    code, echoed, paged = drive(corpus_on_cluster, keys)
    assert code == 0
    assert echoed[0].startswith(f"searchkit · {corpus_on_cluster} ·")
    shown = "\n".join(echoed + paged)
    assert "error" not in shown, shown
    assert "articles match" in shown and "15 articles" in shown
    assert "William Burns" in shown  # from :open 1 or the facets


def test_completion_reads_names_from_a_cluster(corpus_on_cluster):
    vocabulary = Vocabulary()
    vocabulary.load_in_background(corpus_on_cluster).join(30)
    assert vocabulary.error is None, vocabulary.error
    assert "William Burns" in vocabulary.names["person"]
    document = Document('person:"Wil', len('person:"Wil'))
    found = SearchCompleter(vocabulary).get_completions(document, CompleteEvent(completion_requested=True))
    assert 'William Burns"' in [completion.text for completion in found]
    assert vocabulary.words  # frequent title words, for bare-word completion
