"""Record mode: a large JSON Lines, CSV or TSV file indexed a batch of records at a time,
and kept in sync record by record.

A file of many records (a dump of a whole archive) is no longer one unit of
work. This process reads it once as a stream (`ingest/record_stream.py`) and
hands its records out in jobs of JOB_RECORDS records, which the workers parse
like files (`prepare_records`); so one big file runs on every core, with
memory bounded by the jobs in flight, not by the size of the file.

Each article indexed from a record carries a *marker*: a hash of the record's
bytes (and of what its meaning depends on: the CSV header, the field mapping)
and the record's number, `HASH:NUMBER`, with `:p` when its id is made from its
position (`dump.jsonl#12`). When the file changes, its records are compared
with the markers the index holds for it:

- a record whose hash and number are indexed is unchanged; so is one whose hash
  is indexed under another number when its id is its own (a JSON `id`, a CSV id
  column): lines inserted above it do not touch it;
- every other record is parsed and indexed (appended, changed or moved records);
- markers matched by no record are deleted, after the new articles are written.

Appending 1,000 records to a 100,000-record file parses those 1,000 only. A
run interrupted half-way through a file resumes where it stopped, because the
records written carry their markers. When the stream is damaged (a truncated
gzip) nothing is deleted: the records before the damage are synced, and the
articles of the rest stay as indexed.

Files below RECORD_MODE_MIN_BYTES, inside archives, or not UTF-8 are indexed
whole, as before (`writer.prepare_file`).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import ArticleParseError
from ..ingest.discover import Source
from ..ingest.record_parse import parse_records
from ..ingest.record_stream import Damage, Layout, RawRecord, iter_records, record_kind, utf8_head
from ..models import Failure
from .documents import document_for
from .schema import F

RECORD_MODE_MIN_BYTES = int(os.environ.get("SEARCHKIT_RECORD_MODE_BYTES", 4 * 1024 * 1024))
JOB_RECORDS = int(os.environ.get("SEARCHKIT_RECORD_JOB", 1000))  # smaller jobs for the kill tests
JOB_BYTES = 4 * 1024 * 1024
RECORDS_DIGEST = "records"  # the file hash of articles in record mode: never equal to a real one


def uses_record_mode(source: Source) -> bool:
    """Whether `source` is indexed record by record."""
    if not record_kind(source):
        return False
    try:
        if os.path.getsize(source.real_path) < RECORD_MODE_MIN_BYTES:
            return False
    except OSError:
        return False
    if source.kind == "warc":
        from ..ingest.warc_stream import splittable_warc

        return splittable_warc(source)
    return utf8_head(source)


def layout_digest(source: Source, layout: Layout) -> bytes:
    """What a record's meaning depends on besides its bytes."""
    return repr((layout.delimiter, layout.header, source.fields)).encode("utf-8")


def record_key(digest: bytes, record: RawRecord) -> str:
    return f"{hashlib.sha1(digest + record.data).hexdigest()[:20]}:{record.number}"


def marker_of(file_value: bytes) -> tuple[str, bool]:
    """(`HASH:NUMBER`, positional) of an article's file column value; ("", False) for an
    article indexed before record mode, which carries no marker."""
    parts = file_value.decode("utf-8").split("\x00")
    if len(parts) < 3:
        return "", False
    return parts[2].removesuffix(":p"), parts[2].endswith(":p")


def is_positional(article_id: str, number: int) -> bool:
    """Whether an id is made from the record's position (`REL#12`, `REL#@12`, `REL#x@12`)."""
    return article_id.endswith((f"#{number}", f"@{number}"))


@dataclass
class RecordJob:
    """Records of one file for a worker to parse. `sync`: the file was indexed before (the
    ids indexed then tell updated articles from added ones)."""

    source: Source
    layout: Layout
    records: list[RawRecord]
    sync: bool = False

    @property
    def path(self) -> str:
        return self.source.path


