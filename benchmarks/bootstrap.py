"""How firm a comparison is: the share of bootstrap resamples in which it still holds."""

from __future__ import annotations

import random
from typing import Callable


def share_holding(count: int, holds: Callable[[list[int]], bool], samples: int = 1000, seed: int = 1,
                  rng: random.Random | None = None) -> float:
    """Share of `samples` resamples (with replacement) of `count` items, given to `holds` as
    the drawn indices, for which it is true: near 1 a real lead, near 0.5 a coin toss."""
    rng = rng or random.Random(seed)
    indices = range(count)
    return sum(bool(holds([rng.choice(indices) for _ in indices])) for _ in range(samples)) / samples
