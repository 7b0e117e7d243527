"""Word positions in posting blocks: stored compact, served in Whoosh's encoding.

Whoosh encodes a posting's positions as a 4-byte count and a pickled list of
gaps: 14 bytes for a word that occurs once, and a pickle.loads to read. A
block of a field with positions here keeps them as two arrays — the number of
positions of each posting and all positions one after another — compressed
apart from the rest of the block (ZippedPositions). Scoring a term never
inflates them; a phrase slices them with C-level maps; Whoosh's own matcher
(merges, queries the evaluator leaves to Whoosh) gets each posting's value in
Whoosh's encoding, made on demand. Index files name ZippedPositions: it must
stay importable here.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate, repeat
from pickle import loads

SINGLE_POSITIONS = 4096  # lone positions encoded and decoded by table (an article's first 4,096 words)
_singles: dict[bytes, int] = {}
_encoded: list[bytes] = []


def _tables() -> tuple[dict[bytes, int], list[bytes]]:
    """Whoosh's encoding of each lone position below SINGLE_POSITIONS, both ways
    (made once, about 2 ms)."""
    if not _encoded:
        from whoosh.formats import Positions

        encode = Positions().encode
        _encoded.extend(encode([place]) for place in range(SINGLE_POSITIONS))
        _singles.update(zip(_encoded, range(SINGLE_POSITIONS)))
    return _singles, _encoded


def single_positions() -> dict[bytes, int]:
    """Encoded value -> position, for a word that occurs once (below SINGLE_POSITIONS)."""
    return _tables()[0]


def encode(places) -> bytes:
    """whoosh.formats.Positions.encode."""
    if len(places) == 1 and places[0] < SINGLE_POSITIONS:
        return _tables()[1][places[0]]
    from whoosh.formats import Positions

    return Positions().encode(list(places))


def decode(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions."""
    single = single_positions().get(value)
    if single is not None:
        return [single]
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[4:])))


def narrowest_typecode(top: int) -> str:
    """The narrowest unsigned array typecode that holds 0..top."""
    return "B" if top < 0x100 else "H" if top < 0x10000 else "I"


def _narrowest(values: list[int]) -> array:
    return array(narrowest_typecode(max(values, default=0)), values)


class PositionsBlock:
    """A block's positions, inflated: `counts[i]` positions of posting i start at
    `starts[i]` in `flat`. [i] gives posting i's value in Whoosh's encoding."""

    __slots__ = ("counts", "flat", "starts")

    def __init__(self, counts: array, flat: array) -> None:
        self.counts = counts
        self.flat = flat
        self.starts = list(accumulate(counts, initial=0))

    def __len__(self) -> int:
        return len(self.counts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.counts)))]
        if index < 0:
            index += len(self.counts)
        start = self.starts[index]
        return encode(self.flat[start:start + self.counts[index]])

    def __iter__(self):
        return (self[i] for i in range(len(self.counts)))


class ZippedPositions:
    """A block's positions as compressed arrays, inflated on first use."""

    __slots__ = ("blob", "_block")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self._block: PositionsBlock | None = None

    def __reduce__(self):
        return (ZippedPositions, (self.blob,))

    @classmethod
    def of(cls, values: list[bytes], level: int) -> "ZippedPositions":
        """From Whoosh-encoded values (a lone position by table lookup)."""
        heads = list(map(single_positions().get, values, repeat(None)))
        if None not in heads:  # every posting a lone position
            flat, counts = heads, [1] * len(heads)
        else:
            flat, counts = [], []
            for value, head in zip(values, heads):
                if head is None:
                    places = decode(value)
                    flat.extend(places)
                    counts.append(len(places))
                else:
                    flat.append(head)
                    counts.append(1)
        count_array, flat_array = _narrowest(counts), _narrowest(flat)
        head = (count_array.typecode + flat_array.typecode).encode() + len(counts).to_bytes(4, "little")
        return cls(zlib.compress(head + count_array.tobytes() + flat_array.tobytes(), level))

    def packed(self) -> PositionsBlock:
        found = self._block
        if found is None:
            raw = zlib.decompress(self.blob)
            counts, flat = array(chr(raw[0])), array(chr(raw[1]))
            middle = 6 + int.from_bytes(raw[2:6], "little") * counts.itemsize
            counts.frombytes(raw[6:middle])
            flat.frombytes(raw[middle:])
            found = self._block = PositionsBlock(counts, flat)
        return found

    def __len__(self) -> int:
        return len(self.packed())

    def __getitem__(self, index):
        return self.packed()[index]

    def __iter__(self):
        return iter(self.packed())
