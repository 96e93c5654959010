"""The stats screen mounts, computes in a worker and shows the figures as plain text."""

from __future__ import annotations

from datetime import UTC

from test_stats import NOW, known  # noqa: F401  (the fixture with known reviews)
from textual.app import App
from textual.widgets import Static
from textual_plotext import PlotextPlot

from quiz.tui.screens.stats import StatsScreen


class Host(App):
    """A bare app carrying what the stats screen reads from QuizApp."""

    def __init__(self, store, learner):
        super().__init__()
        self.store = store
        self.learner = learner
        self.clock = lambda: NOW

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(tz=UTC))


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_stats_screen_shows_the_figures(store, learner, known):  # noqa: F811
    app = Host(store, learner)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.figures is not None
        heatmap = text_of(screen, "#stats-heatmap")
        assert "Mon" in heatmap and "· none" in heatmap
        summary = text_of(screen, "#stats-summary")
        assert "75.0%" in summary  # thorn-in-ties: 3 of 4 mature reviews recalled
        assert "Time spent: today 6s, last 7 days 14s, total 39s" in summary
        assert "Suspended" in summary
        assert "Custom study" not in summary  # no cram, reset or leech yet: no line for them
        forecast_title = text_of(screen, "#stats-forecast-title")
        assert "4 cards (1 overdue" in forecast_title
        plot = screen.query_one("#stats-forecast", PlotextPlot)
        assert plot.size.height > 0
        await pilot.press("r")  # refresh computes again without trouble
        await settle(app, pilot)
        assert screen.figures is not None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_cram_resets_and_leeches_have_their_own_line(store, learner, known):  # noqa: F811
    from quiz.store import reviews
    from quiz.study import card_actions

    row = store.one(
        "SELECT deck_id, card_id FROM card_state WHERE learner_id = ? AND last_review IS NOT NULL",
        [learner.id],
    )
    deck_id, card_id = row["deck_id"], row["card_id"]
    card_actions.reset(store, learner, [(deck_id, card_id)], NOW)
    with store.write() as db:
        reviews.add_review(
            db, reviews.Review(learner.id, deck_id, card_id, mode="cram", rating=3,
                               reviewed_at="2025-03-01T10:00:00.000000Z")
        )  # fmt: skip
    app = Host(store, learner)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        summary = text_of(app.screen, "#stats-summary")
        assert "crammed 1" in summary and "resets 1" in summary and "leeches 0" in summary


async def test_learner_text_is_not_markup(store):
    learner = store.learner("[bold]x[/] [@click=app.quit]")
    app = Host(store, learner)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert app.screen.figures.learner == learner.name
        assert app.is_running


async def test_home_opens_stats_with_t(store, learner, catalog, known):  # noqa: F811
    from quiz.tui.app import QuizApp

    app = QuizApp(store, learner, catalog.decks, clock=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "75.0%" in text_of(app.screen, "#stats-summary")
