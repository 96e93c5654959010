"""One card's question: where it comes from, the prompt, and the way to answer it.

The study screen mounts a fresh CardView per card, so nothing typed for one card leaks into
the next. Deck text is shown as Content, never parsed as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
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


class CardView(Vertical):
    def __init__(self, card: Card, *, deck_title: str, status: str, choices: list[str]):
        super().__init__(classes="card-view")
        self.card = card
        self.deck_title = deck_title
        self.status = status
        self.choices = choices

    def compose(self) -> ComposeResult:
        card = self.card
        yield Static(
            Content.assemble((plain(self.deck_title), "bold"), "  ·  ",
                             TYPE_NAMES.get(card.type, card.type), "  ·  ", self.status),
            classes="card-meta",
        )
        prompt = cloze_display(card.prompt) if card.type == "cloze" else card.prompt
        yield Static(Content(plain(prompt)), classes="card-prompt")
        if card.type == "typed":
            yield Input(placeholder="Your answer", classes="answer-input", max_length=500)
        elif card.type == "cloze":
            n = len(card.blanks)
            for i in range(n):
                yield Input(placeholder=f"Blank {i + 1}" + (f" of {n}" if n > 1 else ""),
                            classes="answer-input blank", max_length=500)
        elif card.type == "mcq":
            yield ChoiceList(LETTERS, [plain(c) for c in self.choices], classes="choices")
        elif card.type == "truefalse":
            yield ChoiceList("tf", ["True", "False"], classes="choices")
        yield Static(HINTS.get(card.type, ""), classes="card-hint")

    @property
    def inputs(self) -> list[Input]:
        return list(self.query(Input))

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
        for choices in self.query(ChoiceList):
            choices.mark(picked, right)
        self.query_one(".card-hint", Static).display = False
