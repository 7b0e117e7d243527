"""Corpora and the query set for benchmarks/speed.py.

Reuters-21578 is converted on the fly into searchkit's JSON Lines input (id,
title, date, dateline, text), 1,000 articles a file, in a temporary folder;
the 5x version repeats every article with a new id and lightly perturbed
text. The Wikinews sample is read from seeds/*.jsonl as it is. Nothing here is
ever written into the repository.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
PER_FILE = 1000
SEED = 20260601


@dataclass
class Corpus:
    """A folder of JSON Lines files ready to index, and what it holds."""

    name: str
    files: list[Path]
    articles: int
    text_bytes: int  # UTF-8 bytes of titles and bodies: the "raw text"
    sample: list[dict] = field(default_factory=list)  # rows the query set is drawn from


def perturb(text: str, rng: random.Random) -> str:
    """Drop about 3% of the words and swap about 2% of neighbouring pairs."""
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < 0.03:
            continue
        if roll < 0.05 and out:
            out[-1], word = word, out[-1]
        out.append(word)
    return " ".join(out)


def _reuters_rows(copies: int, limit: int | None, data_dir=None):
    from reuters import iter_reuters

    rng = random.Random(SEED)
    for copy in range(copies):
        for story in iter_reuters(data_dir, limit=limit):
            text = story.body.strip() or story.title
            if not text.strip():
                continue
            row = {"id": f"reuters-{story.newid}", "title": story.title, "date": story.date,
                   "dateline": story.dateline.strip(), "text": text}
            if copy:
                row["id"] += f"-copy{copy}"
                row["text"] = perturb(text, rng)
            yield row


def write_reuters(folder: Path, copies: int = 1, limit: int | None = None,
                  data_dir: Path | None = None) -> Corpus | None:
    """Reuters (times `copies`) as JSON Lines files in `folder`; None when the data is absent."""
    try:
        rows = _reuters_rows(copies, limit, data_dir)
        first = next(rows)
    except (FileNotFoundError, StopIteration):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    name = "reuters" if copies == 1 else f"reuters-{copies}x"
    corpus = Corpus(name, [], 0, 0)
    handle = None
    for row in _chain(first, rows):
        if corpus.articles % PER_FILE == 0:
            if handle:
                handle.close()
            path = folder / f"part-{len(corpus.files):04d}.jsonl"
            corpus.files.append(path)
            handle = path.open("w", encoding="utf-8")
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        _count(corpus, row)
    handle.close()
    return corpus


def reuters_sample(copies: int = 1, data_dir: Path | None = None) -> Corpus | None:
    """The query sample write_reuters would keep for Reuters times `copies`, without
    writing the corpus (its counts stop where the sample is full); None without the data."""
    corpus = Corpus("reuters" if copies == 1 else f"reuters-{copies}x", [], 0, 0)
    try:
        for row in _reuters_rows(copies, None, data_dir):
            _count(corpus, row)
            if len(corpus.sample) >= 3000:
                break
    except FileNotFoundError:
        return None
    return corpus if corpus.articles else None


def _chain(first, rest):
    yield first
    yield from rest


def _count(corpus: Corpus, row: dict) -> None:
    corpus.articles += 1
    corpus.text_bytes += len((row.get("title") or "").encode()) + len((row.get("text") or "").encode())
    if len(corpus.sample) < 3000 and corpus.articles % 3 == 0:
        corpus.sample.append(row)


def read_seeds(seeds: Path = ROOT / "seeds") -> Corpus | None:
    files = sorted(seeds.glob("*.jsonl"))
    if not files:
        return None
    corpus = Corpus("wikinews", files, 0, 0)
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    _count(corpus, json.loads(line))
    return corpus


# -- the query set ---------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset("""that this with from have said were will would their there which about after
into been also than they them were other more most some such only over then when what where
while year years reuter reuters""".split())


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # searchkit's query syntax
    base: str  # the plain Whoosh script's query (text part; see baseline_whoosh.search)
    facets: bool = False


def _vocabulary(sample: list[dict]) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    words: Counter = Counter()
    pairs: Counter = Counter()
    for row in sample:
        tokens = [w.lower() for w in _WORD.findall(row.get("text", ""))]
        words.update(t for t in tokens if t not in _STOP)
        pairs.update((a, b) for a, b in zip(tokens, tokens[1:]) if a not in _STOP and b not in _STOP)
    common = [w for w, n in words.most_common(3000) if n >= 5]
    phrases = [p for p, n in pairs.most_common(400) if n >= 5]
    dates = sorted({str(row.get("date", ""))[:11] for row in sample if row.get("date")})
    return common, phrases, dates


def build_queries(corpus: Corpus, places: list[str]) -> list[Query]:
    """A fixed, seeded set of queries drawn from the corpus's own words."""
    rng = random.Random(SEED)
    words, phrases, _ = _vocabulary(corpus.sample)
    pick = lambda n: rng.sample(words, n)  # noqa: E731
    queries = [Query("word", w, w) for w in pick(20)]
    queries += [Query("two words", " ".join(p), " ".join(p)) for p in (pick(2) for _ in range(15))]
    queries += [Query("three words", " ".join(p), " ".join(p)) for p in (pick(3) for _ in range(10))]
    for a, b in rng.sample(phrases, min(10, len(phrases))):
        queries.append(Query("phrase", f'"{a} {b}"', f'"{a} {b}"'))
    queries += [Query("OR of five", " OR ".join(p), " OR ".join(p)) for p in (pick(5) for _ in range(10))]
    for place in rng.sample(places, min(6, len(places))):
        word = pick(1)[0]
        queries.append(Query("entity filter", f"{word} place:{place}", f"{word} {place}"))
    years = _years(corpus)
    for word in pick(6):
        first, last = years
        queries.append(Query("date range", f"{word} date:[{first} TO {last}]", f"{word} @{first}:{last}"))
    queries += [Query("with facets", w, w, facets=True) for w in pick(8)]
    return queries


def _years(corpus: Corpus) -> tuple[str, str]:
    if corpus.name.startswith("reuters"):
        return "1987-03-01", "1987-03-15"
    return "2008-01-01", "2010-12-31"
