"""Readers for the ad-hoc retrieval test collections in ../shared/data/ir/.

Each reader returns a Collection: documents (id, title, body), queries
(id, text) and relevance judgments {query id: {doc id: grade}} with only the
relevant pairs kept. Quirks handled (see ../shared/data/MANIFEST.md):

- SMART records (.I/.T/.A/.W/.B/.X) for CISI, Cranfield and MED (CRLF too).
- Cranfield: cran.qry ids run 001…365 with gaps, but cranqrel numbers the
  queries 1…225 in file order; judgment code -1 counts as NOT relevant.
- TIME: TIME.REL numbers documents by their position in TIME.ALL, not by the
  *TEXT number; it cites 424 and 425, which do not exist (they stay in the
  judgments, so they count as relevant but unretrievable).
- MED.REL lines are `qid 0 docid 1`; CISI.REL lines are `qid docid 0 0.0`.

Each collection's judged queries are split, before any tuning, into a dev part
(tune on it) and a held-out part (about a third, never tuned on), by a hash of
the collection's name and the query id: the same split on every machine and run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Collection:
    name: str
    docs: list[tuple[str, str, str]]  # (id, title, body)
    queries: list[tuple[str, str]]  # (id, text)
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: grade > 0}


def _read(path: Path) -> str:
    return path.read_text(encoding="latin-1").replace("\r\n", "\n").replace("\r", "\n")


def smart_records(path: Path) -> list[tuple[str, dict[str, str]]]:
    """`.I n` records as (id, {section letter: text})."""
    records: list[tuple[str, dict[str, str]]] = []
    section = None
    for line in _read(path).split("\n"):
        match = re.match(r"^\.([A-Z])(?:\s+(\S+))?\s*$", line)
        if match and match[1] == "I":
            records.append((match[2], {}))
            section = None
        elif match:
            section = match[1]
            records[-1][1].setdefault(section, "")
        elif records and section:
            fields = records[-1][1]
            fields[section] += line + "\n"
    return records


def _smart_docs(path: Path) -> list[tuple[str, str, str]]:
    return [
        (str(int(doc_id)), " ".join(f.get("T", "").split()), " ".join(f.get("W", "").split()))
        for doc_id, f in smart_records(path)
    ]


def _smart_queries(path: Path, renumber: bool = False) -> list[tuple[str, str]]:
    out = []
    for position, (qid, f) in enumerate(smart_records(path), start=1):
        text = " ".join((f.get("W", "") + " " + f.get("T", "")).split())
        out.append((str(position) if renumber else str(int(qid)), text))
    return out


def _qrels(lines, q_col: int, d_col: int, grade_col: int | None) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in lines:
        parts = line.split()
        if len(parts) <= max(q_col, d_col):
            continue
        grade = int(float(parts[grade_col])) if grade_col is not None else 1
        if grade_col is not None and grade < 1:
            continue  # Cranfield -1: not relevant
        qrels.setdefault(str(int(parts[q_col])), {})[str(int(parts[d_col]))] = 1
    return qrels


def load_cisi(root: Path) -> Collection:
    d = root / "cisi"
    qrels = _qrels(_read(d / "CISI.REL").splitlines(), 0, 1, None)
    return Collection("CISI", _smart_docs(d / "CISI.ALL"), _smart_queries(d / "CISI.QRY"), qrels)


def load_cranfield(root: Path) -> Collection:
    d = root / "cranfield"
    lines = _read(d / "cranqrel").splitlines()
    qrels = _qrels(lines, 0, 1, None)
    not_relevant = {(p[0], p[1]) for p in (ln.split() for ln in lines) if len(p) == 3 and p[2] == "-1"}
    for qid, did in not_relevant:
        qrels.get(str(int(qid)), {}).pop(str(int(did)), None)
    queries = _smart_queries(d / "cran.qry", renumber=True)
    return Collection("Cranfield", _smart_docs(d / "cran.all.1400"), queries, qrels)


def load_med(root: Path) -> Collection:
    d = root / "med"
    qrels = _qrels(_read(d / "MED.REL").splitlines(), 0, 2, None)
    return Collection("MED", _smart_docs(d / "MED.ALL"), _smart_queries(d / "MED.QRY"), qrels)


def load_time(root: Path) -> Collection:
    d = root / "time"
    parts = re.split(r"^\*TEXT[^\n]*\n", _read(d / "TIME.ALL"), flags=re.M)[1:]
    docs = []
    for position, part in enumerate(parts, start=1):
        body = " ".join(part.replace("*STOP", " ").split())
        docs.append((str(position), "", body))
    queries = []
    for match in re.finditer(r"^\*FIND\s+(\d+)\s*\n(.*?)(?=^\*FIND|^\*STOP|\Z)", _read(d / "TIME.QUE"),
                             flags=re.M | re.S):
        queries.append((str(int(match[1])), " ".join(match[2].split())))
    qrels: dict[str, dict[str, int]] = {}
    for line in _read(d / "TIME.REL").splitlines():
        numbers = line.split()
        if len(numbers) > 1:
            qrels[str(int(numbers[0]))] = {str(int(n)): 1 for n in numbers[1:]}
    return Collection("TIME", docs, queries, qrels)


HELD_OUT_SHARE = 3  # one query in about three is held out
PARTS = ("dev", "held-out")


def query_part(collection_name: str, qid: str) -> str:
    """"dev" or "held-out": sha1 of "<collection>/<query id>", one in three held out."""
    digest = hashlib.sha1(f"{collection_name.lower()}/{qid}".encode()).digest()
    return "held-out" if int.from_bytes(digest[:4], "big") % HELD_OUT_SHARE == 0 else "dev"


def split_queries(collection: Collection) -> dict[str, list[str]]:
    """{part: the judged query ids in it}, in file order."""
    parts: dict[str, list[str]] = {part: [] for part in PARTS}
    for qid, _ in collection.queries:
        parts[query_part(collection.name, qid)].append(qid)
    return parts


def load_cacm(root: Path) -> Collection:
    """CACM: 3,204 titles of Communications of the ACM articles, about half with an abstract;
    64 queries, 52 judged (`cacm.all`, `query.text`, `qrels.text` in `root`/cacm). Not in
    ../shared/data and never tuned on: read only when asked for (ir_eval.py --collections cacm
    --data DIR). A title without an abstract is the document's text (searchkit, like the
    JSON Lines a user writes, stores no article without text)."""
    d = root / "cacm"
    docs = [(doc_id, title, body) if body else (doc_id, "", title)
            for doc_id, title, body in _smart_docs(d / "cacm.all")]
    qrels = _qrels(_read(d / "qrels.text").splitlines(), 0, 1, None)
    return Collection("CACM", docs, _smart_queries(d / "query.text"), qrels)


def _slash_records(path: Path) -> list[tuple[str, str]]:
    """Glasgow's NPL layout: a number on its own line, the text, then a line holding only "/"."""
    records = []
    for block in re.split(r"^\s*/\s*$", _read(path), flags=re.M):
        lines = block.strip().split("\n", 1)
        if lines[0].strip().isdigit():
            records.append((str(int(lines[0])), " ".join(lines[1].split()) if len(lines) > 1 else ""))
    return records


