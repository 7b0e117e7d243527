"""Measure entity extraction on Reuters-21578 gold labels, and sample Wikinews for hand-judging.

    python benchmarks/entities_eval.py [--limit N]         # recall per kind, place precision, speed
    python benchmarks/entities_eval.py --wikinews-sample   # 100 entities per kind with context

Reuters gold labels are codes (`usa`, `west-germany`, `reagan`, `opec`); the
extractor returns canonical names, so this script maps names to codes (the
mapping lives here, on the evaluation side). Only articles with a body count.
For each kind it reports the recall of gold codes, also restricted to gold codes
whose name occurs in the text (a code no word of the story names cannot be
extracted), and for places the share of extracted places whose code is in the
story's gold list (over all extracted places and over those that map to a code).
Reuters labels places at country level (1987 borders), so a city counts as its
country (Tokyo -> japan) and post-1987 states as their 1987 one (Russia -> ussr).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from reuters import iter_reuters, read_codes  # noqa: E402

from searchkit.analysis.datelines import split_dateline  # noqa: E402
from searchkit.analysis.entities import extract_entities  # noqa: E402
from searchkit.analysis.gazetteer import load_gazetteer, normalise_key  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews"
FLOORS = {"place": 0.90, "person": 0.80, "org": 0.75}
GOLD_FIELD = {"place": "places", "person": "people", "org": "orgs"}

PLACE_CODES = {  # canonical country -> Reuters code, where the slug differs (1987 borders)
    "United States": "usa", "United Kingdom": "uk", "Soviet Union": "ussr", "Russia": "ussr",
    "Ukraine": "ussr", "Belarus": "ussr", "Georgia": "ussr", "Armenia": "ussr", "Kazakhstan": "ussr",
    "Uzbekistan": "ussr", "Estonia": "ussr", "Latvia": "ussr", "Lithuania": "ussr",
    "Germany": "west-germany", "United Arab Emirates": "uae", "Trinidad and Tobago": "trinidad-tobago",
    "Myanmar": "burma", "Cambodia": "kampuchea", "North Yemen": "yemen-arab-republic",
    "Yemen": "yemen-arab-republic", "South Yemen": "yemen-demo-republic", "Samoa": "western-samoa",
    "Macau": "macao", "Antigua and Barbuda": "antigua", "Eswatini": "swaziland",
    "Czech Republic": "czechoslovakia", "Slovakia": "czechoslovakia",
    "Democratic Republic of the Congo": "zaire", "Croatia": "yugoslavia", "Serbia": "yugoslavia",
    "Slovenia": "yugoslavia", "Bosnia and Herzegovina": "yugoslavia", "North Macedonia": "yugoslavia",
    "England": "uk", "Scotland": "uk", "Wales": "uk", "Northern Ireland": "uk",
    "US Virgin Islands": "us-virgin-islands", "Papua New Guinea": "papua-new-guinea",
}
ORG_CODES = {
    "European Community": "ec", "European Commission": "ec", "European Union": "ec",
    "World Bank": "worldbank", "United Nations": "un", "UN Security Council": "un",
    "UN General Assembly": "un", "Asian Development Bank": "adb-asia",
    "African Development Bank": "adb-africa", "International Coffee Organization": "ico-coffee",
    "Organisation of Islamic Cooperation": "ico-islam", "International Energy Agency": "iea",
    "International Tin Council": "itc", "International Wheat Council": "iwc-wheat",
    "International Whaling Commission": "iwc-whale", "World Health Organization": "who",
    "International Sugar Organization": "isa", "Bank for International Settlements": "bis",
    "Association of International Bond Dealers": "aibd", "Agency for International Development": "aid",
    "Economic Commission for Africa": "eca", "Economic Commission for Europe": "ece",
    "European Monetary Cooperation Fund": "emcf", "European Investment Bank": "eib",
    "International Development Association": "ida", "International Labour Organization": "ilo",
    "International Air Transport Association": "iata", "International Wool Secretariat": "iws",
    "International Cocoa Organization": "icco", "Multi-Fibre Arrangement": "mfa",
}


def slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def place_code(name: str) -> str | None:
    country = load_gazetteer().country_of.get(name, name)
    return PLACE_CODES.get(country, slug(country))


def org_code(name: str) -> str:
    """The Reuters code of an org: the table, else an alias that is a gold code, else the slug."""
    if name in ORG_CODES:
        return ORG_CODES[name]
    for alias in ORG_ALIASES.get(name, ()):
        if alias in VALID_ORGS:
            return alias
    return slug(name)


def person_matches(name: str, code: str) -> bool:
    """`Ronald Reagan`/`Reagan` ~ reagan, `James Baker` ~ james-baker, `Baker` ~ *-baker."""
    key = slug(name)
    return key == code or key.endswith("-" + code) or code.endswith("-" + key)


def place_names() -> dict[str, set[str]]:
    """Reuters place code -> every gazetteer name, alias, demonym and city that implies it."""
    gaz = load_gazetteer()
    names: dict[str, set[str]] = {}
    for table in (gaz.folded, gaz.exact):
        for key, (canonical, kind) in table.items():
            if kind == "place" and canonical in gaz.country_of:
                names.setdefault(place_code(canonical), set()).add(key.lower())
    for key, country in gaz.demonyms.items():
        names.setdefault(place_code(country), set()).add(key)
    return names


def mentioned(code: str, kind: str, folded: str, table: dict[str, set[str]]) -> bool:
    """Whether the text names the gold value at all (case-insensitive)."""
    if kind == "place":
        return any(re.search(rf"\b{re.escape(n)}\b", folded) for n in table.get(code, ()))
    if kind == "org":
        org_names = table.get(code) or {code.split("-")[0]}
        return any(re.search(rf"\b{re.escape(n)}\b", folded) for n in org_names)
    return re.search(rf"\b{re.escape(code.split('-')[-1])}\b", folded) is not None


def org_names() -> dict[str, set[str]]:
    gaz = load_gazetteer()
    names: dict[str, set[str]] = {}
    for table in (gaz.folded, gaz.exact):
        for key, (canonical, kind) in table.items():
            if kind == "org":
                names.setdefault(org_code(canonical), set()).add(key.lower())
    return names


def evaluate(limit: int | None) -> dict:
    tables = {"place": place_names(), "org": org_names(), "person": {}}
    stats = Counter()
    seconds = 0.0
    for story in iter_reuters(limit=limit):
        if not story.body.strip():
            continue
        text = f"{story.dateline.strip()} {story.body}"  # as an indexer sees it: dateline first
        started = time.perf_counter()
        entities = extract_entities(text)
        seconds += time.perf_counter() - started
        stats["articles"] += 1
        stats["chars"] += len(story.body)
        score_story(story, entities, tables, stats)
    return {"stats": stats, "seconds": seconds}


def score_story(story, entities, tables, stats: Counter) -> None:
    folded = normalise_key(f"{story.dateline} {story.body}")
    for kind, field in GOLD_FIELD.items():
        names = [e.name for e in entities if e.kind == kind]
        for code in getattr(story, field):
            if kind == "person":
                hit = any(person_matches(name, code) for name in names)
            else:
                hit = code in {place_code(n) if kind == "place" else org_code(n) for n in names}
            named = mentioned(code, kind, folded, tables[kind])
            stats[f"{kind} gold"] += 1
            stats[f"{kind} hit"] += hit
            stats[f"{kind} named"] += named
            stats[f"{kind} named hit"] += hit and named
            if not hit:
                MISSED[kind][code] += 1
    gold_places = set(story.places)
    for name in {e.name for e in entities if e.kind == "place"}:
        code = place_code(name)
        stats["place extracted"] += 1
        stats["place extracted in gold"] += code in gold_places
        stats["place extracted coded"] += code in VALID_PLACES


VALID_PLACES: set[str] = set()
VALID_ORGS: set[str] = set()
ORG_ALIASES: dict[str, set[str]] = {}  # canonical org -> slugs of its gazetteer names
MISSED: dict[str, Counter] = {kind: Counter() for kind in GOLD_FIELD}


def report(result: dict) -> bool:
    stats, seconds = result["stats"], result["seconds"]
    ok = True
    print(f"articles with a body: {stats['articles']}")
    for kind in ("place", "person", "org"):
        gold = stats[f"{kind} gold"] or 1
        recall = stats[f"{kind} hit"] / gold
        named = stats[f"{kind} named hit"] / (stats[f"{kind} named"] or 1)
        floor = FLOORS[kind]
        ok &= recall >= floor
        print(f"{kind:6} recall {recall:.3f} of {stats[f'{kind} gold']} gold values "
              f"(floor {floor:.2f} {'ok' if recall >= floor else 'MISSED'}); "
              f"recall of the {stats[f'{kind} named']} named in the text {named:.3f}")
    extracted = stats["place extracted"] or 1
    print(f"places extracted: {stats['place extracted']}; in the story's gold list "
          f"{stats['place extracted in gold'] / extracted:.3f} of all, "
          f"{stats['place extracted in gold'] / (stats['place extracted coded'] or 1):.3f} "
          f"of those that map to a Reuters country code")
    for kind, missed in MISSED.items():
        print(f"most missed {kind}: " + ", ".join(f"{c} {n}" for c, n in missed.most_common(8)))
    print(f"extraction alone: {stats['articles'] / seconds:.0f} articles/s "
          f"({stats['chars'] / seconds / 1e6:.2f} M chars/s, {seconds:.1f} s)")
    return ok


def wikinews_articles() -> list[dict]:
    seen, rows = set(), []
    for path in sorted(WIKINEWS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                text = clean_wikitext(row.get("text") or "")
                if row["id"] in seen or len(text) < 200 or row.get("title", "").startswith("Category:"):
                    continue
                seen.add(row["id"])
                rows.append({"id": row["id"], "title": row.get("title", ""), "text": text})
    return rows


def clean_wikitext(text: str) -> str:
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text.replace("''", "").replace("w:", ""))
    return re.sub(r"\(\s*\)", "", text)


def context(text: str, name: str, width: int = 60) -> str:
    at = text.find(name)
    if at < 0:
        at = text.find(name.split()[-1])
    if at < 0:
        return "(not verbatim in text)"
    snippet = text[max(0, at - width): at + len(name) + width].replace("\n", " ")
    return "…" + snippet + "…"


def wikinews_sample(seed: int, per_kind: int) -> None:
    pool: dict[str, list[tuple[str, str, str]]] = {"person": [], "org": [], "place": []}
    for row in wikinews_articles():
        dateline, body = split_dateline(row["text"])
        for entity in extract_entities(body, dateline=dateline):
            pool[entity.kind].append((entity.name, row["id"], body))
    rng = random.Random(seed)
    for kind, items in pool.items():
        print(f"\n## {kind}: {per_kind} of {len(items)} extracted (seed {seed})")
        for number, (name, article, body) in enumerate(rng.sample(items, min(per_kind, len(items))), 1):
            print(f"{number:3}. {name}  [wikinews {article}]  {context(body, name)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="read only the first N Reuters stories")
    parser.add_argument("--wikinews-sample", action="store_true", help="print entities to judge by hand")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--per-kind", type=int, default=100)
    args = parser.parse_args()
    if args.wikinews_sample:
        wikinews_sample(args.seed, args.per_kind)
        return 0
    VALID_PLACES.update(read_codes("places"))
    VALID_ORGS.update(read_codes("orgs"))
    gaz = load_gazetteer()
    for table in (gaz.folded, gaz.exact):
        for key, (canonical, kind) in table.items():
            if kind == "org":
                ORG_ALIASES.setdefault(canonical, set()).add(slug(key))
    return 0 if report(evaluate(args.limit)) else 1


if __name__ == "__main__":
    sys.exit(main())
