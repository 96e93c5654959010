"""Suspend, unsuspend, unbury and reset: one transaction each, history kept."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from quiz.study import card_actions
from quiz.study.card_actions import UnknownCard, parse_card_refs
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def state(store, learner, key):
    return store.one(
        "SELECT * FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
        [learner.id, *key],
    )


def test_suspend_keeps_a_card_out_of_study_until_unsuspended(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    key = (deck.id, deck.cards[0].id)
    assert card_actions.suspend(store, learner, [key]) == 1
    assert card_actions.suspend(store, learner, [key]) == 0  # already
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    assert s.next_item().card.id != key[1]
    assert card_actions.unsuspend(store, learner, [key]) == 1
    assert card_actions.unsuspend(store, learner, [key]) == 0
    assert StudySession(store, learner, [deck], clock=lambda: NOW).next_item().card.id == key[1]


def test_suspend_keeps_the_schedule(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[3], given=None, correct=True, duration_ms=1)
    key = (deck.id, item.card.id)
    before = state(store, learner, key)
    card_actions.suspend(store, learner, [key])
    card_actions.unsuspend(store, learner, [key])
    assert state(store, learner, key) == before


def test_unbury_brings_a_buried_card_back_now(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.bury(item)
    key = (deck.id, item.card.id)
    assert card_actions.unbury(store, learner, [key], now=NOW) == 1
    assert state(store, learner, key)["buried_until"] is None
    assert card_actions.unbury(store, learner, [key], now=NOW) == 0


def test_reset_puts_a_card_back_to_new_and_keeps_its_history(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[4], given="x", correct=True, duration_ms=1)
    key = (deck.id, item.card.id)
    before = state(store, learner, key)
    later = NOW + timedelta(hours=1)
    assert card_actions.reset(store, learner, [key, (deck.id, deck.cards[-1].id)], later) == 1
    assert state(store, learner, key) is None  # no row: new, as the queue counts it
    rows = list(
        store.rows(
            "SELECT mode, rating, reviewed_at, state_before FROM reviews WHERE card_id = ? "
            "ORDER BY id",
            [key[1]],
        )
    )
    assert [r["mode"] for r in rows] == ["study", "reset"]
    recorded = json.loads(rows[1]["state_before"])["state"]
    assert recorded["due"] == before["due"] and recorded["reps"] == before["reps"] == 1
    assert rows[1]["rating"] is None
    assert StudySession(store, learner, [deck], clock=lambda: later).next_item().card.id == key[1]


def test_reset_keeps_suspension(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[3], given="x", correct=True, duration_ms=1)
    key = (deck.id, item.card.id)
    card_actions.suspend(store, learner, [key])
    assert card_actions.reset(store, learner, [key], NOW) == 1
    row = state(store, learner, key)
    assert row["suspended"] == 1 and row["last_review"] is None and row["reps"] == 0


def test_a_failed_action_writes_nothing(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    keys = [(deck.id, deck.cards[0].id), (deck.id, "no-such-card")]  # a foreign key fails
    with pytest.raises(sqlite3.IntegrityError):
        card_actions.suspend(store, learner, keys)
    assert store.scalar("SELECT count(*) FROM card_state") == 0


def test_parse_card_refs(catalog):
    decks = catalog.decks
    card = catalog.by_id()["timeline"].cards[0]
    ref = f"timeline:{card.id}"
    assert parse_card_refs([ref, ref], decks) == [("timeline", card.id)]
    for bad in ("timeline", "nodeck:x", "timeline:no-such-card", ":x", "timeline:"):
        with pytest.raises(UnknownCard) as e:
            parse_card_refs([bad], decks)
        assert "\n" not in str(e.value)
    with pytest.raises(UnknownCard):
        parse_card_refs(["timeline:\x1b[31mred"], decks)
