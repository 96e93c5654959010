"""Every committed fixture store (one per past schema version) upgrades with its data intact."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.content.deck import Card, Deck, Source
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.store.doctor import diagnose
from quiz.store.schema import MIGRATIONS, SCHEMA_VERSION
from quiz.study.session import StudySession

FIXTURES = Path(__file__).parent / "fixtures"
STORES = FIXTURES / "stores"
_spec = importlib.util.spec_from_file_location("make_stores", FIXTURES / "make_stores.py")
make_stores = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_stores)

VERSIONS = sorted(int(p.stem[1:]) for p in STORES.glob("v*.db"))


def test_a_fixture_exists_for_every_past_schema_version():
    assert VERSIONS == list(range(1, SCHEMA_VERSION)), (
        "run `python tests/fixtures/make_stores.py` after appending a migration, "
        "and commit the new file"
    )


def rows(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(params=VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def old_store(request, tmp_path) -> tuple[int, Path]:
    version = request.param
    path = tmp_path / "quiz.db"
    shutil.copyfile(STORES / f"v{version}.db", path)
    assert rows(path, "PRAGMA user_version") == [(version,)]
    return version, path


def test_upgrade_keeps_every_row(old_store):
    version, path = old_store
    original = path.read_bytes()
    with Store(path) as store:
        assert store.version() == SCHEMA_VERSION
        for table, n in make_stores.EXPECTED_ROWS.items():
            assert store.scalar(f"SELECT count(*) FROM {table}") == n, table
        # a few exact values
        names = [r["name"] for r in store.db.query("SELECT name FROM learners ORDER BY id")]
        assert names == ["ann", "Bob [bold]", "gone"]
        bob = store.learner("BOB [BOLD]", create=False)  # NOCASE survived
        assert (bob.id, bob.retention, bob.new_per_day, bob.time_factor) == (2, 0.85, 10, 1.5)
        state = store.one("SELECT * FROM card_state WHERE learner_id = 1 AND card_id = 'c1'")
        assert (state["state"], state["stability"], state["difficulty"], state["reps"]) == (
            2,
            3.1262,
            5.3146,
            3,
        )
        assert state["due"] == "2025-01-08T08:00:00.000000Z"
        review = store.one("SELECT * FROM reviews WHERE uid = ?", ["r5" + "0" * 30])
        assert (review["mode"], review["drill_id"], review["given"], review["correct"]) == (
            "drill",
            1,
            "Etorofu",
            1,
        )
        drill = store.one("SELECT * FROM drills WHERE id = 1")
        assert (drill["seed"], drill["count"], drill["time_limit"]) == ("seed-42", 2, 30.0)
        assert store.one("SELECT removed_at FROM cards WHERE card_id = 'old'")["removed_at"]
        if version >= 2:
            assert store.get_meta("last_learner") == "ann"
        # The report's per-card study totals (migration 6) start from the reviews already there.
        assert (
            store.db.execute("SELECT * FROM study_card_totals ORDER BY 1, 2, 3").fetchall()
            == store.db.execute("""SELECT learner_id, deck_id, card_id, count(*),
                                       count(*) FILTER (WHERE rating > 1) FROM reviews
                                WHERE mode = 'study' GROUP BY 1, 2, 3
                                ORDER BY 1, 2, 3""").fetchall()
        )
        assert store.scalar("SELECT count(*) FROM study_card_totals") > 0
    # The automatic backup holds the file exactly as it was, at its old version.
    bak = path.with_name(f"{path.name}.v{version}.bak")
    assert bak.exists()
    assert rows(bak, "PRAGMA user_version") == [(version,)]
    assert rows(bak, "SELECT count(*) FROM reviews") == [(len(make_stores.REVIEWS),)]
    assert rows(bak, "PRAGMA integrity_check") == [("ok",)]
    assert original != path.read_bytes()  # the upgraded file is the one that changed
    assert diagnose(path).ok, [f.text for f in diagnose(path).problems]


def test_upgrade_runs_once_and_the_bak_is_not_redone(old_store):
    version, path = old_store
    Store(path).close()
    bak = path.with_name(f"{path.name}.v{version}.bak")
    stamp = bak.stat().st_mtime_ns
    with Store(path) as store:  # second open: nothing to migrate, no new backup
        assert store.version() == SCHEMA_VERSION
    assert bak.stat().st_mtime_ns == stamp


def test_upgraded_store_studies(old_store):
    """The old rows still drive the scheduler: ann's c2 is due, and an answer lands."""
    path = old_store[1]
    source = Source("thorn-in-ties", "what the Japanese call their Northern Territories")
    cards = tuple(
        Card(id=cid, type="typed", prompt=prompt, answer=answer, explanation="E.", source=source)
        for cid, _pos, _t, prompt, answer, removed in make_stores.CARDS
        if removed is None
    )
    deck = Deck("fixture-deck", "Fixture deck", "", ("thorn-in-ties",), cards, "x.yaml", "new-hash")
    now = datetime(2025, 1, 7, 12, 0, tzinfo=UTC)
    with Store(path) as store:
        sync_decks(store, [deck])
        ann = store.learner("ann", create=False)
        session = StudySession(store, ann, [deck], clock=lambda: now)
        item = session.next_item()
        assert (item.card.id, item.is_new) == ("c2", False)  # the learning card, overdue
        assert item.state.stability == 0.4072
        review_id = session.answer(
            item, session.previews(item)[3], given="Etorofu", correct=True, duration_ms=1000
        )
        assert store.scalar("SELECT card_id FROM reviews WHERE id = ?", [review_id]) == "c2"
        assert store.scalar("SELECT count(*) FROM reviews") == len(make_stores.REVIEWS) + 1


