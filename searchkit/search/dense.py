"""Scoring a large OR of words with numpy: every match's score in a few array operations.

The dict path (evaluate.py) costs about half a microsecond per posting: fine on
a few thousand, most of a search on a large archive, where one common word has
50,000 postings at 25x Reuters. Here each term's postings are read a block at a
time into arrays (docnums from the stored gaps, term frequencies as stored), its
BM25 is computed over the whole array, and the scores are summed into one array
as long as the index has documents; the matches, their count and the best N come
from array operations too (`DenseScores`).

Same numbers, bit for bit: each term's score is idf * (K1 + 1) * tf / (tf + norm)
in the order whoosh.scoring.bm25 computes it (numpy's float64 operations round as
Python's floats do), boosts multiply it as the dict path multiplies them, and the
terms are summed in the dict path's order (the commonest first). Used only where
that holds: an OR of words (or one word) of scored fields, no recency factor.
numpy is imported only when a query is large enough to use it.
"""

from __future__ import annotations

from collections.abc import Mapping

DENSE_FROM = 2_000  # postings in the query: below this the dict path is as fast (measured at 1x and 25x)
DENSE_WITHIN = 2_000  # a phrase inside an And: documents still possible, below which the dict path is as fast


def numpy():
    import numpy as np

    return np


class DenseScores(Mapping):
    """docnum -> score for every match, held as two arrays (docnums ascending).
    A read-only mapping like the dict it stands for; `best(n)` ranks without one."""

    __slots__ = ("docnums", "values", "_dict")

    def __init__(self, docnums, values) -> None:
        self.docnums = docnums
        self.values = values
        self._dict: dict | None = None

    def __len__(self) -> int:
        return int(self.docnums.shape[0])

    def __iter__(self):
        return iter(self.docnums.tolist())

    def keys(self):
        return self.docnums.tolist()

    def items(self):
        return zip(self.docnums.tolist(), self.values.tolist())

    def as_dict(self) -> dict:
        if self._dict is None:
            self._dict = dict(self.items())
        return self._dict

    def __getitem__(self, docnum: int) -> float:
        """One score, found in the arrays until a dict is made (a lookup need not make one)."""
        if self._dict is not None:
            return self._dict[docnum]
        at = int(numpy().searchsorted(self.docnums, docnum))
        if at < len(self.docnums) and int(self.docnums[at]) == docnum:
            return float(self.values[at])
        raise KeyError(docnum)

    def best(self, window: int | None) -> list[tuple[int, float]]:
        """The best `window` (docnum, score) pairs (all when None), best first, ties
        to the earlier docnum: what searcher._ranked gives for a dict."""
        np = numpy()
        docnums, values = self.docnums, self.values
        if window is not None and window < len(values):
            floor = np.partition(values, len(values) - window)[len(values) - window]
            kept = values >= floor  # the window-th best: ties with it are kept too
            docnums, values = docnums[kept], values[kept]
        order = np.lexsort((docnums, -values))
        if window is not None:
            order = order[:window]
        return list(zip(docnums[order].tolist(), values[order].tolist()))

    def by_date(self, days) -> list[tuple[int, float]]:
        """Every pair, newest first (`days`: YYYYMMDD per docnum, 0 undated), then
        by score, then by docnum."""
        np = numpy()
        docnums, values = self.docnums, self.values
        order = np.lexsort((docnums, -values, -days[docnums]))
        return list(zip(docnums[order].tolist(), values[order].tolist()))


def added_where_found(required: DenseScores, optional: DenseScores) -> DenseScores:
    """An AndMaybe's scores: `required`'s matches, each with `optional`'s score added where
    it has one (the dict path's `score + optional.get(docnum, 0.0)`, the same floats)."""
    np = numpy()
    values = required.values.copy()
    if len(optional):
        at = np.minimum(np.searchsorted(optional.docnums, required.docnums), len(optional) - 1)
        found = optional.docnums[at] == required.docnums
        values[found] += optional.values[at[found]]
    return DenseScores(required.docnums, values)


