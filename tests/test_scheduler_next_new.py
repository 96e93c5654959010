"""next_item() against next_item as it was before its new card was found one deck at a time
from where the last walk stopped (the SQL kept verbatim below), on random stores and study
runs: removed cards, buried and suspended cards seen and unseen, partly studied decks, several
learners, deck subsets and orders, the exclude list, answers, buries, suspends, undos, drill
answers, days passing (and time going back), and writes behind the session's back: another
connection, the same connection, another session."""

from __future__ import annotations

import json
import random
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from scheduler_reference import OLD_STUDIED_CARDS, OLD_UNSEEN_CARDS

from quiz.content.deck import Card, Deck
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.store.times import iso, start_of_next_day
from quiz.study.queue import DUE_NOW, FIRST_NEW_CARD, NEXT_UNBURIAL, NOT_EXCLUDED, STUDIED_CARDS
from quiz.study.scheduler import LEARN_AHEAD, local_day_start
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY_END = start_of_next_day(NOW)

# -- the reference: next_item before the walk was split by deck, verbatim ---------------------


def reference_next(
    store: Store, learner, decks: list[Deck], cards, now: datetime, exclude: tuple = ()
) -> tuple[str, str] | None:
    """(deck id, card id) of what next_item gave, as it gave it."""
    stamp = iso(now)
    params = {
        "learner": learner.id,
        "decks": json.dumps([d.id for d in decks]),
        "now": stamp,
        "day_end": iso(start_of_next_day(now)),
        "ahead": iso(now + LEARN_AHEAD),
        "exclude": json.dumps([list(x) for x in exclude]),
    }
    not_excluded = (
        "AND json_array(c.deck_id, c.card_id) NOT IN (SELECT value FROM json_each(:exclude))"
    )

    def studied(cond: str):
        return store.one(
            f"SELECT cs.* {OLD_STUDIED_CARDS} AND {cond} {not_excluded} ORDER BY cs.due LIMIT 1",
            params,
        )

    started = store.scalar(
        "SELECT count(*) FROM card_state WHERE learner_id = ? AND first_review >= ?",
        [learner.id, iso(local_day_start(now))],
    )
    row = studied(
        "((cs.state IN (1, 3) AND cs.due <= :now) OR (cs.state = 2 AND cs.due < :day_end))"
    )
    if row is None and max(0, learner.new_per_day - started) > 0:
        row = store.one(
            f"SELECT c.deck_id, c.card_id {OLD_UNSEEN_CARDS} {not_excluded} "
            "ORDER BY d.key, c.position LIMIT 1",
            params,
        )
    if row is None:
        row = studied("cs.state IN (1, 3) AND cs.due <= :ahead")
    if row is None:
        return None
    key = (row["deck_id"], row["card_id"])
    if cards.get(key) is None:
        return reference_next(store, learner, decks, cards, now, (*exclude, key))
    return key


def test_the_reference_is_what_the_scheduler_still_says_cards_are():
    assert " ".join(OLD_STUDIED_CARDS.split()) == " ".join(STUDIED_CARDS.split())


# -- random stores ----------------------------------------------------------------------------

MOMENTS = [
    NOW - timedelta(days=30),
    NOW - timedelta(hours=3),
    NOW - timedelta(minutes=1),
    NOW,
    NOW + timedelta(minutes=1),
    NOW + timedelta(minutes=15),
    DAY_END - timedelta(seconds=1),
    DAY_END,
    DAY_END + timedelta(hours=2),
    NOW + timedelta(days=9),
]


