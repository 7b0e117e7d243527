"""The held-out part of the HTML evaluation sets, fixed before any tuning.

A page is held out when the SHA-1 of its key (the url for the date set, the
page id for the body set) falls in the first 30% of the hash space. The rule
needs no list and no random state, so every run and every machine splits the
same way, and a page added to a set later lands in a part by the same rule.
Tune on the dev part only; look at the held-out part only to report it.
"""

from __future__ import annotations

import hashlib

HELD_OUT_SHARE = 0.3
PARTS = ("dev", "held-out")


def is_held_out(key: str) -> bool:
    """Whether the page with this key belongs to the held-out part."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") < HELD_OUT_SHARE * 2**32


def part_of(key: str) -> str:
    """'held-out' or 'dev'."""
    return PARTS[is_held_out(key)]
