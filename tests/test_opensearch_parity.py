"""Parity between the engines: seeds/ plus 2,000 Reuters articles (and four articles of our
own, for authors, an undated and a future article) indexed both ways — the embedded index in
a tmp folder and an index on the OpenSearch node (`opensearch_url`), each built once for this
module — then every form of docs/query.md asked of both.

Asserted: the same match counts (and warnings and did-you-mean) for every query; the same
facets, entities, timelines and co-occurrences; the same articles, snippets and stats; the same
ids exported by iter_all; a mean top-10 overlap of at least 0.8 over the ranked queries. The
differences that remain are listed in KNOWN_DIFFERENCES (each asserted to be exactly what its
cause predicts) and in docs/scale-out.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

import opensearch_support
from conftest import ROOT, SHARED_DATA

import searchkit

TODAY = "2008-06-15"  # relative dates count from here (the seeds run 2004-2021)
REUTERS_TODAY = "1987-03-10"  # ... or from here, inside the Reuters weeks
REUTERS_ARTICLES = 2000
WINDOW = 40  # hits read per query: the top 10 and the ties of the 10th score
TOP = 10
MIN_MEAN_OVERLAP = 0.8

ALIASES = """\
person: George W. Bush = Bush, President Bush
person: Barack Obama = Obama
org: Securities and Exchange Commission = SEC
!Corp
"""

EXTRA_ARTICLES = [  # authors, sources, an undated article, one dated after TODAY (recency)
    {"id": "extra-1", "title": "Oil prices climb", "date": "2008-06-14", "author": "Jane Smith",
     "source": "Desk", "text": "Oil prices rose sharply on Friday as OPEC ministers met in Vienna."},
    {"id": "extra-2", "title": "Smith on the economy", "date": "2008-06-20", "authors": ["John Smith", "Ann Lee"],
     "source": "Desk", "text": "The economy grew, said the finance minister in London."},
    {"id": "extra-3", "title": "Undated note", "author": "Ann Lee",
     "text": "Women voters in Kabul went to the polls; the election was calm. Oil prices steady."},
    {"id": "extra-4", "title": "Bush in Baghdad", "date": "2008-06-10",
     "text": "President Bush met Prime Minister Nouri al-Maliki in Baghdad. George W. Bush said the "
             "election would go ahead."},
]


@dataclass(frozen=True)
class Case:
    query: str
    settings: tuple = ()  # (name, value) pairs: search() options
    ranked: bool = True  # False: the engines' scores are not comparable (see UNRANKED)

    @property
    def options(self) -> dict:
        return dict(self.settings)

    @property
    def label(self) -> str:
        extra = " ".join(f"{key}={value}" for key, value in self.settings)
        return f"{self.query!r} {extra}".strip()


def case(query: str, ranked: bool = True, **options) -> Case:
    return Case(query, tuple(sorted(options.items())), ranked)


# A prefix, wildcard or fuzzy word that expands to several words: Whoosh scores each match
# a constant 1 in a segment of up to 5,000 documents (its "array" union, unscored) and the sum
# of the words' BM25 in a larger segment; OpenSearch (constant_score rewrite) scores each match
# its boost. Same matches, no comparable ranking: these are left out of the top-10 overlap.
UNRANKED = dict(ranked=False)

CASES = [
    # words (OR by default), possessives, stop words
    case("pakistan taliban"), case("oil prices"), case("election"), case("Pakistan's elections"),
    case("the elections of 2021"), case("cocoa"), case("crude oil exports"), case("obama"),
    case("interest rates federal reserve"), case("wheat corn soybeans exports"),
    # stems where whoosh.lang.porter and Lucene's porter_stem differed (analysis/porter.py)
    case("recognized"), case("bank rate cut"), case("calculated"), case("syndrome"),
    # AND, OR, NOT
    case("taliban AND kabul"), case("oil AND prices"), case("taliban OR isis"), case("iraq OR iran"),
    case("pakistan NOT india"), case("oil NOT opec"), case("NOT oil"), case("election AND NOT obama"),
    case("oil AND (gas OR coal)"),
    # + and -
    case("+kabul -embassy"), case("+oil -gas"), case("+oil prices date:1987"), case("oil (+opec -saudi)"),
    case("+iraq war -bush"), case("+election +obama"),
    # grouping, boosts
    case("(taliban OR isis) AND kabul"), case("(oil OR gas) AND (prices OR price)"),
    case("(iraq OR iran) NOT war"), case("oil^2 prices"), case("(wheat OR corn) AND NOT (soviet OR china)"),
    # phrases
    case('"security council"'), case('"crude oil"'), case('"prime minister"'),
    case('"united states of america"'), case('"interest rates"'), case('title:"prime minister"'),
    case('"oil prices" opec'), case('"the bank of england"'),
    # proximity (slop)
    case('"oil prices"~5'), case('"bank rate"~3'), case('"president bush"~2'), case('"european union"~4'),
    case('"trade deficit united states"~3'), case('"oil prices rose"~3'),
    # NEAR (either order; a quoted phrase as a side; one field)
    case("pakistan NEAR/5 taliban"), case("taliban NEAR/5 pakistan"), case("oil NEAR prices"),
    case("bank NEAR/3 rate"), case('"prime minister" NEAR/5 election'),
    case('title:"prime minister" NEAR/3 title:election'), case('"crude oil" NEAR/4 prices'),
    case("trade NEAR/2 deficit"), case("body:trade NEAR/2 body:deficit"),
    # every field; entity fields match any word of a name
    case("title:summit"), case("title:oil"), case('person:"William Burns"'), case("person:burns"),
    case("org:cia"), case('org:"united nations"'), case("place:kabul"), case('place:"new york"'),
    case("dateline:islamabad"), case("dateline:london"), case('dateline:"new york"'), case("author:smith"),
    case('author:"ann lee"'), case("source:wikinews"), case("source:desk"), case("id:wikinews-736"),
    case("body:oil"), case("title:*"), case("persn:burns"),
    # entity aliases (the alias file installed in both)
    case("person:obama"), case("person:bush"), case('person:"President Bush"'), case("org:sec"),
    # dates: exact, partial, ranges, open, relative, since/until
    case("date:2008"), case("date:2008-03"), case("date:2008-03-12"), case("date:1987-03-02"),
    case("oil date:1987"), case("date:[2008-03-01 TO 2008-03-31]"), case("date:[2007-09 TO 2008]"),
    case("date:>=2008-01-01"), case("date:>2007-12-31"), case("date:<2005"), case("date:<=2005-06"),
    case('date:"last 7 days"'), case('date:"last 3 months"'), case('date:"last year"'), case("date:today"),
    case("date:yesterday"), case('date:"this week"'), case('date:"this month"'),
    case('oil date:"last 7 days"', today=REUTERS_TODAY), case("date:yesterday", today=REUTERS_TODAY),
    case("since:2008-01-01"), case("until:2005-06"), case('since:"last 30 days"'), case("date:*"),
    case("election date:2008"), case("oil until:1987-03-05"),
    # prefix and wildcard
    case("econom*", **UNRANKED), case("wom?n", **UNRANKED), case("*stan", **UNRANKED),
    case("pres*dent", **UNRANKED), case("title:oil*", **UNRANKED), case("person:obam*", **UNRANKED),
    case("bank*", **UNRANKED), case("dateline:lon*", **UNRANKED), case("a?", **UNRANKED),
    # fuzzy
    case("medvedev~1", **UNRANKED), case("medvedev~", **UNRANKED), case("obama~1", **UNRANKED),
    case("goverment~1", **UNRANKED), case("Elections~2/3", **UNRANKED), case("person:obamma~1", **UNRANKED),
    # did-you-mean (fewer than 3 matches). Only words with one likely correction: where several
    # names are as close, the engines' correctors pick differently (Whoosh's corrector and
    # OpenSearch's term suggester order candidates differently; docs/scale-out.md)
    case("medvedv"), case("goverment"), case("obamma"), case("pakistn tlaiban"),
    # plain text
    case("What did the Senate say about oil prices? Oil prices rose.", syntax=False),
    case("taliban AND kabul", syntax=False), case("person:obama NOT iraq", syntax=False),
    case("The price of crude oil, crude oil and more crude.", syntax=False),
    # plain text is ranked again with feedback from its best articles (search/feedback.py)
    case("Reports of wheat and corn exports to the Soviet Union, and what the grain trade expects next "
         "season.", syntax=False),
    case("central banks raising interest rates to fight inflation", syntax=False),
    case("oil prices", syntax=False, feedback=False), case("oil prices opec", feedback=True),
    case("taliban attacks in pakistan", syntax=False, recency=2.0), case("zebra okapi giraffe", syntax=False),
    # the AND operator, and AND falling back to OR
    case("pakistan taliban", operator="and"), case("oil prices opec", operator="and"),
    case("election obama", operator="and"), case("cocoa brazil", operator="and"),
    case("cocoa taliban", operator="and-or"), case("oil prices", operator="and-or"),
    # the recency boost (an undated article in "oil prices", a future one in "economy")
    case("oil prices", recency=2.0), case("election", recency=2.0), case("obama", recency=1.0),
    case("economy", recency=2.0), case("wheat exports", recency=0.5, today=REUTERS_TODAY),
    # sorted by date
    case("oil prices", sort="date"), case("person:obama", sort="date"),
]

# Differences that cannot be fixed, each with its cause; the test asserts that the cluster
# matches everything the embedded index matches, and more only for that cause.
WILDCARD_CAP = ("a wildcard matching more than 1,000 words: the embedded index searches the first 1,000 "
                "and warns; the cluster searches them all (its constant-score rewrite has no cap)")
KNOWN_DIFFERENCES = {
    case("c*"): WILDCARD_CAP,
}


# -- the two indexes ---------------------------------------------------------------------

def reuters_folder(folder: Path) -> Path | None:
    """REUTERS_ARTICLES Reuters stories as JSON Lines (benchmarks/speed_corpus.py); None when
    ../shared/data/reuters21578 is absent."""
    import speed_corpus  # benchmarks/ is on pytest's pythonpath

    data = SHARED_DATA / "reuters21578"
    if not data.exists():
        return None
    corpus = speed_corpus.write_reuters(folder, limit=REUTERS_ARTICLES, data_dir=data)
    return folder if corpus is not None else None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("parity")
    extra = base / "extra"
    extra.mkdir()
    (extra / "extra.jsonl").write_text("".join(json.dumps(row) + "\n" for row in EXTRA_ARTICLES),
                                       encoding="utf-8")
    (base / "aliases.txt").write_text(ALIASES, encoding="utf-8")
    reuters = reuters_folder(base / "reuters")
    paths = [ROOT / "seeds", extra] + ([reuters] if reuters else [])
    return base, paths, reuters is not None


@pytest.fixture(scope="module")
def engines(corpus, opensearch_url):
    """(embedded index, cluster index) of the same files, built once."""
    pytest.importorskip("opensearchpy")
    base, paths, _ = corpus
    with opensearch_support.both_engines(base / "index", opensearch_url, "searchkit-test-parity", paths,
                                         aliases=base / "aliases.txt") as opened:
        assert opened[0].stats().articles == opened[1].stats().articles > 1200
        yield opened


def search(ix, item: Case, **extra):
    options = {"today": TODAY, **item.options}
    return ix.search(item.query, limit=WINDOW, group=False, snippets=False, facets=5, **options, **extra)


@pytest.fixture(scope="module")
def answers(engines):
    """{case: (embedded Results, cluster Results)} for every case, asked once."""
    embedded, cluster = engines
    return {item: (search(embedded, item), search(cluster, item)) for item in CASES}


# -- counts, warnings, facets --------------------------------------------------------------

def test_there_are_enough_queries_and_every_form_is_asked():
    assert len(CASES) >= 80
    text = " ".join(item.query for item in CASES)
    for form in (" AND ", " OR ", " NOT ", "+", "-", "(", '"', '"~', "NEAR/", " NEAR ", "title:", "person:",
                 "org:", "place:", "dateline:", "author:", "source:", "id:", "body:", "date:[", "date:>",
                 "date:<", 'date:"last', "date:today", "since:", "until:", "*", "?", "~1", "~2/", "^2"):
        assert form in text, form
    options = [item.options for item in CASES]
    for key, value in (("syntax", False), ("operator", "and"), ("operator", "and-or"), ("sort", "date")):
        assert any(option.get(key) == value for option in options), key
    assert any(option.get("recency") for option in options)


def test_every_query_matches_the_same_articles_on_both_engines(answers, corpus):
    differ = []
    for item, (embedded, cluster) in answers.items():
        if (embedded.total, embedded.warnings, embedded.suggestion) != (
                cluster.total, cluster.warnings, cluster.suggestion):
            differ.append(f"{item.label}: embedded {embedded.total} {embedded.warnings} {embedded.suggestion!r}, "
                          f"cluster {cluster.total} {cluster.warnings} {cluster.suggestion!r}")
    assert not differ, "\n".join(differ)
    if corpus[2]:  # with Reuters, nearly every query finds something
        assert sum(1 for embedded, _ in answers.values() if embedded.total) > 0.9 * len(answers)


def test_facets_over_all_matches_are_equal(answers):
    differ = [f"{item.label}:\n  embedded {embedded.facets}\n  cluster  {cluster.facets}"
              for item, (embedded, cluster) in answers.items() if embedded.facets != cluster.facets]
    assert not differ, "\n".join(differ)


ENTITY_QUERIES = [None, "oil prices", "election", "person:obama", "place:kabul", "org:cia", "date:2008",
                  '"prime minister"', "+iraq war -bush", "NOT oil", "econom*", "trade NEAR/2 deficit",
                  "What did the Senate say about oil prices?"]


@pytest.mark.parametrize("query", ENTITY_QUERIES)
def test_entities_are_equal(engines, query):
    embedded, cluster = engines
    syntax = query is None or "?" not in query
    assert embedded.entities(query, top=8, syntax=syntax) == cluster.entities(query, top=8, syntax=syntax)


TIMELINES = [("oil prices", "auto", False), ("election", "year", False), ("election", "month", True),
             ("person:obama", "week", False), ("date:2008-03", "day", False), ("iraq OR iran", "auto", True),
             ('"crude oil"', "month", False), ("NOT oil", "year", False), ("wom?n", "auto", False)]


@pytest.mark.parametrize("query, interval, normalise", TIMELINES)
def test_timelines_are_equal(engines, query, interval, normalise):
    embedded, cluster = engines
    expected = embedded.timeline(query, interval=interval, normalise=normalise)
    assert cluster.timeline(query, interval=interval, normalise=normalise) == expected
    assert sum(bucket.count for bucket in expected[1]) > 0


@pytest.mark.parametrize("query", ["person:obama", "person:George W. Bush", "org:cia", "place:kabul",
                                   'person:"William Burns"', "place:iraq", "oil", "election date:2008"])
def test_cooccurrences_are_equal(engines, query):
    """The same names and counts. Among equal counts the embedded index's order is the order
    in which a Python set yields the names (search/related.py), which changes from run to run;
    the cluster's is by name. So: every count equal, and the top 5 of each kind the same names
    up to the order of ties."""
    embedded, cluster = engines
    full = [{value.name: value.count for value in facet.values} for facet in embedded.cooccur(query, top=500)]
    assert full == [{value.name: value.count for value in facet.values} for facet in cluster.cooccur(query, top=500)]
    for kind, (mine, theirs) in enumerate(zip(embedded.cooccur(query, top=5), cluster.cooccur(query, top=5))):
        assert [value.count for value in mine.values] == [value.count for value in theirs.values]
        assert all(full[kind][value.name] == value.count for value in theirs.values)


@pytest.mark.parametrize("query", ['"unclosed', "AND oil", "oil OR", "date:2021-13", "since:someday", "-oil",
                                   "oil NEAR econom*", "the of", "(oil"])
def test_a_query_neither_engine_can_run_is_the_same_error(engines, query):
    from searchkit.errors import QuerySyntaxError

    errors = []
    for ix in engines:
        with pytest.raises(QuerySyntaxError) as raised:
            ix.search(query, today=TODAY)
        errors.append((str(raised.value), raised.value.position))
    assert errors[0] == errors[1]


# -- ranking ----------------------------------------------------------------------------

def top_overlap(embedded, cluster) -> float | None:
    """Share of the cluster's top 10 that is in the embedded top 10, counting as "in" every
    article tied with the embedded 10th score. None when the scores do not rank (the ties of
    the 10th score run past the window: a filter, a NOT)."""
    if not embedded.hits:
        return None
    scores = [hit.score for hit in embedded.hits]
    tenth = scores[min(TOP, len(scores)) - 1]
    accepted = {hit.id for hit in embedded.hits if hit.score >= tenth - 1e-6 * abs(tenth)}
    if len(accepted) == len(embedded.hits) and embedded.total > len(embedded.hits):
        return None
    top = [hit.id for hit in cluster.hits[:TOP]]
    return len(accepted.intersection(top)) / min(TOP, embedded.total)


def test_mean_top_10_overlap_of_the_ranked_queries(answers):
    overlaps = {item.label: top_overlap(*pair) for item, pair in answers.items()
                if item.ranked and item.options.get("sort") != "date"}
    ranked = {label: value for label, value in overlaps.items() if value is not None}
    mean = sum(ranked.values()) / len(ranked)
    table = "\n".join(f"  {value:.1f}  {label}" for label, value in sorted(ranked.items(), key=lambda kv: kv[1]))
    unranked = {item.label: top_overlap(*pair) for item, pair in answers.items() if not item.ranked}
    print(f"mean top-{TOP} overlap {mean:.3f} over {len(ranked)} ranked queries\n{table}\n"
          f"not ranked alike (UNRANKED): {unranked}")
    assert len(ranked) >= 60, table
    assert mean >= MIN_MEAN_OVERLAP, f"mean top-{TOP} overlap {mean:.3f}:\n{table}"


def test_sorted_by_date_gives_the_same_articles_day_by_day(answers):
    """Newest first, then by score: the same days in the same places, and the same articles
    on every day wholly inside the top 10."""
    for item, (embedded, cluster) in answers.items():
        if item.options.get("sort") != "date":
            continue
        mine, theirs = embedded.hits[:TOP], cluster.hits[:TOP]
        assert [hit.date for hit in mine] == [hit.date for hit in theirs], item.label
        for day in {hit.date for hit in mine} - {mine[-1].date}:
            assert {hit.id for hit in mine if hit.date == day} == {hit.id for hit in theirs if hit.date == day}


# -- articles, snippets, stats, export ------------------------------------------------------

def test_articles_and_snippets_are_the_same(engines):
    embedded, cluster = engines
    compared = 0
    for query in ('"security council"', "oil prices", "person:obama", "econom*", "medvedev~1",
                  "Bush Baghdad", "women kabul"):  # not title:oil*: see docs/scale-out.md (highlighting)
        mine = {hit.id: hit for hit in embedded.iter_all(query, today=TODAY)}
        for hit in cluster.search(query, limit=5, today=TODAY).hits:
            theirs = mine[hit.id]
            assert (hit.snippet, hit.title, hit.date, hit.people, hit.orgs, hit.places, hit.authors) == (
                theirs.snippet, theirs.title, theirs.date, theirs.people, theirs.orgs, theirs.places,
                theirs.authors), (query, hit.id)
            assert cluster.get(hit.id) == embedded.get(hit.id)
            compared += 1
    for article_id in ("000_be4fe0c3f01cfa7b.txt", "wikinews-736", "extra-2", "extra-3"):
        assert cluster.get(article_id) == embedded.get(article_id)
    assert compared >= 30


def test_stats_are_the_same_but_the_size(engines):
    embedded, cluster = engines
    mine, theirs = embedded.stats(top=8), cluster.stats(top=8)
    for name in ("articles", "first_date", "last_date", "undated", "top_entities"):
        assert getattr(theirs, name) == getattr(mine, name), name
    assert mine.undated == 1 and theirs.size_bytes > 0


EXPORTS = [case("oil prices"), case("NOT oil"), case("date:*", sort="date"), case('"prime minister"'),
           case("person:obama NOT iraq", syntax=False), case("oil prices", recency=2.0), case("wom?n"),
           case("central banks raising interest rates", syntax=False)]


@pytest.mark.parametrize("item", EXPORTS, ids=lambda item: item.label)
def test_export_gives_the_same_articles(engines, item):
    embedded, cluster = engines
    options = {"today": TODAY, "snippets": False, **item.options}
    mine = [hit.id for hit in embedded.iter_all(item.query, **options)]
    theirs = [hit.id for hit in cluster.iter_all(item.query, **options)]
    assert len(theirs) == len(set(theirs)) == cluster.search(item.query, limit=1, **options).total
    assert set(theirs) == set(mine) and mine
    for ix, exported in ((embedded, mine), (cluster, theirs)):  # ranked as the search ranks
        assert exported[0] == ix.search(item.query, limit=1, group=False, **options).hits[0].id


def test_feedback_adds_the_same_words_and_keeps_the_same_first_article(answers):
    """Scores differ by 1-2% and ties break differently (docs/scale-out.md), so an article near
    the fifth may swap with another (Reuters' many "posted prices" stories): most words, and
    nearly always the first article, are the same."""
    fed = {item: pair for item, pair in answers.items() if pair[0].feedback}
    assert len(fed) >= 6
    shares, same_first = {}, 0
    for item, (embedded, cluster) in fed.items():
        shares[item.label] = len(set(embedded.feedback) & set(cluster.feedback)) / len(embedded.feedback)
        if embedded.hits[0].id == cluster.hits[0].id:  # kept first with its widened score on both
            same_first += 1
            assert cluster.hits[0].score == pytest.approx(embedded.hits[0].score, rel=0.05), item.label
    assert sum(shares.values()) / len(shares) >= 0.85 and min(shares.values()) >= 0.6, shares
    assert same_first >= len(fed) - 1, same_first
    assert not any(pair[0].feedback or pair[1].feedback for item, pair in answers.items()
                   if item.options.get("syntax", True) and not item.options.get("feedback"))


@pytest.mark.parametrize("query, options", [
    ("central banks raising interest rates to fight inflation", {}),
    ("taliban attacks in pakistan", {"recency": 2.0}),
])
def test_explain_with_feedback_gives_each_engine_the_score_its_search_ranks_by(engines, query, options):
    for ix in engines:
        found = ix.search(query, syntax=False, limit=4, group=False, today=TODAY, **options)
        assert found.feedback
        for hit in found.hits:
            explained = ix.explain(query, hit.id, syntax=False, today=TODAY, **options)
            assert explained.score == pytest.approx(hit.score, rel=1e-4), (type(ix).__name__, hit.id)
            assert explained.kept_first == (hit.rank == 1)
            assert explained.feedback_words == found.feedback


# -- the differences that remain ----------------------------------------------------------

@pytest.mark.parametrize("item", list(KNOWN_DIFFERENCES), ids=lambda item: item.label)
def test_known_differences_are_only_more_matches_for_their_cause(engines, item):
    embedded, cluster = engines
    mine = {hit.id for hit in embedded.iter_all(item.query, today=TODAY, snippets=False)}
    theirs = {hit.id for hit in cluster.iter_all(item.query, today=TODAY, snippets=False)}
    assert mine < theirs, KNOWN_DIFFERENCES[item]
    if KNOWN_DIFFERENCES[item] is WILDCARD_CAP:
        assert any("1000 words" in warning for warning in search(embedded, item).warnings)
        assert not search(cluster, item).warnings


# -- export past OpenSearch's 10,000-hit window ------------------------------------------------

def test_export_passes_the_10000_hit_window(tmp_path, opensearch_index_url):
    """iter_all reads a point in time page by page: every one of 10,200 matches, once."""
    pytest.importorskip("opensearchpy")
    count = 10_200
    folder = tmp_path / "notes"
    folder.mkdir()
    with (folder / "notes.jsonl").open("w", encoding="utf-8") as out:
        for n in range(count):
            day = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}"
            out.write(json.dumps({"id": f"note-{n}", "title": f"Note {n}", "date": day,
                                  "text": f"Market note {n}: wheat and corn traded."}) + "\n")
    with searchkit.SearchIndex.create(opensearch_index_url) as ix:
        report = ix.update([folder], extract_entities=False)
        assert report.added == count and not report.failures
        assert ix.search("wheat", limit=1).total == count
        ids = [hit.id for hit in ix.iter_all("wheat", snippets=False)]
        assert len(ids) == len(set(ids)) == count
        assert set(ids) == {f"note-{n}" for n in range(count)}
        dated = [hit.date for hit in ix.iter_all("corn", sort="date", snippets=False)]
        assert len(dated) == count and dated == sorted(dated, reverse=True)

