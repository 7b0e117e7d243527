"""Shared fixtures. Real files, real indexes, all under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SEED_ARTICLE = ROOT / "seeds" / "000_be4fe0c3f01cfa7b.txt"


def shared_data(name: str) -> Path:
    """Path of a corpus in ../shared/data, or skip the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data is not on this machine)")
    return path
