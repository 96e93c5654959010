"""Snapshots of the screens the study snapshots do not cover: drill, presenter, report and stats
before any answer, help, learner, the card browser and the settings. Same determinism as
test_tui_snapshots (fresh db, fixed learner and clock, seeded order). After a deliberate change:
pytest --snapshot-update, then LOOK."""

from __future__ import annotations

import random
from datetime import UTC

import pytest
from tui_support import BASIC, CLOZE, MCQ, NOW, TRUEFALSE, TYPED, make_app

from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.content.deck_sync import sync_decks
from quiz.store.learners import Learner
from quiz.tui.screens.drill import DrillScreen
from quiz.tui.screens.presenter import PresenterScreen
from quiz.tui.screens.report import ReportScreen
from quiz.tui.screens.stats import StatsScreen

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def seeded():
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


def _drill(store, decks):
    sync_decks(store, decks)
    settings = DrillSettings(tuple(d.id for d in decks), 4, "7", None, "now")
    return open_drill(store, decks, settings)


def test_drill(snap_compare, store, learner, decks):
    drill = _drill(store, decks)
    run = DrillRun(store, drill, learner, decks=decks)
    app = make_app(store, learner, decks, start_screen_factory=lambda: DrillScreen(run))
    assert snap_compare(app, terminal_size=SIZE)


def test_presenter(snap_compare, store, learner, decks):
    drill = _drill(store, decks)
    app = make_app(store, learner, decks, start_screen_factory=lambda: PresenterScreen(drill))
    assert snap_compare(app, terminal_size=SIZE)


def test_report_without_drills(snap_compare, store, decks):
    teacher = Learner(0, "", "teacher")
    app = make_app(store, teacher, decks, start_screen_factory=lambda: ReportScreen(store))
    assert snap_compare(app, terminal_size=SIZE)


def test_stats_with_no_reviews(snap_compare, store, learner, decks):
    def screen():
        return StatsScreen(store, learner, clock=lambda: NOW, tz=UTC)

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(store, learner, decks, start_screen_factory=screen)
    assert snap_compare(app, run_before=settle, terminal_size=SIZE)


@pytest.mark.parametrize(
    "key", ["question_mark", "l", "b", "comma"], ids=["help", "learner", "browser", "settings"]
)
def test_from_home(snap_compare, store, learner, decks, key):
    async def open_it(pilot):
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()

    app = make_app(store, learner, decks, start="home")
    assert snap_compare(app, run_before=open_it, terminal_size=SIZE)
