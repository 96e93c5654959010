"""Whole-screen snapshots (pytest-textual-snapshot): home, a card before and after the reveal,
and the reader. Deterministic: fresh db, fixed learner and clock, seeded mcq order and fsrs fuzz,
no clock in the header. After a deliberate change: pytest --snapshot-update, then LOOK at them."""

from __future__ import annotations

import random

import pytest
from tui_support import BASIC, CLOZE, MCQ, TRUEFALSE, TYPED, make_app

from quiz.tui.widgets.fast.answer_box import AnswerBox

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def seeded():
    # fsrs fuzzes long intervals with random(): seed it so the Easy button's interval is fixed.
    state = random.getstate()
    random.seed(20250303)
    yield
    random.setstate(state)


@pytest.fixture
def decks(make_deck):
    return [
        make_deck(TYPED + MCQ + CLOZE, deck_id="islands"),
        make_deck(TRUEFALSE + BASIC, deck_id="names"),
    ]


def test_home(snap_compare, store, learner, decks):
    assert snap_compare(make_app(store, learner, decks, start="home"), terminal_size=SIZE)


def test_study_before_reveal(snap_compare, store, learner, decks):
    async def typing(pilot):
        await pilot.pause()  # run_before starts before the first screen has mounted
        field = pilot.app.focused
        assert isinstance(field, AnswerBox)
        await pilot.press(*"Northern")

    assert snap_compare(make_app(store, learner, decks), run_before=typing, terminal_size=SIZE)


def test_study_after_reveal_with_marked_differences(snap_compare, store, learner, decks):
    async def answer_wrong(pilot):
        await pilot.pause()
        pilot.app.focused.value = "Northern Teritory"
        await pilot.press("enter")

    app = make_app(store, learner, decks)
    assert snap_compare(app, run_before=answer_wrong, terminal_size=SIZE)


def test_study_mcq_revealed_small_terminal(snap_compare, store, learner, decks):
    async def pick(pilot):
        await pilot.pause()
        await pilot.press("escape", "enter", "1")  # typed card: not known, Again
        await pilot.pause()
        await pilot.press("b")

    assert snap_compare(make_app(store, learner, decks), run_before=pick, terminal_size=(80, 24))


def test_reader(snap_compare, store, learner, decks):
    async def open_source(pilot):
        await pilot.press("escape", "enter", "s")
        await pilot.pause()

    assert snap_compare(make_app(store, learner, decks), run_before=open_source, terminal_size=SIZE)
