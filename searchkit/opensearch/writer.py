"""Bringing a cluster index in line with the files on disk (the bulk writer).

The same steps as the embedded index (index/writer.py): files are read, hashed,
parsed and their entities extracted in Python, on several cores for a large
job; new and changed files are sent with the bulk API; articles of files that
changed or disappeared are deleted after. Safe to interrupt or to fail half-way:

- an article's _id is derived from (origin, path, article id), so writing a
  changed file again overwrites its articles in place, and articles it no
  longer holds are deleted only once all of its new ones are written;
- every document records its file's content hash and article count, so a
  file that was only partly written (a node went away mid-bulk) does not look
  complete to the next run, which writes it again: nothing is lost, and a rerun
  converges;
- deletions only ever touch documents of this machine's `origin` below the
  folders being indexed: several machines can index disjoint folders into one
  index at once.
"""

from __future__ import annotations

import functools
import multiprocessing
import time
from collections.abc import Callable, Iterator

from ..index.writer import _Tally, choose_workers, prepare_file_safely, vanished_paths
from ..ingest.discover import Walk
from ..models import Failure, IndexReport
from .client import WHOLE, retrying
from .mapping import document_id, opensearch_document

BULK_DOCS = 500
BULK_BYTES = 8 * 1024 * 1024
BULK_RETRIES = 3  # for 429 (the cluster's queues are full): back off and resend
SCAN_PAGE = 5000
Progress = Callable[[int, int], None]


def known_files(client, index: str, origin: str) -> dict[str, tuple[str, int]]:
    """path -> (content hash, article count) of this origin's documents; a file
    written only in part (fewer documents than it had articles, or two hashes)
    gets the hash "" so that it is written again."""
    sources = [{"path": {"terms": {"field": "path"}}}, {"hash": {"terms": {"field": "file_hash"}}}]
    body: dict = {
        "size": 0, "query": {"term": {"origin": origin}},
        "aggs": {"files": {"composite": {"size": SCAN_PAGE, "sources": sources},
                           "aggs": {"articles": {"max": {"field": "file_articles"}}}}},
    }
    files: dict[str, tuple[str, int]] = {}
    while True:
        found = retrying(client.search, index=index, body=body, params=WHOLE)["aggregations"]["files"]
        for bucket in found["buckets"]:
            path, digest = bucket["key"]["path"], bucket["key"]["hash"]
            count, expected = bucket["doc_count"], bucket["articles"]["value"] or 0
            if path in files or count < expected:
                digest = ""
            files[path] = (digest, files.get(path, ("", 0))[1] + count)
        if "after_key" not in found or not found["buckets"]:
            return files
        body["aggs"]["files"]["composite"]["after"] = found["after_key"]


def _prepare(job):
    source, previous, extract_entities, aliases, build = job
    return prepare_file_safely(source, previous, extract_entities, aliases, build)


def _prepared(walk: Walk, known, workers: int, extract_entities: bool, aliases, origin: str) -> Iterator:
    """(FileResult, documents) per file of the walk, in order; parsed on `workers` processes."""
    build = functools.partial(opensearch_document, origin=origin)
    jobs = ((source, known.get(source.path), extract_entities, aliases, build) for source in walk.sources)
    if not workers:
        yield from map(_prepare, jobs)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(_prepare, jobs, chunksize=2)


class _Bulk:
    """Documents to send, with what is needed to report each failed one."""

    def __init__(self, client, index: str) -> None:
        self.client, self.index = client, index
        self.pending: dict[str, tuple[str, str]] = {}  # _id -> (path, article id)
        self.failed_paths: set[str] = set()
        self.failures: list[Failure] = []

    def actions(self, files: Iterator, on_file: Callable) -> Iterator[dict]:
        for result, docs in files:
            on_file(result, docs)
            for doc in docs:
                doc["file_articles"] = len(docs)
                key = doc["key"] = document_id(doc["origin"], doc["path"], doc["id"])
                self.pending[key] = (doc["path"], doc["id"])
                yield {"_op_type": "index", "_index": self.index, "_id": key, "_source": doc}

    def send(self, actions: Iterator[dict]) -> None:
        from opensearchpy import helpers

        for ok, item in helpers.streaming_bulk(
                self.client, actions, chunk_size=BULK_DOCS, max_chunk_bytes=BULK_BYTES,
                raise_on_error=False, raise_on_exception=False, max_retries=BULK_RETRIES):
            info = next(iter(item.values()))
            path, article = self.pending.pop(info.get("_id"), ("?", "?"))
            if not ok:
                self.failed_paths.add(path)
                self.failures.append(Failure(path, f"article {article!r} not written: {_item_reason(info)}"))


