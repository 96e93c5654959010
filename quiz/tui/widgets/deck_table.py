"""The home screen's decks: counts per deck, and which decks are selected for study."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from quiz.text import plain

CHECK = {True: "[x]", False: "[ ]"}


@dataclass(frozen=True)
class DeckRow:
    id: str
    title: str
    new: int
    learning: int
    due: int
    total: int


class DeckTable(DataTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle",
            "Select deck",
            tooltip="Include or leave out the deck under the cursor",
        ),
    ]

    class StudyRequested(Message):
        """Enter on the table: study the selected decks."""

    class SelectionChanged(Message):
        pass

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.selected: set[str] = set()
        self.rows_by_id: dict[str, DeckRow] = {}

    def load(self, rows: list[DeckRow], *, select_all: bool = False) -> None:
        """Fill (or refill) the table, keeping the cursor; decks new since the last load start
        selected."""
        known = set(self.rows_by_id)
        self.rows_by_id = {r.id: r for r in rows}
        if select_all:
            self.selected = set(self.rows_by_id)
        else:
            self.selected = (self.selected & set(self.rows_by_id)) | (set(self.rows_by_id) - known)
        self._build()

    def on_resize(self) -> None:
        self._build()

    def _build(self) -> None:
        cursor = self.cursor_row
        self.clear(columns=True)
        # Cells are Text, never str: a DataTable parses str cells as markup.
        numbers = (("new", "New"), ("learning", "Learning"), ("due", "Due"), ("total", "Cards"))
        # The title column takes what the numbers leave (each column has 2 cells of padding),
        # so a long title is cut with an ellipsis instead of pushing the counts off screen.
        fixed = (3 + 2) + sum(len(label) + 2 for _k, label in numbers) + 2 + 1
        width = self.size.width - fixed if self.size.width else None
        self.add_column(Text(""), key="sel", width=3)
        self.add_column(Text("Deck"), key="title", width=max(12, width) if width else None)
        for key, label in numbers:
            self.add_column(Text(label, justify="right"), key=key, width=len(label))
        for r in self.rows_by_id.values():
            self.add_row(
                Text(CHECK[r.id in self.selected]),
                Text(plain(r.title), overflow="ellipsis", no_wrap=True),
                *[
                    Text(str(n), justify="right", style="bold" if n and k != "total" else "dim")
                    for k, n in (
                        ("new", r.new),
                        ("learning", r.learning),
                        ("due", r.due),
                        ("total", r.total),
                    )
                ],
                key=r.id,
            )
        if self.rows_by_id:
            self.move_cursor(row=min(max(cursor, 0), len(self.rows_by_id) - 1))

    def cursor_deck(self) -> str | None:
        if not self.rows_by_id or self.cursor_row < 0:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value

    def action_toggle(self) -> None:
        deck = self.cursor_deck()
        if deck is not None:
            self.set_selected(deck, deck not in self.selected)

    def set_selected(self, deck: str, on: bool) -> None:
        (self.selected.add if on else self.selected.discard)(deck)
        self.update_cell(deck, "sel", Text(CHECK[on]))
        self.post_message(self.SelectionChanged())

    def select_all(self, on: bool) -> None:
        for deck in self.rows_by_id:
            self.set_selected(deck, on)

    def action_select_cursor(self) -> None:
        # Enter studies; a click on a row toggles it (see on_data_table_row_selected).
        self.post_message(self.StudyRequested())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.set_selected(event.row_key.value, event.row_key.value not in self.selected)
