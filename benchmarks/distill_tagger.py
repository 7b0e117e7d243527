"""Distil CoreNLP's tagger into a pure-Python one, and measure what it would do as the
organisation check (issue #15: organisation precision without Java). Measured, not built.

A greedy averaged perceptron (tokens, shapes, affixes, two words of context on each side,
the gazetteer's and lexicon's word classes, the two labels before) learns CoreNLP's
PERSON / ORGANIZATION / LOCATION spans (english.all.3class.distsim) on the Wikinews articles
of one half (sha1 of the article id, even); the other half measures it:

    python benchmarks/distill_tagger.py silver SILVER.jsonl      # CoreNLP's spans (searchkit fetch-corenlp)
    python benchmarks/distill_tagger.py train SILVER.jsonl WEIGHTS.json --epochs 6
    python benchmarks/distill_tagger.py verdicts SILVER.jsonl WEIGHTS.json
    python benchmarks/distill_tagger.py judged SILVER.jsonl WEIGHTS.json
    python benchmarks/distill_tagger.py cost SILVER.jsonl WEIGHTS.json

`train` prints span agreement with CoreNLP on the other half; `verdicts` what each tagger
makes of the rules' unknown organisations there (kept, dropped, renamed: corenlp_spans.repaired);
`judged` the strict precision of what the rules keep under each check, on the hand-judged
organisation pairs of that half (benchmarks/judgments/org-seed*.tsv); `cost` the extraction
time beside the default's. The silver file and the
weights stay outside the repository. Figures: docs/entity-precision.md, part 6.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from entities_eval import wikinews_articles  # noqa: E402
from entities_judge import JUDGMENTS, read_judged  # noqa: E402

from searchkit.analysis.corenlp import CheckedExtractor, NerTagger  # noqa: E402
from searchkit.analysis.corenlp_spans import repaired  # noqa: E402
from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import extract_with_rules  # noqa: E402
from searchkit.analysis.gazetteer import load_gazetteer  # noqa: E402
from searchkit.analysis.org_check import unknown_org  # noqa: E402

TOKEN = re.compile(r"\w+(?:[.&\-]\w+)*|['’]s\b|\S")
LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
KIND = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}
SPAN_KIND = {v: k for k, v in KIND.items()}
# The labels that may follow each label (no I- after another kind), in LABELS order, so that
# max() breaks ties towards the first, as before.
FOLLOWERS = {prev: [k for k, lab in enumerate(LABELS) if not (lab.startswith("I-") and prev[2:] != lab[2:])]
             for prev in ("<s>", *LABELS)}
OPENERS = {".", "!", "?", '"', ":", "“", "”", "(", "-", "—", "'", ";"}


def tokens(text):
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def shape(word):
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) < 2 or not (out[-1] == c and out[-2] == c):
            out.append(c)
    return "".join(out[:6])


def labels_for(toks, spans):
    labels = ["O"] * len(toks)
    for label, start, end in spans:
        kind = KIND.get(label)
        if not kind:
            continue
        first = True
        for i, (_, s, e) in enumerate(toks):
            if s < end and start < e:
                labels[i] = ("B-" if first else "I-") + kind
                first = False
    return labels


def doc_context(toks):
    """The words the text writes in lower case."""
    return {w for w, _, _ in toks if w.islower()}


def _word_classes():
    """Word -> the gazetteer and lexicon classes it belongs to (as first, middle or last word)."""
    gaz = load_gazetteer()
    classes = {}
    def add(word, cls):
        classes.setdefault(word, set()).add(cls)
    for key, (canonical, kind) in list(gaz.folded.items()) + list(gaz.exact.items()):
        words = key.lower().split()
        for j, word in enumerate(words):
            add(word, kind + ("1" if j == 0 else "L" if j == len(words) - 1 else "M"))
        if len(words) == 1:
            add(words[0], kind + "=")
    for key in gaz.demonyms:
        add(key.lower(), "demonym")
    for section, words in gaz.words.items():
        for word in words:
            add(word.lower(), section)
    return {w: tuple(sorted(c)) for w, c in classes.items()}


CLASSES = _word_classes()


def features(toks, i, lower, prev, prev2):
    w = toks[i][0]
    lw = w.lower()
    n = len(toks)
    p1 = toks[i - 1][0] if i > 0 else "<s>"
    p2 = toks[i - 2][0] if i > 1 else "<s>"
    p3 = toks[i - 3][0] if i > 2 else "<s>"
    n1 = toks[i + 1][0] if i + 1 < n else "</s>"
    n2 = toks[i + 2][0] if i + 2 < n else "</s>"
    n3 = toks[i + 3][0] if i + 3 < n else "</s>"
    sh = shape(w)
    s1, sn1 = shape(p1), shape(n1)
    opens = p1 == "<s>" or p1 in OPENERS
    f = ["b", "w=" + lw, "W=" + w, "s=" + sh, "p3=" + lw[:3], "x3=" + lw[-3:], "x4=" + lw[-4:], "x2=" + lw[-2:],
         "w-1=" + p1.lower(), "w+1=" + n1.lower(), "w-2=" + p2.lower(), "w+2=" + n2.lower(),
         "w-3=" + p3.lower(), "w+3=" + n3.lower(),
         "s-1=" + s1, "s+1=" + sn1, "s-2=" + shape(p2), "s+2=" + shape(n2), "t-1=" + prev, "t-2=" + prev2 + prev,
         "tw=" + prev + lw, "ts=" + prev + sh, "ws+1=" + sh + sn1, "ws-1=" + s1 + sh,
         "w-1w=" + p1.lower() + "|" + lw, "ww+1=" + lw + "|" + n1.lower()]
    for c in CLASSES.get(lw, ()):
        f.append("c=" + c)
        f.append("tc=" + prev + c)
    for c in CLASSES.get(p1.lower(), ()):
        f.append("c-1=" + c)
    for c in CLASSES.get(n1.lower(), ()):
        f.append("c+1=" + c)
    for c in CLASSES.get(n2.lower(), ()):
        f.append("c+2=" + c)
    if opens:
        f.append("open=" + sh)
    if w[:1].isupper() and lw in lower:
        f.append("lowerelsewhere" + ("O" if opens else ""))
    return f


class Perceptron:
    def __init__(self):
        self.weights = {}
        self._totals = defaultdict(float)
        self._stamps = defaultdict(int)
        self.i = 0

    def scores(self, feats):
        sc = [0.0] * len(LABELS)
        get = self.weights.get
        for f in feats:
            ws = get(f)
            if ws:
                for k, v in ws.items():
                    sc[k] += v
        return sc

    def predict(self, feats, prev):
        """The best label that may follow `prev` (no I- after another kind)."""
        sc = self.scores(feats)
        return max(FOLLOWERS[prev], key=sc.__getitem__)

    def update(self, truth, guess, feats):
        self.i += 1
        if truth == guess:
            return
        for f in feats:
            ws = self.weights.setdefault(f, {})
            for k, d in ((truth, 1.0), (guess, -1.0)):
                key = (f, k)
                self._totals[key] += (self.i - self._stamps[key]) * ws.get(k, 0.0)
                self._stamps[key] = self.i
                ws[k] = ws.get(k, 0.0) + d

    def average(self):
        for f, ws in self.weights.items():
            for k, w in list(ws.items()):
                key = (f, k)
                total = self._totals[key] + (self.i - self._stamps[key]) * w
                avg = round(total / self.i, 3)
                if avg:
                    ws[k] = avg
                else:
                    del ws[k]
        self.weights = {f: ws for f, ws in self.weights.items() if ws}


def tag_tokens(model, toks):
    lower = doc_context(toks)
    prev, prev2 = "<s>", "<s>"
    out = []
    for i in range(len(toks)):
        k = model.predict(features(toks, i, lower, prev, prev2), prev)
        lab = LABELS[k]
        out.append(lab)
        prev2, prev = prev, lab
    return out


def spans_of(toks, labs):
    spans = []
    cur = None
    for (w, s, e), lab in zip(toks, labs):
        if lab == "O":
            if cur: spans.append(cur); cur = None
        elif lab.startswith("B-") or cur is None or cur[0] != SPAN_KIND[lab[2:]]:
            if cur: spans.append(cur)
            cur = [SPAN_KIND[lab[2:]], s, e]
        else:
            cur[2] = e
    if cur: spans.append(cur)
    return [tuple(x) for x in spans]


def half(article_id: str) -> int:
    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 2


def read_silver(path: Path, part: int) -> list[dict]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return [row for row in rows if half(row["id"]) == part]


def load_model(path: Path) -> Perceptron:
    model = Perceptron()
    model.weights = {f: {int(k): v for k, v in ws.items()} for f, ws in json.loads(path.read_text()).items()}
    return model


class DistilledTagger:
    """NerTagger's interface (tag(text) -> spans) over the learnt weights."""

    def __init__(self, model: Perceptron) -> None:
        self.model = model

    def tag(self, text: str) -> list[tuple[str, int, int]]:
        toks = tokens(text)
        return spans_of(toks, tag_tokens(self.model, toks))

    def close(self) -> None:
        pass


