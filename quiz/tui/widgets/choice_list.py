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
        super().__init__(self.label(key, text))
        self.key = key
        self.text = text
        self.index = index

    @staticmethod
    def label(key: str, text: str) -> Content:
        return Content.assemble((f" {key} ", "bold reverse"), "  ", text)

    def set_choice(self, key: str, text: str) -> None:
        self.key, self.text = key, text
        self.update(self.label(key, text))

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

    def set_choices(self, keys: str, texts: list[str]) -> None:
        """Show other choices in the rows already mounted (the study screen reuses one list
        for every card: remounting costs a frame). Returns to the unrevealed look."""
        self.keys, self.texts = keys, texts
        self.remove_class("-revealed")
        for row in self.query(ChoiceRow):
            shown = row.index < len(texts)
            if shown:
                row.set_choice(keys[row.index], texts[row.index])
            row.remove_class("-right", "-wrong", "-picked")
            row.display = shown

    def mark(self, picked: int | None, right: int | None) -> None:
        """After the reveal: the right choice green, a wrong pick red, the rest dimmed."""
        self.add_class("-revealed")
        for row in self.query(ChoiceRow):
            row.set_class(row.index == right, "-right")
            row.set_class(row.index == picked and picked != right, "-wrong")
            row.set_class(row.index == picked, "-picked")
