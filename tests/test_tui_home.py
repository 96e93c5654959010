"""The home screen, the learner switch, and how the app is launched (`quiz`, `quiz study`)."""

from __future__ import annotations

import getpass

import pytest
from click.testing import CliRunner
from tui_support import BASIC, MCQ, TRUEFALSE, TYPED, make_app, reviews

from quiz.cli import launch
from quiz.cli.main import cli
from quiz.store import learners
from quiz.store.connection import Store
from quiz.tui.screens import home as home_module
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.learner import LearnerScreen
from quiz.tui.screens.study import StudyScreen
from quiz.tui.textual_internals import notifications
from quiz.tui.widgets.deck_table import DeckTable

SIZE = (100, 40)


@pytest.fixture
def two_decks(make_deck):
    return [make_deck(TYPED + BASIC, deck_id="first"), make_deck(MCQ + TRUEFALSE, deck_id="second")]


def cell(table: DeckTable, deck: str, column: str) -> str:
    return str(table.get_cell(deck, column))


async def test_home_lists_decks_with_counts_all_selected(store, learner, two_decks):
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one(DeckTable)
        assert table.row_count == 2
        assert table.selected == {"first", "second"}
        counts = [cell(table, "first", c) for c in ("new", "learning", "due", "total")]
        assert counts == ["2", "0", "0", "2"]
        assert "ann" in str(screen.query_one("#learner-line").content)


async def test_space_toggles_a_deck_and_study_takes_the_selection(store, learner, two_decks):
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DeckTable)
        await pilot.press("space")  # cursor on the first deck: leave it out
        assert table.selected == {"second"}
        assert cell(table, "first", "sel") == "[ ]"
        await pilot.press("enter")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen) and [d.id for d in study.decks] == ["second"]
        assert study.item.deck_id == "second"
        # answer one card, go back: home shows the new counts
        await pilot.press("escape", "enter", "4")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert cell(table, "second", "new") == "1"
        assert table.selected == {"second"}  # the selection survives the trip
        await pilot.press("a")  # all
        assert table.selected == {"first", "second"}
        await pilot.press("a")  # none
        assert table.selected == set()
        await pilot.press("s")
        assert isinstance(app.screen, HomeScreen)  # nothing selected: nothing to study
    assert len(reviews(store)) == 1


async def test_switch_to_a_new_learner(store, learner, two_decks):
    store.learner("[bold]bea")  # a name that looks like markup is shown as typed
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, LearnerScreen)
        assert set(dialog.names) == {"[bold]bea", "ann"}
        for ch in "cy":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.learner.name == "cy"
        assert store.get_meta("learner") == "cy"
        assert "cy" in str(app.screen.query_one("#learner-line").content)
        assert app.sub_title == "cy"
        # and pick an existing one from the list
        await pilot.press("l", "tab", "down", "enter")
        await pilot.pause()
        assert app.learner.name in ("[bold]bea", "ann")
        await pilot.press("l", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_drill_and_stats_fall_back_to_a_hint(store, learner, two_decks, monkeypatch):
    monkeypatch.setattr(home_module, "optional_screen", lambda name, app: None)
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "t")
        await pilot.pause()
        messages = notifications(app)
        assert any("quiz drill" in m for m in messages)
        assert any("quiz stats" in m for m in messages)
        assert isinstance(app.screen, HomeScreen)


async def test_drill_screen_is_opened_when_provided(store, learner, two_decks, monkeypatch):
    from textual.screen import Screen

    class FakeDrill(Screen):
        pass

    monkeypatch.setattr(
        home_module, "optional_screen", lambda name, app: FakeDrill() if name == "drill" else None
    )
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, FakeDrill)


async def test_start_screen_factory(store, learner, two_decks):
    from textual.screen import Screen
    from textual.widgets import Static

    class Other(Screen):
        def compose(self):
            yield Static("other", id="other")

    app = make_app(store, learner, two_decks, start="home", start_screen_factory=Other)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, Other)
        app.go_home()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# -- launching --------------------------------------------------------------------------------


def test_default_learner_is_the_login_name_then_the_last_one(db_path, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "dora")
    with Store(db_path) as store:
        assert launch.resolve_learner(store, None).name == "dora"
        assert launch.resolve_learner(store, "eve").name == "eve"
        assert launch.resolve_learner(store, None).name == "eve"  # remembered in meta


def test_login_name_falls_back_to_me(monkeypatch):
    def broken():
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", broken)
    assert learners.login_name() == "me"


def test_study_unknown_deck_is_a_one_line_error(db_path):
    result = CliRunner().invoke(cli, ["study", "no-such-deck", "--db", str(db_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "unknown deck 'no-such-deck'" in lines[0] and "thorn-in-ties" in lines[0]


def test_study_command_opens_the_study_screen(db_path, monkeypatch):
    opened = {}

    def fake_run(self):
        opened.update(start=self.start, learner=self.learner.name, decks=[d.id for d in self.decks])

    monkeypatch.setattr("quiz.tui.app.QuizApp.run", fake_run)
    args = ["study", "thorn-in-ties", "--learner", "fay", "--db", str(db_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert opened == {"start": "study", "learner": "fay", "decks": ["thorn-in-ties"]}
    with Store(db_path) as store:  # the decks were synced and the learner created
        assert store.scalar("SELECT count(*) FROM cards WHERE deck_id = 'thorn-in-ties'") > 0
        assert store.learner("fay", create=False) is not None
    result = CliRunner().invoke(cli, ["--db", str(db_path)])  # `quiz`: home, last learner
    assert result.exit_code == 0, result.output
    assert opened["start"] == "home" and opened["learner"] == "fay" and len(opened["decks"]) > 1


async def test_switching_to_a_removed_learner_is_refused(store, learner, two_decks):
    """The learner switch follows the command line's rule (quiz.store.learners.use_learner): a
    removed learner is not brought back by typing the name; the learner stays as it was."""
    from quiz.store.times import iso, now_utc

    gone = store.learner("gus")
    store.update_learner(gone.id, removed_at=iso(now_utc()))
    app = make_app(store, learner, two_decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "g", "u", "s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.learner.name == "ann" and store.get_meta("learner") != "gus"
        assert any("was removed" in m for m in notifications(app))
