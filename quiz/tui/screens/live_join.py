"""A learner in a live session: a waiting screen until the host starts, then exactly the
question the host shows, answered with the drill's keys (this screen is a DrillScreen), then
waiting again. Nothing is said about the answer until the host reveals; the learner's own
extra-time factor stretches their own clock.

The home screen's `j` opens `from_home(app)`: a box for the code, then this screen. Like the
host, it follows the session by polling the store's data_version on a timer.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from quiz.classroom import live, live_results
from quiz.classroom.drill import Answer, DrillRun, load_drill
from quiz.store.connection import Store
from quiz.store.errors import StoreError
from quiz.store.learners import Learner
from quiz.tui.screens.drill import ANSWER_BINDINGS, DrillScreen
from quiz.tui.screens.drill_results import source_content, verdict_content
from quiz.tui.screens.first_screen import close, ensure_css

POLL_SECONDS = 0.1


class LiveJoinScreen(DrillScreen, inherit_bindings=False):
    """Phases here: wait (lobby or between questions), ask, answered, revealed, ended."""

    CSS_PATH: ClassVar[list[str]] = ["classroom.tcss", "live.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        *ANSWER_BINDINGS,
        Binding("escape", "leave", "Leave session"),
    ]

    def __init__(self, store: Store, learner: Learner, code: str, decks=()):
        self.session = live.require_session(store, code)
        self.code = self.session.code
        drill = load_drill(store, self.session.drill_id, list(decks))
        super().__init__(DrillRun(store, drill, learner))
        self.queue = []  # the host chooses the question, not a queue
        self.phase = "wait"
        self.seen_version: int | None = None
        self.shown_question = 0
        self.drawn = ""  # the state last drawn, to draw each change once

    async def on_mount(self, event: events.Mount) -> None:
        # Textual would run the base screen's on_mount after this one: this one replaces it.
        event.prevent_default()
        ensure_css(self)
        limit = self.run.time_limit
        self.query_one("#drill-time-bar").display = limit is not None
        self.query_one("#drill-timer").display = limit is not None
        await self.query_one("#drill").mount(Static(id="live-wait"), after="#drill-head")
        self.set_interval(POLL_SECONDS, self.poll)
        await self.follow()

    # -- following the host ------------------------------------------------------------------

    async def poll(self) -> None:
        version = live.changed(self.app.store)
        if version != self.seen_version:
            self.seen_version = version
            await self.follow()
        elif self.phase == "ask":
            await self._tick()

    async def follow(self) -> None:
        store = self.app.store
        fresh = live.load_session(store, self.session.code)
        if fresh is not None:
            self.session = fresh
        s = self.session
        if s.phase in ("question", "revealed") and s.question != self.shown_question:
            self.shown_question = s.question
            await self._ask(self.run.drill.questions[s.question - 1])
            self.drawn = ""
        state = f"{s.phase}:{s.question}:{s.paused}"
        if state == self.drawn:
            return
        self.drawn = state
        self._place_deadline()
        if s.phase == "lobby":
            self._wait("Waiting for the host to start…")
        elif s.phase == "ended":
            self._end()
        elif s.phase == "question":
            mine = self._mine()
            if mine is not None:
                self._answered()
        else:
            self._revealed()
        self.refresh_bindings()

    def _mine(self):
        q = self.question
        return live.my_answer(self.app.store, self.session, self.run.learner, q) if q else None

    def _place_deadline(self) -> None:
        """This learner's own deadline: the host's clock times their extra-time factor."""
        if self.phase != "ask":
            return
        left = self.session.time_left(self.run.learner.time_factor)
        self.deadline = None if left is None else self.monotonic() + left
        if self.session.paused:
            self.deadline = None
            self.query_one("#drill-timer", Static).update(Content.styled("paused", "bold $warning"))

    def _wait(self, text: str) -> None:
        self.phase = "wait" if self.phase != "ended" else "ended"
        self.deadline = None
        drill = self.query_one("#drill")
        drill.add_class("-waiting")
        self.query_one("#drill-timer").display = False
        self.query_one("#drill-time-bar").display = False
        self.query_one("#live-wait", Static).update(
            Content.assemble(
                (text, "bold"), "\n", (f"{self.run.learner.name} · session {self.code}", "dim")
            )
        )

    def _answered(self) -> None:
        self.phase = "answered"
        self.deadline = None
        for widget in self.query("#drill-answer > *"):
            widget.disabled = True
        self.query_one("#drill-hint", Static).update(
            Content("Answer sent. Waiting for the host to reveal…")
        )
        self.set_focus(None)

    def _revealed(self) -> None:
        self._answered()
        self.phase = "revealed"
        q, mine = self.question, self._mine()
        answer = None if mine is None else Answer(q.number, mine.given, mine.correct, 0, "")
        self.query_one("#drill").remove_class("-asking")
        self.query_one("#drill-verdict", Static).update(verdict_content(q, answer))
        self.query_one("#drill-source", Static).update(source_content(q, self.app.library))
        self.query_one("#drill-hint", Static).update(Content("Waiting for the next question…"))

    def _end(self) -> None:
        self.phase = "ended"
        self.deadline = None
        board = live_results.standings(self.app.store, self.session, self.run.drill)
        mine = next((b for b in board if b.learner == self.run.learner.name), None)
        right = mine.right if mine else 0
        self._wait(
            f"The session has ended: {right} of {len(self.run.drill.questions)} right. Esc leaves."
        )

    async def _ask(self, question) -> None:
        self.query_one("#drill").remove_class("-waiting")
        timed = self.run.time_limit is not None
        self.query_one("#drill-timer").display = timed
        self.query_one("#drill-time-bar").display = timed
        await super()._ask(question)

    # -- answering ---------------------------------------------------------------------------

    async def _submit(self, given) -> None:
        """Record the answer (None: this learner's time ran out); feedback waits for the host."""
        if self.phase != "ask" or self.question is None:
            return
        try:
            live.answer(self.app.store, self.session.code, self.run.learner, self.question, given)
        except live.LiveError as e:
            self.notify(str(e), severity="warning", markup=False)
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=10, markup=False)
            return
        self._answered()
        self.refresh_bindings()

    def action_leave(self) -> None:
        """Give the seat back (answers stay; the same name can join again)."""
        try:
            live.leave(self.app.store, self.code, self.run.learner)
        except StoreError:
            pass  # the seat frees itself anyway once this process is gone
        close(self, None)


class JoinCodeScreen(ModalScreen[None]):
    """The home screen's "Join a live drill": the code from the projector, then the session."""

    CSS_PATH = "live.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="live-code-dialog", classes="dialog"):
            yield Static("Join a live drill", classes="dialog-title")
            yield Input(placeholder="the code on the projector", max_length=20, id="live-code-in")
            yield Static(id="live-code-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Join", variant="primary", id="live-join-go")
                yield Button("Cancel", id="live-join-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._join(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "live-join-go":
            self._join(self.query_one("#live-code-in", Input).value)
        else:
            self.dismiss(None)

    def _join(self, text: str) -> None:
        app = self.app
        try:
            session = live.join(app.store, text, app.learner)
        except (live.LiveError, StoreError) as e:
            self.query_one("#live-code-error", Static).update(Content(str(e)))
            return
        app.switch_screen(LiveJoinScreen(app.store, app.learner, session.code, app.decks))

    def action_cancel(self) -> None:
        self.dismiss(None)


def from_home(app: App) -> Screen:
    return JoinCodeScreen()
