"""Opening and creating the index folder, with its schema-version check.

Whoosh stores the index's table of contents and parts of its segments with
pickle, and unpickling data from someone else can run their code. So before
Whoosh reads a single byte, the folder is checked (see `check_trusted`): one
that another user owns or can write to is refused with UnsafeIndex, unless
the caller trusts it (trust=True, `--trust-index`, SEARCHKIT_TRUST_INDEX=1).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path


from ..errors import IndexNotFound, SchemaMismatch
from .grace import GraceStorage
from .locking import writing
from .safety import check_trusted
from .schema import INDEX_NAME, SCHEMA_VERSION, build_schema

META_FILE = "searchkit.json"
OPEN_RETRIES = 8
_TOC = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc$")


def read_meta(path: str | os.PathLike) -> dict:
    try:
        meta = json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def write_meta(path: str | os.PathLike, meta: dict) -> None:
    """Write the metadata file atomically (a crash leaves the old one or the new one)."""
    target = Path(path) / META_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, target)


def index_exists(path: str | os.PathLike) -> bool:
    """Whether `path` holds an index — told from the file names alone, without
    unpickling anything (whoosh.index.exists_in would open the index)."""
    try:
        return any(_TOC.match(name) for name in os.listdir(path))
    except OSError:
        return False


def open_store(path: str | os.PathLike, trust: bool = False):
    """Open an existing index. Raises IndexNotFound, UnsafeIndex or SchemaMismatch."""
    if not index_exists(path):
        raise IndexNotFound(f"no searchkit index in {str(path)!r}")
    check_trusted(path, trust)
    version = read_meta(path).get("schema_version")
    if version != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the index in {str(path)!r} has schema version {version}, this searchkit reads "
            f"version {SCHEMA_VERSION}"
        )
    for attempt in range(OPEN_RETRIES):
        try:
            return GraceStorage(str(path)).open_index(INDEX_NAME)
        except FileNotFoundError:  # a commit replaced the state we began to read
            if attempt == OPEN_RETRIES - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


def create_store(path: str | os.PathLike, trust: bool = False):
    """Create an empty index (replacing any index already there).

    Raises UnsafeIndex for a folder others can write to, IndexLocked while
    another process writes to it."""
    Path(path).mkdir(parents=True, exist_ok=True)
    check_trusted(path, trust)
    with writing(path):
        # The version goes first: a run killed between the two steps leaves
        # no index (so the next run creates one), never an index without a version.
        meta = read_meta(path)
        meta["schema_version"] = SCHEMA_VERSION
        meta.setdefault("roots", [])
        write_meta(path, meta)
        return GraceStorage(str(path)).create_index(build_schema(), indexname=INDEX_NAME)
