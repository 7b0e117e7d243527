"""OpenSearchIndex: searchkit's SearchIndex API over an OpenSearch cluster.

The same methods, arguments and result types as the embedded engine
(api.SearchIndex): the faces and library users cannot tell them apart, except
by the location. The query text is parsed by searchkit's own parser
(search/tree.py) and compiled to the Query DSL (compile.py).

The name in the URL is an alias over one physical index `NAME-<time>`: a
rebuild fills a new physical index and then moves the alias in one atomic
step, so searchers never see a half-built index.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext

from ..errors import ArticleNotFound, SchemaMismatch, SearchkitError
from ..models import Facet, FullArticle, IndexReport, IndexStats, Results, TimelineBucket
from .client import WHOLE, cluster_errors, connect, retrying
from .location import parse_location
from .mapping import OS_SCHEMA_VERSION, index_body
from . import queries, results

ORIGIN_ENV = "SEARCHKIT_ORIGIN"
META_SECONDS = 5.0  # how long a search trusts the alias file it read
SORTS = ("relevance", "date")


def default_origin() -> str:
    """Which machine's files these are: SEARCHKIT_ORIGIN, else the host name."""
    return os.environ.get(ORIGIN_ENV) or socket.gethostname() or "localhost"


class OpenSearchIndex:
    """A searchkit index on an OpenSearch cluster. Results are plain objects."""

    def __init__(self, url: str, ca_file: str | None = None, origin: str | None = None) -> None:
        self.location = parse_location(url)
        self.path = self.location.display  # what the faces show for the index
        self.name = self.location.index
        self.origin = origin or default_origin()
        self.client = connect(self.location, ca_file)
        self._alias_cache: tuple = (None, None)
        self._meta_cache: tuple = (0.0, None)

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, url: str, ca_file: str | None = None, origin: str | None = None, **_) -> OpenSearchIndex:
        """Open an existing index. Raises IndexNotFound, SchemaMismatch or ClusterError."""
        ix = cls(url, ca_file, origin)
        ix._check()
        return ix

    @classmethod
    def create(cls, url: str, ca_file: str | None = None, origin: str | None = None,
               shards: int = 1, replicas: int = 0, **_) -> OpenSearchIndex:
        """Create an empty index (shards and replicas as given), replacing any index of that name."""
        ix = cls(url, ca_file, origin)
        ix._replace(shards, replicas)
        return ix

    @classmethod
    def open_or_create(cls, url: str, ca_file: str | None = None, origin: str | None = None,
                       shards: int = 1, replicas: int = 0, **_) -> OpenSearchIndex:
        ix = cls(url, ca_file, origin)
        with ix._errors():
            exists = ix.client.indices.exists(index=ix.name)
        if exists:
            ix._check()
        else:
            ix._replace(shards, replicas)
        return ix

    def _replace(self, shards: int, replicas: int) -> None:
        """A new empty physical index behind the name; any earlier one dropped."""
        with self._errors():
            old = self._physical()
            self._switch(self._new_physical(shards, replicas), old)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> OpenSearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _errors(self):
        return cluster_errors(self.location)

    def _physical(self) -> list[str]:
        """The physical indexes behind the name (none when there is no index)."""
        if not self.client.indices.exists(index=self.name):
            return []
        return sorted(self.client.indices.get(index=self.name))

    def _new_physical(self, shards: int, replicas: int) -> str:
        physical = f"{self.name}-{time.strftime('%Y%m%d%H%M%S')}-{os.urandom(3).hex()}"
        self.client.indices.create(index=physical, body=index_body(int(shards), int(replicas)),
                                   params={"wait_for_active_shards": "1"})
        return physical

    def _switch(self, physical: str, old: list[str]) -> None:
        """Point the name at `physical` in one step, then drop the `old` indexes."""
        actions = [{"add": {"index": physical, "alias": self.name}}]
        concrete = [index for index in old if index == self.name]  # a plain index of that name
        if concrete:
            self.client.indices.delete(index=concrete)
            old = [index for index in old if index not in concrete]
        actions[:0] = [{"remove": {"index": index, "alias": self.name}} for index in old]
        self.client.indices.update_aliases(body={"actions": actions})
        if old:
            self.client.indices.delete(index=old)

    def _check(self) -> None:
        with self._errors():
            mappings = self.client.indices.get_mapping(index=self.name)
        for index, body in mappings.items():
            version = body.get("mappings", {}).get("_meta", {}).get("searchkit_schema")
            if version is None:
                raise SchemaMismatch(f"{index!r} on the cluster was not made by searchkit",
                                     hint="name another index, or build it with: searchkit index --rebuild")
            if version != OS_SCHEMA_VERSION:
                raise SchemaMismatch(f"{index!r} was made by another searchkit version "
                                     f"(schema {version}, this one reads {OS_SCHEMA_VERSION})")

    # -- metadata: roots and aliases, kept in the mapping's _meta -------
    def _meta(self) -> dict:
        with self._errors():
            mappings = self.client.indices.get_mapping(index=self.name)
        return next(iter(mappings.values()), {}).get("mappings", {}).get("_meta", {})

    def _write_meta(self, meta: dict, index: str | None = None) -> None:
        with self._errors():
            self.client.indices.put_mapping(index=index or self.name, body={"_meta": meta})

    @property
    def roots(self) -> list[str]:
        """The files and folders this machine (origin) indexed into the index."""
        return list(self._meta().get("roots", {}).get(self.origin, []))

    @property
    def aliases_path(self) -> str:
        return f"{self.path} (_meta.aliases)"

    def set_aliases(self, source: str | os.PathLike) -> None:
        """Check an alias file and keep it in the index; the next update() re-extracts with it."""
        from ..search.entity_aliases import read_alias_file

        text = read_alias_file(source)
        meta = self._meta()
        meta["aliases"] = text
        self._write_meta(meta)
        self._meta_cache = (0.0, None)

    def _aliases(self, meta: dict | None = None):
        from ..search.entity_aliases import parse_alias_text

        text = (meta if meta is not None else self._meta()).get("aliases", "")
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest() if text else ""
        if self._alias_cache[0] != digest:
            self._alias_cache = (digest, parse_alias_text(text, self.aliases_path))
        return self._alias_cache[1], digest

    def _query(self, text: str | None, syntax: bool = True) -> str | None:
        from ..search.entity_aliases import widen_query

        return widen_query(text, syntax, self._names)

    def _names(self):
        """The alias rules with the index's name merges: what widens entity names in a query."""
        from ..search.name_merges import MergedNames

        return MergedNames(self._aliases(self._recent_meta())[0], self._merges())

    def _merges(self):
        """The name merges planned at the last update (kept in _meta), less the names the
        alias file now mentions; read with the _meta a search reads anyway."""
        from .merges import stored_merges

        meta = self._recent_meta()
        aliases, digest = self._aliases(meta)
        key = (id(meta), digest)
        if getattr(self, "_merges_cache", (None,))[0] != key:
            self._merges_cache = (key, stored_merges(meta, aliases), meta)
        return self._merges_cache[1]

    def _recent_meta(self) -> dict:
        """_meta as read at most META_SECONDS ago: an alias file installed by another
        process is seen within that time, and a search costs no extra request."""
        read_at, meta = self._meta_cache
        if meta is None or time.monotonic() - read_at > META_SECONDS:
            self._meta_cache = (time.monotonic(), self._meta())
        return self._meta_cache[1]

    # -- indexing --------------------------------------------------------
    def update(self, paths: Iterable[str | os.PathLike] | None = None,
               progress: Callable[[int, int], None] | None = None, wait: float | None = 0.0,
               on_wait: Callable[[], None] | None = None, extract_entities: bool = True,
               workers: int | None = None, fields: Mapping[str, str] | None = None,
               extractor: str | None = None) -> IndexReport:
        """Bring this origin's articles in line with the files below `paths`;
        `fields` and `extractor` as SearchIndex.update (kept per origin for the next runs)."""
        return self._update(self.name, paths, progress, extract_entities, workers, fields, extractor)

    def rebuild(self, paths: Iterable[str | os.PathLike] | None = None,
                progress: Callable[[int, int], None] | None = None, shards: int | None = None,
                replicas: int | None = None, **options) -> IndexReport:
        """Fill a new physical index from `paths` (and the other machines' articles,
        copied), then switch the name to it: searches see the old index until then.
        Shards and replicas: as given, else as the old index has them."""
        from ..analysis.entities import check_extractor, chosen_extractor

        with self._errors():
            old = self._physical()
            used = self._meta().get("extractor", {}).get(self.origin) if old else None
            check_extractor(chosen_extractor(options.get("extractor"), used))  # before a new index exists
            settings = self.client.indices.get_settings(index=self.name) if old else {}
            index = next(iter(settings.values()), {}).get("settings", {}).get("index", {})
            new = self._new_physical(shards or int(index.get("number_of_shards", 1)),
                                     replicas if replicas is not None else int(index.get("number_of_replicas", 0)))
            meta = self._meta() if old else {}
            if old:
                self._copy_other_origins(new)
            self._write_meta({**meta, "searchkit_schema": OS_SCHEMA_VERSION, "roots": {
                origin: roots for origin, roots in meta.get("roots", {}).items() if origin != self.origin},
                "aliases_sha1": {}}, new)
        paths = list(paths) if paths is not None else list(meta.get("roots", {}).get(self.origin, []))
        report = self._update(new, paths, progress, options.get("extract_entities", True),
                              options.get("workers"), options.get("fields"), options.get("extractor"))
        with self._errors():
            self._switch(new, old)
        return report

    def _copy_other_origins(self, new: str) -> None:
        from opensearchpy import helpers

        others = {"bool": {"must_not": [{"term": {"origin": self.origin}}]}}
        if self.client.count(index=self.name, body={"query": others})["count"]:
            helpers.reindex(self.client, self.name, new, query={"query": others}, chunk_size=500)

    def _update(self, index: str, paths, progress, extract_entities: bool, workers,
                fields: Mapping[str, str] | None = None, extractor: str | None = None) -> IndexReport:
        from ..analysis.entities import chosen_extractor, extracted_otherwise, extraction_record, extractor_in_use
        from ..ingest.columns import check_fields
        from ..ingest.discover import discover
        from .merges import plan_cluster_merges
        from .writer import sync

        meta = self._meta() if index == self.name else self._index_meta(index)
        paths = list(paths) if paths is not None else list(meta.get("roots", {}).get(self.origin, []))
        if not paths:
            raise SearchkitError("nothing to index", hint="name a file or folder: searchkit index PATH")
        mapping = check_fields(fields) if fields is not None else tuple(
            (str(name), str(column)) for name, column in meta.get("fields", {}).get(self.origin, []))
        walk = discover(paths, base=meta.get("id_base", {}).get(self.origin), fields=dict(mapping))
        aliases, digest = self._aliases(meta)
        spec = chosen_extractor(extractor, meta.get("extractor", {}).get(self.origin))
        record = extraction_record(digest, spec, extract_entities)
        reextract = extracted_otherwise({key: meta.get(key, {}).get(self.origin) for key in record}, record)
        with self._errors(), extractor_in_use(spec) if extract_entities else nullcontext():
            if reextract and not self._origin_count(index):  # nothing to extract again: say so now,
                self._write_meta(self._recorded(meta, record), index)  # so that a run killed
                reextract = False  # before its end is resumed, not redone
            report = sync(self.client, index, walk, self.origin, progress, extract_entities, workers,
                          aliases or None, reextract=reextract)
            meta = self._index_meta(index)
            roots = meta.setdefault("roots", {})
            roots[self.origin] = sorted(set(roots.get(self.origin, [])) | set(walk.roots))
            bases = meta.setdefault("id_base", {})
            bases[self.origin] = bases.get(self.origin) or walk.base or None  # ids are relative to it
            meta.setdefault("fields", {})[self.origin] = [list(pair) for pair in mapping]
            self._recorded(meta, record)
            meta["name_merges"] = plan_cluster_merges(self.client, index, aliases or None).to_json()
            self._write_meta(meta, index)
        self._meta_cache = (0.0, None)
        return report

    def _recorded(self, meta: dict, record: dict[str, str]) -> dict:
        """`meta` with this origin's extraction_record (each key is kept per origin)."""
        for key, value in record.items():
            meta.setdefault(key, {})[self.origin] = value
        return meta

    def _origin_count(self, index: str) -> int:
        """How many articles of this machine's origin `index` holds (all written so far)."""
        self.client.indices.refresh(index=index)
        query = {"query": {"term": {"origin": self.origin}}}
        return self.client.count(index=index, body=query)["count"]

    def _index_meta(self, index: str) -> dict:
        mappings = self.client.indices.get_mapping(index=index)
        return next(iter(mappings.values()), {}).get("mappings", {}).get("_meta", {})

    # -- reading ---------------------------------------------------------
    def _search(self, body: dict, **params) -> dict:
        with self._errors():
            return retrying(self.client.search, index=self.name, body=body, params={**WHOLE, **params})

    def search(self, query: str, limit: int = 10, page: int = 1, sort: str = "relevance",
               syntax: bool = True, facets: int = 0, snippets: bool = True, today=None,
               recency: float = 0.0, operator: str | None = None, group: bool = True,
               feedback: bool | None = None) -> Results:
        """Ranked (BM25) or newest-first results, as SearchIndex.search."""
        _check_sort(sort)
        return queries.run_search(self, query, self._query(query, syntax), limit=limit, page=page,
                                  sort=sort, syntax=syntax, facets=facets, snippets=snippets, today=today,
                                  recency=recency, operator=operator, group=group, feedback=feedback)

    def iter_all(self, query: str, sort: str = "relevance", syntax: bool = True, today=None,
                 recency: float = 0.0, snippets: bool = True, feedback: bool | None = None):
        """Every match as a Hit (a point in time read with search_after: no 10,000 cap)."""
        _check_sort(sort)
        return queries.iter_hits(self, self._query(query, syntax), sort=sort, syntax=syntax, today=today,
                                 recency=recency, snippets=snippets, feedback=feedback)

    def get(self, article_id: str) -> FullArticle:
        return results.to_article(self._find(article_id)["_source"])

    def _find(self, article_id: str) -> dict:
        found = self._search({"query": {"term": {"id": article_id}}, "size": 1})["hits"]["hits"]
        if not found:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        return found[0]

    def similar(self, article_id: str, limit: int = 10) -> Results:
        return queries.similar(self, self._find(article_id), article_id, limit)

    def cooccur(self, query: str, top: int = 10, syntax: bool = True, today=None) -> tuple[Facet, ...]:
        return queries.cooccur(self, self._query(query, syntax), top=top, syntax=syntax, today=today, asked=query)

    def explain(self, query: str, article_id: str, syntax: bool = True, today=None, recency: float = 0.0,
                feedback: bool | None = None):
        return queries.explain(self, self._query(query, syntax), self._find(article_id), article_id,
                               query, syntax=syntax, today=today, recency=recency, feedback=feedback)

    def entities(self, query: str | None = None, top: int = 10, syntax: bool = True) -> tuple[Facet, ...]:
        return queries.entities(self, self._query(query, syntax), top=top, syntax=syntax)

    def timeline(self, query: str, interval: str = "auto", normalise: bool = False,
                 syntax: bool = True) -> tuple[str, tuple[TimelineBucket, ...]]:
        return queries.timeline(self, self._query(query, syntax), interval=interval, normalise=normalise,
                                syntax=syntax)

    def stats(self, top: int = 10) -> IndexStats:
        return queries.stats(self, top=top)


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise SearchkitError(f"unknown sort {sort!r}", hint="use 'relevance' or 'date'")
