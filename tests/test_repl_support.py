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
# Twelve stories of one kind, each with news of its own (one template alone would make
# them copies of each other, which searches fold into one hit).
WEEKLY_NEWS = (
    "Refiners in Texas bought more crude than expected while shipping rates fell sharply",
    "A cold spell across northern Europe lifted demand for heating fuel and diesel",
    "Chinese importers slowed purchases after port congestion delayed several large tankers",
    "Hedge funds cut their bets on higher prices for a third straight session",
    "Saudi officials hinted that production quotas could be revisited at the spring meeting",
    "Pipeline repairs in Canada kept thousands of barrels a day off the market",
    "Indian buyers signed long contracts with African producers at a steep discount",
    "Warm weather in America reduced gasoline stocks less than forecasters had predicted",
    "Insurers raised premiums for tankers crossing the Gulf after a reported drone sighting",
    "Brazilian offshore fields reached record output thanks to two new platforms",
    "Russian exporters rerouted cargoes through Turkish ports to avoid fresh sanctions",
    "Venezuelan supply recovered slowly as power cuts hit the main upgrading plants",
)
JSONL_ROWS = [
    {"id": f"econ-{n}", "title": f"Oil prices move in week {n}", "date": f"2020-0{1 + n % 9}-1{n % 10}",
     "text": f"NEW YORK: Oil prices changed in week {n} as traders watched Afghanistan and Opec. "
             f"{WEEKLY_NEWS[n - 1]}, analysts said."}
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
