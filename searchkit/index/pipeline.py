"""Indexing on several cores.

Worker processes take whole files from one shared queue, read, hash and
parse them, extract entities, and add the documents to a Whoosh segment of
their own. This process hands out files and counts the results; every
BATCH_FACTOR x BATCH_ARTICLES articles it asks the workers to finish their
segments, and once all have answered it applies the deletions of that batch
(changed files) and commits the workers' segments in one new generation. A
worker finishes a segment only between files, so a commit never splits one
file's articles, and an interrupted run keeps every batch committed before it.

Whoosh's own multi-process writer parses in the parent and sends documents
to the workers; here the expensive part (parsing and entity extraction)
runs in the workers too. Batches are larger than in the one-process path
because every segment written is merged later, and merging a segment costs
about as much as writing it.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections import defaultdict

from whoosh.writing import SegmentWriter

from ..models import Failure
from .fastindex import speed_up
from .schema import F
from . import writer as batches
from .record_sync import RecordFileEnd, RecordJob, delete_markers, delete_replaced
from .writer import (FileResult, commit_writer, jobs_of, open_writer, prepare_file_safely,
                     prepare_records_safely, vanished_paths)

WORKER_MEMORY_MB = 128
COMMIT_MEMORY_MB = 128  # for merging segments
BATCH_FACTOR = 4  # commits every 4 x BATCH_ARTICLES: each segment written costs a merge later
QUEUED_FILES = 4  # files waiting in the queue, per worker
POLL_SECONDS = 1.0
WAIT_SECONDS = 0.05  # how soon an idle worker notices a flush


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _SegmentBuilder:
    """A worker's Whoosh segment, opened at the first document of each batch."""

    def __init__(self, storage, indexname: str, name: str) -> None:
        self.storage = storage
        self.indexname = indexname
        self.tempname = f"{indexname}.{name}.tmp"
        self.writer = None

    def add(self, doc: dict) -> None:
        if self.writer is None:
            ix = self.storage.open_index(self.indexname)
            self.writer = SegmentWriter(ix, _lk=False, limitmb=WORKER_MEMORY_MB, compound=False)
            # A temporary folder of its own: a Whoosh writer destroys its temporary
            # folder when it finishes, and by default all writers of an index share one.
            speed_up(self.writer, WORKER_MEMORY_MB, self.storage.temp_storage(self.tempname))
        self.writer.add_document(**doc)

    def finish(self):
        """Write out the segment; return it (None when nothing was added)."""
        writer, self.writer = self.writer, None
        if writer is None:
            return None
        segment = writer._finalize_segment()
        writer._tempstorage.destroy()
        return segment


def _work(storage, indexname, wid, jobs, results, flushes, extract_entities, parent, aliases=None) -> None:
    """A worker's loop: files from the shared queue until None; between two
    files, finish the segment when the parent asked for a flush (`flushes`
    counts the requests). Stops by itself when the parent process is gone, so
    that an orphaned worker never holds the index's lock."""
    builder = _SegmentBuilder(storage, indexname, f"w{wid}")
    epoch = 0
    while True:
        if flushes.value > epoch:
            results.put(("flushed", wid, epoch, builder.finish()))
            epoch += 1
            continue
        try:
            job = jobs.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if job is None:
            return
        if isinstance(job, RecordJob):
            result = _index_docs(builder, job.path, *prepare_records_safely(job, extract_entities, aliases))
        else:
            result = _index_file(builder, *job, extract_entities, aliases)
        results.put(("file", wid, epoch, result))


def _index_file(builder: _SegmentBuilder, source, previous, extract_entities: bool,
                aliases=None) -> FileResult:
    return _index_docs(builder, source.path, *prepare_file_safely(source, previous, extract_entities, aliases))


def _index_docs(builder: _SegmentBuilder, path: str, result: FileResult, docs: list[dict]) -> FileResult:
    try:
        for doc in docs:
            builder.add(doc)
    except Exception as exc:  # noqa: BLE001 — reported as this file's failure
        reason = f"internal error while writing: {type(exc).__name__}: {exc}"
        status = "records" if result.status == "records" else "failed"
        result = FileResult(path, status, failures=[Failure(path, reason)])
    return result


