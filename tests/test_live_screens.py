"""The live host and learner screens under Pilot: each in its own app on its own connection to
one file, following the other through the store."""

from __future__ import annotations

import pytest
from tui_support import MCQ, TRUEFALSE, make_app

from quiz.classroom import live
from quiz.classroom.drill import LIVE_FEEDBACK, DrillSettings, open_drill
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.tui.screens.live_host import LiveHostScreen, tally_text
from quiz.tui.screens.live_join import LiveJoinScreen


@pytest.fixture
def setup(db_path, make_deck):
    deck = make_deck(MCQ + TRUEFALSE, deck_id="mini")
    host = Store(db_path)
    from quiz.content.deck_sync import sync_decks

    sync_decks(host, [deck])
    drill = open_drill(host, [deck], DrillSettings(("mini",), 2, "s1", None, LIVE_FEEDBACK))
    session = live.host_session(host, drill, code="777111", leaderboard="names")
    other = Store(db_path)
    yield host, other, deck, drill, session
    host.close()
    other.close()


def text(screen, selector) -> str:
    return str(screen.query_one(selector).render())


async def settle(pilot, screen, times=3):
    for _ in range(times):
        await screen.poll()
        await pilot.pause()


async def test_host_shows_joins_counts_and_the_tally(setup):
    host, other, deck, drill, session = setup
    nobody = Learner(id=0, uid="", name="host")
    app = make_app(
        host, nobody, [deck], start_screen_factory=lambda: LiveHostScreen(drill, session)
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert "0 joined" in text(screen, "#live-joined")
        ann, bob = other.learner("ann"), other.learner("bob")
        live.join(other, session.code, ann)
        live.join(other, session.code, bob)
        await settle(pilot, screen)
        assert "2 joined" in text(screen, "#live-joined") and "ann" in text(screen, "#live-joined")
        await pilot.press("space")
        assert screen.session.phase == "question"
        q = drill.questions[0]
        live.answer(other, session.code, ann, q, q.card.answer)
        await settle(pilot, screen)
        assert "1 of 2 answered" in text(screen, "#live-count")
        await pilot.press("r")
        await pilot.pause()
        room = live.room(host, live.load_session(host, session.code), drill)
        assert tally_text(room.choices) in text(screen, "#live-tally")
        assert screen.query_one("#present-answer").has_class("-shown")
        await pilot.press("space", "space")  # question 2, then the end
        await pilot.pause()
        assert screen.session.phase == "ended"
        body = text(screen, "#live-end-body")
        assert "Leaderboard" in body and "ann" in body


async def test_learner_waits_answers_once_and_sees_the_reveal(setup):
    host, other, deck, drill, session = setup
    ann = other.learner("ann")
    live.join(other, session.code, ann)
    app = make_app(
        other, ann, [deck], start_screen_factory=lambda: LiveJoinScreen(other, ann, session.code)
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert screen.query_one("#drill").has_class("-waiting")
        assert "Waiting for the host" in text(screen, "#live-wait")
        live.next_question(host, session.code)
        await settle(pilot, screen)
        q = drill.questions[0]
        assert screen.question.card.id == q.card.id and not screen.query_one("#drill").has_class(
            "-waiting"
        )
        key = "1" if q.card.type == "mcq" else "t"
        await pilot.press(key)
        await pilot.press(key)  # a second press records nothing
        await pilot.pause()
        assert host.scalar("SELECT count(*) FROM reviews") == 1
        assert "Waiting for the host to reveal" in text(screen, "#drill-hint")
        assert "Right" not in text(screen, "#drill-verdict")  # nothing until the reveal
        live.reveal(host, session.code)
        await settle(pilot, screen)
        assert screen.phase == "revealed"
        assert ("Right" in text(screen, "#drill-verdict")) or (
            "Wrong" in text(screen, "#drill-verdict")
        )
        live.end_session(host, session.code)
        await settle(pilot, screen)
        assert "ended" in text(screen, "#live-wait")


async def test_home_j_joins_with_a_code(setup):
    host, other, deck, drill, session = setup
    ann = other.learner("ann")
    app = make_app(other, ann, [deck], start="home")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        await pilot.press(*"000000", "enter")
        await pilot.pause()
        assert "no live session" in text(app.screen, "#live-code-error")
        inp = app.screen.query_one("#live-code-in")
        inp.value = ""
        await pilot.press(*"777 111", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveJoinScreen)
        assert live.joined(host, session.code) == ("ann",)


def test_snapshot_host_lobby(setup, snap_compare):
    host, other, deck, drill, session = setup
    live.join(other, session.code, other.learner("ann"))
    nobody = Learner(id=0, uid="", name="host")
    app = make_app(
        host, nobody, [deck], start_screen_factory=lambda: LiveHostScreen(drill, session)
    )
    assert snap_compare(app, terminal_size=(100, 30))
