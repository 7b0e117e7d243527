"""The library facade: one object per index folder.

    ix = SearchIndex.open("index")          # or SearchIndex.create / open_index()
    report = ix.update(["seeds/"])          # add, update, remove — never loses anything
    results = ix.search('person:"William Burns"')
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path

from .errors import SearchkitError
from .models import Facet, FullArticle, IndexReport, IndexStats, Results, TimelineBucket

SORTS = ("relevance", "date")
READ_RETRIES = 8
ALIASES_FILE = "aliases.txt"
CLUSTER_URL = re.compile(r"^opensearch(?:\+https?)?://", re.IGNORECASE)


def is_cluster(location: str | os.PathLike) -> bool:
    """Whether `location` names an index on a cluster (opensearch://HOST:PORT/INDEX,
    opensearch+https://USER@HOST:PORT/INDEX) rather than a folder."""
    return isinstance(location, str) and CLUSTER_URL.match(location) is not None


def _cluster():
    """The OpenSearch engine (searchkit[opensearch]); imported only for a cluster URL."""
    from importlib.util import find_spec

    if find_spec("opensearchpy") is None:  # the client, imported by the engine when it connects
        raise SearchkitError("the OpenSearch engine needs opensearch-py",
                             hint="pip install 'searchkit[opensearch]'")
    from .opensearch.engine import OpenSearchIndex

    return OpenSearchIndex


def query_fields() -> tuple[str, ...]:
    """The field names a query can use (person:, date:, …), on every engine."""
    from .index.schema import QUERY_FIELDS

    return QUERY_FIELDS


def trust_indexes() -> None:
    """Open index folders that other users own or can write to, in this process and
    its children (see SearchIndex.open)."""
    from .index.safety import TRUST_ENV

    os.environ[TRUST_ENV] = "1"


@contextmanager
def index_lock(location: str | os.PathLike, wait: float | None = 0.0,
               on_wait: Callable[[], None] | None = None):
    """Hold the index's writer lock (a folder's; a cluster needs none: its writes are
    per document) while the block runs. Raises IndexLocked after `wait` seconds."""
    if is_cluster(location):
        yield
        return
    from .index.locking import writing

    with writing(location, wait=wait, on_wait=on_wait):
        yield


class SearchIndex:
    """A searchkit index on disk. Results are plain objects, usable after close()."""

    def __init__(self, path: str | os.PathLike, whoosh_index, trust: bool = False) -> None:
        from .search.readers import ReaderCache

        self.path = str(path)
        self._ix = whoosh_index
        self._trust = trust
        self._readers = ReaderCache()

    # -- opening ---------------------------------------------------------
    # trust=True opens a folder that other users own or can write to (an index
    # holds pickled data: see docs/robustness.md); by default it raises UnsafeIndex.
    # A cluster URL (see is_cluster) opens the OpenSearch engine instead, with the
    # same methods and results; `options` are its own (ca_file, shards, replicas, origin).
    @classmethod
    def open(cls, path: str | os.PathLike = "index", trust: bool = False, **options) -> SearchIndex:
        """Open an existing index. Raises IndexNotFound, UnsafeIndex or SchemaMismatch."""
        if is_cluster(path):
            return _cluster().open(path, **options)
        from .index.store import open_store

        return cls(path, open_store(path, trust=trust), trust)

    @classmethod
    def create(cls, path: str | os.PathLike = "index", trust: bool = False, **options) -> SearchIndex:
        """Create an empty index in `path`, replacing any index there."""
        if is_cluster(path):
            return _cluster().create(path, **options)
        from .index.store import create_store

        return cls(path, create_store(path, trust=trust), trust)

    @classmethod
    def open_or_create(cls, path: str | os.PathLike = "index", trust: bool = False, **options) -> SearchIndex:
        if is_cluster(path):
            return _cluster().open_or_create(path, **options)
        from .index.store import index_exists

        return cls.open(path, trust) if index_exists(path) else cls.create(path, trust)

    def close(self) -> None:
        self._readers.clear()
        self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- aliases ---------------------------------------------------------
    @property
    def aliases_path(self) -> Path:
        """The index's alias file (see docs/entities.md): merge and suppress entity names."""
        return Path(self.path) / ALIASES_FILE

    def set_aliases(self, source: str | os.PathLike) -> None:
        """Check an alias file and copy it into the index; the next update()
        re-extracts entities with it. Raises SearchkitError for a bad line."""
        from .search.entity_aliases import read_alias_file

        self.aliases_path.write_text(read_alias_file(source), encoding="utf-8")

    def _aliases(self):
        """The alias rules (cached while the file is unchanged) and the file's digest."""
        try:
            data = self.aliases_path.read_bytes()
        except OSError:
            data = b""
        digest = hashlib.sha1(data).hexdigest() if data else ""
        if getattr(self, "_alias_cache", (None,))[0] != digest:
            from .search.entity_aliases import parse_alias_text

            self._alias_cache = (digest, parse_alias_text(data.decode("utf-8", "replace"),
                                                          str(self.aliases_path)))
        return self._alias_cache[1], digest

    def _query(self, text: str | None, syntax: bool = True) -> str | None:
        """The query with `person:`/`org:`/`place:` names widened by the aliases."""
        from .search.entity_aliases import widen_query

        return widen_query(text, syntax, self._names)

    def _names(self):
        """The alias rules with the index's name merges: what widens entity names in a query."""
        from .search.name_merges import MergedNames
        from .search.searcher import plan_index_merges

        aliases = self._aliases()[0]
        return MergedNames(aliases, self._read(plan_index_merges, aliases))

    # -- indexing --------------------------------------------------------
    @property
    def roots(self) -> list[str]:
        """The files and folders this index was built from."""
        from .index.store import read_meta

        return list(read_meta(self.path).get("roots", []))

    def update(self, paths: Iterable[str | os.PathLike] | None = None,
               progress: Callable[[int, int], None] | None = None,
               wait: float | None = 0.0, on_wait: Callable[[], None] | None = None,
               extract_entities: bool = True, workers: int | None = None,
               fields: Mapping[str, str] | None = None, extractor: str | None = None) -> IndexReport:
        """Bring the index in line with the files below `paths` (default: its roots).

        Large jobs use several processes: `workers=0` keeps to this one and
        `workers=N` forces N. `extract_entities=False` skips the people,
        organisations and places (to measure what extraction costs).

        `fields` names the CSV column or JSON key of an article field, over the
        usual names: {"text": "content", "date": "pubdate"}. The index keeps it
        for the next updates (None: the mapping given before; {}: none); files
        it applies to are read again when it changes.

        `extractor` names the entity extractor ("rules", "corenlp" or
        "package.module:Name"; see docs/entities.md); without it SEARCHKIT_EXTRACTOR's, else
        the one the index was built with, else the rules. The index keeps it; when it
        changes, or the extraction itself (a new searchkit's rules or data: see
        extraction_version), every article's entities are extracted again.

        Only one process writes at a time: while another does, wait up to `wait`
        seconds (None: as long as it takes; on_wait is called once when the wait
        starts), then raise IndexLocked."""
        from .analysis.entities import chosen_extractor, extracted_otherwise, extraction_record, extractor_in_use
        from .index.locking import writing
        from .index.store import read_meta, write_meta
        from .index.writer import update_index
        from .ingest.columns import check_fields
        from .ingest.discover import discover

        paths = list(paths) if paths is not None else self.roots
        if not paths:
            raise SearchkitError("nothing to index", hint="name a file or folder: searchkit index PATH")
        mapping = check_fields(fields) if fields is not None else None
        with writing(self.path, wait=wait, on_wait=on_wait):
            meta = read_meta(self.path)
            if mapping is None:
                mapping = tuple((str(name), str(column)) for name, column in meta.get("fields", []))
            walk = discover(paths, base=meta.get("id_base"), fields=dict(mapping))
            aliases, digest = self._aliases()
            spec = chosen_extractor(extractor, meta.get("extractor"))
            record = extraction_record(digest, spec, extract_entities)
            reextract = extracted_otherwise(meta, record)
            self._ix = self._ix.refresh()
            if reextract and self._ix.doc_count() == 0:  # nothing to extract again: say so now, so
                write_meta(self.path, {**meta, **record})  # that a run killed before its end is
                reextract = False  # resumed, not redone
            with extractor_in_use(spec) if extract_entities else nullcontext():
                report = update_index(self._ix, walk, progress,
                                      extract_entities=extract_entities, workers=workers,
                                      aliases=aliases or None, reextract=reextract)
            self._ix = self._ix.refresh()
            meta = read_meta(self.path)
            meta["roots"] = sorted(set(meta.get("roots", [])) | set(walk.roots))
            meta["id_base"] = meta.get("id_base") or walk.base or None  # ids are relative to it, for good
            meta["fields"] = [list(pair) for pair in mapping]
            meta.update(record)
            write_meta(self.path, meta)
        return report

    def rebuild(self, paths: Iterable[str | os.PathLike] | None = None,
                progress: Callable[[int, int], None] | None = None, **options) -> IndexReport:
        """Build the index anew from `paths` (default: its roots): every file re-read."""
        from .analysis.entities import check_extractor, chosen_extractor
        from .index.store import create_store, read_meta

        paths = list(paths) if paths is not None else self.roots
        check_extractor(chosen_extractor(options.get("extractor"), read_meta(self.path).get("extractor")))
        self._readers.clear()
        self._ix.close()
        self._ix = create_store(self.path, trust=self._trust)
        return self.update(paths, progress=progress, **options)

    def optimize(self, max_segments: int = 1, wait: float | None = 0.0,
                 on_wait: Callable[[], None] | None = None):
        """Merge the index's segments into at most `max_segments` (and drop deleted
        articles' data): searches then look each term up in fewer places. Takes
        about as long as indexing the articles merged; searches keep working
        meanwhile, and an interrupted merge leaves the index as it was. Returns
        a MergeReport (segments before and after, articles merged, seconds)."""
        from .index.locking import writing
        from .index.merging import compact

        with writing(self.path, wait=wait, on_wait=on_wait):
            self._ix = self._ix.refresh()
            report = compact(self._ix, max_segments=max_segments)
            self._ix = self._ix.refresh()
        return report

    # -- reading ---------------------------------------------------------
    def _fresh(self):
        """The latest committed state, with searchers on a reader kept open while it lasts."""
        self._ix = self._ix.refresh()
        return self._readers.view(self._ix)

    def _read(self, action, *args, **kwargs):
        """action(latest committed index, …). A commit by another process may
        delete the files of the state being read (Whoosh then fails in various
        ways): a read that fails while its state was superseded starts again."""
        for attempt in range(READ_RETRIES):
            read = None
            try:
                ix = self._fresh()
                read = ix._reader.generation()
                return action(ix, *args, **kwargs)
            except SearchkitError:
                raise
            except Exception:
                self._readers.clear()
                # superseded: a newer generation than the one read (Whoosh's
                # FileIndex.up_to_date() always answers True); or opening it failed
                if attempt == READ_RETRIES - 1 or (read is not None and self._ix.latest_generation() == read):
                    raise
                time.sleep(0.02 * (attempt + 1))

    def search(self, query: str, limit: int = 10, page: int = 1, sort: str = "relevance",
               syntax: bool = True, facets: int = 0, snippets: bool = True, today=None,
               recency: float = 0.0, operator: str | None = None, group: bool = True,
               feedback: bool | None = None) -> Results:
        """Ranked (BM25F) or newest-first results for `query`.

        syntax=False treats the text as plain words (no operators). facets=N
        adds the top N people, organisations and places over all matches.
        feedback=True ranks the matches again with words of the best few
        (pseudo-relevance feedback; Results.feedback lists them): by default on
        for plain words ranked by relevance, off otherwise."""
        from .search.searcher import run_search

        if sort not in SORTS:
            raise SearchkitError(f"unknown sort {sort!r}", hint="use 'relevance' or 'date'")
        results = self._read(run_search, self._query(query, syntax), limit=limit, page=page,
                             sort=sort, syntax=syntax, facets=facets, snippets=snippets,
                             today=today, recency=recency, group=group, aliases=self._aliases()[0],
                             feedback=feedback, **_operator(operator))
        return replace(results, query=query) if results.query != query else results

    def iter_all(self, query: str, sort: str = "relevance", syntax: bool = True, today=None,
                 recency: float = 0.0, snippets: bool = True, feedback: bool | None = None):
        """Every match as a Hit, one at a time (for export), in search()'s order; keep the
        index open while iterating."""
        from .search.searcher import iter_hits

        if sort not in SORTS:
            raise SearchkitError(f"unknown sort {sort!r}", hint="use 'relevance' or 'date'")
        return iter_hits(self._fresh(), self._query(query, syntax), sort=sort, syntax=syntax, today=today,
                         recency=recency, snippets=snippets, feedback=feedback)

    def similar(self, article_id: str, limit: int = 10) -> Results:
        """Articles like `article_id`, from its key terms. Raises ArticleNotFound."""
        from .search.related import similar_articles

        return similar_articles(self._fresh(), article_id, limit=limit)

    def cooccur(self, query: str, top: int = 10, syntax: bool = True, today=None) -> tuple[Facet, ...]:
        """Entities appearing most with `query` (e.g. 'person:Faiz Hamid'), counted per article."""
        from .search.related import cooccurring

        return cooccurring(self._fresh(), self._query(query, syntax), top=top, syntax=syntax, today=today,
                           aliases=self._aliases()[0], asked=query)

    def explain(self, query: str, article_id: str, syntax: bool = True, today=None,
                recency: float = 0.0, feedback: bool | None = None):
        """Why `article_id` scores what it does for `query`: per term and field, recency, and
        the words feedback added (as `search` ranks: on for plain-mode text by default)."""
        from .search.related import explain_article

        return explain_article(self._fresh(), self._query(query, syntax), article_id, syntax=syntax, today=today,
                               recency=recency, feedback=feedback)

    def get(self, article_id: str) -> FullArticle:
        """The whole stored article. Raises ArticleNotFound."""
        from .search.searcher import fetch_article

        return self._read(fetch_article, article_id)

    def entities(self, query: str | None = None, top: int = 10, syntax: bool = True) -> tuple[Facet, ...]:
        """Most mentioned people, organisations and places, within a query's matches or overall."""
        from .search.searcher import count_query_entities

        return self._read(count_query_entities, self._query(query, syntax), top=top, syntax=syntax,
                          aliases=self._aliases()[0])

    def timeline(self, query: str, interval: str = "auto", normalise: bool = False,
                 syntax: bool = True) -> tuple[str, tuple[TimelineBucket, ...]]:
        """Match counts per day/week/month/year; returns (interval, buckets)."""
        from .search.searcher import query_timeline

        return self._read(query_timeline, self._query(query, syntax), interval=interval, syntax=syntax, normalise=normalise)

    def stats(self, top: int = 10) -> IndexStats:
        from .index.store import read_meta
        from .search.searcher import index_stats

        stats = self._read(index_stats, self.path, top=top, aliases=self._aliases()[0])
        return replace(stats, extractor=read_meta(self.path).get("extractor") or "rules")


def _operator(operator: str | None) -> dict:
    return {"operator": operator} if operator else {}


def open_index(path: str | os.PathLike = "index", trust: bool = False, **options) -> SearchIndex:
    """Open the index in `path` (default `index/`), or on a cluster
    (`opensearch://HOST:PORT/INDEX`). trust=True and options: see SearchIndex.open."""
    return SearchIndex.open(path, trust=trust, **options)


def create_index(path: str | os.PathLike = "index", trust: bool = False, **options) -> SearchIndex:
    return SearchIndex.create(path, trust=trust, **options)


def index_folder(paths: Iterable[str | os.PathLike], index_path: str | os.PathLike = "index",
                 rebuild: bool = False, trust: bool = False, fields: Mapping[str, str] | None = None,
                 **options) -> IndexReport:
    """Index files into `index_path` (a folder or a cluster URL), creating it when needed.
    On a cluster, rebuild fills a new index and then switches to it (searchers never
    see it half-built). `fields`: see SearchIndex.update."""
    mapping = {} if fields is None else {"fields": fields}
    if rebuild and is_cluster(index_path):
        with _cluster().open_or_create(index_path, **options) as ix:
            return ix.rebuild(paths, **mapping)
    if rebuild:
        ix = SearchIndex.create(index_path, trust=trust, **options)
    else:
        ix = SearchIndex.open_or_create(index_path, trust=trust, **options)
    with ix:
        return ix.update(paths, **mapping)


