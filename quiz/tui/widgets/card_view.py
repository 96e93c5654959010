"""One card in its panel: the session's progress, where the card comes from, the prompt, the
way to answer it, and after the reveal the feedback.

The study screen keeps one CardView and puts each card into it (`show`): updating widgets in
place keeps an answer -> next card within a frame, where mounting a fresh view per card cost
styling and a full reflow. The text is drawn by two Faces, one above the answer boxes (progress,
deck, prompt) and one below (choices, hint): each widget whose text changes costs layout and paint
in every frame, and a card used to change seven (bench/RESULTS.md has the figures). Every answer box
is emptied and made focusable again for the next card, so nothing typed for one card leaks into
another. Deck text is shown as Content, never parsed as markup.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message

from quiz.content.deck import Card
from quiz.text import plain
from quiz.tui.model import LETTERS, cloze_display
from quiz.tui.widgets.choices import choice_at, choice_lines
from quiz.tui.widgets.face import MUTED, Face
from quiz.tui.widgets.fast.answer_box import AnswerBox
from quiz.tui.widgets.fast.one_layout import OneLayout
from quiz.tui.widgets.feedback import Feedback
from quiz.tui.widgets.progress_line import progress_content

TYPE_NAMES = {
    "basic": "recall",
    "typed": "type the answer",
    "mcq": "choose one",
    "truefalse": "true or false",
    "cloze": "fill the blanks",
}
HINTS = {
    "basic": "Recall the answer, then press Enter to see it.",
    "typed": "Type, then Enter.  Enter on an empty answer shows it.  Esc leaves the box.",
    "cloze": "Tab moves between blanks; Enter checks.  Esc leaves the boxes.",
    "mcq": "Press a letter to answer, or Enter if you do not know.",
    "truefalse": "Press t or f, or Enter if you do not know.",
}
HINT_STYLE = f"italic {MUTED}"


def answer_box(placeholder: str = "") -> AnswerBox:
    return AnswerBox(placeholder, classes="answer-input")


def stacked(parts: list[Content], compact: bool) -> Content:
    """Parts one under another, a blank line between them unless the terminal is short."""
    return Content("\n" if compact else "\n\n").join(parts)


class ChoiceFace(Face):
    """The face below the answer boxes: the choices, clicked or hovered by row, and the hint."""

    class Picked(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    hovered: int | None = None
    clickable = False  # the choices can be picked (before the reveal)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hovered = choice_at(event.style) if self.clickable else None
        if hovered != self.hovered:
            self.hovered = hovered
            self.redraw()

    def on_leave(self, _event: events.Leave) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.redraw()

    def on_click(self, event: events.Click) -> None:
        index = choice_at(event.style)
        if self.clickable and index is not None:
            self.post_message(self.Picked(index))


class CardView(OneLayout, VerticalScroll):
    """The panel, scrolling itself when a long explanation does not fit (80x24): one scrolling
    container around the panel, not one inside it, measured cheaper (bench/RESULTS.md)."""

    # Never focused: keys belong to the answer box or the screen (which scrolls the card with
    # up/down/pgup/pgdn); the mouse wheel still scrolls it.
    can_focus = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.card: Card | None = None
        self.meta = Content("")
        self.keys = ""
        self.choices: list[str] = []  # as shown, in order
        self.marks: list[str] | None = None  # after the reveal: right | wrong | other per choice
        self.hint = ""
        self.done, self.remaining = 0, None  # the session's progress; None: not counted yet
        self.inputs: list[AnswerBox] = []  # the answer boxes in use for this card
        self.head = Face(classes="card-head")
        self.tail = ChoiceFace(classes="card-tail")
        # The feedback is the panel's child too: one container fewer to lay out and paint
        # on every answer.
        self.feedback = Feedback(id="feedback")

    def compose(self) -> ComposeResult:
        yield self.head
        # Children of the panel, not of a group: one widget fewer to lay out per frame. More
        # are mounted the first time a cloze card needs them.
        yield answer_box()
        yield self.tail
        yield self.feedback

    # -- what the faces draw ------------------------------------------------------------------

    def draw_head(self, width: int, compact: bool) -> Content:
        parts = [progress_content(width, self.done, self.remaining)]
        if self.card is not None:
            prompt = self.card.prompt
            if self.card.type == "cloze":
                prompt = cloze_display(prompt)
            parts += [self.meta, Content.styled(plain(prompt), "bold")]
        return stacked(parts, compact)

    def draw_tail(self, width: int, compact: bool) -> Content:
        parts = []
        if self.choices:
            parts.append(
                Content("\n").join(
                    choice_lines(
                        self.keys, self.choices, width, marks=self.marks, hovered=self.tail.hovered
                    )
                )
            )
        if self.hint:
            parts.append(Content.styled(self.hint, HINT_STYLE))
        elif parts and not compact:  # marked choices: a line of air before the feedback
            parts[-1] = parts[-1].append("\n")
        return stacked(parts, compact)

    # -- changing what is shown ---------------------------------------------------------------

    def set_progress(self, done: int, remaining: int) -> None:
        if (done, remaining) != (self.done, self.remaining):
            self.done, self.remaining = done, remaining
            self.head.show(self.draw_head)

    def show(self, card: Card, *, deck_title: str, status: str, choices: list[str]) -> None:
        """Put `card` on screen, ready to be answered; `choices` in the order to show them."""
        self.card = card
        self.meta = Content.assemble(
            (plain(deck_title), "bold"),
            "  ·  ",
            TYPE_NAMES.get(card.type, card.type),
            "  ·  ",
            status,
        ).stylize_before(MUTED)
        if card.type == "mcq":
            self.keys, self.choices = LETTERS, [plain(c) for c in choices]
        elif card.type == "truefalse":
            self.keys, self.choices = "tf", ["True", "False"]
        else:
            self.keys, self.choices = "", []
        self.marks = None
        self.hint = HINTS.get(card.type, "")
        self.head.show(self.draw_head)
        self._show_boxes(card)
        self.tail.clickable = bool(self.choices)
        self.tail.display = True
        self.tail.show(self.draw_tail)

    def _show_boxes(self, card: Card) -> None:
        if card.type == "typed":
            placeholders = ["Your answer"]
        elif card.type == "cloze":
            n = len(card.blanks)
            placeholders = [f"Blank {i + 1}" + (f" of {n}" if n > 1 else "") for i in range(n)]
        else:
            placeholders = []
        boxes = self.add_boxes(len(placeholders))
        for i, box in enumerate(boxes):
            used = i < len(placeholders)
            box.value = ""
            box.can_focus = used
            box.display = used
            if used:
                box.placeholder = placeholders[i]
        self.inputs = boxes[: len(placeholders)]

    def add_boxes(self, count: int) -> list[AnswerBox]:
        """The panel's answer boxes, at least `count` of them: the ones mounted now are
        hidden until a card shows them."""
        boxes = list(self.query_children(AnswerBox))
        spare = [answer_box() for _ in range(count - len(boxes))]
        if spare and self.is_attached:  # (not while the app is closing)
            for box in spare:
                box.display = False
            self.mount_all(spare, before=self.tail)
            boxes += spare
        return boxes

    def typed_answers(self) -> list[str]:
        return [i.value.strip() for i in self.inputs]

    def next_empty_blank(self, after: AnswerBox) -> AnswerBox | None:
        """For cloze: the next empty blank after `after`, so Enter walks through the blanks."""
        inputs = self.inputs
        if after not in inputs:
            return None
        for field in inputs[inputs.index(after) + 1 :]:
            if not field.value.strip():
                return field
        return None

    def freeze(self, picked: int | None = None, right: int | None = None) -> None:
        """After the reveal: answer boxes out of reach (the screen takes focus away, so keys
        reach the grade bindings), choices marked (the right one, a wrong pick, the rest
        dimmed), the hint gone."""
        for field in self.inputs:
            # Not `disabled`: that restyles the box each time (a cost in the next frame).
            field.can_focus = False
        self.hint = ""
        self.tail.clickable, self.tail.hovered = False, None
        if self.choices:
            self.marks = [
                "right" if i == right else "wrong" if i == picked else "other"
                for i in range(len(self.choices))
            ]
            self.tail.redraw()
        else:
            self.tail.display = False
