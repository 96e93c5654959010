"""SQLite storage through sqlite-utils: opening safely, numbered migrations, and the queries.

Every write goes through ``Store.write()``, one ``BEGIN IMMEDIATE`` transaction: an answer is on
disk when the block exits, and concurrent writers queue on the busy timeout instead of failing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.deck import Card, Deck, Source

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 60_000
SQLITE_HEADER = b"SQLite format 3\x00"
ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


class StoreError(Exception):
    """A store problem explained in one line, with what to do about it."""


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    """A fixed-width UTC timestamp, so text order is time order in SQL."""
    return dt.astimezone(timezone.utc).strftime(ISO)


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, ISO).replace(tzinfo=timezone.utc)


def new_uid() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------------------------------
# Migrations: append only. Each bumps PRAGMA user_version, all or nothing (see Store.migrate).

def _m1_initial(db: sqlite_utils.Database) -> None:
    statements = [
        """CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL,
            retention REAL NOT NULL DEFAULT 0.9,
            new_per_day INTEGER NOT NULL DEFAULT 20,
            time_factor REAL NOT NULL DEFAULT 1.0,
            removed_at TEXT
        )""",
        """CREATE TABLE decks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            synced_at TEXT NOT NULL
        )""",
        """CREATE TABLE cards (
            deck_id TEXT NOT NULL REFERENCES decks(id),
            card_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            data TEXT NOT NULL,
            removed_at TEXT,
            PRIMARY KEY (deck_id, card_id)
        )""",
        """CREATE TABLE card_state (
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            state INTEGER,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            first_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            suspended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (learner_id, deck_id, card_id),
            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)
        )""",
        """CREATE TABLE drills (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            decks TEXT NOT NULL,
            count INTEGER NOT NULL,
            seed TEXT NOT NULL,
            time_limit REAL,
            feedback TEXT NOT NULL DEFAULT 'now',
            count_in_study INTEGER NOT NULL DEFAULT 0,
            questions TEXT NOT NULL DEFAULT '[]'
        )""",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER,
            given TEXT,
            correct INTEGER,
            duration_ms INTEGER,
            reviewed_at TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('study', 'drill')),
            drill_id INTEGER REFERENCES drills(id),
            state_before TEXT,
            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)
        )""",
        # "What is due for this learner": the study queue and the home counts.
        "CREATE INDEX card_state_due ON card_state (learner_id, due)",
        # Reports and stats: a learner's history, a drill's answers, a card's answers.
        "CREATE INDEX reviews_learner_time ON reviews (learner_id, reviewed_at)",
        "CREATE INDEX reviews_drill ON reviews (drill_id, learner_id)",
        "CREATE INDEX reviews_card ON reviews (deck_id, card_id)",
        "CREATE INDEX cards_position ON cards (deck_id, position)",
    ]
    for sql in statements:
        db.execute(sql)


def _m2_meta(db: sqlite_utils.Database) -> None:
    # Small app-wide settings, e.g. the learner the home screen opens with.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _m3_stats_index(db: sqlite_utils.Database) -> None:
    # Stats' true retention and time spent read every review of a learner; with this index they
    # read only the index (about 10x faster on a million reviews). The expression is frozen here
    # as written: it must stay identical to quiz.stats.MATURE_SQL (a test checks the plan).
    db.execute(
        "CREATE INDEX IF NOT EXISTS reviews_learner_stats ON reviews (learner_id, deck_id, rating, "
        "coalesce(CASE WHEN json_valid(state_before) THEN strftime('%s', json_extract(state_before, "
        "'$.state.due')) - strftime('%s', json_extract(state_before, '$.state.last_review')) "
        ">= 1814400 END, 0), duration_ms)"
    )


def _m4_queue_and_report_indexes(db: sqlite_utils.Database) -> None:
    # bench/RESULTS.md has the query plans before and after each.
    # "New cards started today" runs several times per answer: 20 ms -> 0.004 ms at 100k cards.
    db.execute("CREATE INDEX card_state_first_review ON card_state (learner_id, first_review)")
    # quiz report's drill and study summaries read only these (0.9 s -> 0.2 s at 1M reviews).
    db.execute(
        "CREATE INDEX reviews_drill_answers ON reviews "
        "(learner_id, drill_id, deck_id, card_id, reviewed_at, correct) WHERE mode = 'drill'"
    )
    db.execute(
        "CREATE INDEX reviews_study_cards ON reviews (learner_id, deck_id, card_id, rating) "
        "WHERE mode = 'study'"
    )


