"""The deck cache's files: written atomically (a temporary file renamed into place), read only
when they are regular files of a sane size. Errors are a miss, never a failure: a cache that
cannot be written or read only costs the next start some work."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from quiz.content import yamlfile
from quiz.content.library import write_atomic


def write_json(folder: Path, name: str, doc: dict) -> None:
    """Write folder/name atomically (see write_file); errors are ignored: a cache that cannot
    be written only costs the next start some work."""
    try:
        # json.dumps, not json.dump: dump() to a file skips the C encoder (1.8x slower).
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except ValueError:
        return
    write_file(folder, name, data)


def write_file(folder: Path, name: str, data: bytes) -> None:
    """Write folder/name atomically (a crash leaves no half entry), without waiting for the
    disk. Errors are ignored (as for every cache file)."""
    try:
        write_atomic(folder / name, data, durable=False)
    except OSError:
        pass


def read_regular(path: Path) -> bytes | None:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > yamlfile.MAX_BYTES:
            return None
        with open(path, "rb") as f:
            data = f.read(yamlfile.MAX_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= yamlfile.MAX_BYTES else None
