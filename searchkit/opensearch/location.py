"""Cluster index locations: the URL a user gives instead of a folder.

    opensearch://127.0.0.1:9200/news                  plain HTTP
    opensearch+https://alice@search.example:9200/news TLS; password from SEARCHKIT_OPENSEARCH_PASSWORD
    opensearch://node1:9200,node2:9200/news           several nodes: the client fails over between them

The path is the index name searchkit reads and writes: an alias over a
physical index (see engine.py), so that a rebuild can switch atomically.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ..errors import SearchkitError

PASSWORD_ENV = "SEARCHKIT_OPENSEARCH_PASSWORD"
CA_ENV = "SEARCHKIT_OPENSEARCH_CA"
DEFAULT_PORT = 9200
_URL = re.compile(r"^opensearch(?:\+(?P<scheme>https?))?://(?:(?P<user>[^@/]*)@)?(?P<hosts>[^/]+)/(?P<index>[^/?#]+)/?$",
                  re.IGNORECASE)
# OpenSearch's own rules: lower case, no \ / * ? " < > | space , #, not starting with - _ +
_INDEX_NAME = re.compile(r"^(?![-_+])[a-z0-9][^\\/*?\"<>| ,#:A-Z]*$")
_HOST = re.compile(r"^(?P<host>\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(?P<port>\d{1,5}))?$")


@dataclass(frozen=True)
class Location:
    scheme: str  # http or https
    hosts: tuple[tuple[str, int], ...]
    index: str
    user: str | None = None

    @property
    def display(self) -> str:
        """The URL as the user wrote it, without any password."""
        plus = "+https" if self.scheme == "https" else ""
        user = f"{self.user}@" if self.user else ""
        hosts = ",".join(f"{host}:{port}" for host, port in self.hosts)
        return f"opensearch{plus}://{user}{hosts}/{self.index}"

    def password(self) -> str | None:
        return os.environ.get(PASSWORD_ENV) if self.user else None


def parse_location(url: str) -> Location:
    """Parse a cluster URL. Raises SearchkitError saying what is wrong with it."""
    match = _URL.match(url.strip())
    if not match:
        raise SearchkitError(f"not a cluster index URL: {url!r}",
                             hint="write opensearch://HOST:PORT/INDEX or opensearch+https://USER@HOST:PORT/INDEX")
    user = unquote(match["user"]) if match["user"] else None
    if user and ":" in user:
        raise SearchkitError("put the password in SEARCHKIT_OPENSEARCH_PASSWORD, not in the URL",
                             hint="opensearch+https://USER@HOST:PORT/INDEX")
    index = unquote(match["index"])
    if not _INDEX_NAME.match(index) or len(index.encode()) > 200:
        raise SearchkitError(f"{index!r} is not a valid OpenSearch index name",
                             hint="use lower-case letters, digits, - and _ (not first)")
    hosts = []
    for part in match["hosts"].split(","):
        host = _HOST.match(part.strip())
        if not host:
            raise SearchkitError(f"bad host {part!r} in {url!r}", hint="write HOST:PORT")
        port = int(host["port"] or DEFAULT_PORT)
        if not 0 < port < 65536:
            raise SearchkitError(f"bad port {port} in {url!r}", hint="ports run from 1 to 65535")
        hosts.append((host["host"].strip("[]"), port))
    return Location((match["scheme"] or "http").lower(), tuple(hosts), index, user)