class DocSet:
    """An And's remaining documents as its DenseScores holds them (an ascending array);
    the Python set that the dict paths take is made only when one asks for it (60,000
    documents at 25x Reuters: 2 ms, for the numpy paths that never use it)."""

    __slots__ = ("docnums", "_set")

    def __init__(self, docnums) -> None:
        self.docnums = docnums
        self._set: frozenset[int] | None = None

    def as_set(self) -> frozenset[int]:
        if self._set is None:
            self._set = frozenset(self.docnums.tolist())
        return self._set

    def __len__(self) -> int:
        return len(self.docnums)

    def __iter__(self):
        return iter(self.docnums.tolist())

    def __contains__(self, docnum) -> bool:
        return docnum in self.as_set()

    def intersection(self, other) -> frozenset[int]:
        return self.as_set().intersection(other)

    def __sub__(self, other) -> frozenset[int]:
        return self.as_set() - other


def as_arrays(np, scores) -> tuple:
    """(docnums ascending, scores) of a DenseScores or a dict, as arrays."""
    if isinstance(scores, DenseScores):
        return scores.docnums, scores.values
    docnums = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    order = np.argsort(docnums, kind="stable")
    return docnums[order], values[order]


def intersect_sum(first, second) -> DenseScores:
    """The documents in both maps, each scored first's score + second's (an And's
    order of addition)."""
    np = numpy()
    docs_a, values_a = as_arrays(np, first)
    docs_b, values_b = as_arrays(np, second)
    common, at_a, at_b = np.intersect1d(docs_a, docs_b, assume_unique=True, return_indices=True)
    return DenseScores(common, values_a[at_a] + values_b[at_b])


def union_sum(results: list) -> DenseScores:
    """The documents in any of the maps, each scored the sum of its scores, added in
    the maps' order (evaluate._summed's)."""
    np = numpy()
    arrays = [as_arrays(np, result) for result in results]
    size = 1 + max((int(docnums[-1]) for docnums, _ in arrays if len(docnums)), default=-1)
    summed = np.zeros(size)
    matched = np.zeros(size, dtype=bool)
    for docnums, values in arrays:
        summed[docnums] += values
        matched[docnums] = True
    docnums = np.flatnonzero(matched)
    return DenseScores(docnums, summed[docnums])


def range_within(evaluator, q, field, days, missing) -> DenseScores:
    """Evaluator._range_within over the And's documents as an array: each one's value
    in the field's column (a numpy copy of `days`, kept with the reader) compared
    with the range's ends; every match scores the range's boost."""
    np = numpy()
    cache = evaluator._cache()
    key = ("number array", q.fieldname)
    if cache.get(key) is None or len(cache[key]) != len(days):
        cache[key] = np.asarray(days, dtype=np.int64)
    docnums = evaluator.within_docnums
    values = cache[key][docnums]
    kept = values != missing
    if q.start is not None:
        kept &= values >= field.prepare_number(q.start) + (1 if q.startexcl else 0)
    if q.end is not None:
        kept &= values <= field.prepare_number(q.end) - (1 if q.endexcl else 0)
    found = docnums[kept]
    return DenseScores(found, np.full(len(found), float(q.boost)))


def block_arrays(np, matcher) -> tuple:
    """(docnums, term frequencies) of the W3LeafMatcher's current block, as arrays
    (docnums without the segment's offset)."""
    matcher._read_data()
    ids, weights = matcher._data[0], matcher._data[1]
    ids = np.asarray(ids, dtype=np.int64)
    if not matcher._byteids:  # gaps, the first one from 0 (W3LeafMatcher._read_ids)
        ids = np.cumsum(ids)
    if weights is None:
        tfs = np.ones(len(ids))
    elif isinstance(weights, float):
        tfs = np.full(len(ids), weights)
    else:
        tfs = np.asarray(weights, dtype=np.float64)
    return ids, tfs


