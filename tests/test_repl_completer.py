"""Completion on a real index: commands, fields, entity names, words, result numbers."""

from __future__ import annotations

import searchkit
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from searchkit.repl.completer import SearchCompleter, Vocabulary, name_matches, title_words
from test_repl_support import isolated_home, repl_index  # noqa: F401


def complete(completer, text):
    document = Document(text, len(text))
    return list(completer.get_completions(document, CompleteEvent(completion_requested=True)))


def applied(text, completion):
    cut = len(text) + completion.start_position
    return text[:cut] + completion.text


def loaded(index) -> Vocabulary:
    vocabulary = Vocabulary()
    vocabulary.load_in_background(str(index)).join(10)
    assert vocabulary.loaded.is_set() and vocabulary.error is None
    return vocabulary


def test_entity_names_complete_inside_a_quoted_field(repl_index):
    completer = SearchCompleter(loaded(repl_index))
    people = [v.name for f in searchkit.open_index(repl_index).entities(None, top=50)
              if f.kind == "person" for v in f.values]
    assert "William Burns" in people
    for name in people:
        text = f'person:"{name[:3]}'
        assert f'person:"{name}"' in [applied(text, c) for c in complete(completer, text)]


def test_a_later_word_of_a_name_completes_it(repl_index):
    completer = SearchCompleter(loaded(repl_index))
    assert 'person:"William Burns"' in [applied('person:"bur', c) for c in complete(completer, 'person:"bur')]
    assert 'oil AND person:"William Burns"' in [
        applied("oil AND person:Wil", c) for c in complete(completer, "oil AND person:Wil")]


def test_fields_and_frequent_words_complete_bare_words(repl_index):
    completer = SearchCompleter(loaded(repl_index))
    assert "person:" in [c.text for c in complete(completer, "pers")]
    assert "oil AND date:" in [applied("oil AND da", c) for c in complete(completer, "oil AND da")]
    assert "prices" in [c.text for c in complete(completer, "pri")]


def test_commands_and_their_arguments(repl_index):
    completer = SearchCompleter(Vocabulary())  # nothing loaded yet: commands still complete
    found = complete(completer, ":ti")
    assert [c.text for c in found] == [":timeline"]
    assert found[0].display_meta_text
    assert [c.text for c in complete(completer, ":sort d")] == ["date"]
    assert [c.text for c in complete(completer, ":feedback o")] == ["on", "off"]


def test_result_numbers_complete_with_titles(repl_index):
    hits = searchkit.open_index(repl_index).search("oil", limit=3).hits
    completer = SearchCompleter(Vocabulary(), hits=lambda: hits)
    found = complete(completer, ":open ")
    assert [c.text for c in found] == ["1", "2", "3"]
    assert found[0].display_meta_text == hits[0].title[:60]


def test_export_completes_paths(tmp_path, monkeypatch):
    (tmp_path / "matches.jsonl").write_text("")
    monkeypatch.chdir(tmp_path)
    assert "matches.jsonl" in [applied(":export mat", c)[8:] for c in complete(SearchCompleter(Vocabulary()), ":export mat")]


def test_helpers():
    assert name_matches("William Burns", "wil") and name_matches("William Burns", "Burns")
    assert not name_matches("William Burns", "liam")
    assert title_words(["Oil prices rise", "oil prices fall", "oil"])[:2] == ["oil", "prices"]


def test_a_missing_index_leaves_completion_empty(tmp_path):
    vocabulary = Vocabulary()
    vocabulary.load_in_background(str(tmp_path / "none")).join(10)
    assert vocabulary.error and vocabulary.names["person"] == []
