"""Card info: every review of a card, the interval each set, FSRS figures now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Scheduler

from quiz.store.card_state import CardState
from quiz.study import card_actions
from quiz.study.card_info import card_info
from quiz.study.queue import QueueItem
from quiz.study.scheduler import fsrs_card
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_new_card_has_no_history(store, learner, catalog):
    card = catalog.by_id()["timeline"].cards[0]
    info = card_info(store, learner, "timeline", card.id, NOW)
    assert (info.state, info.reviews, info.drill_answers, info.retrievability) == (
        "new",
        [],
        [],
        None,
    )
    assert info.prompt == card.prompt and info.type == card.type


def test_reviews_with_the_interval_each_set(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    card_id = card.id
    times = [NOW, NOW + timedelta(minutes=15), NOW + timedelta(days=3)]
    for at, rating in zip(times, (3, 3, 1), strict=True):
        s = StudySession(store, learner, [deck], clock=lambda at=at: at)
        item = QueueItem(deck.id, card, s._state(deck.id, card_id))  # asked at that time
        p = s.previews(item)[rating]
        s.answer(item, p, given=f"g{rating}", correct=rating > 1, duration_ms=1500)
    state = CardState.from_row(
        store.one(
            "SELECT * FROM card_state WHERE card_id = ? AND learner_id = ?", [card_id, learner.id]
        )
    )
    later = NOW + timedelta(days=4)
    info = card_info(store, learner, deck.id, card_id, later)
    assert [r.rating for r in info.reviews] == [3, 3, 1]
    assert [r.given for r in info.reviews] == ["g3", "g3", "g1"]
    assert all(r.duration_ms == 1500 and r.mode == "study" for r in info.reviews)
    assert all(r.interval_days is not None and r.interval_days > 0 for r in info.reviews)
    last = info.reviews[-1].interval_days
    assert last == pytest.approx(
        (
            datetime.fromisoformat(state.due) - datetime.fromisoformat(state.last_review)
        ).total_seconds()
        / 86400
    )
    assert info.reviews[1].interval_days >= 1  # graduated
    assert (info.stability, info.difficulty, info.due) == (
        state.stability,
        state.difficulty,
        state.due,
    )
    assert info.reps == 3 and info.lapses == 1
    expected = Scheduler(desired_retention=learner.retention).get_card_retrievability(
        fsrs_card(state, later), later
    )
    assert info.retrievability == pytest.approx(expected) and 0 < info.retrievability < 1


def test_the_interval_shows_when_the_grade_comes_after_the_reveal(store, learner, catalog):
    # As on the study screen: the grades are worked out at the reveal, the answer is recorded
    # seconds later, so the state's last_review is earlier than the row's reviewed_at.
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    for day, rating in ((0, 4), (9, 3)):
        revealed = NOW + timedelta(days=day)
        s = StudySession(store, learner, [deck], clock=lambda at=revealed: at)
        item = QueueItem(deck.id, card, s._state(deck.id, card.id))
        preview = s.previews(item)[rating]
        graded = revealed + timedelta(seconds=8)
        s.answer(item, preview, given=None, correct=True, duration_ms=8000, now=graded)
    info = card_info(store, learner, deck.id, card.id, NOW + timedelta(days=10))
    first, second = (r.interval_days for r in info.reviews)
    assert first is not None and first >= 1  # an Easy first answer: days, not minutes
    state = s._state(deck.id, card.id)
    days = (datetime.fromisoformat(state.due) - datetime.fromisoformat(state.last_review)).days
    assert second == pytest.approx(days, abs=1) and second > first


def test_drill_answers_apart_and_reset_rows_listed(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    s.record_drill_answer(deck.id, card, drill_id=None, given="d", correct=True, duration_ms=10)
    card_actions.reset(store, learner, [(deck.id, card.id)], NOW + timedelta(minutes=1))
    info = card_info(store, learner, deck.id, card.id, NOW + timedelta(minutes=2))
    assert [r.mode for r in info.drill_answers] == ["drill"]
    assert info.drill_answers[0].given == "d" and info.drill_answers[0].correct is True
    assert info.drill_answers[0].interval_days is not None
    assert [(r.mode, r.interval_days) for r in info.reviews] == [("reset", None)]
    assert info.state == "new" and info.reps == 0


def test_an_unknown_card_is_refused(store, learner):
    with pytest.raises(card_actions.UnknownCard):
        card_info(store, learner, "timeline", "no-such-card", NOW)


def test_retrievability_uses_the_learners_fitted_parameters(store, learner, catalog):
    from quiz.study.card_info import scheduler_for

    deck = catalog.by_id()["timeline"]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[4], given=None, correct=None, duration_ms=1)
    params = list(Scheduler().parameters)
    params[20] = 0.5  # decay: another forgetting curve than the default's
    store.update_learner(learner.id, fsrs_params=tuple(params))
    fitted = store.learner("ann")
    later = NOW + timedelta(days=5)
    state = CardState.from_row(
        store.one("SELECT * FROM card_state WHERE card_id = ?", [item.card.id])
    )
    got = card_info(store, fitted, deck.id, item.card.id, later).retrievability
    want = Scheduler(parameters=params).get_card_retrievability(fsrs_card(state, later), later)
    default = Scheduler().get_card_retrievability(fsrs_card(state, later), later)
    assert got == pytest.approx(want) and got != pytest.approx(default)
    # A learner read before the fit (a screen open while `quiz optimize` ran elsewhere) gets
    # the stored parameters too, as the study scheduler does.
    stale = card_info(store, learner, deck.id, item.card.id, later).retrievability
    assert stale == pytest.approx(want)
    assert tuple(scheduler_for(fitted).parameters) == pytest.approx(tuple(params))
