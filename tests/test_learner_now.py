"""A study session open while the learner's settings change elsewhere (`quiz optimize` or
`quiz learners set` in another process, the settings screen on the same connection) schedules
the next answer with the settings as stored now; each answer is still one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from fsrs import Rating, Scheduler
from tui_support import NOW, in_review

from quiz.cli.main import cli
from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.connection import Store
from quiz.store.times import parse_iso
from quiz.study.queue import QueueItem
from quiz.study.scheduler import fsrs_card
from quiz.study.session import StudySession

DEFAULTS = Scheduler().parameters
SLOW = (*DEFAULTS[:2], 20.0, 60.0, *DEFAULTS[4:])  # first Good: 20 days, Easy: 60 (not 3, 8)
IN_REVIEW = in_review()


def session(store, learner, catalog) -> StudySession:
    return StudySession(store, learner, [catalog.by_id()["thorn-in-ties"]], clock=lambda: NOW)


def elsewhere(store, learner, **fields) -> None:
    """Change the learner's row from another connection, as another process would."""
    with Store(store.path) as other:
        other.update_learner(learner.id, **fields)


def stability_after(scheduler: Scheduler, state: CardState, rating: int) -> float:
    card, _ = scheduler.review_card(fsrs_card(state, NOW), Rating(rating), NOW)
    return card.stability


def answer(s: StudySession, item: QueueItem, rating: int) -> CardState:
    s.answer(item, s.previews(item)[rating], given=None, correct=None, duration_ms=1)
    return reviews.read_state(s.store.conn, s.learner.id, item.deck_id, item.card.id)


def test_parameters_stored_by_another_process_schedule_the_next_answer(store, learner, catalog):
    s = session(store, learner, catalog)
    first = s.next_item()
    before = answer(s, first, 4)
    assert before.stability == pytest.approx(stability_after(Scheduler(), CardState(), 4))
    elsewhere(store, learner, fsrs_params=SLOW)  # `quiz optimize` in another shell
    item = s.next_item()
    assert item.card.id != first.card.id and item.state.last_review is None
    after = answer(s, item, 4)
    assert after.stability == pytest.approx(SLOW[3])
    assert after.stability == pytest.approx(
        stability_after(Scheduler(parameters=SLOW), CardState(), 4)
    )
    assert parse_iso(after.due) - NOW > timedelta(days=40)  # not the defaults' 8 days


def test_a_retention_set_elsewhere_changes_the_next_interval(db_path, store, learner, catalog):
    s = session(store, learner, catalog)
    item = s.next_item()
    card = item.card
    with store.write() as db:
        reviews.put_state(db, learner.id, item.deck_id, card.id, IN_REVIEW)
    item = QueueItem(item.deck_id, card, IN_REVIEW)

    def good_days() -> float:
        return (parse_iso(s.previews(item)[3].state.due) - NOW) / timedelta(days=1)

    def unfuzzed_days(retention: float) -> float:
        plain = Scheduler(desired_retention=retention, enable_fuzzing=False)
        due = plain.review_card(fsrs_card(IN_REVIEW, NOW), Rating.Good, NOW)[0].due
        return (due - NOW) / timedelta(days=1)

    at_90 = good_days()
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "learners", "set", "ann", "--retention", "0.75"]
    )
    assert result.exit_code == 0, result.output
    at_75 = good_days()
    # fsrs fuzzes an interval by at most a few days either way at this length
    assert at_90 == pytest.approx(unfuzzed_days(0.9), abs=4)
    assert at_75 == pytest.approx(unfuzzed_days(0.75), abs=8)
    assert at_75 > at_90 + 15
    assert s.learner.retention == 0.75


def test_bad_parameters_stored_elsewhere_fall_back_to_the_defaults(store, learner, catalog):
    s = session(store, learner, catalog)
    elsewhere(store, learner, fsrs_params=SLOW)
    s.next_item()
    assert s.scheduler.parameters == pytest.approx(SLOW)
    elsewhere(store, learner, fsrs_params=DEFAULTS[:19])  # an older FSRS's 19 parameters
    after = answer(s, s.next_item(), 3)
    assert s.scheduler.parameters == DEFAULTS
    assert after.stability == pytest.approx(DEFAULTS[2])


def test_a_change_on_the_sessions_own_connection_is_seen(store, learner, catalog):
    # The settings screen writes through the app's Store, the one the session reads with:
    # PRAGMA data_version does not change for a connection's own commits.
    s = session(store, learner, catalog)
    s.next_item()
    store.update_learner(learner.id, fsrs_params=SLOW, new_per_day=1)
    assert answer(s, s.next_item(), 3).stability == pytest.approx(SLOW[2])
    # the new limit too: one new card started today, so only that card's learning step is left
    assert s.new_left_today() == 0 and s.remaining() == 0
    assert s.next_item().state.last_review is not None


def test_each_answer_is_still_one_transaction_and_one_review_row(store, learner, catalog):
    s = session(store, learner, catalog)
    answered = []
    for i in range(4):
        item = s.next_item()
        previews = s.previews(item)
        elsewhere(store, learner, fsrs_params=SLOW if i % 2 else DEFAULTS, leech_threshold=3 + i)
        assert not store.conn.in_transaction  # the reads left no transaction open
        review_id = s.answer(item, previews[3], given=None, correct=None, duration_ms=1)
        answered.append((review_id, item.card.id))
        assert not store.conn.in_transaction
    rows = store.rows("SELECT id, card_id, mode FROM reviews ORDER BY id")
    assert [(r["id"], r["card_id"], r["mode"]) for r in rows] == [
        (rid, cid, "study") for rid, cid in answered
    ]
    states = store.scalar("SELECT count(*) FROM card_state WHERE last_review IS NOT NULL")
    assert states == 4 and s.learner.leech_threshold == 6
    # undo still takes back exactly the last answer
    s.undo()
    assert store.scalar("SELECT count(*) FROM reviews") == 3


def test_a_leech_rule_set_elsewhere_applies_to_the_next_lapse(store, learner, catalog):
    s = session(store, learner, catalog)
    card = catalog.by_id()["thorn-in-ties"].cards[0]
    state = in_review(lapses=1)
    with store.write() as db:
        reviews.put_state(db, learner.id, "thorn-in-ties", card.id, state)
    elsewhere(store, learner, leech_threshold=2, leech_action="tag")
    after = answer(s, QueueItem("thorn-in-ties", card, state), 1)
    assert (after.lapses, after.leech, after.suspended) == (2, 1, 0)
    assert s.last_leech == ("thorn-in-ties", card.id)
