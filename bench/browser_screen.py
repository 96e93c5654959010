"""The card browser's screen at scale (issue 19): filter and redraw over every card of the
collection (100,000 at size large), under App.run_test. (bench/browser.py measures the domain
under it; bench/run.py puts both in the `browser:SIZE` block of RESULTS.md.)

    python bench/run.py --size large --only browser

Each sample is one change of the filter (a search word, a search typed on letter by letter, a
deck, a state, a sort, clearing it)
applied as the search box's debounce timer applies it (BrowserScreen.apply: filter_rows over all
rows, sort_rows if sorted, the table refilled with its first page, the status line; from
THREAD_AT rows the filtering and sorting in a thread), timed from the change to the first frame
rendered after the table got its new rows: the new table on screen. The debounce itself
(DEBOUNCE, a deliberate wait for the typing to pause) is not counted.

The yardstick, in the same run and process: a bare Textual app whose DataTable is refilled with
YARD_ROWS rows per sample (the browser's first page was 100 rows until 20:10 of the night of
issue 19; the yardstick keeps that size so that figures before and after compare): the redraw
alone, with nothing filtered. The figures are also given as its ratio.

Rows beyond the main figure: a sort by an order not asked for before (the screen keeps each
sorted order until the rows change, and makes every order in a thread while the user reads:
the bench reads the first page for READ_FIRST seconds before its first change, as a user
does; bench/browser.py times a sort itself), the
rows a new filter adds to the table, and a full garbage-collector pass with the browser open
(its rows are frozen out of the collector while it is open).
"""

from __future__ import annotations

import asyncio
import time

ROUNDS = 4  # each filter change below is timed this many times
SCREEN = (120, 40)
YARD_ROWS = 100
READ_FIRST = 1.0  # seconds on the first page before the first change


