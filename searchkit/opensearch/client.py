"""The OpenSearch client, and its errors turned into searchkit's.

Only this package imports opensearch-py (the `searchkit[opensearch]` extra).
Every call to the cluster goes through `cluster_errors`, so a library user
gets a SearchkitError with a hint and the CLI prints one line, never a
transport traceback.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from ..errors import ClusterError, IndexNotFound, SearchkitError
from .location import CA_ENV, Location

TIMEOUT_SECONDS = 60
RETRIES = 3  # a request is tried on the next node when one does not answer


def connect(location: Location, ca_file: str | None = None, timeout: float = TIMEOUT_SECONDS):
    """An OpenSearch client for the location's nodes (nothing is sent yet)."""
    from opensearchpy import OpenSearch

    options: dict = dict(
        hosts=[{"host": host, "port": port} for host, port in location.hosts],
        timeout=timeout, max_retries=RETRIES, retry_on_timeout=True,
        http_compress=True,
    )
    if location.user:
        password = location.password()
        if password is None:
            raise ClusterError(f"no password for {location.user!r}",
                               hint="set SEARCHKIT_OPENSEARCH_PASSWORD to the user's password")
        options["http_auth"] = (location.user, password)
    if location.scheme == "https":
        ca_file = ca_file or os.environ.get(CA_ENV) or None
        if ca_file and not os.path.isfile(ca_file):
            raise ClusterError(f"CA file {ca_file!r} not found", hint="name a PEM file with --ca-file")
        options.update(use_ssl=True, verify_certs=True, ssl_show_warn=False)
        if ca_file:
            options["ca_certs"] = ca_file
    return OpenSearch(**options)


def _reason(exc) -> str:
    """OpenSearch's own words for a failed request."""
    info = getattr(exc, "info", None)
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            root = (error.get("root_cause") or [error])[0]
            return str(root.get("reason") or error.get("reason") or error.get("type"))
        if error:
            return str(error)
    error = getattr(exc, "error", None)
    return str(error or exc)


def translate(exc: Exception, location: Location) -> SearchkitError:
    """The searchkit error for an opensearch-py exception."""
    from opensearchpy import exceptions as ox

    where = location.display
    if isinstance(exc, ox.SSLError):
        return ClusterError(f"TLS handshake with {where} failed: {_reason(exc)}",
                            hint="give the cluster's CA certificate with --ca-file (or SEARCHKIT_OPENSEARCH_CA)")
    if isinstance(exc, (ox.ConnectionTimeout,)):
        return ClusterError(f"{where} did not answer in time",
                            hint="the cluster may be overloaded or a node down; try again")
    if isinstance(exc, ox.ConnectionError):
        return ClusterError(f"cannot reach the cluster at {where}",
                            hint="check the host and port, and that OpenSearch is running "
                                 "(scripts/opensearch start starts one here)")
    if isinstance(exc, ox.AuthenticationException):
        return ClusterError(f"{where} refused the credentials ({_reason(exc)})",
                            hint="use opensearch+https://USER@HOST:PORT/INDEX and set SEARCHKIT_OPENSEARCH_PASSWORD")
    if isinstance(exc, ox.AuthorizationException):
        return ClusterError(f"{where}: permission denied ({_reason(exc)})",
                            hint="the user needs read (search) or write (index) rights on the index")
    if isinstance(exc, ox.NotFoundError):
        return IndexNotFound(f"no searchkit index {location.index!r} on {where.rsplit('/', 1)[0]}")
    if isinstance(exc, ox.TransportError):
        status = exc.status_code if isinstance(exc.status_code, int) else "error"
        return ClusterError(f"the cluster rejected the request ({status}): {_reason(exc)}",
                            hint=_rejection_hint(_reason(exc)))
    return ClusterError(f"{type(exc).__name__}: {exc}")


def _rejection_hint(reason: str) -> str:
    if "maxClauseCount" in reason or "too many clauses" in reason.lower():
        return "the query expands to too many terms: make wildcards and fuzzy words longer or fewer"
    if "circuit_breaking" in reason or "Data too large" in reason:
        return "the cluster is short of memory for this request: narrow the query"
    return "the query may use a form this cluster cannot run; try --plain"


@contextmanager
def cluster_errors(location: Location):
    """Turn opensearch-py's exceptions raised in the block into SearchkitErrors."""
    from opensearchpy import exceptions as ox

    try:
        yield
    except (ox.OpenSearchException, ox.ImproperlyConfigured) as exc:
        raise translate(exc, location) from None
