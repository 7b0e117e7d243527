"""A SearchIndex keeps one reader per committed state: searches after a commit see
it, threads never share a reader, and a reader in use survives a newer one."""

from __future__ import annotations

import os
import threading

from conftest import write_seed_article

import searchkit


def test_a_search_sees_a_commit_made_through_another_index_object(tmp_path):
    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "ISLAMABAD: The spymasters met in the capital.")
    searchkit.index_folder([docs], tmp_path / "ix")
    reading = searchkit.open_index(tmp_path / "ix")
    assert reading.search("spymasters").total == 1
    assert reading.search("cricket").total == 0
    write_seed_article(docs, "b.txt", "2021-01-02", "LAHORE: The cricket board met the spymasters.")
    with searchkit.open_index(tmp_path / "ix") as writer:
        writer.update([docs])
    assert reading.search("cricket").total == 1
    assert reading.search("spymasters").total == 2
    reading.close()


def _settle(folder):
    """The folder's times set back, as if nothing had changed in it for a minute."""
    status = os.stat(folder)
    os.utime(folder, ns=(status.st_atime_ns - 60 * 10**9, status.st_mtime_ns - 60 * 10**9))


def test_a_settled_index_folder_is_not_listed_again_until_a_commit_changes_it(tmp_path, monkeypatch):
    """The latest generation is found by listing the folder; while the folder's status is
    unchanged the last answer stands, and a commit from another index object (a new table
    of contents renamed into the folder) is seen by the next search."""
    from whoosh.index import FileIndex

    docs = tmp_path / "docs"
    write_seed_article(docs, "a.txt", "2021-01-01", "ISLAMABAD: The spymasters met in the capital.")
    searchkit.index_folder([docs], tmp_path / "ix")
    listings = []
    listed = FileIndex.latest_generation
    monkeypatch.setattr(FileIndex, "latest_generation", lambda self: listings.append(1) or listed(self))
    reading = searchkit.open_index(tmp_path / "ix")
    _settle(tmp_path / "ix")
    assert reading.search("spymasters").total == 1
    before = len(listings)
    assert reading.search("spymasters").total == 1 and reading.search("capital").total == 1
    assert len(listings) == before  # answered from the last listing
    write_seed_article(docs, "b.txt", "2021-01-02", "LAHORE: The cricket board met the spymasters.")
    with searchkit.open_index(tmp_path / "ix") as writer:
        writer.update([docs])
    assert reading.search("cricket").total == 1  # the commit changed the folder: listed again
    assert len(listings) > before
    reading.close()


def test_an_export_running_on_an_older_state_finishes(tmp_path):
    docs = tmp_path / "docs"
    for i in range(5):
        write_seed_article(docs, f"{i}.txt", "2021-01-01", f"KABUL: Talks number {i} on the border.")
    searchkit.index_folder([docs], tmp_path / "ix")
    ix = searchkit.open_index(tmp_path / "ix")
    export = ix.iter_all("talks")
    first = next(export)
    write_seed_article(docs, "new.txt", "2021-01-03", "KABUL: More talks on trade.")
    ix.update([docs])
    assert ix.search("talks").total == 6  # a new reader for the new state
    rest = list(export)  # the export keeps its own state
    assert len([first, *rest]) == 5
    ix.close()


def test_threads_searching_one_index_get_the_same_results(seeds_index):
    expected = {q: [h.id for h in seeds_index.search(q).hits] for q in ("election", "oil prices", '"prime minister"')}
    found: list[dict] = []
    errors: list[BaseException] = []

    def search_all():
        try:
            for _ in range(5):
                found.append({q: [h.id for h in seeds_index.search(q).hits] for q in expected})
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=search_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(found) == 20 and all(result == expected for result in found)
