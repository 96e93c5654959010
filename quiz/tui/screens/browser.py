"""The card browser: every card of the loaded decks, searched, filtered, sorted, and acted on.

The rows come from the store once (quiz.study.card_browser.load_rows); each keystroke in the
search box (debounced) or change of a filter runs card_browser.matches over them, in memory
(from THREAD_AT rows in a thread, so that typing goes on meanwhile), and the table shows the
first page of matches (quiz.tui.widgets.card_table). bench/browser.py and
bench/browser_screen.py time that at 100,000 cards.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import get_current_worker

from quiz.content.deck import Card, Deck
from quiz.store.errors import StoreError
from quiz.store.times import iso
from quiz.study import card_actions
from quiz.study.card_browser import (
    COLUMNS,
    STATES,
    CardFilter,
    CardRow,
    Last,
    Order,
    describe,
    load_rows,
    matches,
    reload_rows,
    sort_ahead,
)
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.card_table import CardTable
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar

LOAD_NOTICE = 5_000  # cards above which the screen is drawn before they are read
DEBOUNCE = 0.15  # seconds of quiet typing before the search runs
THREAD_AT = 20_000  # rows from which filtering runs in a thread, off the keys' way
SORT_AHEAD_AFTER = 0.3  # seconds after the first page before the orders are made (sort_later)
# The state filter also offers the two custom-study filters of issue 19 (Anki's filtered decks).
EXTRA_STATES = (("failed today", "failed-today"), ("due in 3 days", "due-3d"))


class BrowserScreen(Screen):
    class Filtered(Message):
        """A thread's matches (filter_in_thread), for the screen to show if still wanted."""

        def __init__(self, found: Last, order: Order, rows: list[CardRow], now) -> None:
            super().__init__()
            self.found, self.order, self.rows, self.now = found, order, rows, now

    CSS_PATH = "browser.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # On the screen, not the table, so `?` lists it with the rest.
        Binding("space", "mark", "Mark", tooltip="Mark the card under the cursor (or unmark it)"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "filters", "Filters", tooltip="To the deck, type, tag and state filters"),
        Binding("x", "clear", "Clear filters", show=False),
        Binding(
            "p",
            "passage",
            "Same passage",
            show=False,
            tooltip="Only the cards citing the passage of the card under the cursor",
        ),
        Binding("o", "sort", "Sort", tooltip="Sort by the next column (a click on a header too)"),
        Binding("O", "reverse", "Reverse sort", show=False),
        Binding("a", "mark_all", "Mark all / none", show=False),
        Binding("i", "info", "Info", tooltip="The card's reviews and its FSRS state"),
        Binding("at", "suspend", "Suspend", key_display="@"),
        Binding("u", "unsuspend", "Unsuspend"),
        Binding("plus", "unbury", "Unbury", key_display="+", show=False),
        Binding("r", "reset", "Reset", tooltip="Back to new (asks first; the history is kept)"),
        Binding("s", "source", "Source", tooltip="The cited passage in its article"),
        Binding("e", "edit", "Edit"),
        Binding(
            "c", "cram", "Cram", tooltip="Study these cards now; the schedule is left untouched"
        ),
        # Out of the footer (it has room for the card actions only); `?` lists these too.
        Binding("escape", "back", "Back", key_display="Esc", show=False),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(
        self,
        decks: list[Deck] | None = None,
        *,
        initial: CardFilter | None = None,
        sort: str | None = None,
    ):
        super().__init__()
        self.decks = decks  # None: the app's decks (on mount)
        self.initial = initial  # the filter to start with (`quiz cards --tui --tag ...`)
        self.rows: list[CardRow] = []
        self.sort_column: str | None = sort if sort in COLUMNS else None
        self.reverse = False
        self.debounce: Timer | None = None
        self.filter = CardFilter()
        self.passage: tuple[str, int, int] | None = None  # `p`: cards citing this span
        self.sorted: dict[tuple[str, bool], list[CardRow]] = {}  # every row, per sort order
        self.ahead: list[CardRow] | None = None  # the rows whose orders are made (sort_later)
        self.last: Last | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="browser-filters"):
            yield Input(
                placeholder="search prompt, answer, tags, quote · Enter: to the table", id="search"
            )
            yield Select([], prompt="deck", id="f-deck")
            yield Select([], prompt="type", id="f-type")
            yield Select([], prompt="tag", id="f-tag")
            yield Select([], prompt="state", id="f-state")
        yield CardTable(id="cards")
        yield Static(id="browser-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        ensure_css(self)
        self.title = "quiz · Browse cards"
        if self.decks is None:
            self.decks = list(self.app.decks)
        self.decks_by_id = {d.id: d for d in self.decks}
        self.query_one(CardTable).focus()
        cards = sum(len(d.cards) for d in self.decks)
        if cards > LOAD_NOTICE:
            # Reading 100,000 cards' states takes seconds here (bench/RESULTS.md): say so in
            # the first frame, then read.
            self.query_one("#browser-status", Static).update(Content(f"Reading {cards:,} cards…"))
            self.call_after_refresh(self.start)
        else:
            self.start()

    def start(self) -> None:
        self.load()
        rows = self.rows
        states = [*STATES, *[v for _label, v in EXTRA_STATES]]
        self.offered = {
            "deck": [d.id for d in self.decks],
            "type": sorted({r.type for r in rows}),
            "tag": sorted({t for r in rows for t in r.tags}),
            "state": states,
        }
        labels = {v: label for label, v in EXTRA_STATES}
        for name, values in self.offered.items():
            self.query_one(f"#f-{name}", Select).set_options(
                [(Content(labels.get(v, v)), v) for v in values]
            )
        if self.initial is not None:
            self.set_filter(self.initial)
        self.apply()

    def load(self) -> None:
        app = self.app
        self.rows = load_rows(app.store, app.learner, self.decks, app.clock())
        self.positions = {(r.deck_id, r.card_id): i for i, r in enumerate(self.rows)}
        self.forget()
        # The rows last while the screen is open: out of the garbage collector's passes (a
        # full pass over 100,000 of them took 110 ms, landing on whatever frame came next).
        app.collector.freeze_now()

    def on_unmount(self) -> None:
        # Nothing refers to the rows any more (the table lets go of its matches as it goes), so
        # they are freed now; the screen itself, frozen with them, at the collector's next
        # quiet full pass.
        self.rows, self.positions = [], {}
        self.forget()
        self.app.collector.thaw()

    def forget(self) -> None:
        """Drop the sorted copies and the last matches: the rows changed."""
        self.sorted = {}
        self.last = None

    # -- the filter -----------------------------------------------------------------------

    def current_filter(self) -> CardFilter:
        def value(name: str) -> str | None:
            v = self.query_one(f"#f-{name}", Select).value
            return None if v is Select.NULL else str(v)

        state = value("state")
        return CardFilter(
            search=self.query_one("#search", Input).value,
            deck=value("deck"),
            type=value("type"),
            tag=value("tag"),
            state=state if state in STATES else None,
            failed_today=state == "failed-today",
            due_within_days=3 if state == "due-3d" else None,
            passage=self.passage,
        )

    def set_filter(self, flt: CardFilter) -> None:
        """Put `flt` in the search box and the filters (values a filter does not offer, such
        as a tag no card has, are left blank: the status line shows what is applied)."""
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#search", Input).value = flt.search
            state = flt.state or ("failed-today" if flt.failed_today else None)
            if flt.due_within_days == 3:
                state = "due-3d"
            for name, value in (("deck", flt.deck), ("type", flt.type), ("tag", flt.tag)):
                self._choose(name, value)
            self._choose("state", state)
        self.passage = flt.passage

    def _choose(self, name: str, value: str | None) -> None:
        select = self.query_one(f"#f-{name}", Select)
        if value is not None and value in self.offered[name]:
            select.value = value
        else:
            select.clear()

    def apply(self) -> None:
        """Filter, sort and show the first page: what bench/browser_screen.py times. From
        THREAD_AT rows the filtering and sorting run in a thread, and the table changes when
        they are done; a change made meanwhile supersedes them."""
        if self.debounce is not None:
            self.debounce.stop()
            self.debounce = None
        now = self.app.clock()
        self.filter = flt = self.current_filter()
        order = self.order()
        # Each order asked for is kept until the rows change (a list of references, under
        # 1 MB at 100,000 cards): going back to a sort is then free.
        job = (self.rows, flt, order, now, self.sorted, self.last)
        if len(self.rows) >= THREAD_AT:
            self.filter_in_thread(*job)
        else:
            self.show_matches(matches(*job), order, self.rows, now)

    def order(self) -> Order:
        return (self.sort_column, self.reverse) if self.sort_column else None

    def sort_later(self) -> None:
        """From THREAD_AT rows, every sorted order made in a thread while the user reads (each
        sort waits for a quiet moment, as the collector's full passes do: a sort holds the
        interpreter for up to 55 ms at 100,000 rows, which a filter running then would wait
        for): a first click on a header then costs what a later one does."""
        if len(self.rows) >= THREAD_AT:
            self.sort_in_thread(self.rows, self.sorted)

    @work(thread=True, exclusive=True, group="sort", description="sort the rows ahead")
    def sort_in_thread(self, rows, sorted_rows) -> None:
        worker = get_current_worker()
        collector = self.app.collector
        stop = lambda: worker.is_cancelled or rows is not self.rows  # noqa: E731
        sort_ahead(rows, sorted_rows, stop, collector.quiet)
        if not stop():
            collector.freeze_now()  # the orders last as the rows do (load())

    # A description given: by default the worker's is the repr of its arguments (every row).
    @work(thread=True, exclusive=True, group="filter", description="filter the rows")
    def filter_in_thread(self, rows, flt, order, now, sorted_rows, last) -> None:
        found = matches(rows, flt, order, now, sorted_rows, last)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Filtered(found, order, rows, now))

    @on(Filtered)
    def filtered(self, event: Filtered) -> None:
        self.show_matches(event.found, event.order, event.rows, event.now)

    def show_matches(self, found: Last, order: Order, rows: list[CardRow], now) -> None:
        if rows is not self.rows or (found[0], order) != (self.filter, self.order()):
            return  # superseded: the rows or the filter changed since
        self.last = found
        self.query_one(CardTable).show(found[2], iso(now), order)
        self.update_status()
        if len(rows) < THREAD_AT:
            return
        # The matches are kept while shown, and at 100,000 cards each list of them took the
        # collector 4 ms to walk in every young and middle pass it was in (those passes went
        # from 1 to 20-30 ms, inside the frames of the next changes): frozen out too.
        self.app.collector.freeze_now()
        if self.ahead is not rows:
            # A moment after the first page: sorting meanwhile held up the frames drawing it
            # (the first page of 100,000 cards came 0.4 s later).
            self.ahead = rows
            self.set_timer(SORT_AHEAD_AFTER, self.sort_later)

    @on(Input.Changed, "#search")
    def search_changed(self) -> None:
        if self.debounce is not None:
            self.debounce.stop()
        self.debounce = self.set_timer(DEBOUNCE, self.apply)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.apply()
        self.query_one(CardTable).focus()

    @on(Select.Changed)
    def filter_changed(self) -> None:
        if self.is_mounted and self.rows:
            self.apply()

    @on(CardTable.Marked)
    def update_status(self) -> None:
        table = self.query_one(CardTable)
        parts = [f"{len(table.matches):,} of {len(self.rows):,} cards"]
        said = describe(self.filter)
        if said:
            parts.append(said)
        if self.sort_column is not None:
            arrow = "↓" if self.reverse else "↑"
            parts.append(f"sorted by {self.sort_column.replace('_', ' ')} {arrow}")
        if table.marked:
            parts.append(f"{len(table.marked):,} marked")
        # Content(), not markup: the search text and tag names are the user's.
        self.query_one("#browser-status", Static).update(Content(" · ".join(parts)))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_filters(self) -> None:
        self.query_one("#f-deck", Select).focus()

    def action_passage(self) -> None:
        row = self.cursor()
        if row is None:
            return
        if row.article is None or row.span is None:
            self.notify("This card cites no passage found in its article.")
            return
        self.passage = (row.article, *row.span)
        self.apply()

    def action_clear(self) -> None:
        self.passage = None
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#search", Input).value = ""
            for name in ("deck", "type", "tag", "state"):
                self.query_one(f"#f-{name}", Select).clear()
        self.apply()

    # -- sorting --------------------------------------------------------------------------

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column not in COLUMNS:
            return
        if column == self.sort_column:
            self.reverse = not self.reverse
        else:
            self.sort_column, self.reverse = column, False
        self.apply()

    def action_sort(self) -> None:
        at = COLUMNS.index(self.sort_column) + 1 if self.sort_column in COLUMNS else 0
        self.sort_column = COLUMNS[at] if at < len(COLUMNS) else None
        self.reverse = False
        self.apply()

    def action_reverse(self) -> None:
        if self.sort_column is None:
            self.sort_column = COLUMNS[0]
        self.reverse = not self.reverse
        self.apply()

    # -- actions on the cards -------------------------------------------------------------

    def action_mark(self) -> None:
        self.query_one(CardTable).action_mark()

    def action_mark_all(self) -> None:
        table = self.query_one(CardTable)
        table.mark_all(len(table.marked) < len(table.matches))

    def chosen_keys(self) -> list[tuple[str, str]]:
        return [(r.deck_id, r.card_id) for r in self.query_one(CardTable).chosen()]

    def action_suspend(self) -> None:
        self.change("suspend", "Suspended")

    def action_unsuspend(self) -> None:
        self.change("unsuspend", "Unsuspended")

    def action_unbury(self) -> None:
        self.change("unbury", "Unburied")

    def action_reset(self) -> None:
        keys = self.chosen_keys()
        if not keys:
            return
        what, its = (
            ("this card", "Its") if len(keys) == 1 else (f"these {len(keys):,} cards", "Their")
        )
        question = f"Reset {what} to new? {its} review history is kept (and counted as a reset)."
        self.app.push_screen(
            ConfirmScreen(question, yes="Reset"),
            lambda yes: self.change("reset", "Reset to new", keys) if yes else None,
        )

    def change(self, action: str, done: str, keys: list[tuple[str, str]] | None = None) -> None:
        keys = self.chosen_keys() if keys is None else keys
        if not keys:
            return
        app = self.app
        args = (app.clock(),) if action == "reset" else ()
        try:
            changed = getattr(card_actions, action)(app.store, app.learner, keys, *args)
        except StoreError as e:
            self.notify(str(e), title="Not saved", severity="error", markup=False)
            return
        self.reload_cards(keys)
        self.notify(f"{done}: {changed:,} of {len(keys):,} cards")

    def reload_cards(self, keys: list[tuple[str, str]]) -> None:
        """Read the changed cards' rows again (their decks only) and redraw them in place:
        a row that no longer matches the filter stays in view until the filter changes."""
        app = self.app
        self.rows, fresh = reload_rows(
            app.store, app.learner, self.decks, self.rows, self.positions, keys, app.clock()
        )
        self.forget()
        self.query_one(CardTable).refresh_rows(fresh)
        self.update_status()
        self.ahead = self.rows
        self.sort_later()

    def cursor(self) -> CardRow | None:
        row = self.query_one(CardTable).cursor_card()
        if row is None:
            self.notify("No card here.")
        return row

    def card(self, row: CardRow) -> Card | None:
        deck = self.decks_by_id.get(row.deck_id)
        return next((c for c in deck.cards if c.id == row.card_id), None) if deck else None

    @on(DataTable.RowSelected)
    def action_info(self) -> None:
        from quiz.tui.screens.card_info import CardInfoScreen

        row = self.cursor()
        if row is not None:
            self.app.push_screen(CardInfoScreen(row.deck_id, row.card_id))

    def action_source(self) -> None:
        from quiz.tui.screens.reader import open_source

        row = self.cursor()
        if row is not None:
            open_source(self, self.card(row))

    def action_edit(self) -> None:
        from quiz.tui.screens.card_edit import edit_card

        row = self.cursor()
        if row is not None:
            edit_card(self, self.decks_by_id[row.deck_id], row.card_id, self.edited)

    def edited(self, deck: Deck | None) -> None:
        """After an edit: the deck as it is now on disk (synced), or None if unchanged."""
        if deck is None:
            return
        self.decks = [deck if d.id == deck.id else d for d in self.decks]
        self.decks_by_id[deck.id] = deck
        self.load()
        self.apply()

    def action_cram(self) -> None:
        from quiz.tui.screens.study import StudyScreen

        table = self.query_one(CardTable)
        rows = table.chosen() if table.marked else table.matches
        if not rows:
            self.notify("No cards to study: change the filter.", severity="warning")
            return
        keys = [(r.deck_id, r.card_id) for r in rows]
        decks = [d for d in self.decks if d.id in {deck for deck, _c in keys}]
        self.app.push_screen(StudyScreen(decks, cram=keys))

    def action_back(self) -> None:
        if isinstance(self.focused, (Input, Select)):
            self.query_one(CardTable).focus()
            return
        close(self)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # While the search box has focus, letters type into it: say so in the footer.
        typing = isinstance(self.focused, Input)
        if typing and action not in ("back", "search"):
            return False
        return True
