"""Merging lab machines' databases: learners by name, drills and answers by uid, missing cards
copied, the other file never changed, and a second run adding nothing."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner
from tui_support import MCQ, TYPED

from quiz.classroom import report as rp
from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.classroom.merge import MergeError, merge_file
from quiz.cli.main import cli
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.study.session import StudySession

SETTINGS = DrillSettings(("timeline",), 3, "lab")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(store) -> dict:
    return {
        t: store.scalar(f"SELECT count(*) FROM {t}")
        for t in ("learners", "drills", "decks", "cards", "reviews", "card_state")
    }


@pytest.fixture
def lab(tmp_path, catalog, make_deck):
    """A lab machine's file: ANN (ann here, other case and uid), zoe (new), the class drill,
    a study session, and a drill on a deck this store has never seen."""
    path = tmp_path / "lab1.db"
    s = Store(path)
    own = make_deck(TYPED + MCQ, deck_id="lab-only")
    sync_decks(s, [*catalog.decks, own])
    drill = open_drill(s, catalog.decks, SETTINGS)
    for name in ("ANN", "zoe"):
        run = DrillRun(s, drill, s.learner(name))
        for q in drill.questions:
            run.answer(q, q.card.answer_text(), 2000)
    zoe = s.learner("zoe")
    session = StudySession(s, zoe, [catalog.by_id()["streltsov"]])
    item = session.next_item()
    session.answer(item, session.previews(item)[3], given=None, correct=None, duration_ms=5)
    other = open_drill(s, [own], DrillSettings(("lab-only",), 2, "x"))
    DrillRun(s, other, zoe).answer(other.questions[0], "nope", 100)
    s.close()
    return path


def test_merge_brings_everything_once(store, catalog, lab):
    here = open_drill(store, catalog.decks, SETTINGS)
    ann = store.learner("ann")
    DrillRun(store, here, ann).answer(here.questions[0], "x", 1000)
    before = digest(lab)

    first = merge_file(store, lab)
    assert (first.learners, first.drills, first.decks, first.reviews, first.already) == (
        1,
        1,
        1,
        8,
        0,
    )
    assert first.cards == 2 and first.states == 1
    after_first = counts(store)
    assert after_first["learners"] == 2 and after_first["reviews"] == 9

    second = merge_file(store, lab)
    assert (
        second.learners,
        second.drills,
        second.decks,
        second.cards,
        second.reviews,
        second.states,
    ) == (0, 0, 0, 0, 0, 0)
    assert second.already == 8
    assert counts(store) == after_first
    assert digest(lab) == before  # the other file is never written
    assert sorted(p.name for p in lab.parent.iterdir() if p.name.startswith("lab1")) == ["lab1.db"]

    # ANN's answers are ann's, and the class drill is one drill with everyone's answers.
    assert store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [ann.id]) == 4
    stats = rp.drill_stats(store, here.id)
    assert stats.attempts == 2 and {s.learner for s in stats.scores} == {"ann", "zoe"}
    assert store.learner("zoe", create=False).uid  # zoe keeps the lab's uid
    # The lab-only deck's cards came along, so the answer to it is reportable here.
    assert store.scalar("SELECT count(*) FROM cards WHERE deck_id = 'lab-only'") == 2
    assert store.scalar("SELECT content_hash FROM decks WHERE id = 'lab-only'") == ""


def test_learner_keeps_uid_and_newer_state_wins(tmp_path, store, catalog, lab):
    with Store(lab) as s:
        lab_zoe_uid = s.learner("zoe", create=False).uid
    merge_file(store, lab)
    assert store.learner("zoe", create=False).uid == lab_zoe_uid
    state = store.one("SELECT * FROM card_state")
    assert state["reps"] == 1 and state["deck_id"] == "streltsov"


def test_not_a_quiz_db_newer_schema_and_self(tmp_path, store):
    text = tmp_path / "notes.db"
    text.write_text("hello")
    with pytest.raises(MergeError, match="not a quiz database"):
        merge_file(store, text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(MergeError, match="no quiz tables"):
        merge_file(store, other)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(MergeError, match="newer quiz"):
        merge_file(store, newer)
    with pytest.raises(MergeError, match="this database"):
        merge_file(store, store.path)
    with pytest.raises(MergeError, match="no such file"):
        merge_file(store, tmp_path / "missing.db")


def test_cli_merges_good_files_and_reports_bad_ones(tmp_path, store, lab):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite at all")
    store.close()
    result = CliRunner().invoke(cli, ["merge", "--db", str(store.path), str(lab), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"{lab}: 8 answers added (0 already here)") for line in lines)
    assert f"quiz: {bad}: not a quiz database (not an SQLite file)" in lines
    again = CliRunner().invoke(cli, ["--db", str(store.path), "merge", str(lab)])
    assert again.exit_code == 0 and "0 answers added (8 already here)" in again.output


def test_answers_still_in_the_other_files_wal_are_merged(tmp_path, store, catalog):
    path = tmp_path / "open.db"
    lab = Store(path)  # the lab's quiz still running: its latest answers are in open.db-wal
    sync_decks(lab, catalog.decks)
    drill = open_drill(lab, catalog.decks, SETTINGS)
    DrillRun(lab, drill, lab.learner("kim")).answer(drill.questions[0], "x", 10)
    assert path.with_name("open.db-wal").stat().st_size > 0
    try:
        assert merge_file(store, path).reviews == 1
    finally:
        lab.close()
