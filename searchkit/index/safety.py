"""Is an index folder safe to unpickle? (Whoosh keeps parts of an index as pickles.)

An index folder is refused when another user owns it or anything in it, or
when other users can write to it or to anything in it: they could have put a
pickle there that runs their code as you. Like git's `safe.directory`, this
guards shared machines; it cannot tell that an index *you* unpacked from an
untrusted archive is hostile — never open such an index, rebuild it from the
articles instead (docs/robustness.md).
"""

from __future__ import annotations

import os
import stat

from ..errors import UnsafeIndex

TRUST_ENV = "SEARCHKIT_TRUST_INDEX"


def _trusted_by_env() -> bool:
    return os.environ.get(TRUST_ENV, "").strip().lower() in ("1", "true", "yes")


def _group_is_private(gid: int, uid: int) -> bool:
    """True when no user other than `uid` belongs to group `gid` (a user private
    group, as made by the default umask 002 on many Linux systems)."""
    try:
        import grp
        import pwd

        owner = pwd.getpwuid(uid).pw_name
        if any(member != owner for member in grp.getgrgid(gid).gr_mem):
            return False
        return all(user.pw_gid != gid or user.pw_uid == uid for user in pwd.getpwall())
    except (ImportError, KeyError):
        return False


def _problem(path: str, info: os.stat_result, me: int) -> str | None:
    if info.st_uid != me:
        return f"{path!r} is owned by another user (uid {info.st_uid})"
    if info.st_mode & stat.S_IWOTH and not (stat.S_ISLNK(info.st_mode)):
        return f"{path!r} can be written by any user"
    if info.st_mode & stat.S_IWGRP and not stat.S_ISLNK(info.st_mode) \
            and not _group_is_private(info.st_gid, me):
        return f"{path!r} can be written by other users of group {info.st_gid}"
    return None


def unsafe_reason(folder: str | os.PathLike) -> str | None:
    """Why the index folder is not safe to open, or None when it is."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows has no such owners
        return None
    me = os.geteuid()
    folder = os.fspath(folder)
    problem = _problem(folder, os.stat(folder), me)
    if problem:
        return problem
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:  # a writer replaced or removed it meanwhile
                continue
            problem = _problem(entry.path, info, me)
            if problem:
                return problem
    return None


def check_trusted(folder: str | os.PathLike, trust: bool = False) -> None:
    """Raise UnsafeIndex unless the folder is safe or trusted explicitly."""
    if trust or _trusted_by_env():
        return
    reason = unsafe_reason(folder)
    if reason:
        raise UnsafeIndex(
            f"refusing to open the index: {reason}; an index holds pickled data that "
            "could run code when opened",
            hint="fix its owner/permissions (chmod go-w), rebuild it from the articles, or pass "
                 f"--trust-index (library: trust=True, environment: {TRUST_ENV}=1) if you trust it",
        )
