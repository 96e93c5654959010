"""Thirty learners answering at once into one SQLite file: separate processes, the real domain
code (drill and study answers), and not one answer lost or refused ("database is locked").
bench/load_writers.py runs the same with more answers and prints timings."""

from __future__ import annotations

import sys
from pathlib import Path

from quiz.store.connection import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from load_writers import run_load

WRITERS = 30
ANSWERS = 40  # each: 20 drill answers and 20 study answers, alternating


def test_thirty_writer_processes_lose_nothing(tmp_path):
    path = tmp_path / "class.db"
    results, _wall = run_load(path, WRITERS, ANSWERS)
    assert [e for r in results for e in r.errors] == []
    assert [r.saved for r in results] == [ANSWERS] * WRITERS
    with Store(path) as store:
        assert store.scalar("SELECT count(*) FROM reviews") == WRITERS * ANSWERS
        assert (
            store.scalar("SELECT count(*) FROM reviews WHERE mode = 'drill'")
            == WRITERS * ANSWERS // 2
        )
        assert (
            store.scalar("SELECT count(*) FROM reviews WHERE mode = 'study'")
            == WRITERS * ANSWERS // 2
        )
        per_learner = store.db.execute(
            "SELECT count(*) FROM reviews GROUP BY learner_id"
        ).fetchall()
        assert [n for (n,) in per_learner] == [ANSWERS] * WRITERS
        assert store.scalar("SELECT count(*) FROM drills") == 1  # everyone in one drill
        assert (
            store.scalar("SELECT count(DISTINCT drill_id) FROM reviews WHERE mode = 'drill'") == 1
        )
        # Every study answer left its card state (twenty new cards per learner).
        assert (
            store.scalar("SELECT count(*) FROM card_state WHERE last_review IS NOT NULL")
            == WRITERS * ANSWERS // 2
        )
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
