"""Opening and creating the index folder, with its schema-version check."""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexNotFound, SchemaMismatch
from .schema import INDEX_NAME, SCHEMA_VERSION, build_schema

META_FILE = "searchkit.json"


def read_meta(path: str | os.PathLike) -> dict:
    try:
        return json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_meta(path: str | os.PathLike, meta: dict) -> None:
    """Write the metadata file atomically (a crash leaves the old one or the new one)."""
    target = Path(path) / META_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, target)


def index_exists(path: str | os.PathLike) -> bool:
    return Path(path).is_dir() and whoosh_index.exists_in(str(path), indexname=INDEX_NAME)


def open_store(path: str | os.PathLike):
    """Open an existing index. Raises IndexNotFound or SchemaMismatch."""
    if not index_exists(path):
        raise IndexNotFound(f"no searchkit index in {str(path)!r}")
    version = read_meta(path).get("schema_version")
    if version != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the index in {str(path)!r} has schema version {version}, this searchkit reads "
            f"version {SCHEMA_VERSION}"
        )
    return whoosh_index.open_dir(str(path), indexname=INDEX_NAME)


def create_store(path: str | os.PathLike):
    """Create an empty index (replacing any index already there)."""
    Path(path).mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    meta = read_meta(path)
    meta["schema_version"] = SCHEMA_VERSION
    meta.setdefault("roots", [])
    write_meta(path, meta)
    return ix
