"""Near-duplicate folding at scale: sketches stored at index time, pages of many copies.

Stories are real Wikinews articles from seeds/; their copies are made by the speed
benchmark's own perturbation (about 3% of the words dropped and 2% swapped with a neighbour)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from difflib import SequenceMatcher

import pytest

import searchkit
from conftest import ROOT
from searchkit.api import SearchIndex
from searchkit.analysis.sketch import NO_SKETCH, make_sketch, read_sketch, resemblance
from searchkit.search.duplicates import SIMILARITY
from speed_corpus import perturb  # benchmarks/ is on pytest's pythonpath: the benchmark's own copies

STORIES, COPIES = 14, 9


def word_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower().split(), b.lower().split(), autojunk=False).ratio()


def seed_stories(count: int) -> list[dict]:
    """Wikinews articles of 80 words or more, none a version of another (Wikinews has a few
    stories filed twice, which are copies in truth: word-sequence similarity 0.5 or more)."""
    rows = []
    for path in sorted((ROOT / "seeds").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if len(row.get("text", "").split()) >= 80 and all(
                    word_similarity(row["text"], kept["text"]) < 0.5 for kept in rows):
                rows.append(row)
            if len(rows) == count:
                return rows
    raise AssertionError(f"seeds/ has fewer than {count} distinct stories")


@pytest.fixture(scope="module")
def copies_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("copies")
    rng = random.Random(16)
    stories = seed_stories(STORIES)
    with open(root / "copies.jsonl", "w", encoding="utf-8") as out:
        for number, story in enumerate(stories):
            for copy in range(COPIES):
                text = story["text"] if copy == 0 else perturb(story["text"], rng)
                row = {"id": f"s{number}-c{copy}", "title": story.get("title", ""), "text": text,
                       "date": story.get("date")}
                out.write(json.dumps(row) + "\n")
    searchkit.index_folder([root / "copies.jsonl"], root / "ix")
    return root / "ix", stories


def story_of(article_id: str) -> str:
    return article_id.split("-")[0]


def test_two_versions_of_one_story_fold_and_distinct_stories_do_not():
    """Wikinews filed the WorldCom verdict twice, reworded; the seeds' other stories are distinct."""
    rows = {}
    for path in sorted((ROOT / "seeds").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    first, second = rows["wikinews-5833"], rows["wikinews-5834"]
    assert resemblance(read_sketch(make_sketch(first["title"], first["text"])),
                       read_sketch(make_sketch(second["title"], second["text"]))) >= SIMILARITY


def test_copies_of_a_story_resemble_each_other_and_distinct_stories_do_not():
    rng = random.Random(3)
    stories = seed_stories(STORIES)
    for story in stories:
        original = read_sketch(make_sketch(story.get("title", ""), story["text"]))
        copy = read_sketch(make_sketch(story.get("title", ""), perturb(story["text"], rng)))
        assert resemblance(original, copy) >= SIMILARITY
        assert resemblance(original, original) == 1.0
    sketches = [read_sketch(make_sketch(s.get("title", ""), s["text"])) for s in stories]
    for a in range(len(sketches)):
        for b in range(a + 1, len(sketches)):
            assert resemblance(sketches[a], sketches[b]) < SIMILARITY, (stories[a]["id"], stories[b]["id"])


def test_a_short_report_differs_by_its_numbers_and_word_order_counts():
    assert make_sketch("Plant", "Reactor late.") == NO_SKETCH and read_sketch(NO_SKETCH) is None

    def report(tonnes):  # Reuters filed many one-line reports of one template
        text = f"U.S. EXPORTERS REPORT {tonnes} TONNES CORN SWITCHED FROM UNKNOWN TO USSR FOR 1986/87"
        return read_sketch(make_sketch(text, text))

    assert resemblance(report("350,000"), report("200,000")) < SIMILARITY  # two reports
    dropped = "U.S. EXPORTERS REPORT 350,000 TONNES CORN SWITCHED FROM UNKNOWN TO USSR FOR"
    copy = read_sketch(make_sketch(dropped, dropped))
    assert resemblance(report("350,000"), copy) >= SIMILARITY  # a copy that lost a number
    words = ("officials said the new reactor would cost far more than the budget allowed and that "
             "the opening would be delayed by at least two years because of the inquiry").split()
    forward = read_sketch(make_sketch("", " ".join(words)))
    shuffled = words[:]
    random.Random(5).shuffle(shuffled)
    backward = read_sketch(make_sketch("", " ".join(shuffled)))
    assert resemblance(forward, backward) < SIMILARITY  # the same words in another order


def test_a_sketch_is_the_same_in_another_process():
    """Sketches are stored: a process with another hash seed must make the same bytes."""
    story = seed_stories(1)[0]
    here = make_sketch(story.get("title", ""), story["text"])
    code = ("import json,sys; from searchkit.analysis.sketch import make_sketch; "
            "s=json.loads(sys.stdin.read()); sys.stdout.write(make_sketch(s['t'], s['b']).hex())")
    there = subprocess.run([sys.executable, "-c", code], input=json.dumps({"t": story.get("title", ""), "b": story["text"]}),
                           capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "12345", "PATH": "",
                                                                             "PYTHONPATH": str(ROOT)}).stdout
    assert bytes.fromhex(there) == here


