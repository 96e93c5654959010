"""Leeches: the lapse that reaches the learner's threshold marks the card (and suspends it, by
default) in the answer's own transaction; undo takes it back. And the daily review limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.study.card_browser import CardFilter, filter_rows, load_rows
from quiz.study.queue import QueueItem
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def in_review(store, learner, deck, card, lapses: int) -> CardState:
    """Put `card` in review, due now, with `lapses` lapses already."""
    state = CardState(
        state=2,
        step=None,
        stability=5.0,
        difficulty=6.0,
        due="2026-03-02T11:00:00.000000Z",  # due an hour before NOW
        last_review="2026-02-20T12:00:00.000000Z",
        first_review="2026-01-01T12:00:00.000000Z",
        reps=lapses + 3,
        lapses=lapses,
    )
    with store.write() as db:
        reviews.put_state(db, learner.id, deck.id, card.id, state)
    return state


def lapse(store, learner, deck, card, state, now=NOW):
    s = StudySession(store, learner, [deck], clock=lambda: now)
    item = QueueItem(deck.id, card, state)
    s.answer(item, s.previews(item)[1], given="no", correct=False, duration_ms=100)
    return s


def row(store, learner, deck, card):
    return store.one(
        "SELECT * FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
        [learner.id, deck.id, card.id],
    )


def test_the_lapse_that_reaches_the_threshold_suspends_a_leech(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    state = in_review(store, learner, deck, card, lapses=learner.leech_threshold - 2)
    s = lapse(store, learner, deck, card, state)
    assert s.last_leech is None and row(store, learner, deck, card)["leech"] == 0
    state = in_review(store, learner, deck, card, lapses=learner.leech_threshold - 1)
    s = lapse(store, learner, deck, card, state)
    assert s.last_leech == (deck.id, card.id)
    r = row(store, learner, deck, card)
    assert (r["leech"], r["suspended"], r["lapses"]) == (1, 1, learner.leech_threshold)
    rows = load_rows(store, learner, [deck], NOW)
    assert [x.key for x in filter_rows(rows, CardFilter(state="leech"), NOW)] == [
        (deck.id, card.id)
    ]
    # the leech is out of study
    assert StudySession(store, learner, [deck], clock=lambda: NOW).next_item().card.id != card.id


def test_undo_takes_the_leech_back_exactly(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    state = in_review(store, learner, deck, card, lapses=learner.leech_threshold - 1)
    before = row(store, learner, deck, card)
    s = lapse(store, learner, deck, card, state)
    assert s.last_leech is not None
    s.undo()
    assert row(store, learner, deck, card) == before and s.last_leech is None
    assert store.scalar("SELECT count(*) FROM reviews") == 0


def test_leech_action_tag_only_marks_it(store, catalog):
    learner = store.learner("tagger")
    store.update_learner(learner.id, leech_action="tag", leech_threshold=3)
    learner = store.learner("tagger")
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    state = in_review(store, learner, deck, card, lapses=2)
    s = lapse(store, learner, deck, card, state)
    r = row(store, learner, deck, card)
    assert s.last_leech == (deck.id, card.id) and (r["leech"], r["suspended"]) == (1, 0)


def test_a_leech_mark_survives_later_answers(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    card = deck.cards[0]
    store.update_learner(learner.id, leech_action="tag")
    learner = store.learner("ann")
    state = in_review(store, learner, deck, card, lapses=learner.leech_threshold - 1)
    lapse(store, learner, deck, card, state)
    s = StudySession(store, learner, [deck], clock=lambda: NOW + timedelta(hours=1))
    item = QueueItem(deck.id, card, s._state(deck.id, card.id))
    s.answer(item, s.previews(item)[3], given=None, correct=True, duration_ms=1)
    assert s.last_leech is None and row(store, learner, deck, card)["leech"] == 1


def test_reviews_per_day_caps_the_due_reviews_offered(store, catalog):
    learner = store.learner("capped")
    store.update_learner(learner.id, reviews_per_day=2, new_per_day=0)
    learner = store.learner("capped")
    deck = catalog.by_id()["streltsov"]
    for card in deck.cards[:5]:
        in_review(store, learner, deck, card, lapses=0)
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    assert s.counts()[deck.id].due == 2 and s.remaining() == 2 and s.reviews_left_today() == 2
    for left in (1, 0):
        item = s.next_item()
        assert item is not None and item.status == "review"
        s.answer(item, s.previews(item)[3], given=None, correct=True, duration_ms=1)
        assert s.reviews_left_today() == left and s.remaining() == left
    assert s.next_item() is None
    fresh = StudySession(store, learner, [deck], clock=lambda: NOW)
    assert fresh.reviews_left_today() == 0 and fresh.counts()[deck.id].due == 0
    tomorrow = StudySession(store, learner, [deck], clock=lambda: NOW + timedelta(days=1))
    assert tomorrow.reviews_left_today() == 2


def test_a_lapse_past_the_limit_still_relearns(store, catalog):
    learner = store.learner("capped")
    store.update_learner(learner.id, reviews_per_day=1, new_per_day=0)
    learner = store.learner("capped")
    deck = catalog.by_id()["streltsov"]
    for card in deck.cards[:3]:
        in_review(store, learner, deck, card, lapses=0)
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[1], given=None, correct=False, duration_ms=1)
    later = NOW + timedelta(hours=1)
    again = s.next_item(now=later)
    assert again is not None and again.card.id == item.card.id  # the relearning step
