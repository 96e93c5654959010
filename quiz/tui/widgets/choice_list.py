"""Lettered choices (mcq a-d, true/false t/f): picked by key or mouse, marked after the reveal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static


class ChoiceRow(Static):
    """One choice: its key letter and its text (deck text, so never markup)."""

    def __init__(self, key: str, text: str, index: int):
        super().__init__(Content.assemble((f" {key} ", "bold reverse"), "  ", text))
        self.key = key
        self.text = text
        self.index = index

    def on_click(self) -> None:
        self.post_message(ChoiceList.Picked(self.index))


class ChoiceList(Vertical):
    class Picked(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, keys: str, texts: list[str], **kwargs):
        super().__init__(**kwargs)
        self.keys = keys
        self.texts = texts

    def compose(self) -> ComposeResult:
        for i, (key, text) in enumerate(zip(self.keys, self.texts)):
            yield ChoiceRow(key, text, i)

    def mark(self, picked: int | None, right: int | None) -> None:
        """After the reveal: the right choice green, a wrong pick red, the rest dimmed."""
        self.add_class("-revealed")
        for row in self.query(ChoiceRow):
            row.set_class(row.index == right, "-right")
            row.set_class(row.index == picked and picked != right, "-wrong")
            row.set_class(row.index == picked, "-picked")