def silver(out: Path) -> None:
    tagger = NerTagger()
    with out.open("w", encoding="utf-8") as stream:
        for row in wikinews_articles():
            _, body = split_dateline(row["text"])
            stream.write(json.dumps({"id": row["id"], "text": body, "spans": tagger.tag(body)}) + "\n")
    tagger.close()


def train(rows: list[dict], epochs: int, seed: int = 1) -> Perceptron:
    model = Perceptron()
    data = []
    for row in rows:
        toks = tokens(row["text"])
        data.append((toks, [LABELS.index(label) for label in labels_for(toks, row["spans"])]))
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(data)
        wrong = total = 0
        for toks, gold in data:
            lower = doc_context(toks)
            prev, prev2 = "<s>", "<s>"
            for i in range(len(toks)):
                feats = features(toks, i, lower, prev, prev2)
                guess = model.predict(feats, prev)
                model.update(gold[i], guess, feats)
                wrong += guess != gold[i]
                total += 1
                prev2, prev = prev, LABELS[gold[i]]
        print(f"epoch {epoch}: token error {wrong / total:.4f} over {total} tokens", flush=True)
    model.average()
    return model


def agreement(model: Perceptron, rows: list[dict]) -> None:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    ntok, start = 0, time.perf_counter()
    for row in rows:
        toks = tokens(row["text"])
        ntok += len(toks)
        pred = set(spans_of(toks, tag_tokens(model, toks)))
        gold = set(spans_of(toks, labels_for(toks, row["spans"])))  # CoreNLP's, on our tokens
        for kind in KIND:
            p = {s for s in pred if s[0] == kind}
            g = {s for s in gold if s[0] == kind}
            counts[kind][0] += len(p & g)
            counts[kind][1] += len(p - g)
            counts[kind][2] += len(g - p)
    seconds = time.perf_counter() - start
    for kind, (tp, fp, fn) in counts.items():
        p, r = tp / (tp + fp or 1), tp / (tp + fn or 1)
        print(f"{kind}: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r or 1):.3f} (spans CoreNLP gives, other half)")
    print(f"tagging: {ntok} tokens in {seconds:.1f} s = {ntok / seconds:.0f} tokens/s")