def changes(screen) -> list[tuple[str, dict]]:
    """The filter changes timed, each (label, what to set)."""
    decks = [d.id for d in screen.decks]
    words = ("the", "islands", "treaty 1956", "kuril", "zzzz-nothing")
    out = [(f"search '{w}'", {"search": w}) for w in words]
    # Typing on, as a slow typist's debounce fires: each search narrows the last.
    out += [(f"typed on: '{w}'", {"search": w}) for w in ("is", "isl", "isla", "island")]
    out += [
        ("deck", {"search": "", "deck": decks[len(decks) // 2]}),
        ("deck + state due", {"state": "due"}),
        ("state review, deck cleared", {"deck": None, "state": "review"}),
        ("state new", {"state": "new"}),
        ("sort by due", {"state": None, "sort": "due"}),
        ("sort by prompt, reversed", {"sort": ("prompt", True)}),
        ("all cards, unsorted", {"search": "", "sort": None}),
    ]
    return out


def set_filter(screen, what: dict) -> None:
    from textual.widgets import Input, Select

    # The key or click that makes a change tells the app's collector the user is busy, so its
    # full passes (and the sorts made ahead) wait for a quiet moment: so here too.
    screen.app.collector.input_seen()
    with screen.prevent(Input.Changed, Select.Changed):
        if "search" in what:
            screen.query_one("#search", Input).value = what["search"]
        for name in ("deck", "type", "tag", "state"):
            if name in what:
                select = screen.query_one(f"#f-{name}", Select)
                if what[name] is None:
                    select.clear()
                else:
                    select.value = what[name]
    if "sort" in what:
        sort = what["sort"]
        column, reverse = sort if isinstance(sort, tuple) else (sort, False)
        screen.sort_column, screen.reverse = column, reverse


class Frames:
    """The time of the first frame rendered after `mark()` (and once `ready()` is true)."""

    def __init__(self, app):
        from quiz.tui.textual_internals import on_frame

        self.event = asyncio.Event()
        self.at = 0.0
        self.ready = None
        on_frame(app, self.seen)

    def seen(self) -> None:
        if not self.event.is_set() and (self.ready is None or self.ready()):
            self.at = time.perf_counter()
            self.event.set()

    def mark(self, ready=None) -> None:
        self.ready = ready
        self.event = asyncio.Event()

    async def wait(self) -> float:
        await asyncio.wait_for(self.event.wait(), 60)
        return self.at


async def browser_samples(store, learner, decks) -> dict:
    """{"frames": change -> frame seconds, "work": apply() alone, "cold_sorts": the frames of
    the first round's sorts, "cards", "page": rows a new filter adds, "full_gc": seconds of
    full collector passes with the browser open}."""
    import gc

    from quiz.tui.app import QuizApp
    from quiz.tui.screens.browser import BrowserScreen
    from quiz.tui.widgets.card_table import CardTable

    app = QuizApp(store, learner, decks, start_screen_factory=BrowserScreen)
    frames, work, cold_sorts = [], [], []
    async with app.run_test(size=SCREEN) as pilot:
        watch = Frames(app)
        while not isinstance(app.screen, BrowserScreen) or not app.screen.rows:
            await pilot.pause(0.01)
        screen = app.screen
        table = screen.query_one(CardTable)
        # A second on the first page, as a user reads it before changing anything: the
        # screen makes its sorted orders then (BrowserScreen.sort_later).
        await pilot.pause(READ_FIRST)
        for round_ in range(ROUNDS):
            for label, what in changes(screen):
                set_filter(screen, what)
                await pilot.pause(0.02)  # no frame of the last change still pending
                # Over THREAD_AT rows the table changes when the filter's thread is done: the
                # first frame after that is the one with the new rows.
                fills = getattr(table, "fills", None)
                watch.mark(None if fills is None else lambda n=fills: table.fills > n)
                t0 = time.perf_counter()
                screen.apply()
                work.append(time.perf_counter() - t0)
                frames.append(await watch.wait() - t0)
                if round_ == 0 and label.startswith("sort"):
                    cold_sorts.append(frames[-1])
        cards = len(screen.rows)
        page = table.row_count
        keys = await key_samples(app, screen, watch)
        full_gc = []
        for _ in range(3):
            t0 = time.perf_counter()
            gc.collect()
            full_gc.append(time.perf_counter() - t0)
    return {
        "frames": frames,
        "work": work,
        "cold_sorts": cold_sorts,
        "cards": cards,
        "page": page,
        "full_gc": full_gc,
        "keys": keys,
    }


KEY_ROUNDS = 8


async def key_samples(app, screen, watch) -> list[float]:
    """A key typed into the search box just as a new search starts (the debounce fired on the
    last pause of the typing, and the typing went on): seconds until its letter is on screen.
    On the event loop the key waits for the filter; with the filter in its thread, it does not."""
    from textual import events
    from textual.widgets import Input

    box = screen.query_one("#search", Input)
    box.focus()
    await pilot_pause(screen, app)  # focused (which selects the text) before it is set
    out = []
    for n in range(KEY_ROUNDS):
        word = ("treaty", "kuril")[n % 2]  # neither narrows the other: a pass over every row
        set_filter(screen, {"search": word, "deck": None, "state": None, "sort": None})
        box.cursor_position = len(word)
        await pilot_pause(screen, app)
        key = events.Key("z", "z")
        key.set_sender(app)
        watch.mark(lambda w=word: box.value == w + "z")
        t0 = time.perf_counter()
        app.post_message(key)  # queued first: handled as soon as the loop is free
        screen.apply()
        out.append(await watch.wait() - t0)
        await pilot_pause(screen, app)  # the filter's thread done, the debounce stopped
    return out


async def pilot_pause(screen, app) -> None:
    for _ in range(500):
        if not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    if screen.debounce is not None:
        screen.debounce.stop()
        screen.debounce = None


async def bare_samples(rows: int, samples: int) -> list[float]:
    from rich.text import Text
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable(id="t", cursor_type="row")
            yield Static("status")
            yield Footer()

    app = Bare()
    out = []
    async with app.run_test(size=SCREEN) as pilot:
        watch = Frames(app)
        table = app.query_one(DataTable)
        table.add_columns(*[Text(c) for c in "abcdefghi"])
        for n in range(samples):
            await pilot.pause(0.02)
            watch.mark()
            t0 = time.perf_counter()
            table.clear()
            for i in range(rows):
                table.add_row(*[Text(f"{c}{i}-{n}") for c in "abcdefghi"])
            out.append(await watch.wait() - t0)
    return out


def figures(Figure, store, decks, learner) -> list:
    """The screen's figures: change -> frame (p95, the issue's target), apply() alone, the
    bare DataTable refill, their ratio, and the browser's opening."""
    t0 = time.perf_counter()
    shown = asyncio.run(_open_only(store, learner, decks))
    opened = Figure(
        "browser_screen_open",
        "Browser screen: app start to the first page on screen (rows loaded)",
        note="once per open; load_rows is most of it",
    )
    opened.samples = [shown - t0]
    got = asyncio.run(browser_samples(store, learner, decks))
    frames, cards, page = got["frames"], got["cards"], got["page"]
    bare = asyncio.run(bare_samples(YARD_ROWS, len(frames)))
    change = Figure(
        "browser_screen_filter",
        f"Browser screen: filter change -> new table on screen ({cards:,} cards)",
        stat="p95",
        target=100,
        note=f"{len(frames) // ROUNDS} changes x {ROUNDS}: searches, typed on, deck, state, "
        f"sorts, clear; a new filter adds {page} rows at {SCREEN[0]}x{SCREEN[1]}; "
        "the debounce not counted",
    )
    change.samples = frames
    apply = Figure(
        "browser_screen_apply",
        "... of which BrowserScreen.apply() on the event loop (keys wait for it)",
        note="filter, sort, page and status when done on the loop; with the thread, the rest",
        stat="p95",
    )
    apply.samples = got["work"]
    cold = Figure(
        "browser_screen_sort_cold",
        "... of which the sorts of the first round (each order asked for the first time)",
        stat="max",
        note="made ahead while the first page was read (sort_later); later rounds find it kept",
    )
    cold.samples = got["cold_sorts"]
    rows = Figure("browser_screen_page", "... rows a new filter adds to the table", unit="rows")
    rows.samples = [page]
    full_gc = Figure(
        "browser_screen_full_gc",
        "Browser screen: a full garbage-collector pass with the browser open",
        note="gc.collect(); the browser's rows are frozen out of it while it is open",
    )
    full_gc.samples = got["full_gc"]
    keys = Figure(
        "browser_screen_key",
        "Browser screen: a key typed as a new search starts -> its letter on screen",
        stat="p95",
        note=f"{KEY_ROUNDS} searches over every card; the key queued before the search starts",
    )
    keys.samples = got["keys"]
    yard = Figure(
        "browser_screen_yard",
        f"Browser screen yardstick: a bare app's DataTable refilled with {YARD_ROWS} rows -> frame",
        stat="p95",
    )
    yard.samples = bare
    ratio = Figure("browser_screen_ratio", "... filter change p95 / the yardstick's p95", unit="x")
    ratio.samples = [change.summary()["p95"] / yard.summary()["p95"]]
    return [change, apply, cold, rows, keys, yard, ratio, full_gc, opened]


async def _open_only(store, learner, decks) -> float:
    """When the first page was on screen (the app's closing not counted)."""
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.browser import BrowserScreen
    from quiz.tui.widgets.card_table import CardTable

    app = QuizApp(store, learner, decks, start_screen_factory=BrowserScreen)
    async with app.run_test(size=SCREEN) as pilot:
        screen = app.screen
        while not isinstance(screen, BrowserScreen) or not screen.query_one(CardTable).row_count:
            await pilot.pause(0.01)
            screen = app.screen
        await pilot.pause()  # its frame
        return time.perf_counter()
