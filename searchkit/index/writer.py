"""Bringing the index in line with the files on disk.

New files are added, changed files (by content hash) re-indexed, unchanged
ones left alone, and files that disappeared from an indexed folder removed.
Work is committed in batches, so an interrupted run keeps what it committed
and the next run resumes from there. A commit never splits one file's
articles.

Large jobs run on several cores (see `pipeline.py`): worker processes read,
parse, extract entities and write segments of their own while this process
applies deletions and commits. Small jobs run here, in one process.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.index import TOC, LockError, clean_files

from ..errors import ArticleParseError, IndexLocked
from ..ingest.discover import Source, Walk
from ..ingest.load import content_hash, parse_source, read_source
from ..models import Article, Failure, IndexReport
from .documents import article_document, article_entities
from .fastindex import speed_up, toc_schema
from .record_sync import RecordFileEnd, RecordJob, plan_record_file, prepare_records, uses_record_mode
from .schema import F

BATCH_ARTICLES = 5000
if os.environ.get("SEARCHKIT_BATCH", "").isdigit():  # smaller batches for the kill tests
    BATCH_ARTICLES = max(1, int(os.environ["SEARCHKIT_BATCH"]))
WRITER_MEMORY_MB = 256
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # below this, starting workers costs more than it saves
MAX_WORKERS = 4
MERGE_FACTOR = 8  # segments of one size tier merged together
MERGE_UNIT = 1000  # articles in a segment of the lowest tier
MAX_MERGED_ARTICLES = 12_000  # while indexing; merging.compact and optimize merge on
# Compact (merge tiers with no cap) when an update ends. Off: a merge still re-inverts
# postings, at about 0.8x the CPU of indexing the articles merged, which would take the
# 5x build past 6x the 1x build's time (see docs/performance.md); `searchkit optimize` does it.
COMPACT_AFTER_UPDATE = False

Progress = Callable[[int, int], None]


@dataclass
class FileResult:
    """What indexing one file did. `status` is one of: failed (unreadable),
    unchanged, kept (changed but now unparsable: the old articles stay),
    added, updated, or records (a job of records in record mode: see
    record_sync.py). `articles` counts the articles concerned; `ids` are the
    ids a job of records indexed, `sync` whether its file was indexed before."""

    path: str
    status: str
    articles: int = 0
    ids: list[str] = field(default_factory=list)
    sync: bool = False
    skipped: dict[str, int] = field(default_factory=dict)  # WARC records without a page, by reason
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def replaces(self) -> bool:
        """Whether the articles indexed before for this path must be deleted."""
        return self.status == "updated"


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    record_ids: dict[str, set[str]] = field(default_factory=dict)  # path -> ids written by a sync
    id_repeats: dict = field(default_factory=dict)  # path -> IdRepeats, in a first build in record mode
    id_candidates: dict[str, set[str]] = field(default_factory=dict)  # path -> ids to check for repeats
    skipped_records: dict[str, Counter] = field(default_factory=dict)  # path -> WARC records skipped

    def record(self, result: FileResult) -> None:
        self.failures.extend(result.failures)
        self.warnings.extend(result.warnings)
        if result.status in ("unchanged", "kept"):
            self.unchanged += result.articles
        elif result.status == "added":
            self.added += result.articles
        elif result.status == "updated":
            self.updated += result.articles
        elif result.status == "records":
            self.added += result.articles
            if result.skipped:
                self.skipped_records.setdefault(result.path, Counter()).update(result.skipped)
            if result.sync:
                self.record_ids.setdefault(result.path, set()).update(result.ids)
            else:
                from .record_ids import IdRepeats

                self.id_repeats.setdefault(result.path, IdRepeats()).add(result.ids)

    def record_file_end(self, end) -> None:
        """The counts of a file read in record mode (record_sync.RecordFileEnd), once
        its jobs are done: an article whose id was indexed before is updated, not added."""
        self.failures.extend(end.failures)
        self.unchanged += end.unchanged
        if end.path in self.skipped_records:
            from ..ingest.warc import skipped_summary

            self.warnings.extend(skipped_summary(end.path, self.skipped_records.pop(end.path)))
        written = self.record_ids.pop(end.path, set())
        repeats = self.id_repeats.pop(end.path, None)
        if written or repeats and repeats.repeated:
            self.id_candidates[end.path] = written or repeats.repeated
        replaced = len(written & end.stale_ids)
        again = len(written & (end.again_ids - end.stale_ids))
        self.added -= replaced + again
        self.updated += replaced + again
        self.removed += end.stale_count - replaced


def indexed_files(ix) -> dict[str, tuple[str, int]]:
    """path -> (content hash, number of articles) for every live document."""
    files: dict[str, tuple[str, int]] = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return files
        column = reader.column_reader(F.FILE)
        for docnum in reader.all_doc_ids():
            path, _, rest = column[docnum].decode("utf-8").partition("\x00")
            digest = rest.partition("\x00")[0]
            _, count = files.get(path, (digest, 0))
            files[path] = (digest, count + 1)
    return files


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def prepare_file(source: Source, previous: tuple[str, int] | None,
                 extract_entities: bool = True, aliases=None,
                 build=article_document) -> tuple[FileResult, list[dict]]:
    """Read, hash and parse one file; return what happened and the documents to add.

    `previous` is (content hash, article count) of what the index holds for
    this path. `build(article, file_hash, entities)` makes an engine's document
    (default: the Whoosh one). Never raises for bad content: failures are in the result."""
    try:
        data = read_source(source)
    except ArticleParseError as exc:
        return FileResult(source.path, "failed", failures=[Failure(exc.path, exc.reason)]), []
    digest = content_hash(source, data)
    if previous and previous[0] == digest:
        return FileResult(source.path, "unchanged", previous[1]), []
    articles: list[Article] = []
    result = FileResult(source.path, "updated" if previous else "added")
    for item in parse_source(source, data):
        if isinstance(item, Failure):
            result.failures.append(item)
        else:
            articles.append(item)
    if previous and not articles:
        result.status, result.articles = "kept", previous[1]  # now unreadable: keep the old
        return result, []
    docs = []
    for article in articles:
        result.warnings.extend(article.warnings)
        entities = article_entities(article, aliases) if extract_entities else list(article.entities or ())
        docs.append(build(article, digest, entities))
    result.articles = len(docs)
    return result, docs


def prepare_file_safely(source: Source, previous: tuple[str, int] | None,
                        extract_entities: bool = True, aliases=None,
                        build=article_document) -> tuple[FileResult, list[dict]]:
    """prepare_file, with an unexpected error (a bug in a parser or in entity
    extraction) reported as this file's failure instead of ending the run."""
    try:
        return prepare_file(source, previous, extract_entities, aliases, build)
    except Exception as exc:  # noqa: BLE001 — reported with the file it concerns
        reason = f"internal error while indexing: {type(exc).__name__}: {exc}"
        return FileResult(source.path, "failed", failures=[Failure(source.path, reason)]), []


