"""A class on one file: 30 processes answer 200 cards each at the same moment.

Half of each process's answers go through `StudySession.answer` (review row + card state in one
transaction), half are drill answers (a reviews row with mode='drill' and the drill's id, written
with `store.write()`). Every answer must land exactly once, and no process may see an error:
WAL plus BEGIN IMMEDIATE plus the busy timeout make writers queue instead of failing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.store.times import iso, new_uid, now_utc

PROCESSES = 30
ANSWERS = 200

WORKER = r"""
import json, random, sys, time
started = time.monotonic()
errors, uids = [], []
try:
    from quiz.content.catalog import load_catalog
    from quiz.study.session import StudySession
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store
    from quiz.store.times import iso, new_uid, now_utc

    db, index, count, drill_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    start_at = float(sys.argv[5])
    decks = load_catalog().decks
    cards = [(d.id, c.id) for d in decks for c in d.cards]
    rng = random.Random(index)
    while time.time() < start_at:  # everyone starts together
        time.sleep(0.002)
    store = Store(db)
    sync_decks(store, decks)
    learner = store.learner(f"learner {index:02d}")
    store.update_learner(learner.id, new_per_day=10_000)
    learner = store.learner(f"learner {index:02d}")
    session = StudySession(store, learner, decks)
    for k in range(count):
        try:
            if k % 2 == 0:
                item = session.next_item()
                rating = rng.choice((1, 3, 3, 4))
                rid = session.answer(item, session.previews(item)[rating], given="x",
                                     correct=rating > 1, duration_ms=rng.randrange(1000, 9000))
                uids.append(store.scalar("SELECT uid FROM reviews WHERE id = ?", [rid]))
            else:
                deck_id, card_id = rng.choice(cards)
                uid = new_uid()
                with store.write() as w:
                    w.execute(
                        "INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, given,"
                        " correct, duration_ms, reviewed_at, mode, drill_id)"
                        " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 'drill', ?)",
                        [uid, learner.id, deck_id, card_id, "y", rng.randrange(2), 4000,
                         iso(now_utc()), drill_id])
                uids.append(uid)
        except Exception as e:
            errors.append(f"answer {k}: {type(e).__name__}: {e}")
except Exception as e:
    errors.append(f"setup: {type(e).__name__}: {e}")
print(json.dumps({"uids": uids, "errors": errors, "seconds": time.monotonic() - started}))
"""


def test_thirty_processes_lose_and_duplicate_nothing(tmp_path, catalog):
    db = tmp_path / "class.db"
    with Store(db) as store:  # the teacher opens the drill before the class starts
        sync_decks(store, catalog.decks)
        with store.write() as w:
            drill_id = w.execute(
                "INSERT INTO drills (uid, created_at, decks, count, seed) VALUES (?, ?, ?, ?, ?)",
                [
                    new_uid(),
                    iso(now_utc()),
                    json.dumps([d.id for d in catalog.decks]),
                    ANSWERS // 2,
                    "s",
                ],
            ).lastrowid
    start_at = time.time() + 1.5  # time for all interpreters to start and import
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(db),
                str(i),
                str(ANSWERS),
                str(drill_id),
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
        assert "locked" not in err and "busy" not in err, err
        reports.append(json.loads(out))
    elapsed = time.monotonic() - started

    errors = [e for r in reports for e in r["errors"]]
    assert errors == [], errors[:5]  # no "database is locked" (or anything else) reached anyone
    shown = [u for r in reports for u in r["uids"]]
    assert len(shown) == len(set(shown)) == PROCESSES * ANSWERS

    with Store(db) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("SELECT count(*) FROM reviews") == PROCESSES * ANSWERS
        assert store.scalar("SELECT count(DISTINCT uid) FROM reviews") == PROCESSES * ANSWERS
        stored = {r["uid"] for r in store.db.query("SELECT uid FROM reviews")}
        assert stored == set(shown)
        per_learner = list(
            store.db.query(
                """SELECT learner_id, sum(mode = 'study') AS study, sum(mode = 'drill') AS drill,
                      sum(mode = 'drill' AND drill_id = ?) AS in_drill
               FROM reviews GROUP BY learner_id""",
                [drill_id],
            )
        )
        assert len(per_learner) == PROCESSES
        for row in per_learner:
            assert (row["study"], row["drill"], row["in_drill"]) == (
                ANSWERS // 2,
                ANSWERS // 2,
                ANSWERS // 2,
            )
        # every study answer moved its card's state in the same transaction
        assert store.scalar("SELECT sum(reps) FROM card_state") == PROCESSES * ANSWERS // 2
        assert store.scalar("SELECT count(*) FROM learners") == PROCESSES
    slowest = max(r["seconds"] for r in reports)
    print(
        f"\nconcurrency: {PROCESSES} processes x {ANSWERS} answers = {len(shown)} rows in "
        f"{elapsed:.1f}s (slowest process {slowest:.1f}s)",
        file=sys.stderr,
    )


OPEN = r"""
import sys, time
from quiz.store.connection import Store
from quiz.store.errors import StoreError
start_at = float(sys.argv[2])
while time.time() < start_at:
    time.sleep(0.002)
