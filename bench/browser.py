"""The card browser at scale (issue 19): filter and redraw over every card of the collection
(100,000 at size large), under App.run_test.

    python bench/run.py --size large --only browser

Each sample is one change of the filter (a search word, a search typed on letter by letter, a
deck, a state, a sort, clearing it)
applied as the search box's debounce timer applies it (BrowserScreen.apply: filter_rows over all
rows, sort_rows if sorted, the table refilled with its first page, the status line), timed from
the change to the first frame rendered after it: the new table on screen. The debounce itself
(DEBOUNCE, a deliberate wait for the typing to pause) is not counted.

The yardstick, in the same run and process: a bare Textual app whose DataTable is refilled with
the same number of rows (one page) per sample: the redraw alone, with nothing filtered. The
figures are also given as its ratio. Written to its own block of bench/RESULTS.md (the size's
main section is left as it was), like the live group's.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

ROUNDS = 4  # each filter change below is timed this many times
SCREEN = (120, 40)


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
    """The time of the first frame rendered after `mark()`."""

    def __init__(self, app):
        from quiz.tui.textual_internals import on_frame

        self.event = asyncio.Event()
        self.at = 0.0
        on_frame(app, self.seen)

    def seen(self) -> None:
        if not self.event.is_set():
            self.at = time.perf_counter()
            self.event.set()

    def mark(self) -> None:
        self.event = asyncio.Event()

    async def wait(self) -> float:
        await asyncio.wait_for(self.event.wait(), 60)
        return self.at


async def browser_samples(store, learner, decks) -> tuple[list[float], list[float], int, int]:
    """(change -> frame seconds, apply() alone seconds, cards, page rows)."""
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.browser import BrowserScreen
    from quiz.tui.widgets.card_table import CardTable

    app = QuizApp(store, learner, decks, start_screen_factory=BrowserScreen)
    frames, work = [], []
    async with app.run_test(size=SCREEN) as pilot:
        watch = Frames(app)
        while not isinstance(app.screen, BrowserScreen) or not app.screen.rows:
            await pilot.pause(0.01)
        screen = app.screen
        await pilot.pause(0.2)
        for _ in range(ROUNDS):
            for _label, what in changes(screen):
                set_filter(screen, what)
                await pilot.pause(0.02)  # no frame of the last change still pending
                watch.mark()
                t0 = time.perf_counter()
                screen.apply()
                work.append(time.perf_counter() - t0)
                frames.append(await watch.wait() - t0)
        cards = len(screen.rows)
        page = screen.query_one(CardTable).row_count
    return frames, work, cards, page


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


def p95(values: list[float]) -> float:
    v = sorted(values)
    k = (len(v) - 1) * 0.95
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def run(work_db: Path, decks_dir: Path, learner_name: str) -> str:
    """Measure and return the RESULTS.md block's text."""
    from quiz.content.catalog import load_catalog
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store

    store = Store(work_db)
    try:
        decks = load_catalog([decks_dir], cached=True, store=store).decks
        sync_decks(store, decks)
        learner = store.learner(learner_name)
        t0 = time.perf_counter()
        asyncio.run(_open_only(store, learner, decks))
        opened = time.perf_counter() - t0
        frames, work, cards, page = asyncio.run(browser_samples(store, learner, decks))
    finally:
        store.close()
    bare = asyncio.run(bare_samples(page, len(frames)))
    ms = [x * 1000 for x in frames]
    work_ms = [x * 1000 for x in work]
    bare_ms = [x * 1000 for x in bare]
    ratio = statistics.median(ms) / statistics.median(bare_ms)
    ratio95 = p95(ms) / p95(bare_ms)
    verdict = "ok" if p95(ms) <= 100 else "**missed**"
    return "\n".join(
        [
            f"### Card browser at {cards:,} cards",
            "",
            f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
            "`python bench/run.py --only browser` (bench/browser.py), 120x40, "
            f"{len(ms)} filter changes ({ROUNDS} rounds of {len(ms) // ROUNDS}: searches, "
            "typed on, deck, state, sorts, clear); the table shows one page "
            f"({page} rows) of the matches.",
            "",
            "| Measure | n | median | p95 | max | target | |",
            "|---|---:|---:|---:|---:|---:|---|",
            f"| Filter change -> new table on screen | {len(ms)} | {statistics.median(ms):.1f} ms"
            f" | {p95(ms):.1f} ms | {max(ms):.1f} ms | p95 <= 100 ms | {verdict} |",
            f"| ... of which BrowserScreen.apply() (filter, sort, page, status) | {len(work_ms)}"
            f" | {statistics.median(work_ms):.1f} ms | {p95(work_ms):.1f} ms"
            f" | {max(work_ms):.1f} ms | | |",
            f"| Bare app: DataTable refilled with {page} rows -> frame (yardstick) | "
            f"{len(bare_ms)} | {statistics.median(bare_ms):.1f} ms | {p95(bare_ms):.1f} ms | "
            f"{max(bare_ms):.1f} ms | | |",
            f"| Filter change / yardstick (medians; p95s) | | {ratio:.2f}x | {ratio95:.2f}x | "
            "| | |",
            f"| Browser opened: rows loaded, first page on screen (once) | 1 | "
            f"{opened * 1000:.0f} ms | | | | |",
            "",
        ]
    )


async def _open_only(store, learner, decks) -> None:
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.browser import BrowserScreen

    app = QuizApp(store, learner, decks, start_screen_factory=BrowserScreen)
    async with app.run_test(size=SCREEN) as pilot:
        while not isinstance(app.screen, BrowserScreen) or not app.screen.rows:
            await pilot.pause(0.01)
        await pilot.pause()
