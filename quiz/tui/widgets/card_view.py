"""One card's question: where it comes from, the prompt, and the way to answer it.

The study screen keeps one CardView and puts each card into it (`show`): updating widgets in
place keeps an answer -> next card within a frame, where mounting a fresh view per card cost
styling and a full reflow (bench/RESULTS.md). Every answer box is emptied and enabled again for
the next card, so nothing typed for one card leaks into another. Deck text is shown as Content,
never parsed as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalGroup
from textual.content import Content
from textual.widgets import Input, Static

from quiz.deck import Card
from quiz.text import plain
from quiz.tui.model import LETTERS, cloze_display
from quiz.tui.widgets.choice_list import ChoiceList

TYPE_NAMES = {"basic": "recall", "typed": "type the answer", "mcq": "choose one",
              "truefalse": "true or false", "cloze": "fill the blanks"}
HINTS = {
    "basic": "Recall the answer, then press Enter to see it.",
    "typed": "Type, then Enter.  Enter on an empty answer shows it.  Esc leaves the box.",
    "cloze": "Tab moves between blanks; Enter checks.  Esc leaves the boxes.",
    "mcq": "Press a letter to answer, or Enter if you do not know.",
    "truefalse": "Press t or f, or Enter if you do not know.",
}


def answer_box(placeholder: str = "") -> Input:
    return Input(placeholder=placeholder, classes="answer-input", max_length=500)


class CardView(Vertical):
    def __init__(self, **kwargs):
        super().__init__(classes="card-view", **kwargs)
        self.card: Card | None = None
        self.choices: list[str] = []
        self.inputs: list[Input] = []  # the answer boxes in use for this card

    def compose(self) -> ComposeResult:
        yield Static("", classes="card-meta")
        yield Static("", classes="card-prompt")
        with VerticalGroup(classes="answer-boxes"):
            yield answer_box()  # more are mounted the first time a cloze card needs them
        yield ChoiceList(LETTERS, [""] * len(LETTERS), classes="choices")
        yield Static("", classes="card-hint")

    def show(self, card: Card, *, deck_title: str, status: str, choices: list[str]) -> None:
        """Put `card` on screen, ready to be answered."""
        self.card, self.choices = card, choices
        self.query_one(".card-meta", Static).update(Content.assemble(
            (plain(deck_title), "bold"), "  ·  ", TYPE_NAMES.get(card.type, card.type),
            "  ·  ", status))
        prompt = cloze_display(card.prompt) if card.type == "cloze" else card.prompt
        self.query_one(".card-prompt", Static).update(Content(plain(prompt)))
        self._show_boxes(card)
        choice_list = self.query_one(ChoiceList)
        if card.type == "mcq":
            choice_list.set_choices(LETTERS, [plain(c) for c in choices])
        elif card.type == "truefalse":
            choice_list.set_choices("tf", ["True", "False"])
        choice_list.display = card.type in ("mcq", "truefalse")
        hint = self.query_one(".card-hint", Static)
        hint.update(HINTS.get(card.type, ""))
        hint.display = True

    def _show_boxes(self, card: Card) -> None:
        if card.type == "typed":
            placeholders = ["Your answer"]
        elif card.type == "cloze":
            n = len(card.blanks)
            placeholders = [f"Blank {i + 1}" + (f" of {n}" if n > 1 else "") for i in range(n)]
        else:
            placeholders = []
        holder = self.query_one(".answer-boxes", VerticalGroup)
        boxes = list(holder.query_children(Input))
        for i, box in enumerate(boxes):
            used = i < len(placeholders)
            box.value = ""
            box.disabled = not used
            box.display = used
            if used:
                box.placeholder = placeholders[i]
        extra = [answer_box(text) for text in placeholders[len(boxes):]]
        if extra:
            holder.mount_all(extra)
        holder.display = bool(placeholders)
        self.inputs = (boxes + extra)[:len(placeholders)]

    def typed_answers(self) -> list[str]:
        return [i.value.strip() for i in self.inputs]

    def next_empty_blank(self, after: Input) -> Input | None:
        """For cloze: the next empty blank after `after`, so Enter walks through the blanks."""
        inputs = self.inputs
        if after not in inputs:
            return None
        for field in inputs[inputs.index(after) + 1:]:
            if not field.value.strip():
                return field
        return None

    def freeze(self, picked: int | None = None, right: int | None = None) -> None:
        """After the reveal: inputs read-only (so keys reach the grade bindings), choices marked."""
        for field in self.inputs:
            field.disabled = True
        if self.card.type in ("mcq", "truefalse"):
            self.query_one(ChoiceList).mark(picked, right)
        self.query_one(".card-hint", Static).display = False
