"""The peers searchkit's ranking is measured against (benchmarks/ir_eval.py).

    pip install -e '.[bench]'   # bm25s, PyStemmer, rank-bm25, tantivy (benchmarks only)

Each peer gets its usual setup, its own tokens unless it has none:

- plain Whoosh: StemmingAnalyzer (Porter, Whoosh's stop list), default BM25F over
  title and body, MultifieldParser with an OR group.
- bm25s: its README's setup, bm25s.tokenize with its English stop words and the
  Snowball English stemmer (PyStemmer); Lucene BM25, k1 1.5, b 0.75.
- bm25s on searchkit's tokens: the same BM25 on searchkit's analyser, so the two
  differ in scoring only (the comparison docs/ranking.md made before).
- rank-bm25 (BM25Okapi, k1 1.5, b 0.75, epsilon 0.25): it has no tokenizer of its
  own (its README splits on spaces), so it gets searchkit's tokens.
- SQLite FTS5 (standard library sqlite3): columns title and body, tokenize
  'porter unicode61', the query's words OR-ed, ranked by bm25() (k1 1.2, b 0.75).
- tantivy (tantivy-py): title and body with its en_stem tokenizer, the query parsed
  over both fields (words OR-ed), lower-cased so no word is an operator; BM25 k1
  1.2, b 0.75.

Every runner takes a Collection and returns {query id: ranked doc ids, top `top`}.
Title and body are one text for the single-field peers (bm25s, rank-bm25).
"""

from __future__ import annotations

import re
import sqlite3

TOP = 1000
_WORD = re.compile(r"\w+")


def _searchkit_tokens(text: str) -> list[str]:
    from searchkit.analysis.analyzers import text_analyzer

    return [token.text for token in text_analyzer()(text)]


def run_plain_whoosh(collection, top: int = TOP) -> dict[str, list[str]]:
    """Whoosh out of the box: StemmingAnalyzer, default BM25F, OR-group queries."""
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = fields.Schema(id=fields.ID(stored=True), title=fields.TEXT(analyzer=StemmingAnalyzer()),
                           body=fields.TEXT(analyzer=StemmingAnalyzer()))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for doc_id, title, body in collection.docs:
            writer.add_document(id=doc_id, title=title, body=body)
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
    runs = {}
    with ix.searcher() as searcher:
        for qid, text in collection.queries:
            query = parser.parse(re.sub(r"[^\w\s]", " ", text).lower())
            runs[qid] = [hit["id"] for hit in searcher.search(query, limit=top)]
    return runs


def _bm25s_runs(collection, corpus: list[list[str]], queries: dict[str, list[str]],
                top: int) -> dict[str, list[str]]:
    import bm25s

    vocab = {token for doc in corpus for token in doc}
    retriever = bm25s.BM25()  # method "lucene", k1 1.5, b 0.75
    retriever.index(corpus, show_progress=False)
    ids = [doc_id for doc_id, _, _ in collection.docs]
    runs = {}
    for qid, tokens in queries.items():
        tokens = [token for token in tokens if token in vocab]
        if not tokens:
            runs[qid] = []
            continue
        docs, _ = retriever.retrieve([tokens], k=min(top, len(ids)), show_progress=False)
        runs[qid] = [ids[int(i)] for i in docs[0]]
    return runs


def run_bm25s(collection, top: int = TOP) -> dict[str, list[str]]:
    """bm25s as its README sets it up: its English stop words, Snowball stemmer."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")

    def tokenize(texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)

    corpus = tokenize([f"{title}\n{body}" for _, title, body in collection.docs])
    texts = [text for _, text in collection.queries]
    queries = dict(zip((qid for qid, _ in collection.queries), tokenize(texts)))
    return _bm25s_runs(collection, corpus, queries, top)


def run_bm25s_searchkit_tokens(collection, top: int = TOP) -> dict[str, list[str]]:
    """bm25s's Lucene BM25 on searchkit's analyser (same tokens in)."""
    corpus = [_searchkit_tokens(f"{title}\n{body}") for _, title, body in collection.docs]
    queries = {qid: _searchkit_tokens(text) for qid, text in collection.queries}
    return _bm25s_runs(collection, corpus, queries, top)


def run_rank_bm25(collection, top: int = TOP) -> dict[str, list[str]]:
    """rank-bm25's BM25Okapi (defaults) on searchkit's tokens."""
    from rank_bm25 import BM25Okapi

    corpus = [_searchkit_tokens(f"{title}\n{body}") for _, title, body in collection.docs]
    model = BM25Okapi(corpus)
    ids = [doc_id for doc_id, _, _ in collection.docs]
    matching = [set(doc) for doc in corpus]
    runs = {}
    for qid, text in collection.queries:
        tokens = _searchkit_tokens(text)
        scores = model.get_scores(tokens)
        wanted = set(tokens)
        # only documents holding a query word, best first (ties in corpus order)
        order = sorted((i for i in range(len(ids)) if matching[i] & wanted), key=lambda i: -scores[i])
        runs[qid] = [ids[i] for i in order[:top]]
    return runs


def _word_runs(collection, search) -> dict[str, list[str]]:
    """search(the query's words, lower-cased) for each query; no words, no hits."""
    runs = {}
    for qid, text in collection.queries:
        words = _WORD.findall(text.lower())
        runs[qid] = search(words) if words else []
    return runs


def run_fts5(collection, top: int = TOP) -> dict[str, list[str]]:
    """SQLite FTS5, porter unicode61 tokenizer, bm25() over title and body, words OR-ed."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, body, "
               "tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", collection.docs)

    def search(words: list[str]) -> list[str]:
        match = " OR ".join(f'"{word}"' for word in words)
        rows = db.execute("SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                          (match, top))
        return [row[0] for row in rows]

    try:
        return _word_runs(collection, search)
    finally:
        db.close()


def run_tantivy(collection, top: int = TOP) -> dict[str, list[str]]:
    """tantivy-py: en_stem title and body, the query's words OR-ed over both."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    index = tantivy.Index(builder.build())
    writer = index.writer()
    for doc_id, title, body in collection.docs:
        writer.add_document(tantivy.Document(id=doc_id, title=title, body=body))
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def search(words: list[str]) -> list[str]:
        query = index.parse_query(" ".join(words), ["title", "body"])
        return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, top).hits]

    return _word_runs(collection, search)


PEERS = {
    "plain Whoosh": run_plain_whoosh,
    "bm25s": run_bm25s,
    "bm25s, searchkit tokens": run_bm25s_searchkit_tokens,
    "rank-bm25, searchkit tokens": run_rank_bm25,
    "FTS5": run_fts5,
    "tantivy": run_tantivy,
}