def term_arrays(np, reader, fieldname: str, info, offset: int) -> tuple:
    """(global docnums, term frequencies) of a term's postings in one segment."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        ids = np.asarray(ids, dtype=np.int64) + offset
        tfs = np.asarray(weights, dtype=np.float64) if weights else np.ones(len(ids))
        return ids, tfs
    start, length = info.extent()
    matcher = W3LeafMatcher(reader._terms._postfile, start, length, reader.schema[fieldname].format)
    all_ids, all_tfs = [], []
    while True:
        ids, tfs = block_arrays(np, matcher)
        all_ids.append(ids)
        all_tfs.append(tfs)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    ids = np.concatenate(all_ids) if len(all_ids) > 1 else all_ids[0]
    if offset:
        ids += offset
    return ids, np.concatenate(all_tfs) if len(all_tfs) > 1 else all_tfs[0]


def dense_or(evaluator, terms: list) -> DenseScores:
    """The scores of an OR of terms ([(Term, bytes, infos, document frequency)], as
    Evaluator._or_terms gives them), summed in the dict path's order (the most
    frequent term first). Past the evaluator's deadline, raises TimedOut with the
    terms scored so far."""
    from .evaluate import TimedOut

    np = numpy()
    scored: list = []  # (docnums, scores) of each term, in the order they are summed
    deleted: set[int] = set()
    for term, btext, infos, frequency in sorted(terms, key=lambda term: -term[3]):
        fieldname = term.fieldname
        idf, table = evaluator._bm25(fieldname, frequency)
        norms = evaluator._norms_array(fieldname, table)
        lengths = evaluator._lengths_array(fieldname)
        parts = []
        for leaf, info in zip(evaluator.leaves, infos):
            if info is not None:
                deleted.update(evaluator._deleted(leaf))
                parts.append(term_arrays(np, leaf.reader, fieldname, info, leaf.offset))
        if parts:
            ids = np.concatenate([ids for ids, _ in parts]) if len(parts) > 1 else parts[0][0]
            tfs = np.concatenate([tfs for _, tfs in parts]) if len(parts) > 1 else parts[0][1]
            ratios = (table.k1_plus_1 * tfs) / (tfs + norms[lengths[ids]])
            scores = idf * ratios
            if term.boost != 1.0:
                scores = term.boost * scores
            scored.append((ids, scores))
        if evaluator.past_deadline():
            raise TimedOut(_summed(np, scored, deleted, evaluator.searcher.doc_count_all()))
    return _summed(np, scored, deleted, evaluator.searcher.doc_count_all())


def _within(np, docnums, ids, at=None) -> bool:
    """Whether every one of `ids` is in `docnums` (both ascending); `at`: their places
    in `docnums` (np.searchsorted), when known."""
    if not len(ids):
        return True
    if len(ids) > len(docnums):
        return False
    at = np.searchsorted(docnums, ids) if at is None else at
    return bool(at[-1] < len(docnums)) and np.array_equal(docnums[at], ids)


def _summed(np, scored: list, deleted: set, size: int) -> DenseScores:
    """Each document's scores summed in `scored`'s order, deleted documents left out.
    When the first part holds every other part's documents (one word in the body and
    the title: the body holds the title), its arrays are the result; else arrays as
    long as the index."""
    docnums = summed = None
    if scored:
        first, first_scores = scored[0]
        places = []
        for ids, _ in scored[1:]:
            if not _within(np, first, ids[::max(1, len(ids) // 16)]):  # a sample first: most ORs differ
                break
            at = np.searchsorted(first, ids)
            if not _within(np, first, ids, at):
                break
            places.append(at)
        else:
            docnums, summed = first, first_scores.copy()
            for at, (_, scores) in zip(places, scored[1:]):
                summed[at] += scores
    if docnums is None and scored and sum(len(ids) for ids, _ in scored) * MERGED_BELOW < size:
        docnums, summed = _merged(np, scored)
    elif docnums is None:
        summed = np.zeros(size)
        matched = np.zeros(size, dtype=bool)
        for ids, scores in scored:
            summed[ids] += scores
            matched[ids] = True
        docnums = np.flatnonzero(matched)
        summed = summed[docnums]
    if deleted and len(docnums):
        kept = ~np.isin(docnums, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        docnums, summed = docnums[kept], summed[kept]
    return DenseScores(docnums, summed)


MERGED_BELOW = 8  # postings, times this, fewer than the index's documents: merged, not spread over arrays that long


def _merged(np, scored: list) -> tuple:
    """(docnums, summed scores) of `scored`'s parts merged by a stable sort of their
    documents, each document's scores added in `scored`'s order (np.add.at adds in
    index order): the same floats as spreading them over arrays as long as the index,
    in time that grows with the postings rather than the index."""
    ids = np.concatenate([ids for ids, _ in scored])
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    first = np.empty(len(ids), dtype=bool)
    first[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    places = np.cumsum(first) - 1
    summed = np.zeros(int(places[-1]) + 1 if len(places) else 0)
    np.add.at(summed, places, np.concatenate([scores for _, scores in scored])[order])
    return ids[first], summed


def _phrase_word(np, evaluator, fieldname: str, btext: bytes, wanted) -> tuple | None:
    """(global docnums, term frequencies, [(block's first index, its ZippedPositions)])
    of a word's postings, only from the blocks that may hold a document of `wanted`
    (an ascending array; None: every block); None when a block keeps its positions in
    an older encoding (the dict path reads those). Positions stay compressed until
    `_positions` needs them."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from ..index.positions import ZippedPositions

    ids_parts, tfs_parts, blocks = [], [], []
    held = 0
    for leaf, info in zip(evaluator.leaves, evaluator._infos(fieldname, btext)):
        if info is None:
            continue
        if info.is_inlined():
            return None
        start, length = info.extent()
        matcher = W3LeafMatcher(leaf.reader._terms._postfile, start, length, leaf.reader.schema[fieldname].format)
        first = leaf.offset  # the first docnum the current block may hold
        while True:
            last = leaf.offset + matcher._maxid
            if wanted is None or np.searchsorted(wanted, first) < np.searchsorted(wanted, last, side="right"):
                ids, tfs = block_arrays(np, matcher)
                positions = matcher._data[2]
                if type(positions) is not ZippedPositions:
                    return None
                ids_parts.append(ids + leaf.offset if leaf.offset else ids)
                tfs_parts.append(tfs)
                blocks.append((held, positions))
                held += len(ids)
            if matcher._lastblock:
                break
            first = last + 1
            matcher._goto(matcher._nextoffset)
    if not blocks:
        return np.zeros(0, np.int64), np.zeros(0), []
    return np.concatenate(ids_parts), np.concatenate(tfs_parts), blocks


def _positions(np, blocks: list, keep) -> tuple:
    """(each kept posting's docnum index, its positions) of the postings marked in
    `keep`, decompressing only the blocks that hold one: (posting indexes repeated
    once per position, the positions), both in posting order. The blocks' arrays are
    joined as they are, and only the kept postings' positions are taken out of them
    (a rare word's documents keep a few postings of each block of a common word)."""
    import zlib

    counts, places, kept, shifts, lengths = [], [], [], [], []
    ends = [start for start, _ in blocks[1:]] + [len(keep)]
    held = 0  # postings in the blocks read so far
    for (start, zipped), end in zip(blocks, ends):
        block_keep = keep[start:end]
        if not block_keep.any():
            continue
        raw = zlib.decompress(zipped.blob)
        count_type, place_type = np.dtype(chr(raw[0])), np.dtype(chr(raw[1]))
        size = int.from_bytes(raw[2:6], "little")
        counts.append(np.frombuffer(raw, dtype=count_type, count=size, offset=6))
        places.append(np.frombuffer(raw, dtype=place_type, offset=6 + size * count_type.itemsize))
        kept.append(block_keep)
        shifts.append(start - held)  # a read posting's index in `keep`, less its index among the read
        lengths.append(size)
        held += size
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    counts = np.concatenate(counts).astype(np.int64, copy=False) if len(counts) > 1 else counts[0].astype(np.int64)
    places = np.concatenate(places) if len(places) > 1 else places[0]
    chosen = np.flatnonzero(np.concatenate(kept) if len(kept) > 1 else kept[0])
    taken = counts[chosen]
    firsts = np.cumsum(counts)[chosen] - taken  # where each chosen posting's positions start
    gathered = np.cumsum(taken)
    # output place j, of chosen posting i: firsts[i] + j - (where i's positions start in the output)
    at = np.repeat(firsts - (gathered - taken), taken) + np.arange(int(gathered[-1]) if len(gathered) else 0)
    indexes = chosen + np.array(shifts, dtype=np.int64)[np.searchsorted(np.cumsum(lengths), chosen, side="right")]
    return np.repeat(indexes, taken), places[at].astype(np.int64)


def _members(np, values, sorted_set):
    """Which of `values` are in `sorted_set` (an ascending array), by binary search."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_set, values)
    at[at == len(sorted_set)] = 0
    return sorted_set[at] == values


def dense_phrase(evaluator, q, fieldname: str, btexts: list, frequencies: list, within=None):
    """Evaluator._phrase for words next to each other (slop 1), with arrays: the
    rarest word's documents are the candidates, each other word's blocks are read
    only where they may hold one, and a document matches when word i occurs at
    position p + i for some p. Scored as the dict path scores a phrase. None when
    the index keeps positions in an older encoding. `within`: the only documents
    that may match (an And's), or None."""
    np = numpy()
    words: list = [None] * len(btexts)
    wanted = None
    if isinstance(within, DocSet):
        wanted = within.docnums
    elif within is not None:
        wanted = np.fromiter(within, dtype=np.int64, count=len(within))
        wanted.sort()
    for index in sorted(range(len(btexts)), key=frequencies.__getitem__):
        found = _phrase_word(np, evaluator, fieldname, btexts[index], wanted)
        if found is None:
            return None
        words[index] = found
        wanted = found[0] if wanted is None else wanted[_members(np, wanted, found[0])]
        if not len(wanted):
            return DenseScores(wanted, np.zeros(0))
    deleted = set()
    for leaf in evaluator.leaves:
        deleted.update(evaluator._deleted(leaf))
    if deleted:
        wanted = wanted[~np.isin(wanted, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))]
    # (docnum, position - word's place in the phrase) of each word, for the candidates
    # (both ascending: docnums ascend, and a document's positions ascend)
    places = None
    for index, (ids, _, blocks) in enumerate(words):
        keep = np.zeros(len(ids), dtype=bool)
        keep[np.searchsorted(ids, wanted)] = True  # every candidate has every word
        postings, flat = _positions(np, blocks, keep)
        keys = (ids[postings] << 32) | (flat - index + (1 << 31))
        places = keys if places is None else places[_members(np, places, keys)]
    docs = places >> 32
    matched = docs[np.concatenate(([True], docs[1:] != docs[:-1]))] if len(docs) else docs
    totals = None
    for btext, (ids, tfs, _) in zip(btexts, words):
        idf, table = evaluator._bm25(fieldname, evaluator.searcher.doc_frequency(fieldname, btext))
        at = np.searchsorted(ids, matched)
        word_tfs = tfs[at]
        lengths = evaluator._lengths_array(fieldname)[matched]
        ratios = (table.k1_plus_1 * word_tfs) / (word_tfs + evaluator._norms_array(fieldname, table)[lengths])
        scores = idf * ratios
        totals = scores if totals is None else totals + scores
    if q.boost != 1.0:
        totals = q.boost * totals
    return DenseScores(matched, totals)
