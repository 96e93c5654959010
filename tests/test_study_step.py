"""A study step grades and records without a screen, as a drill run does."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from quiz.store.errors import StoreError, error_name, known_error
from quiz.study.session import StudySession
from quiz.study.step import StudyStep

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def first_step(store, learner, deck):
    session = StudySession(store, learner, [deck], clock=lambda: NOW)
    return StudyStep(session, session.next_item(), shown_at=100.0)


def test_a_right_answer_suggests_good_and_records_it(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    step = first_step(store, learner, deck)
    card = step.item.card
    right = card.answer if card.type != "cloze" else card.answer_text()
    verdict = step.reveal(right)
    assert verdict.correct and step.suggested == 3 and set(step.previews) == {1, 2, 3, 4}
    graded = step.grade(step.suggested, now=102.5)
    assert (graded.rating, graded.correct, graded.duration_ms) == (3, True, 2500)
    row = store.one(
        "SELECT rating, given, correct, duration_ms, mode FROM reviews WHERE id = ?",
        [graded.review_id],
    )
    assert row == {
        "rating": 3,
        "given": step.given,
        "correct": 1,
        "duration_ms": 2500,
        "mode": "study",
    }


def test_show_me_records_no_answer_and_suggests_again(store, learner, catalog):
    step = first_step(store, learner, catalog.by_id()["thorn-in-ties"])
    step.reveal(None)
    assert step.given is None and step.suggested == 1
    graded = step.grade(1, now=101.0)
    assert store.one("SELECT given FROM reviews WHERE id = ?", [graded.review_id]) == {
        "given": None
    }


def test_grading_before_the_reveal_is_refused(store, learner, catalog):
    step = first_step(store, learner, catalog.by_id()["thorn-in-ties"])
    with pytest.raises(ValueError):
        step.grade(3)
    assert store.scalar("SELECT count(*) FROM reviews") == 0


def test_store_errors_are_told_by_sqlite_error_name_not_wording(tmp_path):
    class Named(sqlite3.OperationalError):
        sqlite_errorname = "SQLITE_IOERR_WRITE"

    assert error_name(Named("whatever the wording")) == "SQLITE_IOERR"
    assert isinstance(known_error(tmp_path / "q.db", Named("x")), StoreError)
    # "readonly" in a message that SQLite did not raise as such is not a read-only file
    assert (
        known_error(tmp_path / "q.db", sqlite3.OperationalError("no such column: readonly")) is None
    )