try:
    with Store(sys.argv[1]) as store:
        print(store.version(), store.scalar("SELECT count(*) FROM reviews"))
except StoreError as e:
    print("quiz:", e, file=sys.stderr)
    sys.exit(2)
"""


def test_a_class_opening_an_old_file_at_once_upgrades_it_once(tmp_path):
    """Eight processes open a schema-1 file at the same moment: all get the upgraded file, every
    row is kept, and exactly one backup is left beside it, a true copy of version 1."""
    import shutil
    import sqlite3
    from pathlib import Path

    from quiz.store.schema import SCHEMA_VERSION

    fixture = Path(__file__).parent / "fixtures" / "stores" / "v1.db"
    db = tmp_path / "class.db"
    shutil.copyfile(fixture, db)
    reviews = sqlite3.connect(str(fixture)).execute("SELECT count(*) FROM reviews").fetchone()[0]
    start_at = str(time.time() + 1.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, str(db), start_at],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and err == "", err
        assert out.split() == [str(SCHEMA_VERSION), str(reviews)]
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == ["class.db.v1.bak"]
    conn = sqlite3.connect(str(tmp_path / "class.db.v1.bak"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == reviews
    conn.close()


def test_many_openers_of_an_old_file_make_one_upgrade_and_one_backup(tmp_path):
    """Sixteen threads (own connections, same locks as processes) open a schema-1 file at once,
    ten times over: the version is re-read under the write lock, so one upgrades and backs up,
    and the others wait and find it upgraded (no second backup, none of an in-between version)."""
    import shutil
    import sqlite3
    import threading
    from pathlib import Path

    from quiz.store.errors import StoreError
    from quiz.store.schema import SCHEMA_VERSION

    fixture = Path(__file__).parent / "fixtures" / "stores" / "v1.db"
    reviews = sqlite3.connect(str(fixture)).execute("SELECT count(*) FROM reviews").fetchone()[0]
    threads = 16
    for round_ in range(10):
        folder = tmp_path / str(round_)
        folder.mkdir()
        db = folder / "class.db"
        shutil.copyfile(fixture, db)
        barrier = threading.Barrier(threads)
        seen, errors = [], []

        def open_it(barrier=barrier, db=db, seen=seen, errors=errors):
            barrier.wait()
            try:
                with Store(db) as store:
                    seen.append((store.version(), store.scalar("SELECT count(*) FROM reviews")))
            except StoreError as e:
                errors.append(str(e))

        workers = [threading.Thread(target=open_it) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert errors == []
        assert seen == [(SCHEMA_VERSION, reviews)] * threads
        assert sorted(p.name for p in folder.glob("*.bak")) == ["class.db.v1.bak"]


def test_opening_an_old_file_waits_for_another_writer_to_switch_it_to_wal(tmp_path):
    """Switching a rollback-journal file to WAL is refused at once ("database is locked", no
    busy timeout) while another connection holds the write lock: opening must wait, not fail."""
    import shutil
    import sqlite3
    import threading
    from pathlib import Path

    from quiz.store.schema import SCHEMA_VERSION

    db = tmp_path / "class.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "stores" / "v1.db", db)
    other = sqlite3.connect(str(db), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process is writing the file, still in 'delete' mode
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with Store(db) as store:
            assert store.version() == SCHEMA_VERSION
            assert store.db.journal_mode == "wal"
    finally:
        release.join()
        other.close()
