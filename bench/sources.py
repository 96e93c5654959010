"""Bench rows for your own sources (issue 17): `quiz articles add` of a 1 MB HTML page,
`quiz coverage` over the bundled decks and the collection's, and the authoring screen's start
(to the article on screen) as a ratio to a bare Textual app's start, in the same run."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

FURNITURE = """<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<aside class="promo"><p>Subscribe today for unlimited access, just one dollar a week.</p></aside>
<script>window.dataLayer = []; function track(){ dataLayer.push(arguments); }</script>"""
BODY = (
    "<p>Paragraph {i} of the bench article explains, in ordinary prose of a decent length, how "
    "the river recovered after the dams came down and what the biologists measured that year, "
    "so that the extractor has a real body to keep and the furniture around it to drop.</p>\n"
)


def page(size: int = 1_000_000) -> str:
    head = (
        "<!DOCTYPE html><html><head><title>Bench Article | Bench Times</title>"
        '<meta name="author" content="A. Writer"></head><body>' + FURNITURE + "<article>"
    )
    parts, i = [head], 0
    while sum(map(len, parts)) < size:
        parts.append(BODY.format(i=i))
        if i % 40 == 0:
            parts.append(FURNITURE)
        i += 1
    parts.append("</article><footer>© Bench Times</footer></body></html>")
    return "".join(parts)


def articles_add(Figure, repeats: int):
    from quiz.content.library import add_article, user_library

    fig = Figure(
        "articles_add_1mb",
        "`quiz articles add` of a 1 MB HTML page (extract + store)",
        note="trafilatura extraction and the atomic writes, in process, a fresh library each time",
    )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page(), encoding="utf-8")
        for n in range(repeats):
            lib = user_library(Path(tmp) / f"lib{n}")
            t = time.perf_counter()
            add_article(lib, source)
            fig.samples.append(time.perf_counter() - t)
    return fig


def coverage_rows(Figure, decks_dir: Path | None, repeats: int):
    from quiz.content.articles import bundled_library
    from quiz.content.catalog import load_catalog
    from quiz.content.coverage import coverage

    library = bundled_library()
    out = []
    targets = [
        ("coverage_bundled", "`quiz coverage` over the bundled decks (parse + cover)", None, 300)
    ]
    if decks_dir is not None:
        targets.append(
            (
                "coverage_collection",
                "coverage over the collection's decks (parse + cover)",
                decks_dir,
                None,
            )
        )
    for key, label, folder, target in targets:
        fig = Figure(key, label, target=target, note="load_catalog() then coverage(), in process")
        for _ in range(repeats):
            t = time.perf_counter()
            catalog = load_catalog([folder] if folder else None, library)
            coverage(library, catalog.decks)
            fig.samples.append(time.perf_counter() - t)
        cover = Figure(key + "_only", label.replace("(parse + cover)", "(cover only)"))
        for _ in range(repeats):
            t = time.perf_counter()
            coverage(library, catalog.decks)
            cover.samples.append(time.perf_counter() - t)
        out += [fig, cover]
    return out


async def _author_start(store, learner, decks) -> float:
    from quiz.content.articles import bundled_library
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.author import AuthorScreen

    article = bundled_library().get("streltsov")  # the longest bundled article
    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "bench.yaml"
        app = QuizApp(
            store, learner, decks, start_screen_factory=lambda: AuthorScreen(article, deck)
        )
        t = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            while app.screen.query("#author-paras").first().option_count == 0:
                await pilot.pause(0.001)
            return time.perf_counter() - t


async def _bare_start() -> float:
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            with VerticalScroll():
                yield Static("text", id="text")
            yield Footer()

    app = Bare()
    t = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return time.perf_counter() - t


@contextlib.contextmanager
def bundled_store():
    """(store, learner, decks): a new store with the bundled decks synced, for one figure."""
    from quiz.content.catalog import load_catalog
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "quiz.db")
        decks = load_catalog().decks
        sync_decks(store, decks)
        try:
            yield store, store.learner("bench"), decks
        finally:
            store.close()


def author_start(Figure, repeats: int):
    with bundled_store() as (store, learner, decks):
        author = Figure("author_start", "Authoring screen: start to the article on screen")
        bare = Figure("author_bare_start", "Bare Textual app: start to first frame (yardstick)")
        for _ in range(repeats):
            bare.samples.append(asyncio.run(_bare_start()))
            author.samples.append(asyncio.run(_author_start(store, learner, decks)))
    ratio = Figure(
        "author_start_ratio",
        "Authoring screen start / bare app start (medians)",
        unit="x",
        target=1.5,
        note="Pilot, 120x40, the longest bundled article",
    )
    ratio.samples = [statistics.median(author.samples) / statistics.median(bare.samples)]
    return [author, bare, ratio]


async def _mastery_toggles(store, learner, decks, repeats: int) -> tuple[list, list, list]:
    """(seconds to work the levels out, `m` to the frame that shows the change, its CPU)."""
    from datetime import UTC, datetime

    from _frames import FrameWatch

    from quiz.content.articles import bundled_library
    from quiz.study.mastery import paragraph_mastery
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.reader import ReaderScreen

    article = bundled_library().get("streltsov")  # the longest bundled article
    work, toggles, cpu = [], [], []
    for _ in range(repeats):
        t = time.perf_counter()
        levels = paragraph_mastery(store, learner, article, datetime.now(UTC))
        work.append(time.perf_counter() - t)
    app = QuizApp(
        store, learner, decks, start_screen_factory=lambda: ReaderScreen(article, None, levels)
    )
    watch = FrameWatch(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for i in range(repeats * 10):
            shown = i % 2 == 0  # on, off, on...
            watch.expect(lambda a, shown=shown: a.screen.showing_mastery is shown)
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("m")
            toggles.append(await watch.wait() - t0)
            cpu.append(watch.hit_cpu - c0)
            await asyncio.sleep(0.05)
    return work, toggles, cpu


def mastery_toggle(Figure, repeats: int):
    with bundled_store() as (store, learner, decks):
        work, toggles, cpu = asyncio.run(_mastery_toggles(store, learner, decks, repeats))
    levels = Figure("mastery_levels", "Reader: each paragraph's level worked out (streltsov)")
    levels.samples = work
    toggle = Figure(
        "mastery_toggle",
        "Reader: m -> the levels shown (or hidden) on screen",
        stat="p95",
        target=16,
        note="Pilot, 120x40, the longest bundled article, frames watched; "
        "the levels are worked out when the reader opens",
    )
    toggle.samples = toggles
    toggle_cpu = Figure("mastery_toggle_cpu", "... CPU time of the same", stat="p95")
    toggle_cpu.samples = cpu
    return [levels, toggle, toggle_cpu]


def figures(Figure, decks_dir: Path | None, repeats: int) -> list:
    return [
        articles_add(Figure, repeats),
        *coverage_rows(Figure, decks_dir, repeats),
        *author_start(Figure, repeats),
        *mastery_toggle(Figure, repeats),
    ]