def verdict(name: str, names: list[str]) -> str:
    return "keep" if names == [name] else "drop" if not names else "rename"


def verdicts(model: Perceptron, rows: list[dict]) -> None:
    counts: Counter = Counter()
    for row in rows:
        text = row["text"]
        orgs = [e for e in extract_with_rules(text, None, None, check_orgs=False) if unknown_org(e)]
        if not orgs:
            continue
        toks = tokens(text)
        spans = spans_of(toks, tag_tokens(model, toks))
        gold = [tuple(s) for s in row["spans"]]
        for e in orgs:
            counts[(verdict(e.name, repaired(e.name, text, gold)), verdict(e.name, repaired(e.name, text, spans)))] += 1
    n = sum(counts.values())
    print(f"{n} unknown organisations of the rules; same verdict as CoreNLP's: "
          f"{sum(v for (a, b), v in counts.items() if a == b) / n:.3f}")
    for (a, b), v in sorted(counts.items()):
        print(f"  CoreNLP {a}, distilled {b}: {v}")
    both = counts[("drop", "drop")]
    core = sum(v for (a, _), v in counts.items() if a == "drop")
    mine = sum(v for (_, b), v in counts.items() if b == "drop")
    print(f"dropped: CoreNLP {core}, distilled {mine}, both {both} (precision {both / (mine or 1):.3f}, "
          f"recall {both / (core or 1):.3f} of CoreNLP's drops)")


