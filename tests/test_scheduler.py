"""The study queue and FSRS wrapper, against a real store."""

from datetime import UTC, datetime, timedelta

from quiz.study.scheduler import interval_label
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def session(store, learner, decks, now=NOW):
    return StudySession(store, learner, decks, clock=lambda: now)


def test_new_cards_come_in_deck_order(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = session(store, learner, [deck])
    first = s.next_item()
    assert first.card.id == deck.cards[0].id and first.is_new


def test_answer_writes_one_review_and_state(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = session(store, learner, [deck])
    item = s.next_item()
    previews = s.previews(item)
    assert set(previews) == {1, 2, 3, 4}
    s.answer(item, previews[3], given="x", correct=True, duration_ms=1200)
    rows = list(store.db.query("SELECT * FROM reviews"))
    assert len(rows) == 1 and rows[0]["rating"] == 3 and rows[0]["mode"] == "study"
    state = store.one("SELECT * FROM card_state WHERE card_id = ?", [item.card.id])
    assert state["due"] == previews[3].state.due and state["reps"] == 1
    assert s.next_item().card.id == deck.cards[1].id


def test_due_reviews_come_before_new_cards(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = session(store, learner, [deck])
    item = s.next_item()
    s.answer(item, s.previews(item)[4], given=None, correct=True, duration_ms=1)  # Easy: days away
    later = NOW + timedelta(days=40)
    s2 = session(store, learner, [deck], now=later)
    assert s2.next_item().card.id == item.card.id
    assert s2.counts()["thorn-in-ties"].due == 1


def test_daily_new_limit(store, catalog):
    learner = store.learner("bob")
    store.update_learner(learner.id, new_per_day=2)
    learner = store.learner("bob")
    deck = catalog.by_id()["streltsov"]
    s = session(store, learner, [deck])
    for _ in range(2):
        item = s.next_item()
        s.answer(item, s.previews(item)[4], given=None, correct=True, duration_ms=1)
    assert s.new_left_today() == 0
    assert s.counts()["streltsov"].new == 0
    assert s.next_item() is None


def test_undo_restores_exact_state_and_deletes_row(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = session(store, learner, [deck])
    item = s.next_item()
    s.answer(item, s.previews(item)[3], given="a", correct=True, duration_ms=1)
    item2 = s.next_item()
    s.answer(item2, s.previews(item2)[1], given="b", correct=False, duration_ms=1)
    back = s.undo()
    assert back.card.id == item2.card.id
    assert store.scalar("SELECT count(*) FROM reviews") == 1
    assert store.scalar("SELECT count(*) FROM card_state WHERE card_id = ?", [item2.card.id]) == 0


def test_bury_and_suspend(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    s = session(store, learner, [deck])
    first = s.next_item()
    s.bury(first)
    second = s.next_item()
    assert second.card.id != first.card.id
    s.suspend(second)
    assert s.next_item().card.id not in (first.card.id, second.card.id)
    tomorrow = session(store, learner, [deck], now=NOW + timedelta(days=1, hours=1))
    assert tomorrow.next_item().card.id == first.card.id


def test_interval_labels():
    assert interval_label(timedelta(minutes=10)) == "10m"
    assert interval_label(timedelta(hours=5)) == "5h"
    assert interval_label(timedelta(days=3)) == "3d"
    assert interval_label(timedelta(days=400)) == "1.1y"


def counted_from_store(s, now):
    """The progress bar's figure as the store says it: what remaining() must always match."""
    counts = s.counts(now).values()
    return min(sum(c.new for c in counts), s.new_left_today(now)) + sum(
        c.learning + c.due for c in counts
    )


def test_remaining_follows_answers_without_counting_again(store, catalog):
    """remaining() counts once, then moves one card per answer; after every kind of answer,
    with time passing, a bury, a suspend and an undo, it agrees with a fresh count."""
    import random

    learner = store.learner("rem")
    store.update_learner(learner.id, new_per_day=12)
    learner = store.learner("rem")
    decks = [catalog.by_id()["thorn-in-ties"], catalog.by_id()["ukraine-torpedoes"]]
    rng = random.Random(7)
    clock = [NOW]
    s = StudySession(store, learner, decks, clock=lambda: clock[0])
    seen = set()
    for step in range(60):
        now = clock[0]
        assert s.remaining(now) == counted_from_store(s, now), step
        item = s.next_item(now)
        if item is None:
            clock[0] = now + timedelta(minutes=30)
            continue
        seen.add(item.card.id)
        action = rng.random()
        if action < 0.05:
            s.bury(item, now)
        elif action < 0.08:
            s.suspend(item)
        elif action < 0.12 and s.can_undo():
            s.undo()
        else:
            rating = rng.choice((1, 1, 2, 3, 3, 4))
            s.answer(
                item, s.previews(item, now)[rating], given="x", correct=rating > 1, duration_ms=1
            )
        clock[0] = now + timedelta(minutes=rng.choice((0, 1, 5, 11)))
    assert len(seen) == 12  # the whole daily limit of new cards went through their steps
    # The next day: a new daily limit and yesterday's learning cards become reviews.
    tomorrow = NOW + timedelta(days=1, hours=2)
    assert s.remaining(tomorrow) == counted_from_store(s, tomorrow)
