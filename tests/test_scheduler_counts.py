"""The home counts and the study screen's count of cards left, against the straightforward SQL
they replaced (every card joined with its state), on random stores: removed cards with and
without rows, suspended and buried cards (seen and unseen), learning, relearning and review
cards due before and after the end of the day, several learners and decks."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from scheduler_reference import OLD_STUDIED_CARDS, OLD_UNSEEN_CARDS

from quiz.content.deck import Deck
from quiz.store.connection import Store
from quiz.store.times import iso, start_of_next_day
from quiz.study.queue import DECK_COUNTS, DUE_REVIEWS, LEARNING_CARDS, REMOVED_ROWS
from quiz.study.scheduler import local_day_start
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

# -- the reference: the queries as they were before migration 5, verbatim ----------------------

REFERENCE_COUNTS = """
    SELECT c.deck_id,
           count(*) AS total,
           sum(cs.last_review IS NULL AND coalesce(cs.suspended, 0) = 0
               AND (cs.buried_until IS NULL OR cs.buried_until <= :now)) AS new,
           sum(cs.state IN (1, 3) AND cs.due <= :now AND cs.suspended = 0
               AND (cs.buried_until IS NULL OR cs.buried_until <= :now)) AS learning,
           sum(cs.state = 2 AND cs.due < :day_end AND cs.suspended = 0
               AND (cs.buried_until IS NULL OR cs.buried_until <= :now)) AS due
    FROM cards c
    LEFT JOIN card_state cs
      ON cs.learner_id = :learner AND cs.deck_id = c.deck_id AND cs.card_id = c.card_id
    WHERE c.removed_at IS NULL AND c.deck_id IN (SELECT value FROM json_each(:decks))
    GROUP BY c.deck_id