def vanished_paths(known: dict[str, tuple[str, int]], walk: Walk, tally: _Tally) -> list[str]:
    """Indexed paths below the walk's roots whose files are gone; counts them as removed."""
    present = {source.path for source in walk.sources}
    unreadable = {failure.path for failure in tally.failures}
    gone = []
    for path, (_, count) in known.items():
        if (path not in present and path not in unreadable and _under(path, walk.roots)
                and not _under(path, getattr(walk, "unreadable", []))):  # keep files of unlistable folders
            gone.append(path)
            tally.removed += count
    return gone


def open_writer(ix, limitmb: int = WRITER_MEMORY_MB):
    """A Whoosh writer that writes plain (not compound) segment files: a
    compound segment is copied into memory each time a searcher opens it,
    which cost a cold one-off search about 100 ms and 150 MB on Reuters."""
    try:
        writer = ix.writer(limitmb=limitmb, compound=False)
    except LockError:
        raise IndexLocked("the index is being written by another process") from None
    speed_up(writer, limitmb)
    return writer


def merge_tiers(writer, segments: list) -> list:
    """Merge policy: segments fall in tiers by size (x MERGE_FACTOR per tier);
    when MERGE_FACTOR segments share a tier, they merge into one of the next.
    Each article is merged about log8(n / 1000) times, and a commit merges at
    most one group (Whoosh's MERGE_SMALL re-merged nearly the whole index
    every few batches: 9x the time for 5x the articles). Merging costs about
    as much as indexing, so segments are never merged past
    MAX_MERGED_ARTICLES. Segments whose articles were all deleted are dropped."""
    from whoosh.reading import SegmentReader

    live = [segment for segment in segments if segment.doc_count() > 0]
    tiers: dict[int, list] = {}
    for segment in live:
        size = segment.doc_count() / MERGE_UNIT
        tiers.setdefault(int(math.log(size, MERGE_FACTOR)) if size > 1 else 0, []).append(segment)
    for tier in sorted(tiers):
        chosen = sorted(tiers[tier], key=lambda segment: segment.doc_count())[:MERGE_FACTOR]
        if len(chosen) == MERGE_FACTOR and sum(s.doc_count() for s in chosen) <= MAX_MERGED_ARTICLES:
            for segment in chosen:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in live if segment not in chosen]
    return live