def judged(model: Perceptron, part: int) -> None:
    pairs: dict[tuple[str, str], str] = {}
    for path in sorted(JUDGMENTS.glob("org-seed*.tsv")):
        if "after" not in path.name and "dropped" not in path.name:
            for _, name, article, mark, *_ in read_judged(path):
                if mark in ("✓", "~", "✗"):
                    pairs[(name, article)] = mark
    texts = {row["id"]: split_dateline(row["text"]) for row in wikinews_articles() if half(row["id"]) == part}
    pairs = {key: mark for key, mark in pairs.items() if key[1] in texts}
    checks = {
        "rules, no check": lambda body, dateline: extract_with_rules(body, dateline, None, check_orgs=False),
        "rules + org_check (trained on these pairs)": lambda body, dateline: extract_with_rules(body, dateline),
        "rules + CoreNLP": CheckedExtractor(tagger=NerTagger()).extract,
        "rules + distilled tagger": CheckedExtractor(tagger=DistilledTagger(model)).extract,
    }
    orgs = {}
    for article in {a for _, a in pairs}:
        dateline, body = texts[article]
        orgs[article] = {label: {e.name for e in check(body, dateline) if e.kind == "org"}
                         for label, check in checks.items()}
    print(f"{len(pairs)} judged organisation pairs in this half")
    for label in checks:
        kept, gone = Counter(), Counter()
        for (name, article), mark in pairs.items():
            if name in orgs[article]["rules, no check"]:
                (kept if name in orgs[article][label] else gone)[mark] += 1
        n = sum(kept.values())
        print(f"{label}: kept {n}, strict {kept['✓'] / n:.3f} (✓ {kept['✓']}, ~ {kept['~']}, ✗ {kept['✗']}); "
              f"dropped ✓ {gone['✓']}, ~ {gone['~']}, ✗ {gone['✗']}")


def cost(model: Perceptron, part: int, articles: int = 500, rounds: int = 3) -> None:
    """Extraction alone over `articles` articles of the half: the default (rules + org_check)
    against the rules checked by the distilled tagger, interleaved, best of `rounds`."""
    texts = [split_dateline(row["text"]) for row in wikinews_articles() if half(row["id"]) == part][:articles]
    checked = CheckedExtractor(tagger=DistilledTagger(model))
    ways = {"rules + org_check (the default)": lambda body, dateline: extract_with_rules(body, dateline),
            "rules + distilled tagger": checked.extract}
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(rounds):
        for label, way in ways.items():
            start = time.perf_counter()
            for dateline, body in texts:
                way(body, dateline)
            best[label] = min(best[label], time.perf_counter() - start)
    for label, seconds in best.items():
        print(f"{label}: {len(texts) / seconds:.0f} articles/s")
    first, second = best.values()
    print(f"the distilled tagger takes {second / first:.1f}x the default's time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("silver", "train", "verdicts", "judged", "cost"))
    parser.add_argument("silver_file", type=Path)
    parser.add_argument("weights", type=Path, nargs="?")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--part", type=int, default=1, help="the half measured (the other one trains)")
    args = parser.parse_args()
    if args.command == "silver":
        silver(args.silver_file)
        return
    if args.weights is None:
        parser.error("WEIGHTS is needed")
    if args.command == "train":
        model = train(read_silver(args.silver_file, 1 - args.part), args.epochs)
        args.weights.write_text(json.dumps(model.weights))
        print(f"{len(model.weights)} features, {sum(map(len, model.weights.values()))} weights")
        agreement(model, read_silver(args.silver_file, args.part))
    elif args.command == "verdicts":
        verdicts(load_model(args.weights), read_silver(args.silver_file, args.part))
    elif args.command == "judged":
        judged(load_model(args.weights), args.part)
    else:
        cost(load_model(args.weights), args.part)


if __name__ == "__main__":
    main()
