"""Stats: reviews per day as a calendar, due forecast, true retention, card states, time spent.

The figures come from quiz.insight.stats (computed in a worker thread with its own database
connection, so a large history never freezes the screen); this module only lays them out.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from quiz.insight import stats
from quiz.insight import stats_text as st
from quiz.store.connection import Store
from quiz.store.errors import StoreError
from quiz.store.learners import Learner
from quiz.store.times import now_utc
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar


class StatsScreen(Screen):
    CSS_PATH = "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("r", "refresh_stats", "Refresh"),
    ]

    def __init__(
        self, store: Store | None = None, learner: Learner | None = None, *, clock=None, tz=None
    ):
        super().__init__()
        self._store = store
        self._learner = learner
        self._clock = clock
        self._tz = tz  # None: local days (tests pass a fixed zone)
        self.figures: stats.Stats | None = None

    @property
    def store(self) -> Store:
        return self._store or self.app.store

    @property
    def learner(self) -> Learner:
        return self._learner or self.app.learner

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats"):
            yield Static("Reviews per day", classes="section-title", markup=False)
            yield Static(id="stats-heatmap", markup=False)
            yield Static(
                "Due in the next 30 days",
                id="stats-forecast-title",
                classes="section-title",
                markup=False,
            )
            yield PlotextPlot(id="stats-forecast")
            yield Static(id="stats-summary", markup=False)
            yield Static("Counting…", id="stats-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "quiz · Stats"
        self.sub_title = self.learner.name
        self.action_refresh_stats()

    def action_refresh_stats(self) -> None:
        self.query_one("#stats-status", Static).update("Counting…")
        self.query_one("#stats").loading = True
        clock = self._clock or getattr(self.app, "clock", None) or now_utc
        # Two characters per week; leave room for the weekday labels, the panel's border,
        # padding and scrollbar.
        weeks = max(4, min(53, (min(self.app.size.width, 124) - 20) // 2))
        self.compute(self.store.path, self.learner, clock(), weeks)

    @work(thread=True, exclusive=True, group="stats")
    def compute(self, path, learner: Learner, now, weeks: int) -> None:
        worker = get_current_worker()
        try:
            with Store(path) as store:  # a connection cannot cross threads: open our own
                figures = stats.compute(store, learner, now=now, tz=self._tz, weeks=weeks)
        except StoreError as e:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_error, str(e))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, figures)

    def show_error(self, message: str) -> None:
        self.query_one("#stats").loading = False
        self.query_one("#stats-status", Static).update(
            Text(f"Could not read the statistics: {message}")
        )

    def show(self, figures: stats.Stats) -> None:
        self.figures = figures
        self.query_one("#stats").loading = False
        self.query_one("#stats-heatmap", Static).update(
            Text("\n".join(st.heatmap_lines(figures.days)))
        )
        total_due = sum(d.count for d in figures.forecast)
        self.query_one("#stats-forecast-title", Static).update(
            f"Due in the next {len(figures.forecast)} days: {total_due} cards "
            f"({figures.overdue} overdue, counted today)"
        )
        plot = self.query_one("#stats-forecast", PlotextPlot)
        st.draw_forecast(plot.plt, figures.forecast)
        plot.refresh()
        lines = st.summary_lines(figures)
        if figures.crammed or figures.resets or figures.leeches:
            lines += ["", st.custom_study_line(figures)]  # apart from the review figures
        self.query_one("#stats-summary", Static).update(Text("\n".join(lines)))
        self.query_one("#stats-status", Static).update(
            f"As of {figures.now.astimezone(self._tz):%Y-%m-%d %H:%M} · r to refresh"
        )

    def action_back(self) -> None:
        leave = getattr(self.app, "leave", None)
        if leave is not None:
            leave()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()


def from_home(app: App) -> StatsScreen:
    """What the home screen's `t` opens: the app's store and current learner."""
    return StatsScreen()