def random_store(path, rng: random.Random):
    """Decks whose cards were inserted in an order other than their positions, some removed
    (keeping a position a live card now has, as a deck sync leaves them); learners who
    studied each deck up to some point in deck order, plus cards here and there, with buried
    and suspended cards seen and unseen. The loaded decks miss a few of the store's cards."""
    store = Store(path)
    stamp = iso(NOW - timedelta(days=60))
    decks = []
    with store.write() as db:
        for d in range(rng.randint(1, 4)):
            deck_id = f"deck-{d}"
            db.execute(
                "INSERT INTO decks (id, title, synced_at) VALUES (?, ?, ?)",
                [deck_id, deck_id, stamp],
            )
            n = rng.choice([0, 1, 6, 25, 60])
            positions = list(range(n))
            if rng.random() < 0.5:
                rng.shuffle(positions)  # card ids out of deck order
            removed_share = rng.choice([0, 0.1, 0.3, 1])
            rows = [(f"c{i:02d}", positions[i], rng.random() < removed_share) for i in range(n)]
            live = [p for _, p, removed in rows if not removed]
            rows = [
                (c, rng.choice(live) if removed and live and rng.random() < 0.5 else p, removed)
                for c, p, removed in rows
            ]
            rng.shuffle(rows)  # rowid order is neither card id nor deck order
            for card_id, position, removed in rows:
                db.execute(
                    "INSERT INTO cards (deck_id, card_id, position, type, prompt, answer, data, "
                    "removed_at) VALUES (?, ?, ?, 'basic', 'q', 'a', '{}', ?)",
                    [deck_id, card_id, position, stamp if removed else None],
                )
            cards = tuple(
                Card(c, "basic", "q", "a") for c, _, _ in sorted(rows) if rng.random() > 0.04
            )
            decks.append(Deck(deck_id, deck_id, "", (), cards))
        for i in range(3):
            db.execute(
                "INSERT INTO learners (uid, name, created_at, new_per_day) VALUES (?, ?, ?, ?)",
                [f"u{i}", f"learner {i}", stamp, rng.choice([0, 1, 3, 10, 1000])],
            )
        # Where each card is in its deck, between 0 (first) and 1 (last).
        place = {
            (d, c): (rank - 0.5) / n
            for d, n, rank, c in db.execute(
                "SELECT deck_id, count(*) OVER (PARTITION BY deck_id), "
                "row_number() OVER (PARTITION BY deck_id ORDER BY position), card_id FROM cards"
            )
        }
        for learner_id in (1, 2, 3):
            studied_up_to = {d.id: rng.random() for d in decks}
            for deck_id, card_id in sorted(place):
                if place[deck_id, card_id] < studied_up_to[deck_id]:
                    kind = "seen" if rng.random() < 0.95 else rng.choice(["unseen", None])
                else:
                    kind = rng.choice(["seen", "unseen", None, None, None, None, None])
                if kind is None:
                    continue
                if kind == "seen":
                    state = rng.choice([1, 2, 2, 2, 3])
                    last = rng.choice(MOMENTS[:3])
                    first = rng.choice([last, NOW - timedelta(days=90), local_day_start(NOW)])
                    due = rng.choice([*MOMENTS, NOW + timedelta(days=40)])
                else:  # buried or suspended before the first answer (a few stranger rows too)
                    state = rng.choice([None, None, None, 1, 2])
                    last = first = None
                    due = rng.choice(MOMENTS) if state is not None else None
                buried = rng.choice([None, None, None, *MOMENTS])
                db.execute(
                    "INSERT INTO card_state (learner_id, deck_id, card_id, state, step, stability, "
                    "difficulty, due, last_review, first_review, reps, buried_until, suspended) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        learner_id,
                        deck_id,
                        card_id,
                        state,
                        0 if state in (1, 3) else None,
                        3.0 if last else None,
                        5.0 if last else None,
                        due and iso(due),
                        last and iso(last),
                        first and iso(first),
                        1 if last else 0,
                        buried and iso(buried),
                        int(rng.random() < 0.12),
                    ],
                )
    learners = [store.learner(f"learner {i}", create=False) for i in range(3)]
    return store, decks, learners


def key(item) -> tuple[str, str] | None:
    return None if item is None else (item.deck_id, item.card.id)


