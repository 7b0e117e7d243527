"""Fused analysis gives exactly what Whoosh's analysers give, on real text."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SEED_ARTICLE

from searchkit.api import SearchIndex
from searchkit.analysis import fused as fused_module
from searchkit.index import fastindex
from searchkit.index.schema import F, build_schema


def real_texts() -> list[str]:
    texts = [SEED_ARTICLE.read_text(encoding="utf-8")]
    for path in sorted((ROOT / "seeds").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:400]:
            row = json.loads(line)
            texts += [row.get("title") or "", row.get("text") or ""]
    texts += ["", "   ", "'s", "a's", "The THE the", "x" * 300, "naïve café ÉCOLE ß straße", "it's 10-K's"]
    return texts


@pytest.mark.parametrize("name", [F.BODY, F.TITLE, F.PERSON, F.PLACE, F.DATELINE])
def test_fused_analysis_equals_whoosh(name):
    field = build_schema()[name]
    fused = fused_module.fused_analysis(field)
    assert fused is not None, f"{name} should take the fused path"
    for text in real_texts():
        assert sorted(fused(text)) == sorted(field.index(text)), text[:80]


def test_unrecognised_analysis_keeps_whoosh_path():
    from whoosh import fields
    from whoosh.analysis import NgramFilter, RegexTokenizer, StemmingAnalyzer

    assert fused_module.fused_analysis(fields.TEXT(analyzer=RegexTokenizer() | NgramFilter(2, 3))) is None
    assert fused_module.fused_analysis(fields.ID()) is None
    assert fused_module.fused_analysis(fields.TEXT(analyzer=StemmingAnalyzer(), phrase=False)) is None


def postings(path) -> list:
    with SearchIndex.open(path) as ix:
        with ix._ix.reader() as reader:
            out = []
            for fieldname, text in reader.all_terms():
                if fieldname in (F.BODY, F.TITLE, F.PERSON, F.PLACE):
                    m = reader.postings(fieldname, text)
                    places = []
                    while m.is_active():
                        places.append((reader.stored_fields(m.id())[F.ID], m.value_as("positions")))
                        m.next()
                    info = reader.term_info(fieldname, text)
                    stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                             info.max_weight())
                    out.append((fieldname, text, stats, sorted(places)))
            return sorted(out)


def test_index_is_the_same_with_and_without_fusion(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "seed.txt").write_text(SEED_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    rows = [json.loads(line) for line in (ROOT / "seeds" / "wikinews-politics.jsonl").read_text().splitlines()[:60]]
    (docs / "some.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with SearchIndex.create(tmp_path / "fused") as ix:
        ix.update([docs], workers=0)
    from searchkit.index import writer

    monkeypatch.setattr(writer, "speed_up", lambda w, limitmb, tempstorage=None: None)
    with SearchIndex.create(tmp_path / "plain") as ix:
        ix.update([docs], workers=0)
    assert postings(tmp_path / "fused") == postings(tmp_path / "plain")
    with SearchIndex.open(tmp_path / "fused") as ix:  # the schema written is the clean one
        assert "index" not in vars(ix._ix.schema[F.BODY])
        fused_total = ix.search('"prime minister" OR pakistan').total
    with SearchIndex.open(tmp_path / "plain") as ix:
        assert ix.search('"prime minister" OR pakistan').total == fused_total > 0


def test_snippet_word_finding_equals_whoosh_analysis():
    """Snippets find the query's words with the fused loop: same words, same places."""
    from searchkit.analysis.analyzers import text_analyzer
    from searchkit.search import snippets

    assert snippets._fused() is not None
    for text in real_texts():
        tokens = [(t.startchar, t.endchar, t.text) for t in text_analyzer()(text, chars=True, removestops=True)]
        wanted = frozenset(token[2] for token in tokens[::3])
        expected = [token for token in tokens if token[2] in wanted]
        assert snippets._matches(text, wanted) == expected, text[:80]


def block_kinds(path) -> set[str]:
    """How the posting blocks of the body field hold positions: "packed" (ZippedPositions
    in an uncompressed block pickled at protocol 4) or "whoosh" (Whoosh's pickled tuples,
    or a block pickled at Whoosh's protocol 2)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from searchkit.index.positions import ZippedPositions

    kinds = set()
    with SearchIndex.open(path) as ix, ix._ix.reader() as reader:
        for segment, _ in reader.leaf_readers():
            for text in list(segment.lexicon(F.BODY)):
                info = segment._terms.term_info(F.BODY, text)
                if info.is_inlined():
                    continue
                matcher = W3LeafMatcher(segment._terms._postfile, *info.extent(), segment.schema[F.BODY].format)
                matcher._read_data()
                raw = matcher._postfile.get(matcher._dataoffset, 2)
                packed = (isinstance(matcher._data[2], ZippedPositions) and not matcher._compression
                          and raw == b"\x80\x04")
                kinds.add("packed" if packed else "whoosh")
    return kinds


def test_a_pool_past_its_memory_limit_spills_and_writes_the_same_index(tmp_path, monkeypatch):
    from searchkit.index import postings as postings_module
    from searchkit.index import writer

    docs = tmp_path / "docs"
    docs.mkdir()
    rows = [json.loads(line) for line in (ROOT / "seeds" / "wikinews-economy.jsonl").read_text().splitlines()[:40]]
    (docs / "some.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    spills = []
    spill = postings_module.TermPool._spill
    monkeypatch.setattr(postings_module.TermPool, "_spill", lambda pool: (spills.append(1), spill(pool)))
    monkeypatch.setattr(postings_module, "POSTING_BYTES", 1_000_000)  # the limit is reached within a few articles
    with SearchIndex.create(tmp_path / "spilled") as ix:
        ix.update([docs], workers=0)
    assert spills
    monkeypatch.undo()
    assert block_kinds(tmp_path / "spilled") == {"packed"}  # spilled or not, the same block format
    monkeypatch.setattr(writer, "speed_up", lambda w, limitmb, tempstorage=None: None)
    with SearchIndex.create(tmp_path / "plain") as ix:
        ix.update([docs], workers=0)
    assert postings(tmp_path / "spilled") == postings(tmp_path / "plain")


def test_posting_blocks_are_packed_and_read_by_whoosh(seeds_index):
    """The TermPool writes a block's positions as one ZippedPositions (compact arrays
    compressed apart, the block itself not); Whoosh's own matcher reads each
    posting's positions from it, in Whoosh's encoding."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from searchkit.index.positions import ZippedPositions

    with seeds_index._ix.reader() as reader:
        segment = next(r for r, _ in reader.leaf_readers())
        info = segment._terms.term_info(F.BODY, b"govern")
        matcher = W3LeafMatcher(segment._terms._postfile, *info.extent(), segment.schema[F.BODY].format)
        matcher._read_data()
        assert isinstance(matcher._data[2], ZippedPositions)
        assert not matcher._compression
        values = list(matcher._data[2])
        assert len(values) == len(matcher._data[2]) > 1
        whoosh = segment.postings(F.BODY, b"govern")
        read = []
        while whoosh.is_active() and len(read) < len(values):
            read.append(whoosh.value())
            whoosh.next()
        assert read == values
