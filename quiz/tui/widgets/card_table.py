"""The browser's cards: Textual's DataTable, filled a page at a time.

A DataTable measures every cell it is given, so 100,000 rows added at once take seconds (and
the table keeps them all). A new filter adds what the table shows plus MARGIN rows (a page
down), not a whole page: each row added is measured and costs its part of the refill's frame.
The next PAGE follows when the cursor or the scroll comes within MARGIN rows of the end of
what is loaded. The matches
themselves (quiz.study.card_browser.filter_rows) are plain data and cost nothing to keep.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from quiz.study.card_browser import CardRow
from quiz.text import plain

PAGE = 100  # rows added at a time once the cursor or the scroll nears the end
MARGIN = 30  # rows before the end of the loaded ones that bring in the next page

CardKey = tuple[str, str]

# (key, label, width); the prompt takes what the others leave.
COLUMNS = (
    ("mark", "", 1),
    ("deck", "Deck", 12),
    ("type", "Type", 9),
    ("prompt", "Prompt", None),
    ("state", "State", 10),
    ("due", "Due", 10),
    ("interval", "Ivl", 5),
    ("lapses", "Lap", 3),
    ("last_review", "Reviewed", 10),
)
PROMPT_MIN = 16
MARK = "•"


class Cell(Text):
    """A cell's one line of text, drawn as one segment cut to the column's width.

    Rich's Text wraps, divides and joins lines to draw even a one-line cell, and the table
    draws every visible cell again at each refill: that was a third of a filter change's frame
    at 100,000 cards (bench/RESULTS.md, "Card browser"). A cell here is never wrapped (rows are
    one line), so it is cut (with an ellipsis if its overflow says so) and padded by hand.
    Still a Text, so what the table and the tests read of it (plain, str) is as before."""

    def __rich_measure__(self, console, options) -> Measurement:
        width = cell_len(self.plain)
        return Measurement(width, width)

    def __rich_console__(self, console, options):
        if self._spans:  # styled parts: Text knows how to draw them
            yield from super().__rich_console__(console, options)
            return
        width = options.max_width
        text = self.plain
        style = console.get_style(self.style) if self.style else None
        size = cell_len(text)
        if size > width:
            if self.overflow == "ellipsis":
                text = set_cell_size(text, width - 1) + "…"
            else:
                text = set_cell_size(text, width)
        elif size < width:
            # As Text pads: in the text's style when right-justified, bare after the text.
            pad = " " * (width - size)
            if self.justify == "right":
                yield Segment(pad + text, style)
                return
            yield Segment(text, style)
            yield Segment(pad)
            return
        yield Segment(text, style)


def row_key(row: CardRow) -> str:
    return f"{row.deck_id}\x1f{row.card_id}"


def state_label(row: CardRow) -> str:
    if row.leech:
        return "leech susp" if row.suspended else "leech"
    if row.suspended:
        return "suspended"
    if row.buried:
        return "buried"
    return row.state


def interval_label(days: float | None) -> str:
    if days is None:
        return "—"
    if days < 1:
        return f"{round(days * 24 * 60)}m" if days < 1 / 24 else f"{round(days * 24)}h"
    if days < 365:
        return f"{round(days)}d"
    return f"{days / 365:.1f}y"


def cells(row: CardRow, marked: bool, now_iso: str) -> list[Text]:
    """One row's cells. Text, never str: a DataTable parses str cells as markup, and deck text
    is shown as written."""
    due_now = row.due is not None and row.state != "new" and row.due <= now_iso
    return [
        Cell(MARK if marked else "", style="bold"),
        Cell(plain(row.deck_id), overflow="ellipsis", no_wrap=True),
        Cell(row.type, no_wrap=True),
        Cell(" ".join(plain(row.prompt).split()), overflow="ellipsis", no_wrap=True),
        Cell(state_label(row), style="bold" if row.leech else "", no_wrap=True),
        Cell(
            "—" if row.due is None or row.state == "new" else row.due[:10],
            style="bold" if due_now else "",
        ),
        Cell(interval_label(row.interval_days), justify="right"),
        Cell(str(row.lapses), justify="right", style="" if row.lapses else "dim"),
        Cell(row.last_review[:10] if row.last_review else "—", style="dim"),
    ]


class CardTable(DataTable):
    class Marked(Message):
        """The marked cards changed."""

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.matches: list[CardRow] = []
        self.loaded = 0
        self.marked: set[CardKey] = set()
        self.now_iso = ""
        self.prompt_width = 0
        self.sorted_by: tuple[str, bool] | None = None  # (column, reversed): an arrow in its header
        self.filling = False  # adding rows moves the cursor: no paging from inside
        self.fills = 0  # show() calls: the bench waits for the frame after its change's

    # -- filling --------------------------------------------------------------------------

    def show(
        self, matches: list[CardRow], now_iso: str, sorted_by: tuple[str, bool] | None = None
    ) -> None:
        """Show `matches` (already filtered and sorted) from the top: the first page only."""
        self.fills += 1
        self.filling = True
        try:
            self.matches = matches
            self.now_iso = now_iso
            self.loaded = 0
            self.clear()
            if (
                not self.columns
                or self.prompt_width != self._prompt_width()
                or sorted_by != self.sorted_by
            ):
                self.sorted_by = sorted_by
                self._columns()
        finally:
            self.filling = False
        self.more(self.first_page())

    def first_page(self) -> int:
        """The rows a new filter adds: those on screen, and MARGIN more (a whole PAGE before
        the table has a size)."""
        height = self.size.height - (self.header_height if self.show_header else 0)
        return min(PAGE, height + MARGIN) if height > 0 else PAGE

    def more(self, rows: int = PAGE) -> None:
        """Add the next `rows` matches, if any are left."""
        if self.filling:
            return
        end = min(self.loaded + rows, len(self.matches))
        marked = self.marked
        self.filling = True
        try:
            for row in self.matches[self.loaded : end]:
                self.add_row(
                    *cells(row, (row.deck_id, row.card_id) in marked, self.now_iso),
                    key=row_key(row),
                )
            self.loaded = end
        finally:
            self.filling = False

    def _prompt_width(self) -> int:
        fixed = sum(w + 2 for _k, _l, w in COLUMNS if w is not None) + 2 + 1  # padding, bar
        return max(PROMPT_MIN, self.size.width - fixed) if self.size.width else 40

    def _columns(self) -> None:
        self.clear(columns=True)
        self.prompt_width = self._prompt_width()
        for key, label, width in COLUMNS:
            justify = "right" if key in ("interval", "lapses") else "left"
            if self.sorted_by is not None and self.sorted_by[0] == key:
                label = f"{label}{'↓' if self.sorted_by[1] else '↑'}"
            self.add_column(Text(label, justify=justify), key=key, width=width or self.prompt_width)

    def on_resize(self) -> None:
        if self.columns and self.prompt_width != self._prompt_width():
            cursor = self.cursor_row
            loaded = self.loaded
            self.filling = True
            try:
                self.clear(columns=True)
                self._columns()
                self.loaded = 0
            finally:
                self.filling = False
            while self.loaded < loaded:
                self.more()
            if self.row_count:
                self.move_cursor(row=min(max(cursor, 0), self.row_count - 1))
        self.near_end(int(self.scroll_y) + self.size.height)  # taller: more rows on screen

    def near_end(self, row: int) -> None:
        if self.loaded < len(self.matches) and row >= self.loaded - MARGIN:
            self.more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.near_end(int(new_value) + self.size.height)

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        self.near_end(new.row)

    def on_unmount(self) -> None:
        self.matches = []  # the browser's rows are freed as the screen closes (idle_gc.thaw)

    # -- the cursor and the marks ---------------------------------------------------------

    def cursor_card(self) -> CardRow | None:
        if 0 <= self.cursor_row < self.loaded:
            return self.matches[self.cursor_row]
        return None

    def chosen(self) -> list[CardRow]:
        """The marked cards among the matches, else the one under the cursor."""
        if self.marked:
            return [r for r in self.matches if (r.deck_id, r.card_id) in self.marked]
        row = self.cursor_card()
        return [row] if row is not None else []

    def action_mark(self) -> None:
        row = self.cursor_card()
        if row is None:
            return
        key = (row.deck_id, row.card_id)
        on = key not in self.marked
        (self.marked.add if on else self.marked.discard)(key)
        self.update_cell(row_key(row), "mark", Cell(MARK if on else "", style="bold"))
        self.post_message(self.Marked())
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def mark_all(self, on: bool) -> None:
        """Mark every match (not only the loaded ones), or none."""
        self.marked = {(r.deck_id, r.card_id) for r in self.matches} if on else set()
        for row in self.matches[: self.loaded]:
            self.update_cell(row_key(row), "mark", Cell(MARK if on else "", style="bold"))
        self.post_message(self.Marked())

    def refresh_rows(self, rows: list[CardRow]) -> None:
        """Redraw the loaded rows among `rows` (fresh from the store after an action)."""
        fresh = {(r.deck_id, r.card_id): r for r in rows}
        for i, row in enumerate(self.matches):
            new = fresh.get((row.deck_id, row.card_id))
            if new is None:
                continue
            self.matches[i] = new
            if i < self.loaded:
                marked = (new.deck_id, new.card_id) in self.marked
                for (key, _l, _w), cell in zip(COLUMNS, cells(new, marked, self.now_iso)):
                    self.update_cell(row_key(new), key, cell)