"""
# As _count_remaining composed them from the queue's fragments.
REFERENCE_STUDIED = (
    "SELECT cs.deck_id, cs.card_id, cs.state, cs.due"
    + OLD_STUDIED_CARDS
    + "AND (cs.state IN (1, 3) OR (cs.state = 2 AND cs.due < :day_end))"
)
REFERENCE_UNSEEN = "SELECT count(*) FROM (SELECT 1" + OLD_UNSEEN_CARDS + "LIMIT :left)"


def reference(store: Store, learner, deck_ids: list[str], now: datetime):
    """(counts as {deck: (new, learning, due, total)}, review keys, learning keys -> due, new)."""
    params = {
        "learner": learner.id,
        "decks": json.dumps(deck_ids),
        "now": iso(now),
        "day_end": iso(start_of_next_day(now)),
    }
    started = store.scalar(
        "SELECT count(*) FROM card_state WHERE learner_id = ? AND first_review >= ?",
        [learner.id, iso(local_day_start(now))],
    )
    left = max(0, learner.new_per_day - started)
    counts = {d: (0, 0, 0, 0) for d in deck_ids}
    for deck_id, total, new, learning, due in store.conn.execute(REFERENCE_COUNTS, params):
        counts[deck_id] = (min(new or 0, left), learning or 0, due or 0, total)
    rows = store.conn.execute(REFERENCE_STUDIED, params).fetchall()
    unseen = store.scalar(REFERENCE_UNSEEN, {**params, "left": left}) if left else 0
    return (
        counts,
        {(d, c) for d, c, s, _ in rows if s == 2},
        {(d, c): due for d, c, s, due in rows if s != 2},
        unseen,
    )


# -- random stores ----------------------------------------------------------------------------


def random_store(path, rng: random.Random) -> tuple[Store, list[Deck], list]:
    store = Store(path)
    day_end = start_of_next_day(NOW)
    moments = [
        None,
        NOW - timedelta(days=30),
        NOW - timedelta(hours=3),
        NOW - timedelta(minutes=1),
        NOW,
        NOW + timedelta(minutes=1),
        day_end - timedelta(seconds=1),
        day_end,
        day_end + timedelta(hours=2),
        NOW + timedelta(days=9),
    ]
    stamp = iso(NOW - timedelta(days=60))
    decks = []
    with store.write() as db:
        for d in range(rng.randint(1, 4)):
            deck_id = f"deck-{d}"
            decks.append(Deck(deck_id, deck_id, "", (), (), "", ""))
            db.execute(
                "INSERT INTO decks (id, title, synced_at) VALUES (?, ?, ?)",
                [deck_id, deck_id, stamp],
            )
            removed_share = rng.choice([0, 0.2, 1])  # some decks lost every card
            for n in range(rng.choice([0, 1, 5, 20, 40])):
                removed = stamp if rng.random() < removed_share else None
                db.execute(
                    "INSERT INTO cards (deck_id, card_id, position, type, prompt, answer, data, "
                    "removed_at) VALUES (?, ?, ?, 'basic', 'q', 'a', '{}', ?)",
                    [deck_id, f"c{n:02d}", n, removed],
                )
        for i in range(3):
            db.execute(
                "INSERT INTO learners (uid, name, created_at, new_per_day) VALUES (?, ?, ?, ?)",
                [f"u{i}", f"learner {i}", stamp, rng.choice([0, 1, 3, 8, 100])],
            )
        cards = db.execute("SELECT deck_id, card_id FROM cards").fetchall()
        for learner_id in (1, 2, 3):
            for deck_id, card_id in cards:
                if rng.random() < 0.35:
                    continue  # no row: a new card
                seen = rng.random() < 0.75
                if seen:
                    state = rng.choice([1, 2, 2, 3])
                    last = rng.choice(moments[1:5])
                    first = rng.choice([last, NOW - timedelta(days=90), local_day_start(NOW)])
                else:  # a row without a review: buried or suspended before the first answer,
                    state = rng.choice([None, None, 1, 2])  # and a few stranger ones
                    last = first = None
                due = rng.choice(moments) if state is not None else None
                buried = rng.choice([None, None, None, *moments[1:]])
                db.execute(
                    "INSERT INTO card_state (learner_id, deck_id, card_id, state, due, "
                    "last_review, first_review, buried_until, suspended) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        learner_id,
                        deck_id,
                        card_id,
                        state,
                        due and iso(due),
                        last and iso(last),
                        first and iso(first),
                        buried and iso(buried),
                        int(rng.random() < 0.15),
                    ],
                )
    learners = [store.learner(f"learner {i}", create=False) for i in range(3)]
    return store, decks, learners


@pytest.mark.parametrize("seed", range(40))
def test_counts_and_remaining_match_the_reference(tmp_path, seed):
    rng = random.Random(seed)
    store, decks, learners = random_store(tmp_path / "quiz.db", rng)
    try:
        day_end = start_of_next_day(NOW)
        picks = [decks, rng.sample(decks, rng.randint(0, len(decks))), decks[::-1]]
        for learner in learners:
            for chosen in picks:
                for now in (
                    NOW,
                    NOW + timedelta(minutes=30),
                    day_end - timedelta(seconds=1),
                    day_end + timedelta(hours=1),
                ):
                    session = StudySession(store, learner, chosen)
                    counts, review, learning, new = reference(
                        store, learner, [d.id for d in chosen], now
                    )
                    got = {
                        d: (c.new, c.learning, c.due, c.total)
                        for d, c in session.counts(now).items()
                    }
                    assert got == counts, (seed, learner.name, now)
                    left = session._count_remaining(now)
                    assert (left.review, left.learning, left.new) == (review, learning, new)
    finally:
        store.close()


def test_a_deck_named_twice_is_counted_once(tmp_path):
    """As counts() always did. The old count of unseen cards for remaining() joined the deck
    list and counted such a deck's cards twice (on this store, for some learner)."""
    store, decks, learners = random_store(tmp_path / "quiz.db", random.Random(39))
    try:
        ids = [d.id for d in decks]
        assert any(
            reference(store, learner, ids + ids[:1], NOW)[3]
            != reference(store, learner, ids, NOW)[3]
            for learner in learners
        )
        for learner in learners:
            once = StudySession(store, learner, decks)
            twice = StudySession(store, learner, decks + decks[:1])
            assert twice.counts(NOW) == once.counts(NOW)
            assert twice._count_remaining(NOW) == once._count_remaining(NOW)
    finally:
        store.close()


def test_the_counts_read_index_ranges_only(store, learner):
    """EXPLAIN QUERY PLAN: no statement scans cards or card_state; learning and due come from
    card_state_queue alone, unseen rows from card_state_unseen, removed cards from
    cards_removed."""
    params = {
        "learner": learner.id,
        "decks": '["a", "b"]',
        "now": iso(NOW),
        "day_end": iso(start_of_next_day(NOW)),
    }

    def plan(sql: str) -> list[str]:
        steps = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        # Only the deck list (json_each) is walked; every table is searched.
        assert not [s for s in steps if s.startswith("SCAN") and "VIRTUAL TABLE" not in s], steps
        return steps

    steps = plan(DECK_COUNTS)
    assert "SEARCH cards USING COVERING INDEX cards_position (deck_id=?)" in steps
    assert any(s.startswith("SEARCH cards USING INDEX cards_removed") for s in steps)
    assert any("COVERING INDEX card_state_unseen" in s for s in steps)
    assert (
        sum(
            "COVERING INDEX card_state_queue (learner_id=? AND deck_id=? AND state=? AND due<?)"
            in s
            for s in steps
        )
        == 2
    )
    assert any("cards_removed" in s for s in plan(REMOVED_ROWS))
    assert any(
        "COVERING INDEX card_state_queue (learner_id=? AND deck_id=? AND state=?)" in s
        for s in plan(LEARNING_CARDS)
    )
    assert any(
        "COVERING INDEX card_state_queue (learner_id=? AND deck_id=? AND state=? AND due<?)" in s
        for s in plan(DUE_REVIEWS)
    )
