"""Presenter mode (`quiz drill ... --present`): the drill on a projector, paced by the teacher.

Textual cannot change the font size, so the layout is what makes it readable from the back of
the room: big Digits for the question number and the countdown, bold text on solid blocks, and
generous padding. Nothing is recorded here: learners answer on their own machines.
"""

from __future__ import annotations

import math
import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Static

from quiz.classroom.drill import CHOICE_LABELS, Drill, Question
from quiz.tui.screens.drill_results import prompt_text, source_content
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.fast.key_footer import KeyFooter


class PresenterScreen(Screen[None]):
    CSS_PATH = "classroom.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,n,right", "next", "Next question", key_display="Space"),
        Binding("r,enter", "reveal", "Reveal answer", key_display="r"),
        Binding("p,left", "previous", "Previous"),
        Binding("escape,q", "quit_presenter", "Close"),
    ]

    def __init__(self, drill: Drill, *, monotonic=time.monotonic):
        super().__init__()
        self.drill = drill
        self.monotonic = monotonic
        self.index = 0
        self.revealed = False
        self.deadline: float | None = None

    @property
    def question(self) -> Question:
        return self.drill.questions[self.index]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="present"):
            with Horizontal(id="present-head"):
                yield Digits("", id="present-number")
                yield Static(id="present-of")
                yield Digits("", id="present-clock")
            yield Static(id="present-prompt")
            yield VerticalScroll(id="present-choices")
            yield Static(id="present-answer")
            yield Static(id="present-source")
        yield KeyFooter()

    async def on_mount(self) -> None:
        ensure_css(self)
        self.query_one("#present-clock").display = self.drill.settings.time_limit is not None
        if self.drill.settings.time_limit is not None:
            self.set_interval(0.25, self._tick)
        await self._show()

    async def _show(self) -> None:
        q = self.question
        self.revealed = False
        self.query_one("#present-number", Digits).update(str(q.number))
        self.query_one("#present-of", Static).update(f"of {len(self.drill.questions)}")
        self.query_one("#present-prompt", Static).update(Content(prompt_text(q)))
        box = self.query_one("#present-choices", VerticalScroll)
        await box.remove_children()
        labels = (
            q.choices
            if q.card.type == "mcq"
            else ("True", "False")
            if q.card.type == "truefalse"
            else ()
        )
        await box.mount_all(
            Static(
                Content.assemble((f"{CHOICE_LABELS[i]}   ", "bold"), text), classes="present-choice"
            )
            for i, text in enumerate(labels)
        )
        box.display = bool(labels)
        answer = self.query_one("#present-answer", Static)
        answer.update(Content.assemble("Answer: ", q.card.answer_text()))
        answer.set_class(False, "-shown")
        source = self.query_one("#present-source", Static)
        source.update(source_content(q, self.app.library))
        source.set_class(False, "-shown")
        limit = self.drill.settings.time_limit
        self.deadline = self.monotonic() + limit if limit is not None else None
        self._tick()
        self.query_one("#present").scroll_home(animate=False)

    def _tick(self) -> None:
        if self.deadline is None:
            return
        left = max(0, math.ceil(self.deadline - self.monotonic()))
        self.query_one("#present-clock", Digits).update(str(left))

    def action_reveal(self) -> None:
        q = self.question
        self.revealed = True
        self.deadline = None  # stop the clock where it is
        self.query_one("#present-answer").add_class("-shown")
        self.query_one("#present-source").add_class("-shown")
        if q.card.type in ("mcq", "truefalse"):
            right = q.card.answer_text()
            labels = q.choices if q.card.type == "mcq" else ("True", "False")
            for label, widget in zip(labels, self.query(".present-choice")):
                widget.set_class(label == right, "-right")
                widget.set_class(label != right, "-dim")

    async def action_next(self) -> None:
        if self.index + 1 >= len(self.drill.questions):
            self.notify("That was the last question. q closes the presenter.")
            return
        self.index += 1
        await self._show()

    async def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            await self._show()

    def action_quit_presenter(self) -> None:
        close(self)
