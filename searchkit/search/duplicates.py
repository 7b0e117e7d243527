"""Near-duplicate articles (wire copies, re-posts), grouped at query time.

Each article's fingerprint is a bottom-k MinHash sketch of its word 4-shingles,
computed from the stored body when a result page is built. Two articles whose
estimated shingle resemblance reaches SIMILARITY are copies: the lower-ranked
one folds into the higher as "+N similar" (Hit.duplicates, Hit.duplicate_ids).
"""

from __future__ import annotations

import re

SHINGLE = 4
SKETCH = 64
SIMILARITY = 0.7
BANDS = 8  # smallest hashes used to find candidate copies
LOOKAHEAD = 10  # items looked at after the last group a page needs, for its copies
MIN_WORDS = 25  # shorter texts are too small to call copies of each other
_WORD = re.compile(r"\w+")


def fingerprint(text: str) -> frozenset[int]:
    """The SKETCH smallest hashes of the text's word shingles (empty when too short).

    Python's own tuple hash: sketches are compared within one process and
    never stored, so a per-process hash seed does not matter."""
    words = _WORD.findall((text or "").lower())
    if len(words) < MIN_WORDS:
        return frozenset()
    shingles = zip(*(words[i:] for i in range(SHINGLE)))
    return frozenset(sorted(set(map(hash, shingles)))[:SKETCH])


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    """Bottom-k estimate of the Jaccard resemblance of two shingle sets."""
    if not a or not b:
        return 0.0
    union_sketch = sorted(a | b)[:SKETCH]
    return sum(1 for h in union_sketch if h in a and h in b) / len(union_sketch)


def group_duplicates(items, text_of, threshold: float = SIMILARITY, needed: int | None = None,
                     lookahead: int = LOOKAHEAD) -> list[tuple[object, list]]:
    """Fold near-duplicates into the first (best-ranked) of their group.

    `items` may be a lazy iterable in rank order. Returns [(kept item, [folded
    items])] in the original order. With `needed`, stops `lookahead` items
    after the `needed`-th group is found: copies rank next to each other, so
    later items would only fold into groups that are never shown. Candidates
    are found through their smallest hashes (copies share them), so the cost
    stays linear in the number of items."""
    groups: list[tuple[object, list, frozenset[int]]] = []
    by_hash: dict[int, list[int]] = {}
    after = None  # items looked at since the needed-th group
    for item in items:
        if after is not None:
            if after >= lookahead:
                break
            after += 1
        sketch = fingerprint(text_of(item))
        smallest = sorted(sketch)[:BANDS]
        candidates = sorted({g for h in smallest for g in by_hash.get(h, ())})
        for index in candidates:
            if resemblance(sketch, groups[index][2]) >= threshold:
                groups[index][1].append(item)
                break
        else:
            for h in smallest:
                by_hash.setdefault(h, []).append(len(groups))
            groups.append((item, [], sketch))
            if needed is not None and len(groups) == needed:
                after = 0
    return [(kept, folded) for kept, folded, _ in groups]