def commit_writer(writer, segments=(), final: bool = True, policy=None) -> None:
    """Commit like Whoosh's writer.commit() (small segments merged by `policy`,
    default merge_tiers), adding `segments` written by worker processes. Files
    the new state no longer needs are deleted only when `final`: until the
    update ends, a search that opened an earlier state still finds every file of it."""
    try:
        kept = writer._merge_segments(policy or merge_tiers, None, None)
        if writer._added:
            kept.append(writer._finalize_segment())
        else:
            writer._close_segment()
        kept.extend(segment for segment in segments if segment is not None)
        TOC(toc_schema(writer), kept, writer.generation).write(writer.storage, writer.indexname)
        if final:
            clean_files(writer.storage, writer.indexname, writer.generation, kept)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    writer._finish()


class _BatchWriter:
    """A Whoosh writer that commits every BATCH_ARTICLES documents."""

    def __init__(self, ix) -> None:
        self.ix = ix
        self.pending = 0
        self.writer = open_writer(ix)

    def delete_path(self, path: str) -> None:
        self.writer.delete_by_term(F.PATH, path)
        self.pending += 1

    def delete_markers(self, path: str, stale) -> None:
        from .record_sync import delete_markers

        self.pending += delete_markers(self.writer, path, stale)

    def delete_replaced(self, path: str, ids, matcher) -> None:
        from .record_sync import delete_replaced

        self.pending += delete_replaced(self.writer, path, ids, matcher)

    def add(self, doc: dict) -> None:
        self.writer.add_document(**doc)
        self.pending += 1

    def file_done(self) -> None:
        """Called between files, so that a commit never splits a file's articles."""
        if self.pending >= BATCH_ARTICLES:
            commit_writer(self.writer, final=False)
            self.pending = 0
            self.writer = open_writer(self.ix)

    def commit(self) -> None:
        commit_writer(self.writer)

    def cancel(self) -> None:
        if not self.writer.is_closed:  # interrupted between a commit and the next writer
            self.writer.cancel()


def choose_workers(walk: Walk, workers: int | None) -> int:
    """How many worker processes to use: 0 means index in this process.
    workers=None decides from the size of the job and the number of cores."""
    if workers is not None:
        return max(0, int(workers))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2 or not walk.sources:
        return 0
    if len(walk.sources) == 1 and not uses_record_mode(walk.sources[0]):
        return 0  # one file indexed whole: nothing to share out
    total = 0
    for source in walk.sources:
        try:
            total += os.path.getsize(source.path)
        except OSError:
            continue
        if total >= PARALLEL_MIN_BYTES:
            count = min(cores, MAX_WORKERS)
            if len(walk.sources) < count and not any(uses_record_mode(s) for s in walk.sources):
                count = len(walk.sources)  # a worker per file is enough
            return count
    return 0