def meddle(store: Store, other: Store, learner, decks, rng: random.Random, now: datetime) -> None:
    """A write the session does not make: through another connection (as another process
    would), through the session's own connection, or by another session of the learner."""
    how = rng.choice(["other connection", "same connection", "another session"])
    if how == "another session":
        s = StudySession(store, learner, decks)
        item = s.next_item(now)
        if item is not None:
            s.answer(
                item,
                s.previews(item, now)[rng.choice((1, 3))],
                given=None,
                correct=None,
                duration_ms=1,
                now=now,
            )
            if rng.random() < 0.5:
                s.undo()
        return
    conn = other if how == "other connection" else store
    change = rng.choice(["forget a card", "put a card back", "move a card first", "unbury"])
    with conn.write() as db:
        if change == "forget a card":  # e.g. a merge or an undo elsewhere: the card is new again
            db.execute(
                "DELETE FROM card_state WHERE rowid IN (SELECT rowid FROM card_state "
                "WHERE learner_id = ? ORDER BY random() LIMIT 1)",
                [learner.id],
            )
        elif change == "put a card back":  # a deck sync: a removed card is in its deck again
            row = db.execute(
                "SELECT deck_id, card_id FROM cards WHERE removed_at IS NOT NULL "
                "ORDER BY random() LIMIT 1"
            ).fetchone()
            if row:
                db.execute(
                    "UPDATE cards SET removed_at = NULL, position = (SELECT min(position) "
                    "- 1 FROM cards WHERE deck_id = ?) WHERE deck_id = ? AND card_id = ?",
                    [row[0], *row],
                )
        elif change == "move a card first":  # a deck sync after the deck's file was reordered
            row = db.execute(
                "SELECT deck_id, card_id FROM cards WHERE removed_at IS NULL "
                "ORDER BY random() LIMIT 1"
            ).fetchone()
            if row:
                db.execute(
                    "UPDATE cards SET position = (SELECT min(position) - 1 FROM cards "
                    "WHERE deck_id = ?) WHERE deck_id = ? AND card_id = ?",
                    [row[0], *row],
                )
        else:
            db.execute(
                "UPDATE card_state SET buried_until = NULL WHERE learner_id = ? AND "
                "buried_until IS NOT NULL AND last_review IS NULL",
                [learner.id],
            )


def study_run(
    store: Store,
    other: Store,
    learner,
    decks: list[Deck],
    rng: random.Random,
    steps: int,
    *,
    meddling: bool,
) -> None:
    session = StudySession(store, learner, decks)
    now = NOW + timedelta(minutes=rng.choice([0, 0, 30]))
    for step in range(steps):
        want = reference_next(store, learner, decks, session.cards, now)
        item = session.next_item(now)
        assert key(item) == want, (step, now)
        # The exclude list: what would come next, and cards picked at random.
        everything = [(d.id, c.id) for d in decks for c in d.cards]
        for exclude in ([want] if want else [], rng.sample(everything, min(3, len(everything)))):
            exclude = tuple(exclude)
            got = session.next_item(now, exclude)
            assert key(got) == reference_next(store, learner, decks, session.cards, now, exclude), (
                step,
                now,
                exclude,
            )
        if item is None:
            now += rng.choice([timedelta(minutes=20), DAY_END - now + timedelta(hours=1)])
            continue
        action = rng.random()
        if action < 0.55:
            rating = rng.choice((1, 2, 3, 3, 4))
            session.answer(
                item,
                session.previews(item, now)[rating],
                given="x",
                correct=rating > 1,
                duration_ms=1,
                now=now,
            )
        elif action < 0.65:
            session.bury(item, now)
        elif action < 0.7:
            session.suspend(item)
        elif action < 0.73:
            session.record_drill_answer(
                item.deck_id,
                item.card,
                drill_id=None,
                given="x",
                correct=rng.random() < 0.5,
                duration_ms=1,
                now=now,
            )
        if session.can_undo() and rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                if session.can_undo():
                    session.undo()
        if meddling and rng.random() < 0.15:
            meddle(store, other, learner, decks, rng, now)
        when = rng.random()
        if when < 0.08:  # the next day: cards buried today come back
            now = start_of_next_day(now) + timedelta(minutes=rng.choice([0, 5, 90]))
        elif when < 0.12:  # a clock set back
            now -= rng.choice([timedelta(minutes=5), timedelta(hours=4)])
        elif when < 0.4:
            now += timedelta(minutes=rng.choice([1, 2, 10, 30]))


