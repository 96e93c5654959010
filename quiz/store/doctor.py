"""Checking a quiz database without changing it, and copying it safely.

`diagnose(path)` opens the file with writes switched off (PRAGMA query_only) and reports: the
SQLite integrity check, foreign keys, orphan rows, the schema version against this quiz's, and
sizes. `backup(path, target)` copies through SQLite's online backup API into a new file and
never replaces an existing one.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from quiz.store.connection import SQLITE_HEADER
from quiz.store.errors import error_name
from quiz.store.schema import SCHEMA_VERSION

TABLES = ("learners", "decks", "cards", "card_state", "drills", "reviews", "meta")
MAX_LINES = 10  # integrity messages shown; the rest are counted

# (what is orphaned, the query counting it, the tables it needs)
ORPHANS = [
    (
        "card_state rows point at a learner that does not exist",
        "SELECT count(*) FROM card_state WHERE learner_id NOT IN (SELECT id FROM learners)",
        {"card_state", "learners"},
    ),
    (
        "card_state rows point at a card that does not exist",
        (
            "SELECT count(*) FROM card_state s WHERE NOT EXISTS (SELECT 1 FROM cards c "
            "WHERE c.deck_id = s.deck_id AND c.card_id = s.card_id)"
        ),
        {"card_state", "cards"},
    ),
    (
        "reviews point at a learner that does not exist",
        "SELECT count(*) FROM reviews WHERE learner_id NOT IN (SELECT id FROM learners)",
        {"reviews", "learners"},
    ),
    (
        "reviews point at a card that does not exist",
        (
            "SELECT count(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM cards c "
            "WHERE c.deck_id = r.deck_id AND c.card_id = r.card_id)"
        ),
        {"reviews", "cards"},
    ),
    (
        "reviews point at a drill that does not exist",
        (
            "SELECT count(*) FROM reviews WHERE drill_id IS NOT NULL "
            "AND drill_id NOT IN (SELECT id FROM drills)"
        ),
        {"reviews", "drills"},
    ),
    (
        "drill reviews have no drill",
        "SELECT count(*) FROM reviews WHERE mode = 'drill' AND drill_id IS NULL",
        {"reviews"},
    ),
    (
        "cards belong to a deck that does not exist",
        "SELECT count(*) FROM cards WHERE deck_id NOT IN (SELECT id FROM decks)",
        {"cards", "decks"},
    ),
]
# foreign_key_check pairs the orphan queries above already explain
EXPLAINED = {
    ("card_state", "learners"),
    ("card_state", "cards"),
    ("reviews", "learners"),
    ("reviews", "cards"),
    ("reviews", "drills"),
    ("cards", "decks"),
}

RESTORE = (
    "restore a backup (quiz backup copies, migrations leave <db>.v<N>.bak) or salvage "
    "with: sqlite3 {path} .recover | sqlite3 recovered.db"
)


class DoctorError(Exception):
    """The file cannot be examined at all (missing, a folder, unreadable): one line."""


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


@dataclass
class Diagnosis:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    version: int | None = None

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    def good(self, text: str) -> None:
        self.findings.append(Finding(True, text))

    def bad(self, text: str) -> None:
        self.findings.append(Finding(False, text))


def file_sizes(path: Path) -> dict[str, int]:
    out = {}
    for label, suffix in (("file", ""), ("wal", "-wal"), ("shm", "-shm")):
        try:
            out[label] = os.stat(f"{path}{suffix}").st_size
        except OSError:
            pass
    return out


def _check_readable(path: Path) -> bytes:
    if path.is_dir():
        raise DoctorError(f"{path} is a directory; pass --db the database file")
    if not path.exists():
        raise DoctorError(
            f"no database at {path} (quiz creates it on first use); pass --db the file to check"
        )
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise DoctorError(f"cannot read {path} ({e.strerror}); check its permissions") from None


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. A normal connection (so SQLite tidies its -wal/-shm on
    close) with query_only on; if the folder is read-only, SQLite's read-only modes."""
    uri = f"file:{quote(str(path.resolve()))}"
    attempts = [(str(path), False), (f"{uri}?mode=ro", True)]
    if not Path(f"{path}-wal").exists():
        attempts.append((f"{uri}?immutable=1", True))  # no WAL to miss: reading is exact
    error: sqlite3.Error | None = None
    for target, uri_mode in attempts:
        conn = None
        try:
            conn = sqlite3.connect(target, uri=uri_mode, timeout=10)
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as e:
            if conn is not None:
                conn.close()
            error = e
            if "unable to open" not in str(e) and "readonly" not in str(e):
                break  # damaged, not a permission problem: trying another mode will not help
    assert error is not None
    raise error


def diagnose(path: Path | str) -> Diagnosis:
    path = Path(path)
    head = _check_readable(path)
    diag = Diagnosis(path, sizes=file_sizes(path))
    if diag.sizes.get("file", 0) == 0:
        diag.good("empty file: quiz sets it up on first use")
        return diag
    if head != SQLITE_HEADER:
        diag.bad(
            "not an SQLite file, so not a quiz database: move it aside or pass --db another file"
        )
        return diag
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as e:
        diag.bad(_damaged(path, e))
        return diag
    with closing(conn):
        try:
            _examine(conn, diag)
        except sqlite3.Error as e:
            diag.bad(_damaged(path, e))
    return diag


def _damaged(path: Path, e: sqlite3.Error) -> str:
    text = str(e)
    name = error_name(e)
    if name in ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH"):
        return f"cannot open it ({text}); check the file's and its folder's permissions"
    if name == "SQLITE_IOERR":
        return f"cannot read it ({text}); check the disk, free space and quotas"
    return f"damaged ({text}): " + RESTORE.format(path=path)


