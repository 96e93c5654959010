"""The four grade buttons after the reveal, each with the interval it would give."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from quiz.scheduler import RATINGS, Preview
from quiz.tui.widgets.one_layout import OneLayout


class GradeButton(OneLayout, Button):
    # Not focusable: Enter must reach the screen (accept the suggested grade), and a button
    # stealing focus would make Enter press it instead.
    can_focus = False


class GradeRow(OneLayout, Horizontal):
    """Where the grade bar sits, docked above the footer."""


class GradeHint(OneLayout, Static):
    pass


class GradeBar(OneLayout, Horizontal):
    class Graded(Message):
        def __init__(self, rating: int):
            super().__init__()
            self.rating = rating

    def __init__(self, **kwargs):
        # Children made here, not in compose(): the study screen mounts the bar after its first
        # card is drawn, and a reveal that comes first can still fill it in.
        self.buttons = {rating: GradeButton(name, id=f"grade-{rating}",
                                            classes=f"grade grade-{name.lower()}")
                        for rating, name in RATINGS.items()}
        self.hint = GradeHint("", id="grade-hint")
        super().__init__(*self.buttons.values(), self.hint, **kwargs)

    def show(self, previews: dict[int, Preview], suggested: int) -> None:
        for rating, name in RATINGS.items():
            button = self.buttons[rating]
            interval = previews[rating].interval if rating in previews else ""
            button.label = Content.assemble((f"{rating} ", "dim"), name, (f"  {interval}", "bold"))
            button.variant = "primary" if rating == suggested else "default"
            button.set_class(rating == suggested, "-suggested")
        self.hint.update(Content.assemble(("Enter", "bold"), f" = {RATINGS[suggested]}"))
        self.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = int((event.button.id or "grade-3").rsplit("-", 1)[1])
        self.post_message(self.Graded(rating))