def test_a_page_of_many_copies_shows_each_story_once_with_its_copies_folded(copies_index):
    index_dir, _ = copies_index
    with searchkit.open_index(index_dir) as ix:
        results = ix.search("NOT zebra", limit=10)
        flat = ix.search("NOT zebra", limit=10, group=False)
    assert results.total == flat.total == STORIES * COPIES
    shown = [story_of(hit.id) for hit in results.hits]
    assert len(shown) == 10 and len(set(shown)) == 10  # ten stories, not ten copies of one
    assert len({story_of(hit.id) for hit in flat.hits}) < 10  # ungrouped, copies crowd the page
    for hit in results.hits:
        assert {story_of(i) for i in hit.duplicate_ids} == {story_of(hit.id)}
        assert hit.duplicates == COPIES - 1  # every copy folded, though they need more than a window


def test_the_second_page_continues_with_other_stories(copies_index):
    index_dir, _ = copies_index
    with searchkit.open_index(index_dir) as ix:
        first = ix.search("NOT zebra", limit=5)
        second = ix.search("NOT zebra", limit=5, page=2)
    first_stories = {story_of(hit.id) for hit in first.hits}
    second_stories = [story_of(hit.id) for hit in second.hits]
    assert len(second_stories) == 5 and not first_stories & set(second_stories)
    assert all(hit.duplicates == COPIES - 1 for hit in second.hits)


def test_copies_fold_the_same_after_a_merge_and_when_sorted_by_date(copies_index):
    index_dir, _ = copies_index
    with searchkit.open_index(index_dir) as ix:
        before = [(h.id, h.duplicate_ids) for h in ix.search("NOT zebra").hits]
        by_date = ix.search("NOT zebra", sort="date")
        ix.optimize()
        after = [(h.id, h.duplicate_ids) for h in ix.search("NOT zebra").hits]
    assert after == before
    assert len({story_of(hit.id) for hit in by_date.hits}) == len(by_date.hits)


def test_the_page_after_the_last_story_is_known_to_be_the_last(copies_index):
    index_dir, _ = copies_index
    with searchkit.open_index(index_dir) as ix:
        first = ix.search("NOT zebra", limit=10)
        last = ix.search("NOT zebra", limit=10, page=2)
        flat = ix.search("NOT zebra", limit=10, page=2, group=False)
    assert first.more is True and first.pages >= 2
    assert len(last.hits) == STORIES - 10 and last.more is False and last.pages == 2  # not 13 pages of copies
    assert flat.more is None and flat.pages == -(-STORIES * COPIES // 10)


def test_the_cli_folds_copies_unless_asked_for_them(copies_index, capsys):
    from searchkit.cli import main

    index_dir, _ = copies_index
    assert main(["search", "NOT zebra", "--json", "--index", str(index_dir)]) == 0
    folded = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["search", "NOT zebra", "--json", "--copies", "--index", str(index_dir)]) == 0
    apart = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len({story_of(hit["id"]) for hit in folded}) == len(folded) == 10
    assert len({story_of(hit["id"]) for hit in apart}) < len(apart) == 10


def test_folded_ids_read_from_the_id_column_or_from_an_older_index_stored_fields(copies_index, tmp_path,
                                                                                  monkeypatch):
    """A page's folded copies name their ids from the id column; an index made before
    that column (its schema has none) gives the same page from the stored fields."""
    from searchkit.index import schema as schema_module
    from searchkit.search.readers import article_ids

    index_dir, _ = copies_index
    with searchkit.open_index(index_dir) as ix:
        with ix._ix.reader() as reader:
            assert reader.has_column("id")
            id_of = article_ids(reader)
            assert [id_of(d) for d in reader.all_doc_ids()] == [reader.stored_fields(d)["id"]
                                                                for d in reader.all_doc_ids()]
        with_column = ix.search("NOT zebra", limit=10)
    plain = schema_module.build_schema

    def without_id_column(stem: bool = True):
        schema = plain(stem)
        schema._fields["id"].column_type = None
        return schema

    monkeypatch.setattr(schema_module, "build_schema", without_id_column)
    monkeypatch.setattr("searchkit.index.store.build_schema", without_id_column)
    searchkit.index_folder([index_dir.parent / "copies.jsonl"], tmp_path / "older")
    with searchkit.open_index(tmp_path / "older") as ix:
        with ix._ix.reader() as reader:
            assert not reader.has_column("id")
        older = ix.search("NOT zebra", limit=10)
    assert older.hits == with_column.hits and sum(hit.duplicates for hit in older.hits) > 0


