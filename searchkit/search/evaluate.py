"""Scoring a query over ALL its matches in one pass, term at a time.

Whoosh's collector walks a tree of matchers one document at a time (a Python
call per matcher per posting), and the exact total then needs a second walk
over every match. Here each term's postings are read a block at a time and
scored with BM25 through a 256-entry table of length norms (Whoosh stores a
field's length in one byte), and the nodes of the query combine per-document
score maps: one pass gives the scores of every match, hence the top hits, the
exact total and the documents to count facets over.

Scores are Whoosh's own: the same BM25 terms (scoring._Scorer), summed as
Whoosh's Union/Intersection/AndNot/AndMaybe matchers sum them, the same
boosts. A node this module does not score itself (phrase, range, wildcard,
fuzzy, …) is run through Whoosh's matcher for that node, so every query works;
tests compare the two paths on real indexes.
"""

from __future__ import annotations

import time
from itertools import compress
from operator import add, and_

from whoosh import formats
from whoosh import query as wq

from . import dense
from .blocks import Leaf, Ones, adjacent, columns, in_order_within, length_bytes_of, postings, term_info
from .readers import unsigned_numbers
from .scoring import NewsBM25F, bm25_idf
from .term_scores import RatioTable, norms, pick, ratios
from .score_maps import add_block, add_into as _add_into

Scores = dict  # global docnum -> score

_NOT_SCORE = 1.0  # Whoosh's InverseMatcher scores every document it yields 1.0


def and_maybe_scores(required: Scores, optional: Scores) -> Scores:
    """An AndMaybe's scores from its parts': `required`'s matches, each with `optional`'s
    score added where it has one."""
    if isinstance(required, dense.DenseScores) and isinstance(optional, dense.DenseScores):
        return dense.added_where_found(required, optional)
    if isinstance(optional, dense.DenseScores):
        optional = optional.as_dict()
    return {docnum: score + optional.get(docnum, 0.0) for docnum, score in required.items()}


class TimedOut(Exception):
    """The deadline passed; `partial` holds the scores gathered so far."""

    def __init__(self, partial: Scores) -> None:
        super().__init__("time limit")
        self.partial = partial


