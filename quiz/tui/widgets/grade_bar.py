"""The four grade buttons after the reveal, each with the interval it would give."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from quiz.scheduler import RATINGS, Preview


class GradeButton(Button):
    # Not focusable: Enter must reach the screen (accept the suggested grade), and a button
    # stealing focus would make Enter press it instead.
    can_focus = False


class GradeBar(Horizontal):
    class Graded(Message):
        def __init__(self, rating: int):
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating, name in RATINGS.items():
            yield GradeButton(name, id=f"grade-{rating}", classes=f"grade grade-{name.lower()}")
        yield Static("", id="grade-hint")

    def show(self, previews: dict[int, Preview], suggested: int) -> None:
        for rating, name in RATINGS.items():
            button = self.query_one(f"#grade-{rating}", GradeButton)
            interval = previews[rating].interval if rating in previews else ""
            button.label = Content.assemble((f"{rating} ", "dim"), name, (f"  {interval}", "bold"))
            button.variant = "primary" if rating == suggested else "default"
            button.set_class(rating == suggested, "-suggested")
        hint = self.query_one("#grade-hint", Static)
        hint.update(Content.assemble(("Enter", "bold"), f" = {RATINGS[suggested]}"))
        self.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = int((event.button.id or "grade-3").rsplit("-", 1)[1])
        self.post_message(self.Graded(rating))