def update_index(ix, walk: Walk, progress: Progress | None = None,
                 extract_entities: bool = True, workers: int | None = None,
                 aliases=None, reextract: bool = False) -> IndexReport:
    """Index the files of `walk` into `ix`; remove vanished files below walk.roots.

    `aliases` (searchkit.analysis.aliases.Aliases) merges and suppresses entity
    names; reextract=True re-indexes unchanged files too (the aliases changed).

    extract_entities=False indexes no people/organisations/places (for
    measuring); workers=N forces N worker processes (0: this process only)."""
    started = time.perf_counter()
    known = indexed_files(ix)
    if reextract:
        known = {path: ("", count) for path, (_, count) in known.items()}
    tally = _Tally(failures=list(walk.failures))
    count = choose_workers(walk, workers)
    if count:
        from .pipeline import update_parallel

        update_parallel(ix, walk, known, tally, progress, extract_entities, count, aliases)
    else:
        _update_serial(ix, walk, known, tally, progress, extract_entities, aliases)
    if tally.id_candidates:
        _resolve_repeats(ix, walk, tally)
    if COMPACT_AFTER_UPDATE:
        from . import merging

        merging.compact(ix)  # everything is committed: a merge killed now loses nothing
    return IndexReport(
        added=tally.added,
        updated=tally.updated,
        unchanged=tally.unchanged,
        removed=tally.removed,
        skipped=walk.skipped,
        failures=tuple(tally.failures),
        warnings=tuple(tally.warnings),
        seconds=time.perf_counter() - started,
    )


def _resolve_repeats(ix, walk: Walk, tally: _Tally) -> None:
    """Ids repeated within a file read in record mode get their fallback (record_ids.py)."""
    from .record_ids import resolve_repeats

    sources = {source.path: source for source in walk.sources}
    writer = open_writer(ix)
    try:
        tally.warnings.extend(resolve_repeats(writer, {path: (sources[path], ids) for path, ids
                                                       in tally.id_candidates.items() if path in sources}))
    except BaseException:
        writer.cancel()
        raise
    commit_writer(writer)


def _update_serial(ix, walk: Walk, known, tally: _Tally, progress: Progress | None,
                   extract_entities: bool, aliases=None) -> None:
    batch = _BatchWriter(ix)
    try:
        total, done = len(walk.sources), 0
        syncs: dict = {}
        for item in jobs_of(ix, walk.sources, known, syncs):
            if isinstance(item, RecordJob):
                result, docs = prepare_records_safely(item, extract_entities, aliases)
                _add_all(batch, docs)
                if item.sync:  # in the same commit as the new articles
                    batch.delete_replaced(item.path, result.ids, syncs[item.path])
                tally.record(result)
                batch.file_done()
                continue
            if isinstance(item, RecordFileEnd):
                batch.delete_markers(item.path, item.stale)
                syncs.pop(item.path, None)
                tally.record_file_end(item)
            else:
                result, docs = prepare_file_safely(item, known.get(item.path), extract_entities, aliases)
                if result.replaces:
                    batch.delete_path(item.path)
                _add_all(batch, docs)
                tally.record(result)
            batch.file_done()
            done += 1
            if progress:
                progress(done, total)
        for path in vanished_paths(known, walk, tally):
            batch.delete_path(path)
        batch.commit()
    except BaseException:
        batch.cancel()
        raise


def _add_all(batch: _BatchWriter, docs: list[dict]) -> None:
    for doc in docs:
        batch.add(doc)


def jobs_of(ix, sources, known, syncs: dict):
    """The work for `sources`, in order: a Source for a file indexed whole; for a file in
    record mode, its RecordJobs and then its RecordFileEnd (see record_sync.py), with
    `syncs[path]` set while a file indexed before is read."""
    for source in sources:
        if uses_record_mode(source):
            previous = known.get(source.path)
            yield from plan_record_file(ix, source, previous, bool(previous) and not previous[0], syncs)
        else:
            yield source


def prepare_records_safely(job: RecordJob, extract_entities: bool = True, aliases=None):
    """prepare_records, with an unexpected error reported as a failure of the job's file."""
    try:
        return prepare_records(job, extract_entities, aliases)
    except Exception as exc:  # noqa: BLE001 — reported with the file it concerns
        first, last = job.records[0], job.records[-1]
        reason = (f"records {first.number}-{last.number}: internal error while indexing: "
                  f"{type(exc).__name__}: {exc}")
        return FileResult(job.path, "records", failures=[Failure(job.path, reason)]), []
