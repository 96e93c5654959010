"""A yes/no question over the current screen (the browser's reset asks one)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (y / Enter) or False (n / Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes"):
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Content(self.question), id="confirm-question")
            yield Static(
                Content.assemble(
                    ("y", "bold reverse"), f" {self.yes}   ", ("n", "bold reverse"), " Cancel"
                ),
                classes="dialog-hint",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