@pytest.mark.parametrize("seed", range(30))
def test_next_item_matches_the_reference(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "quiz.db"
    store, decks, learners = random_store(path, rng)
    other = Store(path)
    try:
        for learner in learners:
            for chosen in (
                decks,
                decks[::-1],
                rng.sample(decks, rng.randint(0, len(decks))),
                decks + decks[:1],
            ):
                study_run(
                    store,
                    other,
                    learner,
                    chosen,
                    rng,
                    rng.randint(5, 30),
                    meddling=rng.random() < 0.5,
                )
    finally:
        other.close()
        store.close()


# -- the cases one by one ---------------------------------------------------------------------


@pytest.fixture
def partly_studied(tmp_path):
    """One deck of 40 cards (ids out of deck order) and a learner who studied its first 30."""
    store = Store(tmp_path / "quiz.db")
    ids = [f"k{(i * 7) % 40:02d}" for i in range(40)]  # ids[p] is the card at position p
    deck = Deck("d", "d", "", (), tuple(Card(c, "basic", "q", "a") for c in ids))
    sync_decks(store, [deck])
    learner = store.learner("ann")
    store.update_learner(learner.id, new_per_day=100)
    learner = store.learner("ann")
    with store.write() as db:
        for card_id in ids[:30]:
            db.execute(
                "INSERT INTO card_state (learner_id, deck_id, card_id, state, due, "
                "last_review, first_review, reps) VALUES (?, 'd', ?, 2, ?, ?, ?, 1)",
                [
                    learner.id,
                    card_id,
                    iso(NOW + timedelta(days=30)),
                    iso(NOW - timedelta(days=3)),
                    iso(NOW - timedelta(days=3)),
                ],
            )
    yield store, deck, learner, ids
    store.close()


def answer(session, item, now=NOW, rating=3):
    session.answer(
        item, session.previews(item, now)[rating], given=None, correct=None, duration_ms=1, now=now
    )


def test_undoing_a_first_answer_makes_the_card_new_again(partly_studied):
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    first = s.next_item(NOW)
    assert first.card.id == ids[30] and first.is_new
    answer(s, first)
    second = s.next_item(NOW)
    assert second.card.id == ids[31]
    answer(s, second)
    s.undo()
    s.undo()
    assert s.next_item(NOW).card.id == ids[30]


def test_a_card_buried_before_its_first_answer_comes_back_the_next_day(partly_studied):
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    s.bury(s.next_item(NOW), NOW)
    later = s.next_item(NOW)
    assert later.card.id == ids[31]
    answer(s, later, rating=4)  # Easy: not due again for days
    assert s.next_item(NOW).card.id == ids[32]
    assert s.next_item(DAY_END + timedelta(minutes=1)).card.id == ids[30]


def test_writes_behind_the_session_are_seen(partly_studied, tmp_path):
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    assert s.next_item(NOW).card.id == ids[30]
    with Store(tmp_path / "quiz.db") as other, other.write() as db:  # another process
        db.execute(
            "DELETE FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, ids[5]]
        )
    assert s.next_item(NOW).card.id == ids[5]
    with store.write() as db:  # the same connection, not through the session
        db.execute(
            "DELETE FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, ids[2]]
        )
    assert s.next_item(NOW).card.id == ids[2]
    again = StudySession(store, learner, [deck])  # another session of the same learner
    answer(again, again.next_item(NOW))
    assert s.next_item(NOW).card.id == ids[5]


@pytest.mark.parametrize("where", ["other connection", "same connection"])
def test_a_write_behind_the_session_is_seen_after_the_session_writes_too(
    partly_studied, tmp_path, where
):
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    first = s.next_item(NOW)
    assert first.card.id == ids[30]
    writer = Store(tmp_path / "quiz.db") if where == "other connection" else store
    with writer.write() as db:
        db.execute(
            "DELETE FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, ids[5]]
        )
    if writer is not store:
        writer.close()
    answer(s, first)  # the session's own write comes in between
    assert s.next_item(NOW).card.id == ids[5]


def test_a_write_by_another_process_while_the_session_waits_to_write_is_seen(
    partly_studied, tmp_path, monkeypatch
):
    """Another process commits while the session's answer waits for the write lock."""
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    first = s.next_item(NOW)
    write = store.write

    @contextmanager
    def after_another_process():
        with Store(tmp_path / "quiz.db") as other, other.write() as db:
            db.execute(
                "DELETE FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, ids[5]]
            )
        with write() as db:
            yield db

    monkeypatch.setattr(store, "write", after_another_process)
    answer(s, first)
    monkeypatch.undo()
    assert s.next_item(NOW).card.id == ids[5]


def test_the_next_new_card_does_not_walk_the_studied_ones_again(partly_studied):
    """After the first new card of a session, the next one is found from where the walk
    stopped: SQLite's VM runs about as many steps whether 30 or 3 cards were studied before."""
    store, deck, learner, ids = partly_studied
    s = StudySession(store, learner, [deck])
    ticks = [0]

    def tick():
        ticks[0] += 1

    store.conn.set_progress_handler(tick, 100)
    first = s.next_item(NOW)
    walked_first = ticks[0]
    answer(s, first)
    ticks[0] = 0
    assert s.next_item(NOW).card.id == ids[31]
    store.conn.set_progress_handler(None, 0)
    # The first walk passes the 30 studied cards; the next starts at the card just answered.
    assert ticks[0] * 3 < walked_first, (ticks[0], walked_first)


def test_plans(store, learner):
    """The new card's walk is a range of cards_position with each row looked up by its key;
    the unburial time comes from card_state_unseen alone; the due cards' walk stops at the end
    of the day."""
    params = {
        "learner": learner.id,
        "decks": '["a", "b"]',
        "deck": "a",
        "from": 0,
        "now": iso(NOW),
        "day_end": iso(DAY_END),
        "exclude": "[]",
    }

    def plan(sql: str) -> list[str]:
        return [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    for excluded in ("", NOT_EXCLUDED):
        steps = plan(FIRST_NEW_CARD.format(excluded=excluded))
        assert steps[0] == "SEARCH c USING INDEX cards_position (deck_id=? AND position>?)", steps
        assert any(
            "sqlite_autoindex_card_state_1 (learner_id=? AND deck_id=? AND card_id=?)" in s
            for s in steps
        ), steps
        assert not any("TEMP B-TREE" in s for s in steps), steps
    assert any("COVERING INDEX card_state_unseen" in s for s in plan(NEXT_UNBURIAL))
    due = plan(f"SELECT cs.* {STUDIED_CARDS} AND {DUE_NOW} ORDER BY cs.due LIMIT 1")
    assert "SEARCH cs USING INDEX card_state_due (learner_id=? AND due<?)" in due, due


def test_a_clock_set_back_does_not_hide_a_card_that_comes_back(partly_studied):
    """At 11:55 a card buried until noon is not new, and the walk passes it; at 12:01 it is
    new again, first in deck order."""
    store, deck, learner, ids = partly_studied
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (learner_id, deck_id, card_id, buried_until) "
            "VALUES (?, 'd', ?, ?)",
            [learner.id, ids[30], iso(NOW)],
        )
    s = StudySession(store, learner, [deck])
    assert s.next_item(NOW + timedelta(minutes=1)).card.id == ids[30]
    assert s.next_item(NOW - timedelta(minutes=5)).card.id == ids[31]
    assert s.next_item(NOW + timedelta(minutes=1)).card.id == ids[30]