class Evaluator:
    """Evaluates Whoosh queries against one searcher. Not reusable across searchers."""

    def __init__(self, searcher, deadline: float | None = None) -> None:
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.leaves = [Leaf(sub, offset) for sub, offset in searcher.leaf_searchers()]
        self.deadline = deadline
        self.within = None  # set by an And: only these documents can still match (a set or a dense.DocSet)
        self._info_cache: dict = {}
        self._all: frozenset[int] | None = None

    @property
    def within_docnums(self):
        """`within` as a sorted numpy array, when the And has it as one (a dense.DocSet)."""
        return self.within.docnums if isinstance(self.within, dense.DocSet) else None

    # -- public ------------------------------------------------------------------------

    def scores(self, q: wq.Query) -> Scores:
        """Score of every document that matches `q` (raises TimedOut with what it has)."""
        try:
            result = self._node(q)
        except TimedOut as stopped:
            raise TimedOut(self._final(stopped.partial)) from None
        if isinstance(result, _Complement):
            result = self._complement(result)
        return self._final(result)

    def _dense_or(self, terms: list):
        """The OR of terms scored with numpy (dense.py) when they have many postings and
        no document is ruled out yet; else None."""
        if ((self.within is not None and self.within_docnums is None) or getattr(self.weighting, "use_final", False)
                or sum(term[3] for term in terms) < dense.DENSE_FROM):
            return None
        return dense.dense_or(self, terms)  # inside an And, all its matches: the And keeps those in both

    def _final(self, scores: Scores) -> Scores:
        weighting = self.weighting
        if not getattr(weighting, "use_final", False):
            return scores
        final, searcher = weighting.final, self.searcher
        return {docnum: final(searcher, docnum, score) for docnum, score in scores.items()}

    # -- nodes -------------------------------------------------------------------------

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def _check_time(self, partial: Scores) -> None:
        if self.past_deadline():
            raise TimedOut(partial)

    def _node(self, q: wq.Query):
        kind = type(q)
        if kind is wq.Term:
            return self._term(q)
        if isinstance(q, wq.Or) and not q.scale and not q.minmatch:
            return self._or(q)
        if isinstance(q, wq.And):
            return self._and(q)
        if kind is wq.AndNot:
            return self._and_not(q)
        if kind is wq.AndMaybe:
            return self._and_maybe(q)
        if kind is wq.Not:
            return _Complement(self._positive(q.query))
        if kind is wq.Phrase:
            return self._phrase(q)
        if isinstance(q, wq.NumericRange) and q.constantscore:
            found = self._range_within(q) if self.within is not None else None
            if found is not None:
                return found
            return self._node(q._compile_query(self.searcher.reader()))
        if kind is wq.ConstantScoreQuery:
            docs = self._docs(q.child)
            if self.within is not None:
                docs = self.within.intersection(docs)
            return dict.fromkeys(docs, q.score)
        if q is wq.NullQuery or kind is type(wq.NullQuery):
            return {}
        return self._whoosh(q)

    def _range_within(self, q: wq.NumericRange) -> Scores | None:
        """A range of an unsigned integer field (a date) inside an And: the documents
        still possible whose column value is in range, instead of the union of the
        range's trie terms (which holds most of a month's archive). None when the
        field has no such column."""
        column = unsigned_numbers(self.searcher.reader(), q.fieldname)
        if column is None:
            return None
        days, missing = column  # `missing`: the value of a document without one (no trie term matches it)
        field = self.searcher.schema[q.fieldname]
        if self.within_docnums is not None:
            return dense.range_within(self, q, field, days, missing)
        docnums = list(self.within)
        values = pick(days, docnums) if docnums else ()
        kept = map(missing.__ne__, values)
        if q.start is not None:
            low = field.prepare_number(q.start) + (1 if q.startexcl else 0)
            kept = map(and_, kept, map(low.__le__, values))
        if q.end is not None:
            high = field.prepare_number(q.end) - (1 if q.endexcl else 0)
            kept = map(and_, kept, map(high.__ge__, values))
        return dict.fromkeys(compress(docnums, kept), q.boost)

    def _docs(self, q: wq.Query):
        """The documents that match `q`, unscored (for constant-score filters)."""
        if type(q) is wq.Term:
            return self._term_docs(q)
        if isinstance(q, wq.Or) and all(type(sub) in (wq.Term, wq.TermRange) for sub in q.subqueries):
            found: set[int] = set()
            for sub in q.subqueries:
                found.update(self._docs(sub))
            return found
        if type(q) is wq.TermRange:
            found = set()
            for word in q._btexts(self.searcher.reader()):
                found.update(self._term_docs(wq.Term(q.fieldname, word)))
            return found
        return self._positive(q).keys()

    def _term_docs(self, q: wq.Term) -> set[int]:
        found: set[int] = set()
        btext = self._term_bytes(q)
        if btext is None:
            return found
        within = self.within  # an And's remaining documents: keep only those
        for leaf, info in zip(self.leaves, self._infos(q.fieldname, btext)):
            if info is None:
                continue
            for ids, _ in postings(leaf.reader, q.fieldname, btext, info=info, offset=leaf.offset):
                found.update(ids if within is None else within.intersection(ids))
            found.difference_update(self._deleted(leaf))
        return found

    def _term_bytes(self, q: wq.Term) -> bytes | None:
        schema = self.searcher.schema
        if q.fieldname not in schema:
            return None
        try:
            btext = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return None
        return btext if any(self._infos(q.fieldname, btext)) else None

    def _infos(self, fieldname: str, btext: bytes) -> list:
        """The term's info in each segment (None where it is absent), looked up once."""
        key = (fieldname, btext)
        found = self._info_cache.get(key)
        if found is None:
            found = self._info_cache[key] = [term_info(leaf.reader, fieldname, btext) for leaf in self.leaves]
        return found

    def _positive(self, q: wq.Query) -> Scores:
        result = self._node(q)
        return self._complement(result) if isinstance(result, _Complement) else result

    def _term(self, q: wq.Term) -> Scores:
        """BM25 score of every document with the term, a block at a time."""
        fieldname = q.fieldname
        btext = self._term_bytes(q)
        if btext is None:
            return {}
        if not isinstance(self.weighting, NewsBM25F):
            return self._whoosh(q)
        if not self.searcher.schema[fieldname].scorable:
            return self._term_weights(q, btext)
        infos = self._infos(fieldname, btext)
        doc_frequency = sum(info.doc_frequency() for info in infos if info is not None)
        out: Scores = {}
        if not doc_frequency:
            return out
        within = self.within
        if within is not None and len(within) * 8 < doc_frequency:
            return self._term_within(fieldname, btext, within, q.boost)
        found = self._dense_or([(q, btext, infos, doc_frequency)])
        if found is not None:
            return found
        for ids, values in self._scored_blocks(q, btext, infos, doc_frequency):
            out.update(zip(ids, values))
            self._check_time(out)
        return out

    def _scored_blocks(self, q: wq.Term, btext: bytes, infos: list, doc_frequency: int):
        """(ids, scores) of the term's live postings, a block at a time."""
        fieldname = q.fieldname
        idf, table = self._bm25(fieldname, doc_frequency)
        boost = q.boost
        lengths = self._lengths(fieldname)
        # the score of a posting that occurs once, per length byte: the same arithmetic
        once = [idf * ratio for ratio in table.ensure(1)[256:512]]
        if boost != 1.0:
            once = [boost * score for score in once]
        for leaf, info in zip(self.leaves, infos):
            if info is None:
                continue
            deleted = self._deleted(leaf)
            for ids, weights in postings(leaf.reader, fieldname, btext, info=info, offset=leaf.offset):
                length_bytes = bytes(pick(lengths, ids))
                if type(weights) is Ones:
                    values = pick(once, length_bytes)
                else:
                    values = ratios(table, length_bytes, weights)
                    values = map(idf.__mul__, values)
                    if boost != 1.0:
                        values = map(boost.__mul__, values)
                if deleted:
                    kept = [(d, score) for d, score in zip(ids, values) if d not in deleted]
                    ids, values = tuple(d for d, _ in kept), tuple(score for _, score in kept)
                yield ids, values

    def _deleted(self, leaf: Leaf) -> frozenset[int]:
        """The segment's deleted documents, as global docnums."""
        offset = leaf.offset
        return frozenset(map(offset.__add__, leaf.deleted)) if offset and leaf.deleted else leaf.deleted

    def _cache(self) -> dict:
        """Per-reader memo (a kept reader serves many searches; see readers.py)."""
        return self.searcher.reader().__dict__.setdefault("_searchkit_scoring", {})

    def _lengths(self, fieldname: str) -> bytes:
        """Every document's one-byte length of `fieldname`, indexed by global docnum."""
        cache = self._cache()
        key = ("lengths", fieldname)
        found = cache.get(key)
        if found is None:
            found = cache[key] = b"".join(length_bytes_of(leaf.reader, fieldname) for leaf in self.leaves)
        return found

    def _lengths_array(self, fieldname: str):
        """_lengths as a numpy array (no copy), kept with the reader."""
        cache = self._cache()
        key = ("length array", fieldname)
        found = cache.get(key)
        if found is None:
            found = cache[key] = dense.numpy().frombuffer(self._lengths(fieldname), dtype="uint8")
        return found

    def _norms_array(self, fieldname: str, table: RatioTable):
        """The table's norm per length byte, as a numpy array."""
        cache = self._cache()
        key = ("norm array", fieldname, id(table))
        found = cache.get(key)
        if found is None:
            found = cache[key] = dense.numpy().array(table.norms, dtype="float64")
        return found

    def _term_within(self, fieldname: str, btext: bytes, within: set[int], boost: float) -> Scores:
        """_term for the documents of `within` only (an And narrowed them down)."""
        blocks, deleted = self._blocks(fieldname, btext, within)
        docnums, tfs, _ = columns(blocks, within - deleted, places=False)
        scores = self._bm25_of(fieldname, btext, docnums, tfs)
        return dict(zip(docnums, scores if boost == 1.0 else map(boost.__mul__, scores)))

    def _term_weights(self, q: wq.Term, btext: bytes) -> Scores:
        """A term of an unscored field (person:, place:, …): Whoosh scores it by its weight."""
        out: Scores = {}
        boost = q.boost
        for leaf in self.leaves:
            deleted = self._deleted(leaf)
            for ids, weights in postings(leaf.reader, q.fieldname, btext, offset=leaf.offset):
                if boost != 1.0:
                    weights = map(boost.__mul__, weights)
                out.update((d, w) for d, w in zip(ids, weights) if d not in deleted)
        return out

    def _phrase(self, q: wq.Phrase) -> Scores:
        """Words in order within `slop` positions. Whoosh scores a phrase match as the
        sum of its words' scores in that field (SpanNear2 over an intersection).

        Rarest word first: its postings give the candidates, and each other word's
        blocks are read only where they may hold a candidate (a set intersection per
        block); then each word's tf and encoded positions for the candidates, and
        BM25 for the documents that match only."""
        schema = self.searcher.schema
        fieldname = q.fieldname
        field = schema[fieldname] if fieldname in schema else None
        if (field is None or not field.scorable or type(field.format) is not formats.Positions
                or not isinstance(self.weighting, NewsBM25F)):
            return self._whoosh(q)
        btexts = [self._term_bytes(wq.Term(fieldname, word)) for word in q.words]
        if not btexts or any(btext is None for btext in btexts):
            return {}
        frequencies = [self._estimate(wq.Term(fieldname, word)) for word in q.words]
        if (q.slop == 1 and len(btexts) > 1 and sum(frequencies) >= dense.DENSE_FROM
                and (self.within is None or len(self.within) >= dense.DENSE_WITHIN)
                and not getattr(self.weighting, "use_final", False)):
            found = dense.dense_phrase(self, q, fieldname, btexts, frequencies, self.within)
            if found is not None:
                return found
        candidates = self.within
        blocks: list = [None] * len(btexts)
        for index in sorted(range(len(btexts)), key=frequencies.__getitem__):
            blocks[index], deleted = self._blocks(fieldname, btexts[index], candidates)
            found: set[int] = set()
            for ids, _, _ in blocks[index]:
                found.update(ids if candidates is None else candidates.intersection(ids))
            candidates = found - deleted
            if not candidates:
                return {}
        words = [columns(word_blocks, candidates) for word_blocks in blocks]
        docnums = words[0][0]  # every word's columns follow the same sorted docnums
        if len(btexts) == 2 and q.slop == 1:
            matches = adjacent(words[0][2], words[1][2])
        else:
            places = [word[2] for word in words]
            matches = [in_order_within([word[at] for word in places], q.slop) for at in range(len(docnums))]
        matched = list(compress(docnums, matches))
        if not matched:
            return {}
        totals = None
        for btext, (_, tfs, _) in zip(btexts, words):
            scores = self._bm25_of(fieldname, btext, matched, list(compress(tfs, matches)))
            totals = scores if totals is None else list(map(add, totals, scores))
        if q.boost != 1.0:
            totals = map(q.boost.__mul__, totals)
        return dict(zip(matched, totals))

    def _blocks(self, fieldname: str, btext: bytes, within: set[int] | None = None):
        """([(global ids, weights, values) per block], deleted global docnums); with
        `within`, only the blocks that may hold one of those documents."""
        out, deleted = [], set()
        wanted = sorted(within) if within is not None else None
        for leaf, info in zip(self.leaves, self._infos(fieldname, btext)):
            if info is None:
                continue
            out.extend(postings(leaf.reader, fieldname, btext, values=True, info=info, offset=leaf.offset,
                                wanted=wanted))
            deleted.update(self._deleted(leaf))
            self._check_time({})
        return out, deleted

    def _bm25(self, fieldname: str, doc_frequency: int) -> tuple[float, RatioTable]:
        """(idf, ratio table) of a term of `fieldname`: its score in a document is
        idf * (K1 + 1) * tf / (tf + norm), as in whoosh.scoring.bm25 with
        norm = K1 * ((1 - B) + B * length / average length)."""
        searcher, weighting = self.searcher, self.weighting
        k1 = weighting.K1
        b = weighting._field_B.get(fieldname, weighting.B)
        avgfl = searcher.avg_field_length(fieldname) or 1
        cache = self._cache()
        key = ("ratios", fieldname, k1, b, avgfl)
        table = cache.get(key)
        if table is None:
            table = cache[key] = RatioTable(k1, norms(k1, b, avgfl))
        return bm25_idf(searcher.doc_count_all(), doc_frequency), table

    def _bm25_of(self, fieldname: str, btext: bytes, docnums: list[int], tfs: list[float]) -> list[float]:
        """BM25 of one term in `docnums` with term frequencies `tfs`, computed as
        `_term` computes it."""
        if not docnums:
            return []
        idf, table = self._bm25(fieldname, self.searcher.doc_frequency(fieldname, btext))
        length_bytes = bytes(pick(self._lengths(fieldname), docnums))
        return list(map(idf.__mul__, ratios(table, length_bytes, tfs)))

    def _or(self, q: wq.Or):
        """The sum of the children's scores, summed into the largest map: the work is
        then in proportion to the others (every node's map is made for its call and
        can be changed in place)."""
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            return self._node(subs[0])
        terms = self._or_terms(q)
        if terms is not None:
            found = self._dense_or(terms) if q.boost == 1.0 else None
            return found if found is not None else _boosted(self._or_of_terms(terms), q.boost)
        results: list[Scores] = []
        complements = []
        for sub in subs:
            try:
                result = self._node(sub)
            except TimedOut as stopped:  # keep what the earlier words found
                results.append(stopped.partial)
                raise TimedOut(_boosted(_summed(results), q.boost)) from None
            if isinstance(result, _Complement):
                complements.append(result)
            else:
                results.append(result)
            self._check_time({})
        results.extend(self._complement(complement) for complement in complements)
        out = _summed(results)
        return _boosted(out, q.boost)

    def _or_terms(self, q: wq.Or) -> list | None:
        """[(term, its bytes, infos, document frequency)] when `q` is an OR of terms of
        scored fields (ORs inside it flattened: each word in title and body), else None."""
        if (self.within is not None and self.within_docnums is None) or not isinstance(self.weighting, NewsBM25F):
            return None
        schema = self.searcher.schema
        found = []
        stack = [q]
        while stack:
            node = stack.pop()
            if type(node) is wq.Term:
                if node.fieldname not in schema or not schema[node.fieldname].scorable:
                    return None
                btext = self._term_bytes(node)
                if btext is not None:
                    infos = self._infos(node.fieldname, btext)
                    frequency = sum(info.doc_frequency() for info in infos if info is not None)
                    if frequency:
                        found.append((node, btext, infos, frequency))
            elif type(node) is wq.Or and (node is q or node.boost == 1.0) and not node.scale and not node.minmatch:
                stack.extend(node.subqueries)
            else:
                return None
        return found

    def _or_of_terms(self, terms: list) -> Scores:
        """The summed scores of terms: the commonest term's map, and every other term's
        postings added into it a block at a time (a C-level membership mask finds the
        documents already there; no map per term)."""
        if not terms:
            return {}
        terms = sorted(terms, key=lambda term: -term[3])
        out = self._term(terms[0][0])
        if isinstance(out, dense.DenseScores):  # a boosted OR whose commonest word is large
            out = dict(out.items())
        for term, btext, infos, frequency in terms[1:]:
            for ids, values in self._scored_blocks(term, btext, infos, frequency):
                add_block(out, ids, values)
            self._check_time(out)
        return out

    def _and(self, q: wq.And):
        """Children from the most selective; each later one is evaluated only within
        the documents still in the intersection (`self.within`)."""
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            return self._node(subs[0])
        out: Scores | None = None
        excluded: list = []
        outer = self.within
        try:
            for sub in sorted(subs, key=self._estimate):
                result = self._node(sub)
                if isinstance(result, _Complement):
                    excluded.append(result.scores)
                    continue
                if out is None:
                    out = result if isinstance(result, dense.DenseScores) else dict(result)
                elif isinstance(out, dense.DenseScores) or isinstance(result, dense.DenseScores):
                    out = dense.intersect_sum(out, result)
                else:
                    out = {docnum: score + result[docnum] for docnum, score in out.items() if docnum in result}
                if not out:
                    return {}
                if outer is None and isinstance(out, dense.DenseScores):
                    self.within = dense.DocSet(out.docnums)
                else:
                    self.within = set(out) if outer is None else outer.intersection(out)
        finally:
            self.within = outer
        if out is None:
            union: set[int] = set()
            for scores in excluded:
                union.update(scores)
            return _boosted(_Complement(union, len(excluded) * _NOT_SCORE), q.boost)
        if excluded:
            bonus = len(excluded) * _NOT_SCORE
            out = {docnum: score + bonus for docnum, score in out.items()
                   if not any(docnum in scores for scores in excluded)}
        return _boosted(out, q.boost)

    def _estimate(self, q: wq.Query) -> float:
        """About how many documents `q` matches, from term document frequencies only
        (Whoosh's estimate_size expands ranges: 5 ms for a date range); NOTs and
        anything else (ranges, wildcards) last, where they only filter."""
        if type(q) is wq.Term:
            btext = self._term_bytes(q)
            if btext is None:
                return 0
            return sum(info.doc_frequency() for info in self._infos(q.fieldname, btext) if info is not None)
        if type(q) is wq.Phrase:
            return min((self._estimate(wq.Term(q.fieldname, word)) for word in q.words), default=0)
        if isinstance(q, wq.Or) and not isinstance(q, wq.Not):
            return sum(self._estimate(sub) for sub in q.subqueries)
        if isinstance(q, wq.And):
            return min((self._estimate(sub) for sub in q.subqueries), default=0)
        return float("inf")

    def _and_not(self, q: wq.AndNot) -> Scores:
        kept = self._positive(q.a)
        if not kept:
            return kept
        dropped = self._positive(q.b)
        return {docnum: score for docnum, score in kept.items() if docnum not in dropped}

    def _and_maybe(self, q: wq.AndMaybe) -> Scores:
        required = self._positive(q.a)
        if not required:
            return required
        return and_maybe_scores(required, self._positive(q.b))

    def _whoosh(self, q: wq.Query) -> Scores:
        """Any other node: Whoosh's own matcher, walked to the end, per segment."""
        out: Scores = {}
        context = self.searcher.context(weighting=self.weighting)
        for leaf in self.leaves:
            matcher = q.matcher(leaf.searcher, context)
            offset = leaf.offset
            steps = 0
            while matcher.is_active():
                out[offset + matcher.id()] = matcher.score()
                matcher.next()
                steps += 1
                if steps % 4096 == 0:
                    self._check_time(out)
            self._check_time(out)
        return out

    # -- complements (a NOT on its own) ------------------------------------------------

    def _all_docs(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(self.searcher.reader().all_doc_ids())
        return self._all

    def _complement(self, complement: "_Complement") -> Scores:
        score = complement.score
        return {docnum: score for docnum in self._all_docs() if docnum not in complement.scores}


def matching_docs(searcher, q: wq.Query) -> Scores:
    """Every document that matches `q`, with its score (no time limit: counts must be exact)."""
    return Evaluator(searcher).scores(q)


class _Complement:
    """Every live document except `scores`' keys, each scoring `score` (a NOT)."""

    def __init__(self, scores, score: float = _NOT_SCORE) -> None:
        self.scores = scores
        self.score = score


def _summed(results: list[Scores]) -> Scores:
    """The sum of score maps, made in the largest of them."""
    if not results:
        return {}
    results = sorted(results, key=len, reverse=True)
    if any(isinstance(result, dense.DenseScores) for result in results):
        return dense.union_sum(results)
    out = results[0]
    for more in results[1:]:
        _add_into(out, more)
    return out


def _boosted(result, boost: float):
    if boost == 1.0:
        return result
    if isinstance(result, _Complement):
        return _Complement(result.scores, result.score * boost)
    return {docnum: score * boost for docnum, score in result.items()}
