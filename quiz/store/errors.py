"""Store errors in one line, with what to do about them.

SQLite's own error names (``sqlite_errorname``: SQLITE_READONLY, SQLITE_FULL...) decide which
errors come from the file or the disk; their messages are SQLite's wording and may change."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A store problem explained in one line, with what to do about it."""


def error_name(e: BaseException) -> str:
    """SQLite's primary error name (SQLITE_IOERR_WRITE -> SQLITE_IOERR), or "" for an error that
    did not come from SQLite's C library (Python's own sqlite3 checks)."""
    name = getattr(e, "sqlite_errorname", None) or ""
    parts = name.split("_")
    return "_".join(parts[:2]) if name.startswith("SQLITE_") else ""


def known_error(path: Path, e: BaseException) -> StoreError | None:
    """The one-line explanation of an error that comes from the file or the disk, or None
    for anything else (a bug in our SQL should keep its traceback)."""
    name = error_name(e)
    if name == "SQLITE_READONLY":
        return StoreError(
            f"{path} is read-only; make it (and its folder) writable or pass --db another file"
        )
    if name == "SQLITE_FULL":
        return StoreError(
            f"the disk holding {path} is full; free some space and try again (nothing was lost)"
        )
    if name == "SQLITE_IOERR":
        return StoreError(
            f"could not write {path} (disk I/O error); check free space, quotas and the "
            "disk, then try again (the last change was not saved)"
        )
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return StoreError(f"{path} is damaged ({e}); run 'quiz doctor' or restore a backup")
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return StoreError(f"{path} is busy in another program for too long; try again")
    if name in ("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"):
        return StoreError(f"cannot open {path}; check the path and its folder's permissions")
    return None


def friendly_error(path: Path, e: sqlite3.Error) -> StoreError:
    return known_error(path, e) or StoreError(f"{path}: {e}")