def _m5_count_indexes(db: sqlite_utils.Database) -> None:
    # The home counts and the study screen's cards left (quiz.scheduler.DECK_COUNTS and what
    # follows it) count ranges of these instead of joining every card with its state: at 100k
    # cards and 35k states, about 130 ms -> 10 ms and 80 ms -> 15 ms (bench/versus_anki.py);
    # tests/test_scheduler_counts.py checks the plans.
    # Learning cards and due reviews per learner and deck, read from the index alone. A
    # suspended card is never counted: without its rows the index is smaller, and the stats'
    # query of states reads the suspended ones from the table (quiz.stats.STATES_SQL).
    db.execute(
        "CREATE INDEX card_state_queue ON card_state (learner_id, deck_id, state, due, "
        "suspended, buried_until, last_review, card_id) WHERE suspended = 0"
    )
    # Rows of cards not yet reviewed (buried or suspended before their first answer): few.
    db.execute(
        "CREATE INDEX card_state_unseen ON card_state (learner_id, last_review, deck_id, "
        "suspended, buried_until) WHERE last_review IS NULL"
    )
    # Cards removed from their decks (few): counted, and their rows taken out of the counts.
    db.execute(
        "CREATE INDEX cards_removed ON cards (deck_id, card_id) WHERE removed_at IS NOT NULL"
    )


def _m6_study_card_totals(db: sqlite_utils.Database) -> None:
    # Per learner and card, how many study reviews and how many passed, kept by triggers as
    # reviews come and go: the report's learner lines (quiz.report.learner_summaries) read
    # these 142,000 rows instead of grouping 850,000 study reviews each time (the report's
    # overview at the large bench size: 300 -> 105 ms). INSERT OR IGNORE of a review already
    # there fires nothing.
    db.execute("""CREATE TABLE study_card_totals (
        learner_id INTEGER NOT NULL, deck_id TEXT NOT NULL, card_id TEXT NOT NULL,
        reviews INTEGER NOT NULL, passed INTEGER NOT NULL,
        PRIMARY KEY (learner_id, deck_id, card_id)) WITHOUT ROWID""")
    db.execute("""INSERT INTO study_card_totals
        SELECT learner_id, deck_id, card_id, count(*), count(*) FILTER (WHERE rating > 1)
        FROM reviews WHERE mode = 'study' GROUP BY learner_id, deck_id, card_id""")
    passed = "(coalesce({row}.rating, 0) > 1)"  # (a review may lack a rating: not passed)
    add = f"""INSERT INTO study_card_totals VALUES (NEW.learner_id, NEW.deck_id, NEW.card_id, 1,
                  {passed.format(row="NEW")})
              ON CONFLICT DO UPDATE SET reviews = reviews + 1,
                  passed = passed + {passed.format(row="NEW")};"""
    take = f"""UPDATE study_card_totals SET reviews = reviews - 1,
                   passed = passed - {passed.format(row="OLD")}
               WHERE learner_id = OLD.learner_id AND deck_id = OLD.deck_id
                 AND card_id = OLD.card_id;
               DELETE FROM study_card_totals WHERE learner_id = OLD.learner_id
                 AND deck_id = OLD.deck_id AND card_id = OLD.card_id AND reviews <= 0;"""
    db.execute(f"CREATE TRIGGER study_card_totals_add AFTER INSERT ON reviews "
               f"WHEN NEW.mode = 'study' BEGIN {add} END")
    db.execute(f"CREATE TRIGGER study_card_totals_take AFTER DELETE ON reviews "
               f"WHEN OLD.mode = 'study' BEGIN {take} END")
    # Nothing updates reviews today; should anything ever, the totals follow.
    db.execute(f"CREATE TRIGGER study_card_totals_move_out AFTER UPDATE ON reviews "
               f"WHEN OLD.mode = 'study' BEGIN {take} END")
    db.execute(f"CREATE TRIGGER study_card_totals_move_in AFTER UPDATE ON reviews "
               f"WHEN NEW.mode = 'study' BEGIN {add} END")
    # Its one reader was that grouping: one index fewer to write at every answer.
    db.execute("DROP INDEX IF EXISTS reviews_study_cards")


MIGRATIONS = [_m1_initial, _m2_meta, _m3_stats_index, _m4_queue_and_report_indexes,
              _m5_count_indexes, _m6_study_card_totals]
SCHEMA_VERSION = len(MIGRATIONS)


# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Learner:
    id: int
    uid: str
    name: str
    retention: float = 0.9
    new_per_day: int = 20
    time_factor: float = 1.0
    removed_at: str | None = None


