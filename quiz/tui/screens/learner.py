"""Switch learner, or create one: a name box and the list of known learners."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.store.learners import MAX_NAME


class LearnerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen or typed name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, names: list[str], current: str):
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="learner-dialog", classes="dialog"):
            yield Static("Learner", classes="dialog-title")
            yield Input(
                placeholder="A new or existing name, then Enter",
                max_length=MAX_NAME,
                id="learner-name",
            )
            options = [
                Option(
                    Content(name)
                    + (
                        Content.styled("  (current)", "dim")
                        if name == self.current
                        else Content("")
                    ),
                    id=str(i),
                )
                for i, name in enumerate(self.names)
            ]
            yield OptionList(*options, id="learner-list")
            yield Static("Enter: choose   Tab: to the list   Esc: cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
