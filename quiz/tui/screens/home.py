"""Home: the decks with their counts, the learner, and the ways in (study, drill, stats)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from quiz.study.queue import today_totals
from quiz.study.session import StudySession
from quiz.tui.widgets.deck_table import DeckRow, DeckTable
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar


def optional_screen(name: str, app) -> Screen | None:
    """A screen another part of quiz may provide, imported only when asked for:
    quiz.tui.screens.<name> with `from_home(app) -> Screen`, or a `<Name>Screen()` class."""
    module_name = f"quiz.tui.screens.{name}"
    if importlib.util.find_spec(module_name) is None:
        return None
    module = importlib.import_module(module_name)
    from_home = getattr(module, "from_home", None)
    if from_home is not None:
        return from_home(app)
    cls = getattr(module, f"{name.capitalize()}Screen", None)
    try:
        return cls() if cls is not None else None
    except TypeError:  # it needs arguments home cannot give: fall back to the command line
        return None


class HomeButton(Button):
    can_focus = False  # keys belong to the deck table and the screen; the mouse still clicks


class HomeScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "study", "Study"),
        Binding("a", "select_all", "All / none", show=False),
        Binding("l", "learner", "Learner"),
        Binding("d", "drill", "Drill"),
        Binding("t", "stats", "Stats"),
        Binding("b", "browse", "Browse", tooltip="Every card: find, inspect, suspend, reset"),
        Binding("comma", "settings", "Settings", key_display=","),
        Binding("w", "author", "Write cards"),
        Binding("j", "join_live", "Join a live drill"),
        Binding("q", "quit_app", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="home", classes="panel"):
            yield Static(id="learner-line")
            yield DeckTable(id="decks")
            yield Static(id="selection-line")
            with Horizontal(id="home-actions"):
                yield HomeButton("Study  s", id="do-study", variant="primary")
                yield HomeButton("Drill  d", id="do-drill")
                yield HomeButton("Stats  t", id="do-stats")
                yield HomeButton("Learner  l", id="do-learner")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "quiz · Home"
        self.query_one(DeckTable).focus()

    def on_screen_resume(self) -> None:
        # Counts (slow on a large collection: bench/RESULTS.md) once per showing: the first
        # (Textual resumes a screen when it is first shown too, every deck selected) and each
        # return, e.g. from studying or from the learner switch (its choice is applied before
        # home resumes).
        self.refresh_counts(select_all=not self.counted)
        self.counted = True

    counted = False  # counts shown at least once

    def refresh_counts(self, *, select_all: bool = False) -> None:
        app = self.app
        session = StudySession(app.store, app.learner, app.decks, clock=app.clock)
        counts = session.counts()
        self.new_left = session.new_left_today()
        rows = [
            DeckRow(d.id, d.title, c.new, c.learning, c.due, c.total)
            for d in app.decks
            for c in [counts[d.id]]
        ]
        self.query_one(DeckTable).load(rows, select_all=select_all)
        self.query_one("#learner-line", Static).update(
            Content.assemble(
                ("Learner  ", "dim"), (app.learner.name, "bold"), ("   l to switch", "dim")
            )
        )
        self.update_selection_line()

    @on(DeckTable.SelectionChanged)
    def update_selection_line(self) -> None:
        table = self.query_one(DeckTable)
        chosen = [table.rows_by_id[d] for d in table.rows_by_id if d in table.selected]
        due, new = today_totals(chosen, self.new_left)
        text = (
            f"{len(chosen)} of {len(table.rows_by_id)} decks selected · {due} due · "
            f"up to {new} new today"
        )
        self.query_one("#selection-line", Static).update(Content.styled(text, "dim"))

    def selected_decks(self):
        table = self.query_one(DeckTable)
        return [d for d in self.app.decks if d.id in table.selected]

    @on(DeckTable.StudyRequested)
    def action_study(self) -> None:
        from quiz.tui.screens.study import StudyScreen

        decks = self.selected_decks()
        if not decks:
            self.notify("Select a deck first (Space).", severity="warning")
            return
        self.app.push_screen(StudyScreen(decks))

    def action_select_all(self) -> None:
        table = self.query_one(DeckTable)
        table.select_all(len(table.selected) < len(table.rows_by_id))

    def action_learner(self) -> None:
        from quiz.tui.screens.learner import LearnerScreen

        names = [learner.name for learner in self.app.store.learners()]
        self.app.push_screen(LearnerScreen(names, self.app.learner.name), self.chose_learner)

    def chose_learner(self, name: str | None) -> None:
        from quiz.tui.served import PinScreen, needs_pin

        learner_id = needs_pin(self.app, name) if name else None
        if learner_id is not None:  # a served tab: that learner's PIN first
            self.app.push_screen(
                PinScreen(learner_id, name), lambda ok: self.switch_to(name) if ok else None
            )
            return
        self.switch_to(name)

    def switch_to(self, name: str | None) -> None:
        from quiz.store.learners import LearnerRemoved

        if name:
            try:
                learner = self.app.switch_learner(name)
            except LearnerRemoved as e:
                self.notify(str(e), severity="error", markup=False)
                return
            self.notify(f"Learner: {learner.name}", markup=False)

    def action_browse(self) -> None:
        from quiz.tui.screens.browser import BrowserScreen

        self.app.push_screen(BrowserScreen())

    def action_settings(self) -> None:
        from quiz.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_drill(self) -> None:
        self.open_optional("drill", "Drills run from the command line: use `quiz drill`")

    def action_join_live(self) -> None:
        self.open_optional("live_join", "Join a live drill with `quiz live join CODE`")

    def action_stats(self) -> None:
        self.open_optional("stats", "Statistics are on the command line: use `quiz stats`")

    def action_author(self) -> None:
        self.open_optional("author", "Write cards from the command line: use `quiz author`")

    def open_optional(self, name: str, fallback: str) -> None:
        screen = optional_screen(name, self.app)
        if screen is None:
            self.notify(fallback, markup=False)
        else:
            self.app.push_screen(screen)

    def action_quit_app(self) -> None:
        self.app.exit()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        actions = {
            "do-study": self.action_study,
            "do-drill": self.action_drill,
            "do-stats": self.action_stats,
            "do-learner": self.action_learner,
        }
        action = actions.get(event.button.id)
        if action:
            action()
