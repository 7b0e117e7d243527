"""The OpenSearch client, and its errors turned into searchkit's.

Only this package imports opensearch-py (the `searchkit[opensearch]` extra).
Every call to the cluster goes through `cluster_errors`, so a library user
gets a SearchkitError with a hint and the CLI prints one line, never a
transport traceback.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

from ..errors import ClusterError, IndexNotFound, SearchkitError, TooManyClauses
from .location import CA_ENV, Location

TIMEOUT_SECONDS = 60
RETRIES = 3  # a request is tried on the next node when one does not answer
# Searches answer from every shard or fail: by default a shard whose every copy is on a node
# that went away is left out, and the answer silently lacks its articles.
WHOLE = {"allow_partial_search_results": "false"}
# A node going away fails the requests it was part of (a shard's query or fetch phase on it, its
# search contexts); asked again, the cluster answers from the other copies. 503: the cluster
# cannot serve the request yet (a replica being promoted, no cluster manager for a moment).
TRANSIENT = frozenset({"node_disconnected_exception", "node_closed_exception", "node_not_connected_exception",
                       "connect_transport_exception", "send_request_transport_exception",
                       "search_context_missing_exception", "no_shard_available_action_exception"})
RETRY_PAUSES = (0.2, 0.5, 1.0, 2.0)  # seconds between the tries of a read that failed that way


def connect(location: Location, ca_file: str | None = None, timeout: float = TIMEOUT_SECONDS):
    """An OpenSearch client for the location's nodes (nothing is sent yet)."""
    from opensearchpy import OpenSearch

    options: dict = dict(
        hosts=[{"host": host, "port": port} for host, port in location.hosts],
        timeout=timeout, max_retries=RETRIES, retry_on_timeout=True,
        # not 503: OpenSearch answers it for the whole cluster, and the client would mark the node
        # that said it dead and end on another's connection error ("cannot reach the cluster")
        retry_on_status=(502, 504),
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
            root = (error.get("root_cause") or [error.get("caused_by") or error])[0]
            return str(root.get("reason") or error.get("reason") or error.get("type"))
        if error:
            return str(error)
    error = getattr(exc, "error", None)
    return str(error or exc)


def _error_types(error) -> set[str]:
    """Every `type` in an error answer: the error, its root causes, causes and failed shards."""
    found: set[str] = set()
    stack = [error]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("type"), str):
                found.add(item["type"])
            stack.extend(value for value in item.values() if isinstance(value, (dict, list)))
    return found


def transient(exc) -> bool:
    """Whether a failed request failed only because a node went away (or the cluster is
    between states), so that the same request answers a moment later."""
    info = getattr(exc, "info", None)
    if getattr(exc, "status_code", None) == 503:
        return True
    return isinstance(info, dict) and bool(_error_types(info.get("error")) & TRANSIENT)


def _missing_index(exc) -> bool:
    """A 404 for the index itself (not, say, a search context gone with its node)."""
    info = exc.info if isinstance(exc.info, dict) else {}
    return _error_types(info.get("error")) <= {"index_not_found_exception"}


def retrying(call, *args, **kwargs):
    """call(*args, **kwargs); a read that failed only because a node went away (`transient`)
    is tried again after a pause, RETRY_PAUSES times."""
    from opensearchpy import exceptions as ox

    for pause in RETRY_PAUSES:
        try:
            return call(*args, **kwargs)
        except ox.TransportError as exc:
            if not transient(exc):
                raise
        time.sleep(pause)
    return call(*args, **kwargs)


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
    if isinstance(exc, ox.NotFoundError) and _missing_index(exc):
        return IndexNotFound(f"no searchkit index {location.index!r} on {where.rsplit('/', 1)[0]}")
    if isinstance(exc, ox.TransportError):
        status = exc.status_code if isinstance(exc.status_code, int) else "error"
        message = f"the cluster rejected the request ({status}): {_reason(exc)}"
        if _too_many_clauses(_reason(exc)):
            return TooManyClauses(message)
        return ClusterError(message, hint=_rejection_hint(_reason(exc)))
    return ClusterError(f"{type(exc).__name__}: {exc}")


def _too_many_clauses(reason: str) -> bool:
    return "maxClauseCount" in reason or "too many clauses" in reason.lower()


def _rejection_hint(reason: str) -> str:
    if "missing shards" in reason:
        return "a node holding every copy of some shards is down: start it again (replicas keep an index answering)"
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