def _item_reason(info: dict) -> str:
    error = info.get("error") or info.get("exception") or "unknown error"
    if isinstance(error, dict):
        error = f"{error.get('type', 'error')}: {error.get('reason', '')}".rstrip(": ")
    return f"{info.get('status', '')} {error}".strip()


def delete_matching(client, index: str, query: dict) -> int:
    """Delete every document matching `query` (found by search, deleted in bulk:
    delete-by-query lives in a module that not every cluster has)."""
    from opensearchpy import helpers

    deleted = 0
    while True:
        found = retrying(client.search, index=index, body={"query": query, "size": SCAN_PAGE, "_source": False},
                         params={**WHOLE, "request_cache": "false"})["hits"]["hits"]
        if not found:
            return deleted
        actions = ({"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]} for hit in found)
        done, _ = helpers.bulk(client, actions, raise_on_error=False, chunk_size=BULK_DOCS)
        deleted += done
        client.indices.refresh(index=index)
        if done == 0:
            return deleted


def _stale_query(origin: str, paths: dict[str, str]) -> dict:
    """This origin's documents of `paths` whose file hash is not the new one."""
    return {"bool": {"filter": [{"term": {"origin": origin}}], "minimum_should_match": 1, "should": [
        {"bool": {"filter": [{"term": {"path": path}}], "must_not": [{"term": {"file_hash": digest}}]}}
        for path, digest in paths.items()]}}


def _delete_stale(client, index: str, origin: str, replaced: dict[str, str], gone: list[str]) -> None:
    client.indices.refresh(index=index)
    items = list(replaced.items())
    for start in range(0, len(items), 200):
        delete_matching(client, index, _stale_query(origin, dict(items[start:start + 200])))
    for start in range(0, len(gone), 1000):
        delete_matching(client, index, {"bool": {"filter": [
            {"term": {"origin": origin}}, {"terms": {"path": gone[start:start + 1000]}}]}})


def sync(client, index: str, walk: Walk, origin: str, progress: Progress | None = None,
         extract_entities: bool = True, workers: int | None = None, aliases=None,
         reextract: bool = False) -> IndexReport:
    """Index the files of `walk` into `index` (an alias or index name) for `origin`."""
    started = time.perf_counter()
    known = known_files(client, index, origin)
    if reextract:
        known = {path: ("", count) for path, (_, count) in known.items()}
    tally = _Tally(failures=list(walk.failures))
    replaced: dict[str, str] = {}
    done = [0]

    statuses: dict[str, str] = {}

    def on_file(result, docs) -> None:
        tally.record(result)
        if docs:
            replaced[result.path] = docs[0]["file_hash"]
            statuses[result.path] = result.status
        done[0] += 1
        if progress:
            progress(done[0], len(walk.sources))

    bulk = _Bulk(client, index)
    files = _prepared(walk, known, choose_workers(walk, workers), extract_entities, aliases, origin)
    bulk.send(bulk.actions(files, on_file))
    tally.failures.extend(bulk.failures)
    for failure in bulk.failures:  # counted as written when the file was parsed
        if statuses.get(failure.path) == "added":
            tally.added -= 1
        elif statuses.get(failure.path) == "updated":
            tally.updated -= 1
    for path in bulk.failed_paths:  # keep its earlier articles: the next run writes it again
        replaced.pop(path, None)
    gone = vanished_paths(known, walk, tally)
    _delete_stale(client, index, origin, {p: d for p, d in replaced.items() if p in known}, gone)
    client.indices.refresh(index=index)
    return IndexReport(added=tally.added, updated=tally.updated, unchanged=tally.unchanged,
                       removed=tally.removed, skipped=walk.skipped, failures=tuple(tally.failures),
                       warnings=tuple(tally.warnings), seconds=time.perf_counter() - started)
