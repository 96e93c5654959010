"""Store: write transactions, errors in one line, and files that are not ours left alone."""

from __future__ import annotations

import sqlite3

import pytest

from quiz.store.connection import Store
from quiz.store.errors import StoreError
from quiz.store.schema import SCHEMA_VERSION


def test_write_commits_once_and_rolls_back_on_error(store):
    with store.write() as db:
        db.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    assert store.get_meta("a") == "1"
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
        raise RuntimeError("the caller fails halfway")
    assert store.get_meta("b") is None
    assert not store.db.conn.in_transaction


def test_constraint_errors_stay_what_they_are(store):
    """A caller may catch IntegrityError (a duplicate, say); only file/disk errors become
    StoreError."""
    with pytest.raises(sqlite3.IntegrityError), store.write() as db:
        db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        db.execute("INSERT INTO meta (key, value) VALUES ('k', 'w')")
    assert store.get_meta("k") is None
    # a bug in our SQL keeps its own error (and traceback): SQLite's, not turned into StoreError
    with pytest.raises(sqlite3.OperationalError) as raised, store.write() as db:
        db.execute("INSERT INTO nowhere VALUES (1)")
    assert not isinstance(raised.value, StoreError)


def test_a_read_only_connection_fails_in_one_line(store):
    """SQLITE_READONLY at the first INSERT (not at BEGIN) is explained like every store error."""
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(
        StoreError, match="is read-only; make it .* writable or pass --db another file"
    ):
        store.learner("bob")
    store.db.execute("PRAGMA query_only = OFF")
    assert store.learner("bob").name == "bob"


def test_someone_elses_sqlite_file_is_left_alone(tmp_path):
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for migrate in (True, False):
        with pytest.raises(StoreError, match="not a quiz database; it was left untouched"):
            Store(path, migrate=migrate)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]


def test_a_refused_file_is_closed(tmp_path):
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer quiz"):
        Store(path)
    path.unlink()  # nothing holds it open (Windows would refuse otherwise; here: no leaked handle)
    with Store(path) as fresh:
        assert fresh.version() == SCHEMA_VERSION


def test_each_commit_is_synced_to_disk(store):
    """synchronous=FULL: an answer committed survives a power cut, not only a crash of quiz."""
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_deferred_checkpoints_run_only_when_asked(store, tmp_path):
    store.defer_checkpoints()
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    store.checkpoint()  # what the fixture wrote
    assert not store.checkpoint()  # nothing written since
    for i in range(3):
        with store.write() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", [f"k{i}"])
    assert store.unsaved_writes == 3
    assert store.checkpoint()
    assert store.unsaved_writes == 0 and not store.checkpoint()
    # Everything committed is there for another connection, checkpointed or not.
    other = Store(store.path)
    try:
        assert [other.get_meta(f"k{i}") for i in range(3)] == ["x"] * 3
    finally:
        other.close()


def test_checkpoints_stay_automatic_unless_deferred(store):
    with store.write() as db:
        db.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert not store.checkpoint()  # SQLite's own, every 1,000 pages


def test_derived_writes_leave_every_other_commit_waiting_for_the_disk(tmp_path, catalog):
    """A new file's schema and the deck syncs commit with synchronous = NORMAL (they can be
    made again from files); afterwards, and after one that fails, commits are FULL again."""
    from quiz.content.deck_sync import sync_decks

    def synchronous(s):
        return s.conn.execute("PRAGMA synchronous").fetchone()[0]

    s = Store(tmp_path / "new.db")
    assert synchronous(s) == 2  # FULL
    sync_decks(s, catalog.decks)
    assert synchronous(s) == 2 and s.scalar("SELECT count(*) FROM cards") > 0
    with pytest.raises(RuntimeError), s.write(derived=True):
        assert synchronous(s) == 1  # NORMAL
        raise RuntimeError
    assert synchronous(s) == 2
    s.close()
