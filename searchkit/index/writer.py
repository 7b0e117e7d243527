"""Bringing the index in line with the files on disk.

New files are added, changed files (by content hash) re-indexed, unchanged
ones left alone, and files that disappeared from an indexed folder removed.
Work is committed in batches, so an interrupted run keeps what it committed
and the next run resumes from there.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.index import LockError

from ..errors import ArticleParseError, IndexLocked
from ..ingest.discover import Walk
from ..ingest.load import parse_source, read_source
from ..models import Article, Failure, IndexReport
from .documents import article_document, article_entities
from .schema import F

BATCH_ARTICLES = 5000
if os.environ.get("SEARCHKIT_BATCH", "").isdigit():  # smaller batches for the kill tests
    BATCH_ARTICLES = max(1, int(os.environ["SEARCHKIT_BATCH"]))
WRITER_MEMORY_MB = 256

Progress = Callable[[int, int], None]


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def indexed_files(ix) -> dict[str, tuple[str, int]]:
    """path -> (content hash, number of articles) for every live document."""
    files: dict[str, tuple[str, int]] = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return files
        column = reader.column_reader(F.FILE)
        for docnum in reader.all_doc_ids():
            path, _, digest = column[docnum].decode("utf-8").partition("\x00")
            _, count = files.get(path, (digest, 0))
            files[path] = (digest, count + 1)
    return files


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class _BatchWriter:
    """A Whoosh writer that commits every BATCH_ARTICLES documents."""

    def __init__(self, ix) -> None:
        self.ix = ix
        self.pending = 0
        self.writer = self._open()

    def _open(self):
        try:
            return self.ix.writer(limitmb=WRITER_MEMORY_MB)
        except LockError:
            raise IndexLocked("the index is being written by another process") from None

    def delete_path(self, path: str) -> None:
        self.writer.delete_by_term(F.PATH, path)
        self.pending += 1

    def add(self, doc: dict) -> None:
        self.writer.add_document(**doc)
        self.pending += 1

    def file_done(self) -> None:
        """Called between files, so that a commit never splits a file's articles."""
        if self.pending >= BATCH_ARTICLES:
            self.writer.commit()
            self.pending = 0
            self.writer = self._open()

    def commit(self) -> None:
        self.writer.commit()

    def cancel(self) -> None:
        self.writer.cancel()


def _parse_file(source, data: bytes, tally: _Tally) -> list[Article]:
    articles: list[Article] = []
    for item in parse_source(source, data):
        if isinstance(item, Failure):
            tally.failures.append(item)
        else:
            articles.append(item)
    return articles


def update_index(ix, walk: Walk, progress: Progress | None = None) -> IndexReport:
    """Index the files of `walk` into `ix`; remove vanished files below walk.roots."""
    started = time.perf_counter()
    known = indexed_files(ix)
    tally = _Tally(failures=list(walk.failures))
    batch = _BatchWriter(ix)
    try:
        total = len(walk.sources)
        for done, source in enumerate(walk.sources, start=1):
            _update_file(batch, source, known, tally)
            batch.file_done()
            if progress:
                progress(done, total)
        present = {source.path for source in walk.sources}
        unreadable = {failure.path for failure in tally.failures}
        for path, (_, count) in known.items():
            if (path not in present and path not in unreadable and _under(path, walk.roots)
                    and not _under(path, getattr(walk, "unreadable", []))):  # keep files of unlistable folders
                batch.delete_path(path)
                tally.removed += count
        batch.commit()
    except BaseException:
        batch.cancel()
        raise
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


def _update_file(batch: _BatchWriter, source, known, tally: _Tally) -> None:
    try:
        data = read_source(source)
    except ArticleParseError as exc:
        tally.failures.append(Failure(exc.path, exc.reason))
        return
    digest = hashlib.sha1(data).hexdigest()
    previous = known.get(source.path)
    if previous and previous[0] == digest:
        tally.unchanged += previous[1]
        return
    articles = _parse_file(source, data, tally)
    if previous and not articles:
        tally.unchanged += previous[1]  # now unreadable: keep what was indexed before
        return
    if previous:
        batch.delete_path(source.path)
    for article in articles:
        tally.warnings.extend(article.warnings)
        batch.add(article_document(article, digest, article_entities(article)))
    if previous:
        tally.updated += len(articles)
    else:
        tally.added += len(articles)
