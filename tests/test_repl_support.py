"""Shared pieces of the REPL tests: a small real corpus, its index, an isolated home.

No tests here; the test_repl_*.py modules import from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SEED_TEXTS = {
    "burns.txt": (
        "date 2021-09-12\n"
        "ISLAMABAD: CIA chief William Burns met army chief Gen Qamar Bajwa in Islamabad on Wednesday "
        "to discuss the situation in Afghanistan, a security source said.\n\n"
        "Burns had come to share US concerns about the new situation in Afghanistan.\n"
    ),
    "spymasters.txt": (
        "date 2021-09-11\n"
        "ISLAMABAD: Pakistan hosted a meeting of spymasters from Russia, China and Iran on the "
        "situation in Afghanistan, an intelligence source said.\n"
    ),
    "kabul.txt": (
        "date 2021-08-15\n"
        "KABUL: Taliban fighters entered Kabul on Sunday as President Ashraf Ghani left Afghanistan, "
        "officials said.\n"
    ),
}
JSONL_ROWS = [
    {"id": f"econ-{n}", "title": f"Oil prices move in week {n}", "date": f"2020-0{1 + n % 9}-1{n % 10}",
     "text": f"NEW YORK: Oil prices changed in week {n} as traders watched Afghanistan and Opec. "
             "Analysts said markets were calm."}
    for n in range(1, 13)
]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SEED_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = [json.dumps(row) for row in JSONL_ROWS]
    (folder / "economy.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build_index(root: Path) -> Path:
    """A real index of the small corpus under `root`; returns its folder."""
    import searchkit

    corpus = write_corpus(root / "corpus")
    index = root / "index"
    searchkit.index_folder([corpus], index)
    return index


@pytest.fixture(scope="session")
def repl_index(tmp_path_factory) -> Path:
    """One index for the read-only REPL tests."""
    return build_index(tmp_path_factory.mktemp("repl"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch) -> Path:
    """HOME, XDG folders and the pager point into tmp_path: nothing touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("PAGER", "")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home
