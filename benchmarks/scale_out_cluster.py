"""The cluster side of benchmarks/scale_out.py: plain REST calls for what the
searchkit API does not show (store size, force merge, the node's CPU time and
heap), and the engine URL for an index name.

    cluster = Cluster("http://127.0.0.1:9250")       # or https://USER@HOST:PORT
    cluster.problem()                                 # None, or why it cannot be used
    cluster.location("bench-x")                       # opensearch://127.0.0.1:9250/bench-x

For https, the password comes from SEARCHKIT_OPENSEARCH_PASSWORD and the CA
file from SEARCHKIT_OPENSEARCH_CA, as for searchkit itself.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

PASSWORD_ENV = "SEARCHKIT_OPENSEARCH_PASSWORD"
CA_ENV = "SEARCHKIT_OPENSEARCH_CA"
MERGE_SECONDS = 1800


class Cluster:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not a cluster base URL: {url!r} (write http://HOST:PORT)")
        self.scheme, self.user = parts.scheme, parts.username
        self.hostport = f"{parts.hostname}:{parts.port or 9200}"
        self.base = f"{self.scheme}://{self.hostport}"
        self._headers = {"Content-Type": "application/json"}
        if self.user:
            token = f"{self.user}:{os.environ.get(PASSWORD_ENV, '')}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
        self._ssl = ssl.create_default_context(cafile=os.environ.get(CA_ENV) or None) \
            if self.scheme == "https" else None

    def location(self, index: str) -> str:
        """The searchkit URL of `index` on this cluster."""
        plus = "+https" if self.scheme == "https" else ""
        user = f"{quote(self.user)}@" if self.user else ""
        return f"opensearch{plus}://{user}{self.hostport}/{index}"

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 60) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=self._headers)
        with urllib.request.urlopen(req, timeout=timeout, context=self._ssl) as response:
            return json.loads(response.read() or b"{}")

    def problem(self) -> str | None:
        """Why this cluster cannot be benchmarked (None when it can)."""
        try:
            health = self.request("GET", "/_cluster/health", timeout=10)
        except urllib.error.HTTPError as exc:
            return f"{self.base} answered {exc.code} {exc.reason}"
        except (OSError, ValueError) as exc:
            return f"cannot reach {self.base} ({getattr(exc, 'reason', exc)})"
        if health.get("status") == "red":
            return f"{self.base} is red"
        return None

    def describe(self) -> dict:
        """Version, nodes, and each node's heap and processors."""
        root = self.request("GET", "/")
        nodes = self.request("GET", "/_nodes/jvm,os")["nodes"].values()
        return {"version": root.get("version", {}).get("number"), "nodes": len(nodes),
                "heap_max_bytes": [n["jvm"]["mem"]["heap_max_in_bytes"] for n in nodes],
                "processors": [n["os"].get("allocated_processors") or n["os"].get("available_processors")
                               for n in nodes]}

    def cpu_seconds(self) -> float:
        """CPU time used so far by every node's process (all its threads)."""
        nodes = self.request("GET", "/_nodes/stats/process")["nodes"].values()
        return sum(n["process"]["cpu"]["total_in_millis"] for n in nodes) / 1000

    def heap_used(self) -> int:
        nodes = self.request("GET", "/_nodes/stats/jvm")["nodes"].values()
        return sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in nodes)

    def store(self, index: str) -> dict:
        """Primaries' store size, documents and segments of `index` (after a refresh)."""
        self.request("POST", f"/{index}/_refresh")
        stats = self.request("GET", f"/{index}/_stats/store,docs,segments")["_all"]["primaries"]
        return {"bytes": stats["store"]["size_in_bytes"], "docs": stats["docs"]["count"],
                "segments": stats["segments"]["count"]}

    def force_merge(self, index: str) -> float:
        """Merge every shard of `index` into one segment; the seconds it took."""
        import time

        started = time.perf_counter()
        self.request("POST", f"/{index}/_forcemerge?max_num_segments=1", timeout=MERGE_SECONDS)
        return time.perf_counter() - started

    def indexes(self, prefix: str) -> list[str]:
        """Names of the physical indexes whose name starts with `prefix`."""
        found = self.request("GET", f"/_cat/indices/{prefix}*?format=json&h=index&expand_wildcards=all")
        return sorted(row["index"] for row in found)

    def delete_all(self, prefix: str) -> list[str]:
        """Delete every index named `prefix`… (one by one, by name); the names deleted."""
        names = self.indexes(prefix)
        for name in names:
            try:
                self.request("DELETE", f"/{name}")
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
        return names
