"""One open quiz database: opening safely (WAL, busy timeout, FULL sync), write transactions,
migrating with a backup first, checkpoints, small settings, and row helpers.

Every write goes through ``Store.write()``, one ``BEGIN IMMEDIATE`` transaction: an answer is on
disk when the block exits, and concurrent writers queue on the busy timeout instead of failing.

Which SQL path where (sqlite-utils is the store's library; plain statements only where it is
measured to cost):
- sqlite-utils (``store.db``, or ``db[table]`` inside ``write()``, whose writes nest as
  savepoints): new tables and indexes in migrations from 7 on, merging another file (learners,
  decks, cards, drills inserted through the table API), doctor's table list and row counts,
  and the reports' and stats' reads (``store.db.execute``/``query``).
- plain sqlite3 on ``store.conn``: the study path, answer -> next card and the app's start.
  Importing sqlite-utils alone is a tenth of the time to the first card, and its table API
  adds per-row work on a path measured in milliseconds (bench/RESULTS.md; tests/
  test_core_imports.py checks that the study path never imports it). So the queue's queries
  (quiz.study.queue), the one writer of answers and card states (quiz.store.reviews), the
  learner lookups at start and the deck sync's upserts stay plain statements.
- migrations 1-6 keep their raw SQL as written: a migration is frozen history, and an index's
  exact expression is what later queries and tests match against.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.store.decks import DeckTable
from quiz.store.errors import StoreError, error_name, friendly_error, known_error
from quiz.store.learners import LearnerTable
from quiz.store.schema import MIGRATIONS, SCHEMA_VERSION
from quiz.store.schema_squashed import SQUASHED_VERSION, STATEMENTS

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory; pass --db a file path")
    if not path.exists():
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(
                f"cannot create folder {parent} ({e.strerror}); pass --db a writable path"
            ) from None
        if not os.access(parent, os.W_OK):
            raise StoreError(f"folder {parent} is not writable; pass --db a writable path")
        return
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise StoreError(f"cannot read {path} ({e.strerror}); check its permissions") from None
    if head and head != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a quiz database (not an SQLite file); it was left untouched: "
            "move it aside or pass --db another file"
        )


class Store(LearnerTable, DeckTable):
    """One open quiz database. Not shared across threads: open one per thread or process."""

    def __init__(self, path: Path | str, *, migrate: bool = True):
        self.path = Path(path)
        self.unsaved_writes = 0  # commits since the last checkpoint(), when checkpoints wait
        self._checkpoints_deferred = False
        _check_file(self.path)
        conn = None
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn = conn
            self._db: sqlite_utils.Database | None = None
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # One statement, so a file another process is creating right now is never seen
            # half-made (tables present, version not yet set).
            version, objects = conn.execute(
                "SELECT (SELECT user_version FROM pragma_user_version), "
                "(SELECT count(*) FROM sqlite_master)"
            ).fetchone()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer quiz (schema {version}; this quiz knows "
                    f"up to {SCHEMA_VERSION}); upgrade quiz to open it "
                    "(the file was left untouched)"
                )
            if version == 0 and objects:
                # Someone else's SQLite file (--db pointed at the wrong thing): never add our
                # tables to it or switch its journal mode.
                raise StoreError(
                    f"{self.path} is an SQLite database but not a quiz database; it was left "
                    "untouched: pass --db another file"
                )
            self._enable_wal()
            # FULL: each commit syncs the WAL to disk, so an answer survives a power cut, not
            # only a crash of quiz (its cost per answer: bench/RESULTS.md).
            conn.execute("PRAGMA synchronous = FULL")
            if migrate and version < SCHEMA_VERSION:
                self.migrate()
        except (sqlite3.Error, StoreError) as e:
            if conn is not None:
                conn.close()
            if isinstance(e, StoreError):
                raise
            raise friendly_error(self.path, e) from None

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this connection, made when first asked for: its import is a tenth of
        the time `quiz study` takes to show its first card, and the study path (plain queries
        and writes on the connection) never needs it."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- transactions and migrations ----------------------------------------------------------

    @contextmanager
    def write(self, *, derived: bool = False):
        """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a busy
        database makes us wait (busy timeout) instead of failing halfway.

        `derived`: what it writes can be made again from files (a new file's schema, decks
        synced from their YAML), so its commit does not wait for the disk (synchronous =
        NORMAL: in WAL mode a power cut may undo it, never corrupt the file, and the next
        start makes it again; the next ordinary commit's sync makes it durable anyway, the WAL
        being written in order). A first start committed five times before its first card,
        each waiting for an fdatasync; learners, answers and settings still wait for theirs."""
        conn = self.conn
        if derived:
            conn.execute("PRAGMA synchronous = NORMAL")
        try:
            with self._transaction() as tx:
                yield tx
        finally:
            if derived:
                conn.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def _transaction(self):
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise friendly_error(self.path, e) from None
        try:
            yield Transaction(self)
        except BaseException as e:
            _rollback(conn)
            # A full disk or a read-only file shows up at the first INSERT, not at BEGIN:
            # explain it in one line like every other store error.
            known = known_error(self.path, e) if isinstance(e, sqlite3.OperationalError) else None
            if known is not None:
                raise known from None
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            _rollback(conn)
            raise friendly_error(self.path, e) from None
        self.unsaved_writes += 1

    def defer_checkpoints(self) -> None:
        """Copy the WAL into the database file only when `checkpoint()` is called (the app
        does so when the learner pauses), not in whichever commit fills 1,000 WAL pages: that
        automatic checkpoint made every 60th answer or so slower, the first one by far, on the
        large bench collection (bench/RESULTS.md). Committed answers are safe in the WAL either
        way."""
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._checkpoints_deferred = True

    def checkpoint(self) -> bool:
        """Checkpoint now if deferred and anything was written since; whether it ran. PASSIVE:
        it never waits for other processes' readers or writers (a class sharing the file)."""
        if not self._checkpoints_deferred or not self.unsaved_writes:
            return False
        try:
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            return False  # busy or read-only: the next quiet moment tries again
        self.unsaved_writes = 0
        return True

    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _enable_wal(self) -> None:
        """Switch the file to WAL. The switch is a write that SQLite refuses at once with
        "database is locked", without waiting the busy timeout, when another connection is
        switching the same file (a class opening an old file together): so retry, up to the
        busy timeout, until it is done here or another process has done it."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.002
        while True:
            try:
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.conn.execute("PRAGMA journal_mode = wal")
                return
            except sqlite3.OperationalError as e:
                busy = error_name(e) in ("SQLITE_BUSY", "SQLITE_LOCKED")
                if not busy or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def migrate(self) -> None:
        """Bring the file up to SCHEMA_VERSION under one write lock: the version is read again
        once the lock is ours, so of several processes opening an old file at once exactly one
        backs it up and upgrades it, and the others wait, then find it upgraded. Each migration
        is all or nothing (a savepoint); if one fails, the ones before it are kept. A new file
        gets the squashed schema at once, in the same transaction."""
        conn = self.conn
        failed: BaseException | None = None
        # A new file's schema can be made again (the file is empty until this commits); an
        # upgrade of a file with data in it waits for the disk as every write does.
        new_file = self.version() == 0
        with self.write(derived=new_file):
            version = self.version()
            if version >= SCHEMA_VERSION:
                return  # another process upgraded it while we waited for the lock
            if version > 0:
                self._backup_before_migrating(version)
            elif SQUASHED_VERSION <= SCHEMA_VERSION:
                # A new file: the squashed schema in one step (quiz.store.schema_squashed),
                # without sqlite-utils; the migrations after it, if any, as usual.
                for sql in STATEMENTS:
                    conn.execute(sql)
                conn.execute(f"PRAGMA user_version = {SQUASHED_VERSION}")
                version = SQUASHED_VERSION
            for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
                conn.execute("SAVEPOINT migration")
                try:
                    step(self.db)
                    self.db.execute(f"PRAGMA user_version = {number}")
                except BaseException as e:
                    if not conn.in_transaction:
                        raise  # SQLite undid the whole transaction (disk full...): nothing kept
                    conn.execute("ROLLBACK TO migration")
                    conn.execute("RELEASE migration")
                    failed = e
                    break
                conn.execute("RELEASE migration")
        if failed is not None:  # raised after the commit of the steps that succeeded
            raise failed

    def _backup_before_migrating(self, version: int) -> None:
        """`<db>.v<N>.bak`, never replacing an older one (a second name instead). Called by
        migrate() holding the write lock, so nobody can change the file during the copy."""
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        n = 2
        while True:
            try:  # claim the name atomically: never replace a file that is there
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                break
            except FileExistsError:
                target = self.path.with_name(f"{self.path.name}.v{version}-{n}.bak")
                n += 1
            except OSError as e:
                raise StoreError(
                    f"cannot write the backup {target.name} that comes before upgrading "
                    f"{self.path} "
                    f"({e.strerror}); make its folder writable (the file was left untouched)"
                ) from None
        try:
            # Our own connection is in a write transaction, which SQLite's backup cannot read
            # from: copy through a second connection, which sees the last commit (version N).
            source = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                dest = sqlite3.connect(str(target))
                try:
                    source.backup(dest)
                    copied = dest.execute("PRAGMA user_version").fetchone()[0]
                finally:
                    dest.close()
            finally:
                source.close()
        except BaseException:
            target.unlink(missing_ok=True)  # no half-made backup left looking like a good one
            raise
        if copied != version:  # cannot happen under the lock; never upgrade without a true copy
            target.unlink(missing_ok=True)
            raise StoreError(
                f"the backup of {self.path} came out at schema {copied}, not {version}; try again "
                "(the file was left untouched)"
            )

    # -- settings -----------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        if self.get_meta(key) == value:
            return  # no write (and no wait for the write lock) when nothing changes
        with self.write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    # -- helpers ------------------------------------------------------------------------------

    def rows(self, sql: str, params=()):
        """Rows as dicts (column -> value), as sqlite-utils' query() gives them."""
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    def one(self, sql: str, params=()) -> dict | None:
        for row in self.rows(sql, params):
            return row
        return None

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None


class Transaction:
    """What Store.write() hands out: execute() straight on the connection (the study path's
    writes need no sqlite-utils), anything else from sqlite-utils' Database."""

    def __init__(self, store: Store):
        self._store = store
        self.conn = store.conn

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def __getattr__(self, name: str):
        return getattr(self._store.db, name)

    def __getitem__(self, table: str):
        """A sqlite-utils Table; its writes nest in this transaction as savepoints."""
        return self._store.db[table]


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite already rolled back (e.g. after SQLITE_FULL); the original error matters


def open_store(path: Path | str | None = None) -> Store:
    from quiz.paths import default_db_path

    return Store(Path(path) if path else default_db_path())
