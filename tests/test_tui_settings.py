"""The settings screen: each setting checked as `quiz learners set` checks it, saved at once."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Switch
from tui_support import TYPED, make_app

from quiz.study.learner_settings import SETTINGS, SettingError, parse
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.settings import SettingsScreen

SIZE = (100, 40)


@pytest.fixture
def decks(make_deck):
    return [make_deck(TYPED)]


def error(screen, name: str) -> str:
    return str(screen.query_one(f"#err-{name}").content)


async def test_retention_rejects_1_5_and_saves_0_85(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        box = screen.query_one("#set-retention", Input)
        assert box.value == "0.9" and screen.focused is box
        box.value = ""
        await pilot.press(*"1.5")
        await pilot.pause()
        assert "0.7 to 0.99" in error(screen, "retention")
        assert store.learner_by_id(learner.id).retention == 0.9  # not saved
        box.value = ""
        await pilot.press(*"0.85")
        await pilot.pause()
        assert error(screen, "retention") == ""
        assert store.learner_by_id(learner.id).retention == 0.85
        assert app.learner.retention == 0.85  # the app studies with it from now on
        assert "0.85" in str(screen.query_one("#settings-saved").content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_every_setting_is_saved_when_valid(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(SettingsScreen())
        await pilot.pause()
        screen = app.screen
        for name, good, bad in (
            ("new_per_day", "5", "-1"),
            ("reviews_per_day", "50", "lots"),
            ("leech_threshold", "4", "0"),
        ):
            box = screen.query_one(f"#set-{name}", Input)
            box.value = bad
            await pilot.pause()
            assert "not saved" in error(screen, name)
            box.value = good
            await pilot.pause()
            assert error(screen, name) == ""
        screen.query_one("#set-leech_action", Select).value = "tag"
        screen.query_one("#set-bury_siblings", Switch).value = False
        await pilot.pause()
        now = store.learner_by_id(learner.id)
        assert (now.new_per_day, now.reviews_per_day, now.leech_threshold) == (5, 50, 4)
        assert now.leech_action == "tag" and now.bury_siblings is False


def test_the_cli_and_the_app_share_the_rules():
    assert parse("retention", "0.85") == 0.85
    for name, text in (("retention", "1.5"), ("retention", "nan"), ("new_per_day", "2.5")):
        with pytest.raises(SettingError):
            parse(name, text)
    assert SETTINGS["retention"].low == 0.7 and SETTINGS["retention"].high == 0.99


def test_learners_set_refuses_what_the_screen_refuses(db_path):
    from click.testing import CliRunner

    from quiz.cli.main import cli

    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db_path), "learners", *args])

    assert run("add", "zed").exit_code == 0
    refused = run("set", "zed", "--retention", "1.5")
    with pytest.raises(SettingError) as e:
        parse("retention", "1.5")
    assert refused.exit_code == 2 and str(e.value) in refused.output
    done = run("set", "zed", "--leech-action", "tag", "--reviews-per-day", "50")
    assert done.exit_code == 0 and "leech action tag" in done.output
    assert run("set", "zed", "--leech-action", "delete").exit_code == 2
