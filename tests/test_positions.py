"""Positions in posting blocks: compact arrays that serve Whoosh's encoding, and the
phrase helpers that read them."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from searchkit.index.positions import ZippedPositions, decode, encode
from searchkit.index.postings import PackedValues, _smallest
from searchkit.search.blocks import Places, adjacent, in_order_within

position_lists = st.lists(st.integers(min_value=0, max_value=70_000), min_size=1, max_size=6, unique=True).map(sorted)


@settings(max_examples=150, deadline=None)
@given(st.lists(position_lists, min_size=1, max_size=40))
def test_a_block_of_positions_gives_back_whoosh_s_encoding(postings):
    whoosh = Positions()
    values = [whoosh.encode(places) for places in postings]
    block = pickle.loads(pickle.dumps(ZippedPositions.of(values, 1), 2))
    assert len(block) == len(values)
    assert [block[i] for i in range(len(values))] == values == list(block)
    places = Places()
    places.add(block, None, {})
    assert [places[at] for at in range(len(places))] == postings
    assert [encode(places) for places in postings] == values
    assert [decode(value) for value in values] == postings == [whoosh.decode_positions(v) for v in values]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(position_lists, position_lists), min_size=1, max_size=30), st.data())
def test_two_word_adjacency_and_slop_agree_with_a_plain_search(documents, data):
    """adjacent() on blocks written compactly and on Whoosh's own encoding (older
    blocks) equals looking for p and p + 1; in_order_within agrees with it at slop 1."""
    whoosh = Positions()
    firsts = [whoosh.encode(a) for a, _ in documents]
    seconds = [whoosh.encode(b) for _, b in documents]
    expected = [any(p + 1 in set(b) for p in a) for a, b in documents]
    chosen = sorted(data.draw(st.sets(st.integers(0, len(documents) - 1), min_size=1)))
    for first_block, second_block in ((ZippedPositions.of(firsts, 1), ZippedPositions.of(seconds, 1)),
                                      (_packed(firsts), _packed(seconds)),  # the format before
                                      (tuple(firsts), tuple(seconds))):  # Whoosh's own
        first, second = Places(), Places()
        first.add(first_block, chosen, {})
        second.add(second_block, chosen, {})
        found = adjacent(first, second)
        assert found == [expected[at] for at in chosen]
        assert [in_order_within([first[i], second[i]], 1) for i in range(len(chosen))] == found


def _packed(values: list[bytes]) -> PackedValues:
    ends, end = [], 0
    for value in values:
        end += len(value)
        ends.append(end)
    return PackedValues(b"".join(values), _smallest(ends))