@dataclass
class RecordFileEnd:
    """What this process found reading one file in record mode, once it has read it all:
    how many jobs it made, the markers to delete ("" stands for articles indexed before
    record mode, which carry none), the ids and number of the articles under them, the ids
    of the articles indexed again as they were (their entities extracted again), and the
    counts and failures of the reading itself."""

    path: str
    jobs: int = 0
    stale: frozenset[str] = frozenset()
    stale_ids: frozenset[str] = frozenset()
    stale_count: int = 0
    again_ids: frozenset[str] = frozenset()
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)


class IndexedRecords:
    """The articles the index holds from one file, by marker: `positional` says whether
    a marker's id is made from its position, `docnums` where its articles are ("" for
    articles indexed before record mode, which carry no marker)."""

    def __init__(self, searcher, path: str) -> None:
        self.searcher = searcher
        self.positional: dict[str, bool] = {}
        self.docnums: dict[str, list[int]] = {}
        if searcher.doc_count_all() == 0:
            return
        column = searcher.reader().column_reader(F.FILE)
        for docnum in searcher.document_numbers(**{F.PATH: path}):
            key, positional = marker_of(column[docnum])
            self.positional[key] = positional
            self.docnums.setdefault(key, []).append(docnum)

    def ids(self, keys) -> frozenset[str]:
        """The ids of the articles under `keys`."""
        return frozenset(self.searcher.stored_fields(docnum).get(F.ID, "")
                         for key in keys for docnum in self.docnums.get(key, ()))

    def count(self, keys) -> int:
        return sum(len(self.docnums.get(key, ())) for key in keys)


def plan_record_file(ix, source: Source, previous, reextract: bool = False, syncs: dict | None = None
                     ) -> Iterator[RecordJob | RecordFileEnd]:
    """Read `source` and yield the jobs that bring the index in line with it, then its end.
    The index is read from one snapshot, held while the file is read. For a file indexed
    before, `syncs[path]` holds what was matched so far (for delete_replaced)."""
    if not previous:
        yield from _plan(source, None, False, {})
        return
    with ix.searcher() as searcher:
        yield from _plan(source, IndexedRecords(searcher, source.path), reextract,
                         syncs if syncs is not None else {})


def _plan(source: Source, indexed: IndexedRecords | None, reextract: bool, syncs: dict):
    end = RecordFileEnd(source.path)
    try:
        layout, records = iter_records(source)
        matcher = _Matcher(indexed.positional, reextract, layout_digest(source, layout)) if indexed else None
        if matcher is not None:
            syncs[source.path] = matcher
        yield from _jobs(source, layout, records, matcher, end)
    except ArticleParseError as exc:
        end.failures.append(Failure(exc.path, exc.reason))
        end.unchanged = indexed.count(indexed.docnums) if indexed else 0
        yield end
        return
    if matcher is None:
        yield end
        return
    stale = matcher.unmatched()
    if any(isinstance(failure, Damage) for failure in end.failures) or not matcher.seen:
        if not matcher.seen and not end.failures:
            end.failures.append(Failure(source.path, "no records; the articles indexed before are kept"))
        end.unchanged += indexed.count(stale)  # kept as they are
    else:
        end.stale = frozenset(stale)
        end.stale_ids = indexed.ids(stale)
        end.stale_count = indexed.count(stale)
    end.again_ids = indexed.ids(matcher.again)
    yield end


def _jobs(source: Source, layout: Layout, records, matcher, end: RecordFileEnd) -> Iterator[RecordJob]:
    batch: list[RawRecord] = []
    size = 0
    sync = matcher is not None
    for record in records:
        if isinstance(record, Failure):
            end.failures.append(record)
            continue
        if sync and matcher.unchanged(record):
            end.unchanged += 1
            continue
        batch.append(record)
        size += len(record.data)
        if len(batch) >= JOB_RECORDS or size >= JOB_BYTES:
            end.jobs += 1
            yield RecordJob(source, layout, batch, sync)
            batch, size = [], 0
    if batch:
        end.jobs += 1
        yield RecordJob(source, layout, batch, sync)