@dataclass(frozen=True)
class CardState:
    """A learner's FSRS state for one card, in the columns it is stored in."""

    state: int | None = None
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: str | None = None
    last_review: str | None = None
    first_review: str | None = None
    reps: int = 0
    lapses: int = 0
    buried_until: str | None = None
    suspended: int = 0

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_row(cls, row: dict | None) -> "CardState":
        if not row:
            return cls()
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory; pass --db a file path")
    if not path.exists():
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create folder {parent} ({e.strerror}); pass --db a writable path") from None
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


def _known(path: Path, e: sqlite3.Error) -> StoreError | None:
    """The one-line explanation of an error that comes from the file or the disk, or None
    for anything else (a bug in our SQL should keep its traceback)."""
    text = str(e).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only; make it (and its folder) writable or pass --db another file")
    if "disk is full" in text or "full" in text:
        return StoreError(f"the disk holding {path} is full; free some space and try again (nothing was lost)")
    if "disk i/o error" in text:
        return StoreError(f"could not write {path} (disk I/O error); check free space, quotas and the "
                          "disk, then try again (the last change was not saved)")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"{path} is damaged ({e}); run 'quiz doctor' or restore a backup")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} is busy in another program for too long; try again")
    if "unable to open" in text:
        return StoreError(f"cannot open {path}; check the path and its folder's permissions")
    return None


def _friendly(path: Path, e: sqlite3.Error) -> StoreError:
    return _known(path, e) or StoreError(f"{path}: {e}")


