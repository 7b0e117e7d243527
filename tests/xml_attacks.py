"""Hostile XML for the news XML and feed tests, and ways to see that nothing was read or fetched."""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SECRET = "TOPSECRET-7f3a"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def secret_file(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def _read_since(path: Path, action) -> bool:
    """Whether `path` was read while `action` ran (its access time moved)."""
    old = time.time() - 3 * 86400
    os.utime(path, (old, old))
    action()
    return os.stat(path).st_atime > old + 60


def was_read(path: Path, action) -> bool | None:
    """True/False when this file system records reads (checked on a control file first);
    None when it does not (noatime), and only the output can be checked."""
    control = path.with_name("control.txt")
    control.write_text("control\n")
    if not _read_since(control, control.read_bytes):
        return None
    return _read_since(path, action)


@contextmanager
def listening():
    """A TCP server on the loopback: yields (url, connections), the list of
    connections it accepted (an XML parser fetching an external entity would connect)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    connections: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            connections.append(conn.recv(200).decode("latin-1"))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
        time.sleep(0.2)  # a fetch started late still lands in `connections`
    finally:
        stop.set()
        thread.join()
        server.close()
