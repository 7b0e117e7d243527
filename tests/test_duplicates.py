"""Near-duplicate fingerprints: copies with small edits fold, stories on one template do not."""

from __future__ import annotations

import json
import random

import searchkit
from searchkit.search.duplicates import SIMILARITY, fingerprint, group_duplicates, resemblance

STORY = ("Asarco Inc said it is increasing its base spot sales price for refined lead by one-half cent "
         "to 27.0 cents a lb, FOB, delivered in carload lots, effective immediately. The company said "
         "the increase reflects stronger demand from battery makers and lower stocks at the London Metal "
         "Exchange, where prices rose for a third week on supply worries in Canada and Peru.")


def edit(text: str, rng: random.Random, drop: float = 0.03, swap: float = 0.02) -> str:
    """What benchmarks/speed_corpus.py does to a copy: drop ~3% of words, swap ~2%."""
    out: list[str] = []
    for word in text.split(" "):
        roll = rng.random()
        if roll < drop:
            continue
        if roll < drop + swap and out:
            out[-1], word = word, out[-1]
        out.append(word)
    return " ".join(out)


def random_story(rng: random.Random, words: int = 150) -> str:
    return " ".join(f"w{rng.randrange(2000)}" for _ in range(words))


def test_two_edited_copies_of_a_story_resemble_each_other():
    rng = random.Random(3)
    for _ in range(50):
        a, b = edit(STORY, rng), edit(STORY, rng)
        assert resemblance(fingerprint(a), fingerprint(b)) >= SIMILARITY


def test_a_story_on_the_same_template_with_other_figures_is_not_a_copy():
    week = STORY.replace("27.0 cents", "26.5 cents").replace("third week", "second week") \
        .replace("one-half cent", "one cent")
    assert resemblance(fingerprint(STORY), fingerprint(week)) < SIMILARITY
    other = ("Phelps Dodge said it cut its copper price by one cent to 66 cents a lb, effective today, "
             "citing weaker demand from wire makers and higher stocks at the Commodity Exchange in New "
             "York, where prices fell for a second week on news of more supply from Chile and Zambia.")
    assert resemblance(fingerprint(STORY), fingerprint(other)) < 0.5


def test_grouping_reads_on_until_the_page_has_its_groups():
    rng = random.Random(5)
    stories = [random_story(rng) for _ in range(4)]
    items = [(s, edit(s, rng)) for s in stories for _ in range(12)]  # 12 copies each, in rank order
    groups = group_duplicates(items, lambda item: item[1], needed=3)
    assert [kept[0] for kept, _ in groups[:3]] == stories[:3]
    assert [len(folded) for _, folded in groups] == [11, 11, 10]  # LOOKAHEAD after the third


def test_a_page_of_an_index_full_of_copies_shows_each_story_once(tmp_path):
    rng = random.Random(7)
    rows = []
    for n in range(12):
        text = "Lead price news. " + random_story(rng)
        rows += [{"id": f"s{n}-c{c}", "title": "Asarco raises lead price", "text": edit(text, rng),
                  "date": "1987-03-02"} for c in range(8)]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "copies.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    searchkit.index_folder([tmp_path / "docs"], tmp_path / "ix")
    with searchkit.open_index(tmp_path / "ix") as ix:
        results = ix.search("lead price", limit=10)
    stories = [hit.id.split("-")[0] for hit in results.hits]
    assert len(results.hits) == 10 and len(set(stories)) == 10
    assert sum(hit.duplicates for hit in results.hits) >= 20  # copies that rank among the page's hits fold
