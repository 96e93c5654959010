"""Taking a drill: one question at a time, an optional countdown, feedback after each answer or
only at the end. Every answer is recorded (quiz.classroom.drill) the moment it is given.

The home screen's `d` opens `from_home(app)`: a small form for the settings, then the drill,
then the results.
"""

from __future__ import annotations

import time
from datetime import date
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from quiz.classroom.drill import (
    CHOICE_LABELS,
    DrillError,
    DrillRun,
    DrillSettings,
    Outcome,
    Question,
    Results,
    open_drill,
)
from quiz.content.deck import Deck
from quiz.store.connection import Store
from quiz.store.errors import StoreError
from quiz.store.learners import Learner
from quiz.tui.notices import notify_leech
from quiz.tui.screens.drill_results import (
    DrillResultsScreen,
    prompt_text,
    source_content,
    verdict_content,
)
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.fast.answer_box import AnswerBox
from quiz.tui.widgets.fast.key_footer import KeyFooter

TYPE_HINTS = {
    "mcq": "Pick one: 1-4 or arrows and Enter",
    "truefalse": "t for true, f for false (or arrows and Enter)",
    "typed": "Type the answer, then Enter",
    "cloze": "Fill each blank; Enter moves to the next and submits after the last",
}

# The keys that answer a question: shared with the live session's learner screen.
ANSWER_BINDINGS: list[BindingType] = [
    Binding("1", "choose(0)", "Choice 1", show=False),
    Binding("2", "choose(1)", "Choice 2", show=False),
    Binding("3", "choose(2)", "Choice 3", show=False),
    Binding("4", "choose(3)", "Choice 4", show=False),
    Binding("t", "truth(True)", "True"),
    Binding("f", "truth(False)", "False"),
]