class _Matcher:
    """Records of the file as read against the markers indexed for it."""

    def __init__(self, positional: dict[str, bool], reextract: bool, digest: bytes) -> None:
        self.old = positional
        self.digest = digest
        self.reextract = reextract
        self.movable: dict[str, list[str]] = {}  # hash -> markers of ids that are not positional
        for key, is_positional_id in positional.items():
            if key and not is_positional_id:
                self.movable.setdefault(key.partition(":")[0], []).append(key)
        self.used: set[str] = set()
        self.again: set[str] = set()  # used markers whose records are indexed again (reextract)
        self.seen = 0

    def unchanged(self, record: RawRecord) -> bool:
        """Whether the record is indexed as it is (its marker is then used up). When the
        entities are extracted again, no record is: one indexed as it is still uses up its
        marker (it is no stale article to delete at the end), and the article under the marker
        is replaced when the record is written again (delete_replaced)."""
        self.seen += 1
        key = record_key(self.digest, record)
        if self.reextract:
            if key in self.old and key not in self.used:
                self.used.add(key)
                self.again.add(key)
            return False
        if key in self.old and key not in self.used:
            self.used.add(key)
            return True
        for other in self.movable.get(key.partition(":")[0], ()):
            if other not in self.used:
                self.used.add(other)
                return True
        return False

    def unmatched(self) -> set[str]:
        return {key for key in self.old if key not in self.used}


def prepare_records(job: RecordJob, extract_entities: bool = True, aliases=None):
    """Parse a job's records; return (FileResult, documents), as prepare_file does for a file."""
    from .writer import FileResult

    result = FileResult(job.path, "records", sync=job.sync)
    digest = layout_digest(job.source, job.layout)
    docs = []
    skipped: Counter[str] = Counter()
    for record, item in parse_records(job.source, job.layout, job.records, skipped):
        if isinstance(item, Failure):
            result.failures.append(item)
            continue
        marker = record_key(digest, record) + (":p" if is_positional(item.id, record.number) else "")
        docs.append(document_for(item, f"{RECORDS_DIGEST}\x00{marker}", extract_entities, aliases))
        result.warnings.extend(item.warnings)
        result.ids.append(item.id)
    result.articles = len(docs)
    result.skipped = dict(skipped)
    return result, docs


def delete_replaced(writer, path: str, ids, matcher: _Matcher) -> int:
    """Delete the articles indexed before from `path` that the articles `ids`, just
    written, replace: same id, a marker of the index's snapshot not matched as
    unchanged (or matched, and indexed again: reextract). Called in the commit that holds
    the new articles (which this writer's searcher does not see yet), so that no committed
    state shows an article twice."""
    deleted = 0
    with writer.searcher() as searcher:
        reader = searcher.reader()
        if reader.doc_count_all() == 0:
            return 0
        column = reader.column_reader(F.FILE)
        prefix = path.encode("utf-8") + b"\x00"
        for article_id in set(ids):
            if not reader.doc_frequency(F.ID, article_id):
                continue
            for docnum in searcher.document_numbers(**{F.ID: article_id}):
                value = column[docnum]
                if not value.startswith(prefix):
                    continue
                key = marker_of(value)[0]
                if key in matcher.old and (key not in matcher.used or key in matcher.again):
                    writer.delete_document(docnum)
                    deleted += 1
    return deleted


def delete_markers(writer, path: str, stale: frozenset[str]) -> int:
    """Delete the articles of `path` whose marker is in `stale`; return how many."""
    deleted = 0
    if not stale:
        return 0
    with writer.searcher() as searcher:
        if searcher.doc_count_all() == 0:
            return 0
        column = searcher.reader().column_reader(F.FILE)
        for docnum in searcher.document_numbers(**{F.PATH: path}):
            if marker_of(column[docnum])[0] in stale:
                writer.delete_document(docnum)
                deleted += 1
    return deleted

