"""Full garbage collections wait for a quiet moment (quiz/tui/idle_gc.py), and the collector is
put back as it was when the app ends."""

from __future__ import annotations

import gc
import time

import pytest
from tui_support import BASIC, make_app

from quiz.tui.idle_gc import CEILING, DUE, MIDDLE_CEILING, NEVER, QUIET, IdleCollector


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector():
    clock = Clock()
    idle = IdleCollector(clock=clock)
    before = gc.get_threshold()
    idle.start()
    try:
        yield idle, clock
    finally:
        idle.stop()
        assert gc.get_threshold() == before


def pile_up(passes: int) -> None:
    """Young collections that each add one to the full-pass backlog (gc.get_count()[2])."""
    for _ in range(passes):
        gc.collect(1)


def test_start_freezes_start_up_objects_and_stops_automatic_full_passes(collector):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == NEVER


def test_a_due_full_pass_waits_for_a_quiet_moment(collector):
    idle, clock = collector
    gc.collect()
    pile_up(DUE)
    idle.input_seen()
    clock.now += QUIET / 2
    assert not idle.tick()  # keys are coming: not now
    clock.now += QUIET
    assert idle.tick()
    assert gc.get_count()[2] == 0 and idle.full_passes == 1


def test_nothing_runs_when_no_full_pass_is_due(collector):
    idle, clock = collector
    gc.collect()
    clock.now += 60
    assert not idle.tick()


def test_a_long_backlog_is_collected_even_while_keys_keep_coming(collector):
    idle, _clock = collector
    gc.collect()
    pile_up(CEILING)
    idle.input_seen()
    assert idle.tick()


def test_middle_passes_wait_for_the_tick_even_while_keys_keep_coming(collector):
    idle, _clock = collector
    python_middle = idle.saved[1]
    assert gc.get_threshold()[1] == MIDDLE_CEILING > python_middle
    gc.collect()
    for _ in range(python_middle):
        gc.collect(0)  # young passes, each one more towards a middle pass
    young_passes = gc.get_count()[1]
    assert young_passes >= python_middle  # Python would have run a middle pass by now
    idle.input_seen()
    idle.tick()
    assert gc.get_count()[1] == 0 and gc.get_count()[2] >= 1  # the tick ran it


class Cycle:
    def __init__(self):
        self.me = self


def test_what_a_screen_freezes_is_freed_after_it_thaws_and_all_is_frozen_again(collector):
    import weakref

    idle, clock = collector
    kept = Cycle()  # what a screen built and closed: garbage only in a cycle
    alive = weakref.ref(kept)
    idle.freeze_now()
    frozen = gc.get_freeze_count()
    del kept
    gc.collect()
    assert alive() is not None  # frozen: no pass frees it
    idle.thaw()
    assert gc.get_freeze_count() == 0
    idle.input_seen()
    assert not idle.tick()  # keys coming: the pass waits
    clock.now += QUIET
    assert idle.tick()
    assert alive() is None
    assert 0 < gc.get_freeze_count() < frozen  # the rest frozen again
    clock.now += QUIET
    assert not idle.tick()  # once


def test_stop_gives_the_frozen_objects_back_to_the_collector():
    before = gc.get_threshold()
    idle = IdleCollector()
    idle.start()
    idle.stop()
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    assert not idle.tick()  # stopped: never collects


async def test_the_app_defers_full_passes_while_it_runs_and_restores_them(
    store, learner, make_deck
):
    before = gc.get_threshold()
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] == NEVER
        pressed = time.monotonic()
        await pilot.press("enter")
        assert app.collector.last_input >= pressed
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


async def test_the_app_checkpoints_the_wal_when_the_learner_pauses(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        before = store.unsaved_writes
        await pilot.press("enter", "3")  # reveal, grade: one answer written
        assert store.unsaved_writes == before + 1
        app.tidy()  # keys just came: not now
        assert store.unsaved_writes == before + 1
        app.collector.last_input -= QUIET
        app.tidy()
        assert store.unsaved_writes == 0
