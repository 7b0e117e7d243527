"""The errors searchkit raises. Every message is fit for a user and says what to do next."""

from __future__ import annotations


class SearchkitError(Exception):
    """Base class of every error searchkit raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class ArticleParseError(SearchkitError):
    """A file (or a line of one) could not be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexNotFound(SearchkitError):
    hint = "build it first with: searchkit index [PATH…] --index DIR|URL"


class SchemaMismatch(SearchkitError):
    hint = "rebuild it with: searchkit index --rebuild"


class IndexLocked(SearchkitError):
    hint = "another 'searchkit index' is writing to this index; wait for it to finish"


class UnsafeIndex(SearchkitError):
    hint = "check who owns the folder, or pass --trust-index if you are sure it is yours"


class QuerySyntaxError(SearchkitError):
    """The query text could not be parsed. `position` is the 0-based character offset."""

    hint = "quote words that contain operators, or search with --plain"

    def __init__(self, message: str, position: int | None = None, hint: str = "") -> None:
        super().__init__(message, hint)
        self.position = position


class ArticleNotFound(SearchkitError):
    hint = "ids are shown in search results (searchkit search QUERY --json)"


class ClusterError(SearchkitError):
    """A cluster (OpenSearch) could not be reached, refused us, or rejected a request."""

    hint = "check the URL (opensearch://HOST:PORT/INDEX) and that the cluster is up"


class TooManyClauses(ClusterError):
    """The cluster refused a query of more clauses than its nodes allow
    (indices.query.bool.max_clause_count; each word counts once per field it is searched in)."""

    hint = ("the query has too many clauses (each word counts once per field it is searched in): "
            "use fewer words, or raise the nodes' indices.query.bool.max_clause_count")
