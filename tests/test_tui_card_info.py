"""Card info (`i` in the browser and on the study screen after the reveal), and the leech
notice on the study screen."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from tui_support import BASIC, TYPED, in_review, make_app, state

from quiz.store import reviews as store_reviews
from quiz.tui.screens.browser import BrowserScreen
from quiz.tui.screens.card_info import CardInfoScreen
from quiz.tui.screens.study import StudyScreen
from quiz.tui.textual_internals import notifications

SIZE = (120, 40)


@pytest.fixture
def decks(make_deck):
    return [make_deck(TYPED + BASIC, deck_id="first")]


def table_rows(screen, table_id: str) -> list[list[str]]:
    table = screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_i_after_the_reveal_then_the_reviews_in_the_browser(store, learner, decks):
    app = make_app(store, learner, decks, start="study")
    async with app.run_test(size=SIZE) as pilot:
        study = app.screen
        assert study.item.card.id == "typed-name"
        await pilot.press("i")  # before the reveal: a letter typed into the answer
        assert app.screen is study
        await pilot.press(*"[red]Kurils", "enter")
        assert study.phase == "revealed"
        await pilot.press("i")
        await pilot.pause()
        info = app.screen
        assert isinstance(info, CardInfoScreen) and info.card_id == "typed-name"
        assert info.info.reviews == [] and info.info.state == "new"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is study and study.phase == "revealed"
        await pilot.press("1")  # Again
        await pilot.pause()
        app.push_screen(BrowserScreen())
        await pilot.pause()
        await pilot.press("i")  # the cursor's card: typed-name
        await pilot.pause()
        info = app.screen
        assert isinstance(info, CardInfoScreen)
        (row,) = table_rows(info, "#info-reviews")
        date, kind, rating, given, right, seconds, interval = row
        assert (date, kind, rating, given, right) == (
            "2025-03-03 09:30",
            "study",
            "Again",
            "i[red]Kurils",  # the answer given, as typed (never markup)
            "no",
        )
        assert seconds.endswith("s") and interval != "—"
        assert not info.query_one("#info-drills", DataTable).display  # no drill answers
        facts = str(info.query_one("#info-facts").content)
        assert "learning" in facts and "Lapses     0" in facts
        assert info.info.stability is not None and info.info.retrievability is not None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)


async def test_a_leech_is_announced_on_the_study_screen(store, learner, decks):
    deck = decks[0]
    make_app(store, learner, decks)  # syncs the deck
    lapses = learner.leech_threshold - 1
    with store.write() as db:
        store_reviews.put_state(
            db,
            learner.id,
            deck.id,
            "typed-name",
            in_review(lapses),
        )
    app = make_app(store, learner, decks, start="study")
    async with app.run_test(size=SIZE) as pilot:
        study = app.screen
        assert isinstance(study, StudyScreen) and study.item.card.id == "typed-name"
        await pilot.press(*"wrong", "enter", "1")
        await pilot.pause()
        (notice,) = [n for n in notifications(app) if "leech" in n]
        assert f"lapsed {learner.leech_threshold} times" in notice and "suspended" in notice
        assert state(store, learner, "typed-name")["suspended"] == 1
