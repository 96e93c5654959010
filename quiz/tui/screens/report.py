"""The teacher's report on screen: learners, drills, and the questions of the drill under the
cursor, the same figures as `quiz report` (quiz.classroom.report computes them)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from quiz.classroom import report, report_records
from quiz.classroom import report_format as rf
from quiz.store.connection import Store
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.fast.key_footer import KeyFooter


def _fill(
    table: DataTable, head: list[str], rows: list[list[str]], keys: list[str] | None = None
) -> None:
    table.clear(columns=True)
    table.add_columns(*head)
    for i, row in enumerate(rows):
        # Text, not str: a DataTable reads str cells as markup, and names and answers are untrusted.
        table.add_row(*(Text(cell) for cell in row), key=keys[i] if keys else None)


class ReportScreen(Screen[None]):
    CSS_PATH = "classroom.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, store: Store, *, learner: str | None = None, drill_id: int | None = None):
        super().__init__()
        self.store = store
        self.learner = learner
        self.drill_id = drill_id
        self.drills: dict[str, report_records.DrillSummary] = {}
        self.items: dict[
            int, report_records.DrillStats
        ] = {}  # item analyses computed so far, by drill id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report"):
            yield Static("Learners", classes="report-title")
            yield DataTable(id="report-learners", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Drills (move the cursor to see a drill's questions)", classes="report-title"
            )
            yield DataTable(id="report-drills", cursor_type="row", zebra_stripes=True)
            yield Static(id="report-drill-title", classes="report-title")
            yield DataTable(id="report-items", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content(
                    "facility = share right; discrimination = correlation with the rest "
                    "of the drill. Flags: easy > 90%, hard < 20%, negative < 0, weak < 0.3. "
                    "Item figures use learners who answered every question."
                ),
                classes="report-hint",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        ensure_css(self)
        view = report.overview(self.store, self.learner, self.drill_id)
        _fill(self.query_one("#report-learners", DataTable), *rf.learner_table(view.learners))
        self.drills = {str(d.id): d for d in view.drills}
        if view.shown is not None:
            self.items[view.shown.id] = view.shown
        head, rows = rf.drill_table(view.drills)
        table = self.query_one("#report-drills", DataTable)
        _fill(table, head, rows, keys=[str(d.id) for d in view.drills])
        self.show_items(view.drills[0] if view.drills else None)
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "report-drills" and event.row_key.value in self.drills:
            self.show_items(self.drills[event.row_key.value])

    def show_items(self, drill: report_records.DrillSummary | None) -> None:
        title = self.query_one("#report-drill-title", Static)
        items = self.query_one("#report-items", DataTable)
        if drill is None:
            title.update("No drills yet (run one with `quiz drill`).")
            items.clear(columns=True)
            return
        title.update(
            Content(
                f"Drill {drill.id}: {drill.questions} questions, "
                f"{drill.complete} complete attempt(s), "
                f"mean {rf.pct(drill.mean_score)}, Cronbach's alpha {rf.num(drill.alpha)}"
            )
        )
        # Items only for the drill under the cursor (a few ms each), not for all of them upfront.
        stats = self.items.get(drill.id)
        if stats is None:
            stats = self.items[drill.id] = report.drill_stats(self.store, drill.id)
        _fill(items, *rf.item_table(stats))

    def action_close(self) -> None:
        close(self)


def from_home(app: App) -> Screen:
    return ReportScreen(app.store)
