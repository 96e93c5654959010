"""`quiz drill`: the options reach the drill and the screen it opens (the app itself is not run)."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.store.connection import Store
from quiz.tui.app import QuizApp
from quiz.tui.screens.drill import DrillScreen
from quiz.tui.screens.presenter import PresenterScreen


@pytest.fixture
def opened(monkeypatch):
    """The screens `quiz drill` would open, instead of running the app."""
    screens = []

    def fake_run(self, *args, **kwargs):
        screens.append((self.learner, self.start_screen_factory()))

    monkeypatch.setattr(QuizApp, "run", fake_run)
    return screens


def drill(db, *args):
    return CliRunner().invoke(cli, ["drill", "--db", str(db), *args])


def test_drill_opens_the_drill_screen_for_the_learner(db_path, opened):
    result = drill(
        db_path,
        "timeline",
        "streltsov",
        "-n",
        "5",
        "--time",
        "20",
        "--feedback",
        "end",
        "--learner",
        "ann",
        "--count-in-study",
    )
    assert result.exit_code == 0, result.output
    assert f"5 questions from streltsov, timeline; seed {date.today().isoformat()}" in result.output
    ((learner, screen),) = opened
    assert isinstance(screen, DrillScreen) and learner.name == "ann"
    run = screen.run
    assert run.count_in_study and run.learner.name == "ann"
    s = run.drill.settings
    assert (s.decks, s.count, s.time_limit, s.feedback) == (
        ("streltsov", "timeline"),
        5,
        20.0,
        "end",
    )
    again = drill(
        db_path,
        "streltsov",
        "timeline",
        "--count",
        "5",
        "--time",
        "20",
        "--feedback",
        "end",
        "--learner",
        "bob",
        "--seed",
        date.today().isoformat(),
    )
    assert again.exit_code == 0
    assert opened[1][1].run.drill.id == run.drill.id  # same settings, same drill


def test_present_records_nothing_and_creates_no_learner(db_path, opened):
    result = drill(db_path, "timeline", "--present", "--seed", "x")
    assert result.exit_code == 0, result.output
    ((_learner, screen),) = opened
    assert isinstance(screen, PresenterScreen)
    with Store(db_path) as s:
        assert s.learners() == [] and s.scalar("SELECT count(*) FROM reviews") == 0
        assert (
            s.scalar("SELECT count(*) FROM drills") == 1
        )  # the question list is fixed from now on


def test_bad_input_is_a_one_line_error(db_path, opened):
    unknown = drill(db_path, "no-such-deck", "--learner", "ann")
    assert unknown.exit_code == 2 and unknown.output.startswith("quiz: unknown deck 'no-such-deck'")
    assert drill(db_path, "timeline", "--time", "0").exit_code == 2
    assert drill(db_path, "timeline", "--feedback", "later").exit_code == 2
    assert opened == []