class Store:
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
                    f"up to {SCHEMA_VERSION}); upgrade quiz to open it (the file was left untouched)"
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
            # only a crash of quiz (0.2 ms per answer on the bench machine, bench/RESULTS.md).
            conn.execute("PRAGMA synchronous = FULL")
            if migrate and version < SCHEMA_VERSION:
                self.migrate()
        except (sqlite3.Error, StoreError) as e:
            if conn is not None:
                conn.close()
            if isinstance(e, StoreError):
                raise
            raise _friendly(self.path, e) from None

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
    def write(self):
        """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a busy
        database makes us wait (busy timeout) instead of failing halfway."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _friendly(self.path, e) from None
        try:
            yield Transaction(self)
        except BaseException as e:
            _rollback(conn)
            # A full disk or a read-only file shows up at the first INSERT, not at BEGIN:
            # explain it in one line like every other store error.
            known = _known(self.path, e) if isinstance(e, sqlite3.OperationalError) else None
            if known is not None:
                raise known from None
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            _rollback(conn)
            raise _friendly(self.path, e) from None
        self.unsaved_writes += 1

    def defer_checkpoints(self) -> None:
        """Copy the WAL into the database file only when `checkpoint()` is called (the app
        does so when the learner pauses), not in whichever commit fills 1,000 WAL pages: that
        automatic checkpoint made every 60th answer or so 12 ms slower, and the first one
        270 ms, on the large bench collection. Committed answers are safe in the WAL either way."""
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
                text = str(e).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def migrate(self) -> None:
        """Bring the file up to SCHEMA_VERSION under one write lock: the version is read again
        once the lock is ours, so of several processes opening an old file at once exactly one
        backs it up and upgrades it, and the others wait, then find it upgraded. Each migration
        is all or nothing (a savepoint); if one fails, the ones before it are kept."""
        conn = self.conn
        failed: BaseException | None = None
        with self.write():
            version = self.version()
            if version >= SCHEMA_VERSION:
                return  # another process upgraded it while we waited for the lock
            if version > 0:
                self._backup_before_migrating(version)
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
                    f"cannot write the backup {target.name} that comes before upgrading {self.path} "
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

    # -- learners -----------------------------------------------------------------------------

    def learner(self, name: str, *, create: bool = True) -> Learner | None:
        row = self._one("SELECT * FROM learners WHERE name = ?", [name])
        if row is None and create:
            with self.write() as db:
                db.execute(
                    "INSERT OR IGNORE INTO learners (uid, name, created_at) VALUES (?, ?, ?)",
                    [new_uid(), name, iso(now_utc())],
                )
            row = self._one("SELECT * FROM learners WHERE name = ?", [name])
        return _learner(row) if row else None

    def learner_by_id(self, learner_id: int) -> Learner | None:
        row = self._one("SELECT * FROM learners WHERE id = ?", [learner_id])
        return _learner(row) if row else None

    def learners(self, *, include_removed: bool = False) -> list[Learner]:
        where = "" if include_removed else "WHERE removed_at IS NULL"
        return [_learner(r) for r in self.rows(f"SELECT * FROM learners {where} ORDER BY name")]

    def update_learner(self, learner_id: int, **fields) -> None:
        allowed = {"name", "retention", "new_per_day", "time_factor", "removed_at"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown learner fields {bad}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.write() as db:
            db.execute(f"UPDATE learners SET {sets} WHERE id = ?", [*fields.values(), learner_id])

    def purge_learner(self, learner_id: int) -> None:
        with self.write() as db:
            for table in ("reviews", "card_state"):
                db.execute(f"DELETE FROM {table} WHERE learner_id = ?", [learner_id])
            db.execute("DELETE FROM learners WHERE id = ?", [learner_id])

    # -- decks --------------------------------------------------------------------------------

    def deck_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, content_hash FROM decks").fetchall())

    def sync_decks(self, decks: list[Deck]) -> int:
        """Bring the cards table in line with the decks; returns how many decks changed.

        Cards are keyed by (deck id, card id): editing a card's text keeps its progress, and a
        card removed from its deck is only marked removed, so its history stays reportable."""
        known = self.deck_hashes()
        changed = [d for d in decks if known.get(d.id) != d.content_hash or not d.content_hash]
        if not changed:
            return 0
        stamp = iso(now_utc())
        with self.write() as db:
            for deck in changed:
                db.execute(
                    """INSERT INTO decks (id, title, description, path, content_hash, synced_at)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(id) DO UPDATE SET title=excluded.title,
                         description=excluded.description, path=excluded.path,
                         content_hash=excluded.content_hash, synced_at=excluded.synced_at""",
                    [deck.id, deck.title, deck.description, deck.path, deck.content_hash, stamp],
                )
                db.conn.executemany(
                    """INSERT INTO cards (deck_id, card_id, position, type, prompt, answer, data, removed_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
                       ON CONFLICT(deck_id, card_id) DO UPDATE SET position=excluded.position,
                         type=excluded.type, prompt=excluded.prompt, answer=excluded.answer,
                         data=excluded.data, removed_at=NULL""",
                    [
                        (deck.id, c.id, i, c.type, c.prompt, c.answer_text(), card_json(c))
                        for i, c in enumerate(deck.cards)
                    ],
                )
                keep = [c.id for c in deck.cards]
                db.execute(
                    "UPDATE cards SET removed_at = ? WHERE deck_id = ? AND removed_at IS NULL "
                    "AND card_id NOT IN (SELECT value FROM json_each(?))",
                    [stamp, deck.id, json.dumps(keep)],
                )
        return len(changed)

    def deck_rows(self) -> list[dict]:
        return list(self.rows("SELECT * FROM decks ORDER BY title"))

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

    def _one(self, sql: str, params=()) -> dict | None:
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


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite already rolled back (e.g. after SQLITE_FULL); the original error matters


def card_json(card: Card) -> str:
    data = {
        "id": card.id, "type": card.type, "prompt": card.prompt, "answer": card.answer,
        "explanation": card.explanation, "accept": list(card.accept),
        "choices": list(card.choices), "tags": list(card.tags),
    }
    if card.source is not None:
        data["source"] = {k: v for k, v in card.source.__dict__.items() if v is not None}
    return json.dumps(data, ensure_ascii=False)


def card_from_json(text: str) -> Card:
    """The inverse of card_json (the YAML line number is not stored: it is 0)."""
    data = json.loads(text)
    src = data.get("source")
    return Card(
        id=data["id"], type=data["type"], prompt=data["prompt"], answer=data.get("answer"),
        explanation=data.get("explanation") or "", accept=tuple(data.get("accept") or ()),
        choices=tuple(data.get("choices") or ()), tags=tuple(data.get("tags") or ()),
        source=Source(src.get("article"), src.get("quote"), src.get("imported")) if src else None,
    )


def _learner(row: dict) -> Learner:
    return Learner(
        id=row["id"], uid=row["uid"], name=row["name"], retention=row["retention"],
        new_per_day=row["new_per_day"], time_factor=row["time_factor"], removed_at=row["removed_at"],
    )


def open_store(path: Path | str | None = None) -> Store:
    from quiz.paths import default_db_path

    return Store(Path(path) if path else default_db_path())


def start_of_next_day(moment: datetime) -> datetime:
    """Local midnight after `moment`, in UTC: when buried cards come back."""
    local = moment.astimezone()
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