class DrillScreen(Screen[Results | None]):
    """Dismisses with the learner's results once they leave the results screen, or None when
    they leave mid-drill (what they answered is kept; starting the drill again continues)."""

    CSS_PATH = "classroom.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *ANSWER_BINDINGS,
        Binding("enter,space,n", "next", "Next question", key_display="Enter"),
        Binding("escape", "leave", "Leave drill"),
    ]

    def __init__(self, run: DrillRun, *, monotonic=time.monotonic):
        super().__init__()
        self.run = run
        self.monotonic = monotonic
        self.queue: list[Question] = run.remaining()
        self.before = len(run.drill.questions) - len(self.queue)
        self.question: Question | None = None
        self.phase = "ask"  # ask | feedback | done
        self.shown_at = 0.0
        self.deadline: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="drill"):
            with Horizontal(id="drill-head"):
                yield Static(id="drill-progress")
                yield Static(id="drill-timer")
            yield ProgressBar(id="drill-time-bar", show_eta=False, show_percentage=False)
            yield Static(id="drill-prompt")
            yield Static(id="drill-hint")
            yield Vertical(id="drill-answer")
            yield Static(id="drill-verdict")
            yield Static(id="drill-source")
        yield KeyFooter()

    async def on_mount(self) -> None:
        ensure_css(self)
        limit = self.run.time_limit
        self.query_one("#drill-time-bar", ProgressBar).display = limit is not None
        self.query_one("#drill-timer").display = limit is not None
        if limit is not None:
            self.set_interval(0.1, self._tick)
        if not self.queue:
            self._finish("You have already taken this drill; these are your answers.")
            return
        if self.before:
            self.notify(f"Continuing: {self.before} question(s) answered before are kept.")
        await self._ask(self.queue.pop(0))

    # -- asking ------------------------------------------------------------------------------

    async def _ask(self, question: Question) -> None:
        self.question = question
        self.phase = "ask"
        total = len(self.run.drill.questions)
        name = self.run.learner.name
        self.query_one("#drill-progress", Static).update(
            Content.assemble(
                (f"Question {question.number} of {total}", "bold"), ("   " + name, "dim")
            )
        )
        self.query_one("#drill-prompt", Static).update(Content(prompt_text(question)))
        self.query_one("#drill-hint", Static).update(
            Content(TYPE_HINTS.get(question.card.type, ""))
        )
        self.query_one("#drill").add_class("-asking")
        box = self.query_one("#drill-answer", Vertical)
        await box.remove_children()
        card = question.card
        if card.type in ("mcq", "truefalse"):
            labels = question.choices if card.type == "mcq" else ("True", "False")
            options = [
                Option(Content.assemble((f"{CHOICE_LABELS[i]}  ", "bold"), text), id=str(i))
                for i, text in enumerate(labels)
            ]
            widget = OptionList(*options, id="drill-options")
            await box.mount(widget)
        else:
            blanks = len(card.blanks) if card.type == "cloze" else 1
            # The study screen's answer box: the same look and keys in a drill.
            inputs = [
                AnswerBox(
                    f"blank {i}" if card.type == "cloze" else "your answer",
                    classes="drill-input",
                    id=f"drill-input-{i}",
                )
                for i in range(1, blanks + 1)
            ]
            await box.mount_all(inputs)
            widget = inputs[0]
        widget.focus()
        self.shown_at = self.monotonic()
        limit = self.run.time_limit
        self.deadline = self.shown_at + limit if limit is not None else None
        if limit is not None:
            self.query_one("#drill-time-bar", ProgressBar).update(total=limit, progress=limit)
            await self._tick()
        self.refresh_bindings()

    async def _tick(self) -> None:
        if self.deadline is None or self.phase != "ask":
            return
        left = max(0.0, self.deadline - self.monotonic())
        self.query_one("#drill-timer", Static).update(
            Content.styled(f"⏱ {left:4.1f} s", "bold $error" if left < 5 else "bold")
        )
        self.query_one("#drill-time-bar", ProgressBar).update(progress=left)
        if left <= 0:
            await self._submit(None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        kind = self.question.card.type if self.question else None
        if action == "choose":
            return (
                self.phase == "ask" and kind == "mcq" and parameters[0] < len(self.question.choices)
            )
        if action == "truth":
            return self.phase == "ask" and kind == "truefalse"
        if action == "next":
            return self.phase == "feedback"
        return True

    # -- answering ---------------------------------------------------------------------------

    async def action_choose(self, index: int) -> None:
        await self._submit(self.question.choices[index])

    async def action_truth(self, value: bool) -> None:
        await self._submit(value)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.phase != "ask":
            return
        index = int(event.option.id)
        await self._submit(
            self.question.choices[index] if self.question.card.type == "mcq" else index == 0
        )

    async def on_answer_box_submitted(self, event: AnswerBox.Submitted) -> None:
        event.stop()
        if self.phase != "ask":
            return
        inputs = list(self.query(".drill-input").results(AnswerBox))
        values = [i.value.strip() for i in inputs]
        at = inputs.index(event.box)
        if not values[at]:
            self.notify("Type an answer first.", timeout=2)
            return
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
            return
        await self._submit(" / ".join(values) if self.question.card.type == "cloze" else values[0])

    async def _submit(self, given) -> None:
        """Record the answer (None: the time ran out) and show feedback or move on."""
        if self.phase != "ask" or self.question is None:
            return
        question = self.question
        try:
            outcome = self.run.submit(question, given, self.monotonic() - self.shown_at)
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        self.phase = "feedback"
        self.deadline = None
        if self.run.last_leech is not None:
            notify_leech(self, self.run.current_learner)
        for widget in self.query("#drill-answer > *"):
            widget.disabled = True
        if self.run.feedback == "now":
            self._show_feedback(question, outcome)
            self.refresh_bindings()
        else:
            await self.action_next()

    def _show_feedback(self, question: Question, outcome: Outcome) -> None:
        self.query_one("#drill").remove_class("-asking")
        self.query_one("#drill-verdict", Static).update(verdict_content(question, outcome.answer))
        self.query_one("#drill-source", Static).update(source_content(question, self.app.library))
        self.query_one("#drill-hint", Static).update(Content("Enter or space: next question"))
        self.set_focus(None)

    async def action_next(self) -> None:
        if self.phase != "feedback":
            return
        if self.queue:
            await self._ask(self.queue.pop(0))
        else:
            self._finish()

    def _finish(self, note: str = "") -> None:
        self.phase = "done"
        self.deadline = None
        self.refresh_bindings()
        results = self.run.results()
        self.app.push_screen(
            DrillResultsScreen(results, learner=self.run.learner.name, note=note),
            lambda _ignored: close(self, results),
        )

    # -- leaving -----------------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.phase != "done":
            self.notify("Answers so far are saved; run the same drill again to continue.")
        close(self, None)


# ---------------------------------------------------------------------------------------------
# Choosing the settings from the home screen.


class DrillSetupScreen(ModalScreen[None]):
    """Count, seed, time limit and feedback for a drill on the given decks, then the drill in
    its place. The same settings give the same drill to every learner (the seed defaults to
    today's date)."""

    CSS_PATH = "classroom.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store, learner: Learner, decks: list[Deck]):
        super().__init__()
        self.store = store
        self.learner = learner
        self.decks = decks

    def compose(self) -> ComposeResult:
        with Vertical(id="drill-setup", classes="dialog"):
            yield Static("Drill", classes="dialog-title")
            yield Static(Content(", ".join(d.id for d in self.decks)), id="setup-decks")
            yield Label("Questions")
            yield Input("10", type="integer", id="setup-count")
            yield Label("Seed (the same seed gives everyone the same drill)")
            yield Input(date.today().isoformat(), id="setup-seed", max_length=100)
            yield Label("Seconds per question (empty: untimed)")
            yield Input("", type="number", id="setup-time", placeholder="untimed")
            yield Label("Feedback")
            yield Select(
                [("after each answer", "now"), ("at the end", "end")],
                value="now",
                allow_blank=False,
                id="setup-feedback",
            )
            yield Checkbox("Count as study (moves spaced-repetition schedules)", id="setup-study")
            yield Static(id="setup-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", variant="primary", id="setup-start")
                yield Button("Cancel", id="setup-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            self._start()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start()

    def _start(self) -> None:
        error = self.query_one("#setup-error", Static)
        try:
            count = int(self.query_one("#setup-count", Input).value or "0")
            raw_time = self.query_one("#setup-time", Input).value.strip()
            settings = DrillSettings(
                decks=tuple(d.id for d in self.decks),
                count=count,
                seed=self.query_one("#setup-seed", Input).value.strip() or date.today().isoformat(),
                time_limit=float(raw_time) if raw_time else None,
                feedback=str(self.query_one("#setup-feedback", Select).value),
            )
            drill = open_drill(self.store, self.decks, settings)
        except ValueError:
            error.update(Content("Questions and seconds must be numbers."))
            return
        except (DrillError, StoreError) as e:
            error.update(Content(str(e)))
            return
        study = self.query_one("#setup-study", Checkbox).value
        learner = self.store.learner_by_id(self.learner.id) or self.learner  # fresh time factor
        run = DrillRun(self.store, drill, learner, count_in_study=study, decks=self.decks)
        self.app.switch_screen(DrillScreen(run))

    def action_cancel(self) -> None:
        self.dismiss(None)


def from_home(app: App) -> Screen:
    """The home screen's `d`: a drill on the decks selected there."""
    chosen = getattr(app.screen, "selected_decks", None)
    decks = (chosen() if callable(chosen) else None) or list(app.decks)
    return DrillSetupScreen(app.store, app.learner, decks)