def _examine(conn: sqlite3.Connection, diag: Diagnosis) -> None:
    messages = [r[0] for r in conn.execute("PRAGMA integrity_check(100)")]
    if messages == ["ok"]:
        diag.good("integrity check")
    else:
        shown = "; ".join(messages[:MAX_LINES])
        more = f" (and {len(messages) - MAX_LINES} more)" if len(messages) > MAX_LINES else ""
        diag.bad(f"integrity check failed: {shown}{more}; " + RESTORE.format(path=diag.path))

    version = conn.execute("PRAGMA user_version").fetchone()[0]
    diag.version = version
    db = sqlite_utils.Database(conn, execute_plugins=False)  # reads only: query_only is on
    tables = set(db.table_names())
    if version > SCHEMA_VERSION:
        diag.bad(
            f"schema version {version} is newer than this quiz's ({SCHEMA_VERSION}): "
            "upgrade quiz to use this file"
        )
    elif version == 0 and tables:
        diag.bad(
            "an SQLite database but not a quiz database (no quiz schema): pass --db another file"
        )
    elif version == 0:
        diag.good(f"empty database: quiz sets up schema {SCHEMA_VERSION} on first use")
    elif version < SCHEMA_VERSION:
        diag.good(
            f"schema version {version} (this quiz: {SCHEMA_VERSION}); it is upgraded on "
            f"next use, after a backup to {diag.path.name}.v{version}.bak"
        )
    else:
        diag.good(f"schema version {version} (this quiz: {SCHEMA_VERSION})")

    diag.rows = {t: db[t].count for t in TABLES if t in tables}

    orphans = 0
    for what, sql, needs in ORPHANS:
        if needs <= tables:
            n = conn.execute(sql).fetchone()[0]
            if n:
                orphans += n
                diag.bad(
                    f"{n} {what}: reports may miscount them; restore a backup if this is unexpected"
                )
    if not orphans:
        diag.good("no orphan rows")

    violations: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        violations[(table, parent)] = violations.get((table, parent), 0) + 1
    other = {k: n for k, n in violations.items() if k not in EXPLAINED}
    for (table, parent), n in sorted(other.items()):
        diag.bad(f"{n} rows in {table} refer to missing rows in {parent}")
    if not violations:
        diag.good("foreign keys")


# -- backups --------------------------------------------------------------------------------------


class BackupError(Exception):
    """A backup that could not be made, in one line."""


def default_backup_path(db: Path, now: datetime | None = None) -> Path:
    """`<db>.<YYYYmmdd-HHMMSS>.bak` beside the database; a suffix if that name is taken."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = db.with_name(f"{db.name}.{stamp}.bak")
    n = 1
    while candidate.exists():
        candidate = db.with_name(f"{db.name}.{stamp}-{n}.bak")
        n += 1
    return candidate


def backup(db: Path | str, target: Path | str) -> Path:
    """Copy `db` to the new file `target` through SQLite's backup API (consistent even while
    others write). Never replaces an existing file; on failure leaves nothing behind."""
    db, target = Path(db), Path(target)
    head = _check_readable(db) if db.exists() or db.is_dir() else None
    if head is None:
        raise BackupError(f"no database at {db}; pass --db the file to back up")
    if head != SQLITE_HEADER and db.stat().st_size:
        raise BackupError(f"{db} is not an SQLite file; nothing to back up")
    if target.exists() or target.is_symlink():
        raise BackupError(
            f"{target} already exists; quiz never overwrites it: choose another name with -o"
        )
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist; create it or choose another -o")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        source = connect_readonly(db)
    except sqlite3.Error as e:
        raise BackupError(f"cannot read {db}: {_damaged(db, e)}") from None
    try:
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
            # The copy must be usable on its own: one file, no -wal beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
            check = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
        if check != "ok":
            raise BackupError(
                f"the copy of {db} failed its check ({check}); "
                "the database may be damaged: run quiz doctor"
            )
        _publish(partial, target)
    except sqlite3.Error as e:
        raise BackupError(_write_error(target, e)) from None
    except OSError as e:
        raise BackupError(
            f"cannot write {target} ({e.strerror}); check free space and permissions"
        ) from None
    finally:
        source.close()
        for leftover in (
            partial,
            Path(f"{partial}-journal"),
            Path(f"{partial}-wal"),
            Path(f"{partial}-shm"),
        ):
            try:
                leftover.unlink()
            except OSError:
                pass
    return target


def _publish(partial: Path, target: Path) -> None:
    """Give the finished copy its name without ever replacing a file that appeared meanwhile."""
    try:
        os.link(partial, target)  # fails if target exists: no race can overwrite it
    except FileExistsError:
        raise BackupError(
            f"{target} already exists; quiz never overwrites it: choose another name with -o"
        ) from None
    except OSError:
        if target.exists():
            raise BackupError(
                f"{target} already exists; quiz never overwrites it: choose another name with -o"
            ) from None
        os.rename(partial, target)  # file systems without hard links


def _write_error(target: Path, e: sqlite3.Error) -> str:
    text = str(e).lower()
    if "full" in text or "disk i/o" in text:
        return f"cannot write {target} (disk full or I/O error); free some space and try again"
    if "readonly" in text or "unable to open" in text:
        return f"cannot write {target}; choose a writable folder with -o"
    if "malformed" in text or "not a database" in text:
        return f"the database is damaged ({e}); run quiz doctor"
    return f"backup failed ({e})"