def test_sketches_read_from_the_mapped_column_equal_whoosh_column_reader(tmp_path):
    """readers.fixed_bytes slices each segment's mapped column file: the same bytes as
    Whoosh's column reader for every document of an index of several segments, with
    deletions and articles too short for a sketch."""
    from searchkit.search.readers import fixed_bytes

    rows = seed_stories(12)
    folder = tmp_path / "docs"
    folder.mkdir()
    for number, row in enumerate(rows):
        text = row["text"] if number % 3 else "Too short."
        (folder / f"a{number}.json").write_text(json.dumps({"id": f"a{number}", "title": row["title"],
                                                            "text": text}), encoding="utf-8")
    with SearchIndex.open_or_create(tmp_path / "ix") as ix:
        ix.update([folder], workers=0)
        (folder / "a1.json").unlink()
        (folder / "extra.json").write_text(json.dumps({"id": "extra", "title": "t", "text": rows[0]["text"]}),
                                           encoding="utf-8")
        ix.update([folder], workers=0)
        with ix._ix.reader() as reader:
            assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
            column = reader.column_reader("sketch", translate=False)
            value = fixed_bytes(reader, "sketch")
            values = [value(docnum) for docnum in range(reader.doc_count_all())]
            assert values == [column[docnum] for docnum in range(reader.doc_count_all())]
            assert len(set(values)) > 5


def reference_groups(raws, needed, lookahead, most, shown=None):
    """Grouping as its docstring states it, item by item: the first group whose kept sketch
    shares a key bin and resembles the item by SIMILARITY or more."""
    groups, quiet = [], None
    shown = needed if shown is None else shown
    for seen, raw in enumerate(raws):
        if seen >= most or (quiet is not None and quiet >= lookahead):
            break
        sketch = read_sketch(raw)
        into = None
        if sketch is not None:
            into = next((g for g, (_, _, kept) in enumerate(groups) if kept is not None
                         and set(sketch.keys) & set(kept.keys) and resemblance(sketch, kept) >= SIMILARITY), None)
        if into is not None:
            groups[into][1].append(seen)
            if quiet is not None:
                quiet = 0 if into < shown else quiet + 1
            continue
        groups.append((seen, [], sketch))
        if quiet is not None:
            quiet += 1
        elif len(groups) == needed:
            quiet = 0
    return [(kept, folded) for kept, folded, _ in groups]


@pytest.mark.parametrize("needed, lookahead, most, shown", [(11, 10, 2000, None), (3, 4, 2000, None),
                                                            (40, 10, 2000, None), (11, 10, 150, None),
                                                            (200, 10, 2000, None), (11, 10, 2000, 10),
                                                            (3, 4, 2000, 2)])
def test_groups_are_those_of_the_plain_definition(needed, lookahead, most, shown):
    """Candidates looked up through shared key bins: the groups, their order and their
    folded items are those of the plain definition, for copies in a shuffled rank order
    mixed with short reports (numbers decide), articles too short to sketch and none."""
    from searchkit.search.duplicates import group_duplicates

    rng = random.Random(needed * 1000 + most)
    raws = []
    for story in seed_stories(STORIES):
        raws += [make_sketch(story.get("title", ""), perturb(story["text"], rng)) for _ in range(COPIES)]
    for number in range(40):
        report = f"Wheat exports {number % 7 * 50},000 tonnes in week {number % 5} said the ministry"
        raws.append(make_sketch("", report))
    raws += [NO_SKETCH, None, b"short"] * 4
    rng.shuffle(raws)
    got = group_duplicates(range(len(raws)), raws.__getitem__, needed=needed,
                           lookahead=lookahead, most=most, shown=shown)
    assert got == reference_groups(raws, needed, lookahead, most, shown)
    looked_at = []
    one_by_one = group_duplicates(map(lambda item: looked_at.append(item) or item, range(len(raws))),
                                  raws.__getitem__, needed=needed, lookahead=lookahead, most=most, batches=(1, 1),
                                  shown=shown)
    assert one_by_one == got
    assert len(looked_at) == sum(1 + len(folded) for _, folded in got)  # no item taken that is not grouped
    looked_at = sum(1 + len(folded) for _, folded in got)
    if needed > 10:
        assert looked_at > 100 and sum(len(folded) for _, folded in got) > 50
    else:  # few groups asked for: it stops early
        assert looked_at < 50


def test_the_group_a_page_asks_for_beyond_those_it_shows_has_its_copies_left_unread():
    """A page of two stories asks for a third only to know that a next page exists: once it
    is found, its copies count as items that fold into no shown story, so reading stops
    `lookahead` items later; the shown stories get the same copies."""
    from searchkit.search.duplicates import group_duplicates

    rng = random.Random(7)
    stories = seed_stories(3)
    raws = [make_sketch(story.get("title", ""), perturb(story["text"], rng)) for story in stories
            for _ in range(30)]  # ranked story by story: 30 copies of each
    every = group_duplicates(range(len(raws)), raws.__getitem__, needed=3, lookahead=5)
    page = group_duplicates(range(len(raws)), raws.__getitem__, needed=3, lookahead=5, shown=2)
    assert len(every) == len(page) == 3
    assert page[:2] == every[:2] and len(every[0][1]) >= 25 and len(every[1][1]) >= 25
    assert len(page[2][1]) == 5 < len(every[2][1])  # the third story: found, then `lookahead` more of its copies