def load_npl(root: Path) -> Collection:
    """NPL (Vaswani): 11,429 very short abstracts of electronics papers, no titles; 93 queries
    (`doc-text`, `query-text`, `rlv-ass` in `root`/npl, as the Glasgow collection ships them).
    Not in ../shared/data and never tuned on: the issue's "very short documents" case."""
    d = root / "npl"
    docs = [(doc_id, "", text) for doc_id, text in _slash_records(d / "doc-text") if text]
    qrels = {qid: {str(int(n)): 1 for n in ids.split()} for qid, ids in _slash_records(d / "rlv-ass")}
    return Collection("NPL", docs, _slash_records(d / "query-text"), qrels)


def load_lisa(root: Path) -> Collection:
    """LISA: 6,004 library-science abstracts, each a title then its abstract; 35 queries
    (`LISA[0-5].*`, `LISA.QUE` and the numeric judgments `LISARJ.NUM` in `root`/lisa; the
    numeric file, since it is the one the collection documents as machine-readable).
    Not in ../shared/data and never tuned on: title-plus-abstract documents."""
    d = root / "lisa"
    docs = []
    for part in sorted(d.glob("LISA[0-9].*")):
        for match in re.finditer(r"^Document\s+(\d+)\s*\n(.*?)(?=^\*{10,}|\Z)", _read(part), flags=re.M | re.S):
            title, _, body = re.sub(r"\n[ \t]+\n", "\n\n", match[2].strip()).partition("\n\n")
            docs.append((str(int(match[1])), " ".join(title.split()), " ".join(body.split())))
    queries = [(str(int(m[1])), " ".join(m[2].split()))
               for m in re.finditer(r"^\s*(\d+)\s*\n(.*?)#", _read(d / "LISA.QUE"), flags=re.M | re.S)]
    numbers = [int(n) for n in _read(d / "LISARJ.NUM").split()]
    qrels: dict[str, dict[str, int]] = {}
    at = 0
    while at + 1 < len(numbers):
        qid, count = numbers[at], numbers[at + 1]
        qrels[str(qid)] = {str(n): 1 for n in numbers[at + 2:at + 2 + count]}
        at += 2 + count
    return Collection("LISA", docs, queries, qrels)


LOADERS = {"cisi": load_cisi, "cranfield": load_cranfield, "time": load_time, "med": load_med}
# Collections nobody here tuned on, measured once the settings were chosen (docs/ranking.md)
UNTUNED = {"cacm": load_cacm, "npl": load_npl, "lisa": load_lisa}


def load_collection(name: str, root: Path, shorten: int | None = None) -> Collection:
    """The collection's judged queries; with `shorten`, each document cut to its first
    `shorten` words (title, then body, as one untitled text)."""
    collection = {**LOADERS, **UNTUNED}[name](root)
    collection.queries = [(qid, text) for qid, text in collection.queries if collection.qrels.get(qid)]
    return shortened(collection, shorten) if shorten else collection


def shortened(collection: Collection, words: int) -> Collection:
    """Very short documents made from a collection's own (the issue's NPL-like case, on
    queries and judgments that settings may be chosen on): every document becomes its first
    `words` words, untitled. The name stays, so the dev / held-out split stays the same."""
    docs = [(doc_id, "", " ".join(f"{title} {body}".split()[:words])) for doc_id, title, body in collection.docs]
    return Collection(collection.name, docs, collection.queries, collection.qrels)
