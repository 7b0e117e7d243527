"""Stream the Reuters-21578 collection (../shared/data/reuters21578) as plain records.

    from reuters import iter_reuters          # with benchmarks/ on sys.path
    for story in iter_reuters(limit=100):
        story.newid, story.date, story.title, story.dateline, story.body, story.places, ...

`iter_reuters(data_dir=None, limit=None)` reads `reut2-*.sgm.gz` one file and one
article at a time (memory stays bounded) and yields `ReutersStory` records. The
files are Latin-1 SGML; `&#N;` character references (mostly control characters),
`&lt;`, `&gt;` and `&amp;` are decoded and control characters dropped. Gold
labels are tuples of lower-case codes as in `all-*-strings.lc.txt`. The data's
licence allows research use only: never copy it into the repository.

Run it to print a summary: `python benchmarks/reuters.py [--limit N]`.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "reuters21578"
LABELS = ("topics", "places", "people", "orgs", "exchanges")

_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CHAR_REF = re.compile(r"&#(\d+);")
_D = re.compile(r"<D>(.*?)</D>", re.S)
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$", re.I)
_CONTROL = {i: None for i in range(32) if chr(i) not in "\n\t"}


@dataclass(frozen=True)
class ReutersStory:
    """One <REUTERS> element. `date` is the raw DATE string; `dateline` the raw DATELINE."""

    newid: str
    date: str
    title: str
    dateline: str
    body: str
    type: str  # NORM, BRIEF or UNPROC
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    exchanges: tuple[str, ...] = ()
    lewissplit: str = ""

    def __getitem__(self, key: str):  # dict-style access for scripts that prefer it
        return getattr(self, key)


def unescape(text: str) -> str:
    """Decode the SGML character references and drop control characters."""
    text = _CHAR_REF.sub(lambda m: chr(int(m[1])) if int(m[1]) < 0x110000 else "", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.translate(_CONTROL)


def _element(block: str, tag: str) -> str:
    start = block.find(f"<{tag}")
    if start < 0:
        return ""
    start = block.index(">", start) + 1
    end = block.find(f"</{tag}>", start)
    return block[start:end if end >= 0 else len(block)]


def parse_story(block: str) -> ReutersStory:
    """One `<REUTERS …>…</REUTERS>` block (already decoded from Latin-1)."""
    attrs = dict(_ATTR.findall(block[: block.index(">")]))
    text_tag = block[block.find("<TEXT"): block.find(">", block.find("<TEXT")) + 1]
    text_type = dict(_ATTR.findall(text_tag)).get("TYPE", "NORM")
    text = _element(block, "TEXT")
    labels = {key: tuple(_D.findall(_element(block, key.upper()))) for key in LABELS}
    body = _element(text, "BODY")
    if not body and text_type == "UNPROC":
        body = text
    return ReutersStory(
        newid=attrs.get("NEWID", ""),
        date=unescape(_element(block, "DATE")).strip(),
        title=unescape(_element(text, "TITLE")).strip(),
        dateline=unescape(_element(text, "DATELINE")),
        body=_SIGN_OFF.sub("", unescape(body)),
        type=text_type,
        lewissplit=attrs.get("LEWISSPLIT", ""),
        **labels,
    )


def _blocks(path: Path) -> Iterator[str]:
    lines: list[str] = []
    with gzip.open(path, "rt", encoding="latin-1", newline="") as handle:
        for line in handle:
            if line.startswith("<REUTERS"):
                lines = [line]
            elif lines:
                lines.append(line)
                if line.startswith("</REUTERS>"):
                    yield "".join(lines)
                    lines = []


def iter_reuters(data_dir: str | Path | None = None, limit: int | None = None) -> Iterator[ReutersStory]:
    """Yield the stories of every `reut2-*.sgm.gz` in `data_dir`, in file order.

    `data_dir` defaults to ../shared/data/reuters21578 beside the repository;
    FileNotFoundError if it holds no such file. `limit` stops after that many.
    """
    folder = Path(data_dir) if data_dir else DEFAULT_DIR
    paths = sorted(folder.glob("reut2-*.sgm.gz"))
    if not paths:
        raise FileNotFoundError(f"no reut2-*.sgm.gz files in {folder}")
    count = 0
    for path in paths:
        for block in _blocks(path):
            if limit is not None and count >= limit:
                return
            count += 1
            yield parse_story(block)


def read_codes(kind: str, data_dir: str | Path | None = None) -> list[str]:
    """The gold code list of one label kind (`all-places-strings.lc.txt`, …)."""
    folder = Path(data_dir) if data_dir else DEFAULT_DIR
    text = (folder / f"all-{kind}-strings.lc.txt").read_text(encoding="latin-1")
    return [line.strip() for line in text.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="folder of reut2-*.sgm.gz")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    counts = {"stories": 0, "with body": 0, **{k: 0 for k in LABELS}}
    for story in iter_reuters(args.data, args.limit):
        counts["stories"] += 1
        counts["with body"] += bool(story.body.strip())
        for key in LABELS:
            counts[key] += bool(getattr(story, key))
    print(", ".join(f"{key}: {value}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
