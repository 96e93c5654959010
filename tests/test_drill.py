"""Drills in plain Python: the seeded plan, one drills row per settings, answers recorded as
they are given, time factor, --count-in-study, and a drill taken up again where it stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from tui_support import BASIC, CLOZE, MCQ, TRUEFALSE, TYPED, in_review

from quiz.classroom.drill import (
    DrillError,
    DrillRun,
    DrillSettings,
    load_drill,
    open_drill,
    plan_questions,
)
from quiz.content.deck_sync import sync_decks
from quiz.store import reviews

NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def settings(decks=("timeline", "streltsov"), count=8, seed="42", time_limit=None, feedback="now"):
    return DrillSettings(tuple(decks), count, seed, time_limit, feedback)


def plan_ids(plan):
    return [(q.deck_id, q.card.id, q.choices) for q in plan]


def test_same_settings_same_plan_any_deck_order(catalog):
    a = plan_questions(catalog.decks, settings())
    b = plan_questions(list(reversed(catalog.decks)), settings(decks=("streltsov", "timeline")))
    assert plan_ids(a) == plan_ids(b)
    assert len(a) == 8 and [q.number for q in a] == list(range(1, 9))
    assert plan_ids(plan_questions(catalog.decks, settings(seed="43"))) != plan_ids(a)


def test_plan_is_the_same_in_another_python_process(catalog):
    """No hash(): a different PYTHONHASHSEED (another machine, another run) draws the same."""
    code = (
        "import json; from quiz.content.catalog import load_catalog; "
        "from quiz.classroom.drill import *; "
        "p = plan_questions(load_catalog().decks, "
        "DrillSettings(('timeline', 'streltsov'), 8, '42'));"
        "print(json.dumps([[q.deck_id, q.card.id, list(q.choices)] for q in p]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    here = [
        [q.deck_id, q.card.id, list(q.choices)] for q in plan_questions(catalog.decks, settings())
    ]
    assert json.loads(out.stdout) == here


def test_mcq_choices_are_shuffled_by_the_seed(catalog):
    plans = [
        plan_questions(catalog.decks, settings(decks=("authors-compared",), count=40, seed=s))
        for s in ("a", "b", "c")
    ]
    mcqs = [q for q in plans[0] if q.card.type == "mcq"]
    assert mcqs and all(sorted(q.choices) == sorted(q.card.choices) for q in mcqs)
    assert any(q.choices != q.card.choices for q in mcqs)  # not left in file order


def test_basic_cards_are_left_out(make_deck, store):
    deck = make_deck(BASIC + TYPED + MCQ)
    sync_decks(store, [deck])
    plan = plan_questions([deck], settings(decks=("mini",), count=10))
    assert sorted(q.card.id for q in plan) == ["mcq-russian-name", "typed-name"]
    only_basic = make_deck(BASIC, deck_id="only-basic")
    sync_decks(store, [only_basic])
    with pytest.raises(DrillError, match="basic cards are left out"):
        open_drill(store, [only_basic], settings(decks=("only-basic",)))


def test_same_settings_are_one_drills_row(store, catalog):
    first = open_drill(store, catalog.decks, settings(time_limit=20, feedback="end"))
    again = open_drill(
        store,
        catalog.decks,
        settings(decks=("streltsov", "timeline"), time_limit=20.0, feedback="end"),
    )
    other = open_drill(store, catalog.decks, settings(time_limit=30, feedback="end"))
    assert first.id == again.id and first.uid == again.uid
    assert other.id != first.id
    assert store.scalar("SELECT count(*) FROM drills") == 2
    row = store.one("SELECT * FROM drills WHERE id = ?", [first.id])
    assert json.loads(row["decks"]) == ["streltsov", "timeline"] and row["seed"] == "42"
    assert row["time_limit"] == 20 and row["feedback"] == "end" and row["count"] == 8
    assert [[q["deck"], q["card"]] for q in json.loads(row["questions"])] == [
        [q.deck_id, q.card.id] for q in first.questions
    ]


def test_stored_questions_win_over_an_edited_deck(store, make_deck):
    deck = make_deck(TYPED + MCQ + TRUEFALSE)
    sync_decks(store, [deck])
    drill = open_drill(store, [deck], settings(decks=("mini",), count=3))
    edited = make_deck(TYPED + MCQ + TRUEFALSE + CLOZE)  # a card added since
    sync_decks(store, [edited])
    again = open_drill(store, [edited], settings(decks=("mini",), count=3))
    assert plan_ids(again.questions) == plan_ids(drill.questions)
    assert load_drill(store, drill.id, [edited]).questions == again.questions


def test_bad_settings_say_what_is_wrong():
    for kwargs, message in [
        ({"count": 0}, "--count"),
        ({"time_limit": 0}, "--time"),
        ({"feedback": "later"}, "--feedback"),
        ({"decks": ()}, "at least one deck"),
    ]:
        with pytest.raises(DrillError, match=message):
            settings(**kwargs)


def run_for(store, make_deck, learner, **kwargs):
    deck = make_deck(TYPED + MCQ + TRUEFALSE + CLOZE)
    sync_decks(store, [deck])
    opts = {k: kwargs.pop(k) for k in ("time_limit", "feedback") if k in kwargs}
    drill = open_drill(store, [deck], settings(decks=("mini",), count=4, **opts))
    return DrillRun(store, drill, learner, decks=[deck], clock=lambda: NOW, **kwargs)


def by_type(run, ctype):
    return next(q for q in run.drill.questions if q.card.type == ctype)


def test_each_answer_is_a_drill_review_row(store, learner, make_deck):
    run = run_for(store, make_deck, learner)
    out = run.answer(by_type(run, "mcq"), "Southern Kurils", 2500)
    assert out.verdict.correct and out.answer.correct
    run.answer(by_type(run, "truefalse"), True, 1200)  # the statement is false
    rows = list(store.db.query("SELECT * FROM reviews ORDER BY id"))
    assert [(r["card_id"], r["given"], r["correct"], r["duration_ms"]) for r in rows] == [
        ("mcq-russian-name", "Southern Kurils", 1, 2500),
        ("tf-japanese-name", "True", 0, 1200),
    ]
    assert all(
        r["mode"] == "drill"
        and r["drill_id"] == run.drill.id
        and r["rating"] is None
        and r["learner_id"] == learner.id
        for r in rows
    )
    assert store.scalar("SELECT count(*) FROM card_state") == 0  # schedules untouched


def test_time_out_is_a_wrong_blank_answer(store, learner, make_deck):
    run = run_for(store, make_deck, learner, time_limit=10)
    run.time_out(by_type(run, "typed"), 10_000)
    row = store.one("SELECT given, correct, duration_ms FROM reviews")
    assert row == {"given": "", "correct": 0, "duration_ms": 10_000}
    assert run.answers()[by_type(run, "typed").number].timed_out


def test_an_answer_after_the_limit_counts_as_none(store, learner, make_deck):
    """The drill's rule, not the screen's: given after the countdown ran out, an answer is a
    blank, wrong, and its time is the limit; within it, it is graded as usual."""
    run = run_for(store, make_deck, learner, time_limit=10)
    run.submit(by_type(run, "mcq"), "Southern Kurils", 10.5)
    run.submit(by_type(run, "truefalse"), False, 4.2)
    rows = list(store.db.query("SELECT given, correct, duration_ms FROM reviews ORDER BY id"))
    assert rows == [
        {"given": "", "correct": 0, "duration_ms": 10_000},
        {"given": "False", "correct": 1, "duration_ms": 4200},
    ]


def test_time_factor_stretches_the_limit(store, make_deck):
    bob = store.learner("bob")
    store.update_learner(bob.id, time_factor=1.5)
    run = run_for(store, make_deck, store.learner("bob"), time_limit=20)
    assert run.time_limit == 30
    assert run_for(store, make_deck, store.learner("cy")).time_limit is None


def test_count_in_study_moves_the_schedule(store, learner, make_deck):
    run = run_for(store, make_deck, learner, count_in_study=True)
    run.answer(by_type(run, "typed"), "Northern Territories", 3000)
    run.answer(by_type(run, "mcq"), "Sakhalin", 3000)
    rows = {r["card_id"]: r for r in store.db.query("SELECT * FROM reviews")}
    assert (
        rows["typed-name"]["rating"] == 3 and rows["mcq-russian-name"]["rating"] == 1
    )  # Good / Again
    assert all(r["mode"] == "drill" and r["drill_id"] == run.drill.id for r in rows.values())
    states = {r["card_id"]: r for r in store.db.query("SELECT * FROM card_state")}
    assert set(states) == {"typed-name", "mcq-russian-name"}
    assert all(s["reps"] == 1 and s["last_review"] for s in states.values())


@pytest.mark.parametrize("action", ["suspend", "tag"])
def test_a_drill_lapse_that_counts_in_study_applies_the_leech_rule(store, make_deck, action):
    """The same rule as a study lapse (quiz.study.limits), in the drill answer's transaction."""
    ann = store.learner("ann")
    store.update_learner(ann.id, leech_threshold=3, leech_action=action)
    ann = store.learner("ann")
    run = run_for(store, make_deck, ann, count_in_study=True)
    mcq, typed = by_type(run, "mcq"), by_type(run, "typed")
    with store.write() as db:
        for q in (mcq, typed):
            reviews.put_state(db, ann.id, q.deck_id, q.card.id, in_review(lapses=2))
    run.answer(mcq, "Sakhalin", 3000)  # wrong: Again, the third lapse
    run.answer(typed, "Northern Territories", 3000)  # right: Good, no lapse
    states = {r["card_id"]: r for r in store.db.query("SELECT * FROM card_state")}
    lapsed, kept = states[mcq.card.id], states[typed.card.id]
    assert (lapsed["lapses"], lapsed["leech"]) == (3, 1)
    assert lapsed["suspended"] == (1 if action == "suspend" else 0)
    assert (kept["lapses"], kept["leech"], kept["suspended"]) == (2, 0, 0)
    modes = [r["mode"] for r in store.db.query("SELECT mode FROM reviews")]
    assert modes == ["drill", "drill"]  # one row per answer


def test_a_drill_taken_up_again_skips_what_was_answered(store, learner, make_deck):
    run = run_for(store, make_deck, learner)
    first = run.drill.questions[0]
    run.answer(first, "whatever", 100)
    again = DrillRun(store, run.drill, learner)
    assert [q.number for q in again.remaining()] == [2, 3, 4]
    # A second answer to the same question (e.g. merged from another machine) does not count.
    again.answer(first, first.card.answer_text(), 100)
    assert again.results().answers[1].given == "whatever"


def test_results_score_and_what_to_review(store, learner, make_deck):
    run = run_for(store, make_deck, learner)
    wrong = {"mcq": "Sakhalin", "truefalse": True}  # the statement is false
    for q in run.drill.questions:
        run.answer(q, wrong.get(q.card.type, q.card.answer_text()), 1000)
    results = run.results()
    assert results.complete and results.total == 4 and results.score == 2
    assert sorted(q.card.type for q in results.missed()) == ["mcq", "truefalse"]
    (review,) = results.to_review()
    assert review.deck_id == "mini" and review.missed == 2