class _Workers:
    """Worker processes sharing one queue of files, so that none waits while
    another still has work, and none starves while this process commits."""

    def __init__(self, ix, count: int, extract_entities: bool, aliases=None) -> None:
        ctx = _context()
        self.results = ctx.Queue()
        self.jobs = ctx.Queue()
        self.flushes = ctx.Value("i", 0)
        self.queued = 0
        self.procs = [
            ctx.Process(target=_work, name=f"searchkit-indexer-{wid}", daemon=True,
                        args=(ix.storage, ix.indexname, wid, self.jobs, self.results, self.flushes,
                              extract_entities, os.getpid(), aliases))
            for wid in range(count)
        ]
        for proc in self.procs:
            proc.start()

    def feed(self, jobs, known: dict, run) -> bool:
        """Top up the queue from the iterator `jobs` (writer.jobs_of); the end of a file
        read in record mode goes to `run`. Returns False once `jobs` is exhausted."""
        while self.queued < QUEUED_FILES * len(self.procs):
            job = next(jobs, None)
            if job is None:
                return False
            if isinstance(job, RecordFileEnd):
                run.file_end(job)
                continue
            self.jobs.put(job if isinstance(job, RecordJob) else (job, known.get(job.path)))
            self.queued += 1
        return True

    def flush(self) -> None:
        """Ask every worker to finish its segment after its current file."""
        with self.flushes.get_lock():
            self.flushes.value += 1

    def receive(self):
        while True:
            try:
                return self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                dead = [proc for proc in self.procs if not proc.is_alive()]
                if dead:
                    raise RuntimeError(f"indexing worker {dead[0].name} stopped (exit code {dead[0].exitcode})")

    def stop(self) -> None:
        for _ in self.procs:
            self.jobs.put(None)
        for proc in self.procs:
            proc.join()

    def kill(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join()


class _Committer:
    """Holds the index lock; commits the workers' segments batch by batch."""

    def __init__(self, ix) -> None:
        self.ix = ix
        self.writer = self._open()

    def _open(self):
        writer = open_writer(self.ix, COMMIT_MEMORY_MB)
        speed_up(writer, COMMIT_MEMORY_MB, writer.storage.temp_storage(f"{self.ix.indexname}.main.tmp"))
        return writer

    def commit(self, segments: list, delete_paths: list[str], final: bool) -> None:
        writer = self.writer
        for path in delete_paths:
            if isinstance(path, str):
                writer.delete_by_term(F.PATH, path)
            elif path[0] == "markers":  # of a file in record mode (record_sync.py)
                delete_markers(writer, *path[1:])
            else:
                delete_replaced(writer, *path[1:])
        commit_writer(writer, segments, final)
        if final:  # the workers are done with the shared temporary folder
            writer.storage.temp_storage(f"{writer.indexname}.tmp").destroy()
        self.writer = None if final else self._open()

    def cancel(self) -> None:
        if self.writer is not None and not self.writer.is_closed:
            self.writer.cancel()


class _Run:
    """The bookkeeping of one parallel update."""

    def __init__(self, workers: _Workers, committer: _Committer, tally, total: int, progress) -> None:
        self.workers, self.committer, self.tally = workers, committer, tally
        self.total, self.done, self.progress = total, 0, progress
        self.epoch = 0  # the batch being collected
        self.articles = defaultdict(int)  # epoch -> articles written
        self.deletes = defaultdict(list)  # epoch -> paths whose old articles go
        self.segments: list = []
        self.flushing = False
        self.record_jobs = defaultdict(int)  # path -> jobs of records done
        self.record_ends: dict = {}  # path -> its RecordFileEnd, until its jobs are all done
        self.syncs: dict = {}  # path -> what a file indexed before matched (record_sync)

    def file_end(self, end) -> None:
        """The end of a file read in record mode: done once its jobs are."""
        self.record_ends[end.path] = end
        self._finish_records(end.path)

    def _finish_records(self, path: str) -> None:
        end = self.record_ends.get(path)
        if end is None or self.record_jobs[path] < end.jobs:
            return
        del self.record_ends[path]
        self.record_jobs.pop(path, None)
        self.syncs.pop(path, None)
        self.tally.record_file_end(end)
        if end.stale:  # deleted in the commit that holds the last new article, or a later one
            self.deletes[self.epoch].append(("markers", path, end.stale))
        self._progress()

    def _progress(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def handle(self, message, final: bool = False) -> None:
        kind, wid, epoch, payload = message
        if kind == "file":
            self.workers.queued -= 1
            self.tally.record(payload)
            if payload.replaces:
                self.deletes[epoch].append(payload.path)
            if payload.status in ("added", "updated", "records"):
                self.articles[epoch] += payload.articles
            if payload.status == "records":
                if payload.sync and payload.ids:  # old versions go in the commit of the new
                    self.deletes[epoch].append(("replaced", payload.path, payload.ids,
                                                self.syncs[payload.path]))
                self.record_jobs[payload.path] += 1
                self._finish_records(payload.path)
            else:
                self._progress()
            if not self.flushing and self.articles[self.epoch] >= batches.BATCH_ARTICLES * BATCH_FACTOR:
                self.workers.flush()
                self.flushing = True
            return
        self.segments.append(payload)
        if len(self.segments) == len(self.workers.procs):
            self.committer.commit(self.segments, self.deletes.pop(self.epoch, []), final)
            self.segments, self.flushing = [], False
            self.articles.pop(self.epoch, None)
            self.epoch += 1


def update_parallel(ix, walk, known, tally, progress, extract_entities: bool, count: int,
                    aliases=None) -> None:
    """Index walk.sources with `count` worker processes (see the module's docstring)."""
    committer = _Committer(ix)
    workers = None
    try:
        workers = _Workers(ix, count, extract_entities, aliases)
        run = _Run(workers, committer, tally, len(walk.sources), progress)
        jobs = jobs_of(ix, walk.sources, known, run.syncs)
        more = True
        while more or workers.queued or run.flushing:
            more = more and workers.feed(jobs, known, run)
            if workers.queued or run.flushing:
                run.handle(workers.receive())
        run.deletes[run.epoch].extend(vanished_paths(known, walk, tally))
        workers.flush()
        run.flushing = True
        while run.flushing:
            run.handle(workers.receive(), final=True)
        workers.stop()
    except BaseException:
        if workers is not None:
            workers.kill()
        committer.cancel()
        raise
