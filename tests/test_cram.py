"""Cram: the cards given, answers recorded as 'cram' reviews, card_state never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quiz.study.cram import CramSession
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def states(store):
    return list(store.rows("SELECT * FROM card_state ORDER BY deck_id, card_id"))


def studied(store, learner, deck):
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    for rating in (4, 1):
        item = s.next_item()
        s.answer(item, s.previews(item)[rating], given=None, correct=None, duration_ms=1)


def test_cram_asks_exactly_the_cards_given_and_leaves_the_schedule(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    studied(store, learner, deck)
    before = states(store)
    keys = [(deck.id, deck.cards[i].id) for i in (5, 0, 7)]
    s = CramSession(store, learner, [deck], keys, clock=lambda: NOW + timedelta(minutes=1))
    assert s.is_cram and not StudySession.is_cram
    assert s.remaining() == 3 and s.counts()[deck.id].due == 3
    asked = []
    while (item := s.next_item()) is not None:
        asked.append((item.deck_id, item.card.id))
        rating = 1 if len(asked) == 1 else 3  # the first one failed once: it comes back
        p = s.previews(item)[rating]
        assert p.state == item.state
        s.answer(item, p, given="g", correct=rating > 1, duration_ms=700)
    assert asked == [keys[0], keys[1], keys[2], keys[0]]
    assert states(store) == before
    rows = list(store.rows("SELECT mode, rating, state_before FROM reviews WHERE mode = 'cram'"))
    assert [r["rating"] for r in rows] == [1, 3, 3, 3]
    assert all(r["state_before"] is None for r in rows)
    assert s.last_leech is None


def test_cram_undo_and_skip(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    keys = [(deck.id, c.id) for c in deck.cards[:2]]
    s = CramSession(store, learner, [deck], keys, clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[3], given=None, correct=None, duration_ms=1)
    assert s.can_undo() and s.remaining() == 1
    back = s.undo()
    assert back.card.id == item.card.id and s.remaining() == 2
    assert store.scalar("SELECT count(*) FROM reviews") == 0
    s.suspend(s.next_item())
    s.bury(s.next_item())
    assert s.next_item() is None and states(store) == []
    s.undo()
    assert s.next_item().card.id == keys[1][1]


def test_unknown_keys_are_left_out(store, learner, catalog):
    deck = catalog.by_id()["timeline"]
    s = CramSession(store, learner, [deck], [(deck.id, "nope"), ("x", "y")], clock=lambda: NOW)
    assert s.next_item() is None and s.remaining() == 0


def test_cram_and_reset_rows_stay_out_of_the_review_figures(store, learner, catalog):
    from quiz.insight import stats
    from quiz.study import card_actions

    deck = catalog.by_id()["timeline"]
    at = NOW
    studied(store, learner, deck)  # two study reviews
    before = stats.compute(store, learner, now=at)
    keys = [(deck.id, c.id) for c in deck.cards[:3]]
    s = CramSession(store, learner, [deck], keys, clock=lambda: at)
    while (item := s.next_item()) is not None:
        s.answer(item, s.previews(item)[3], given=None, correct=None, duration_ms=5000)
    card_actions.reset(store, learner, [keys[0]], at)
    store.conn.execute(
        "UPDATE card_state SET leech = 1 WHERE learner_id = ? AND card_id = ?",
        [learner.id, deck.cards[1].id],
    )
    after = stats.compute(store, learner, now=at)
    assert after.reviews_in_window == before.reviews_in_window == 2
    (ret,) = [r for r in after.retention if r.deck_id == deck.id]
    (old,) = [r for r in before.retention if r.deck_id == deck.id]
    assert (ret.reviews, ret.mature, ret.recalled) == (old.reviews, old.mature, old.recalled)
    assert (after.crammed, after.resets, after.leeches) == (3, 1, 1)
    assert after.time.total_ms == before.time.total_ms + 15000  # cram time is time spent
    data = after.to_dict()
    assert (data["crammed"], data["resets"], data["leeches"]) == (3, 1, 1)
    # the forecast comes from card_state: cram moved nothing, the reset card left it
    assert sum(d.count for d in after.forecast) == sum(d.count for d in before.forecast) - 1


def test_the_stats_queries_read_the_partial_index(store):
    from quiz.insight import stats

    def plan(sql, params):
        return " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))

    assert "reviews_cram_reset" in plan(stats.EXTRA_TOTALS_SQL, [1])
    assert "reviews_cram_reset" in plan(stats.EXTRA_DAY_COUNTS_SQL, {"learner": 1, "pairs": "[]"})
    assert "card_state_leech" in plan(stats.LEECHES_SQL, [1])


def test_passage_accuracy_counts_cram_answers_not_resets(store, learner, catalog):
    from quiz.classroom.passages import _answer_totals
    from quiz.study import card_actions

    deck = catalog.by_id()["timeline"]
    studied(store, learner, deck)
    first = deck.cards[0]
    s = CramSession(store, learner, [deck], [(deck.id, first.id)], clock=lambda: NOW)
    item = s.next_item()
    s.answer(item, s.previews(item)[3], given=None, correct=True, duration_ms=1)
    card_actions.reset(store, learner, [(deck.id, first.id)], NOW)
    answers, right, _who = _answer_totals(store, None)[(deck.id, first.id)]
    assert (answers, right) == (2, 2)  # the study answer (Easy) and the cram one