def test_make_stores_is_rerunnable(tmp_path, monkeypatch):
    monkeypatch.setattr(make_stores, "STORES", tmp_path)
    assert make_stores.main([]) == 0
    made = sorted(p.name for p in tmp_path.glob("v*.db"))
    assert made == [f"v{v}.db" for v in range(1, SCHEMA_VERSION)]
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.glob("v*.db")}
    assert make_stores.main([]) == 0  # existing fixtures are left alone
    assert stamps == {p: p.stat().st_mtime_ns for p in tmp_path.glob("v*.db")}
    # and a rebuild gives the same rows as the committed fixtures
    for name in made:
        ours = rows(
            tmp_path / name,
            "SELECT uid, learner_id, card_id, rating, reviewed_at FROM reviews ORDER BY uid",
        )
        committed = rows(
            STORES / name,
            "SELECT uid, learner_id, card_id, rating, reviewed_at FROM reviews ORDER BY uid",
        )
        assert ours == committed


def test_every_migration_on_an_empty_store(tmp_path):
    with Store(tmp_path / "new.db") as store:
        assert store.version() == SCHEMA_VERSION == len(MIGRATIONS)
    assert not list(tmp_path.glob("*.bak"))  # a new file needs no backup


def test_a_failed_migration_leaves_the_file_at_its_old_version(old_store, monkeypatch):
    path = old_store[1]
    from quiz.store import connection as store_module

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        Store(path)
    # every earlier step committed on its own; the broken one left nothing behind
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    assert rows(path, "SELECT count(*) FROM reviews") == [(len(make_stores.REVIEWS),)]


def test_an_older_bak_is_never_replaced(old_store):
    version, path = old_store
    older = path.with_name(f"{path.name}.v{version}.bak")
    older.write_bytes(b"an earlier backup the user keeps")
    Store(path).close()
    assert older.read_bytes() == b"an earlier backup the user keeps"
    second = path.with_name(f"{path.name}.v{version}-2.bak")
    assert rows(second, "PRAGMA user_version") == [(version,)]
    assert rows(second, "SELECT count(*) FROM reviews") == [(len(make_stores.REVIEWS),)]


def test_the_rebuilt_reviews_table_keeps_its_indexes_and_triggers(tmp_path):
    # Migration 9 rebuilds reviews to widen its mode CHECK: whatever v8 had on the table must
    # be there again, and the study totals must still follow new study rows (not cram ones).
    path = tmp_path / "quiz.db"
    shutil.copyfile(STORES / "v8.db", path)
    before = set(
        rows(
            path,
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reviews'"
            " AND type IN ('index', 'trigger')",
        )
    )
    with Store(path) as store:
        after = {
            (r["type"], r["name"], r["sql"])
            for r in store.rows(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reviews' "
                "AND type IN ('index', 'trigger')"
            )
        }
        # (less what migration 10 adds on top: an index of its own)
        assert {x for x in after if x[1] != "reviews_cram_reset"} == before
        totals = store.scalar("SELECT sum(reviews) FROM study_card_totals")
        with store.write() as db:
            for n, mode in enumerate(("study", "cram", "reset")):
                db.execute(
                    "INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, reviewed_at,"
                    " mode) VALUES (?, 1, 'fixture-deck', 'c1', 3, '2025-03-01T00:00:00Z', ?)",
                    [f"m9-{n}", mode],
                )
        assert store.scalar("SELECT sum(reviews) FROM study_card_totals") == totals + 1
        with pytest.raises(sqlite3.IntegrityError), store.write() as db:
            db.execute(
                "INSERT INTO reviews (uid, learner_id, deck_id, card_id, reviewed_at, mode) "
                "VALUES ('m9-x', 1, 'fixture-deck', 'c1', '2025-03-01T00:00:00Z', 'other')"
            )
