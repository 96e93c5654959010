"""Measure how quiz feels on a synthetic collection and write bench/RESULTS.md.

    python bench/run.py [--size tiny|small|large] [--out FILE] [--repeats N]

Generates the collection first if needed (bench/generate.py). Each figure is measured several
times and reported as min / median / max, next to its target. Nothing here asserts a time: the
CI smoke run only checks that every measurement still works.

What is measured (bench/RESULTS.md has the method, the figures and what was done about them):
 1. cold start to the first card, `quiz study` vs a bare Textual app (subprocesses, alternated)
 2. answer -> next card on screen (in-process, Pilot, frames watched), p50 / p95
 3. home screen counts, stats, `quiz report`
 4. `quiz lint` and deck sync of a 10,000-card deck; start-up with unchanged deck files,
    parsing vs the parse cache
 5. peak RSS of a study session
 6. how deck files scale (bench/deck_scale.py): `quiz lint` of 10k / 100k (/ 1M) cards, a start
    right after editing one card of a 10,000-card file, a first start on a new database
 7. the card browser (its own block of the file): the domain (bench/browser.py: loading every
    card with a learner's state, filtering and sorting them) and the screen
    (bench/browser_screen.py: filter change -> new table on screen over every card, under
    App.run_test), each against yardsticks in the same run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from _common import BENCH, HEAVY, ROOT, SIZES, Size, db_path, decks_dir, lint_file, size_dir
from _frames import FrameWatch, card_shown, laid_out
from tree_rss import TreePeak

HARNESS = BENCH / "harness.py"
RESULTS = BENCH / "RESULTS.md"
SCREEN = (100, 40)


@dataclass
class Figure:
    key: str
    label: str
    samples: list[float] = field(default_factory=list)  # seconds (or MB for memory)
    unit: str = "ms"
    target: float | None = None  # in `unit`
    note: str = ""
    stat: str = "median"  # what the target is compared with: median | p95 | max

    def values(self) -> list[float]:
        scale = 1000.0 if self.unit == "ms" else 1.0  # samples are seconds, MB or ratios
        return [v * scale for v in self.samples]

    def summary(self) -> dict:
        v = sorted(self.values())
        if not v:
            return {}
        return {
            "n": len(v),
            "min": v[0],
            "median": statistics.median(v),
            "max": v[-1],
            "p50": percentile(v, 50),
            "p95": percentile(v, 95),
        }

    def judged(self) -> float | None:
        s = self.summary()
        return s.get(self.stat) if s else None

    def ok(self) -> bool | None:
        value = self.judged()
        if self.target is None or value is None:
            return None
        return value <= self.target


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Subprocesses: wall time from spawn to a marker line, and the child's peak RSS.
#
# Peak RSS is the child's own ru_maxrss, taken by a small launcher that forks it, not by this
# process: Linux keeps a process's peak across exec (the larger of the memory it had before
# exec and after), and a child forked (or vforked) by this process starts with this process's
# memory, so after generating a large collection here every child "peaked" at about 1000 MB,
# where `/usr/bin/time -v` said 44. Forked by the launcher (a bare `python -I -S`, about 9 MB),
# the child's figure is its own, as `/usr/bin/time` measures it: a 1 GB parent with a 32 MB
# child read 1034 MB the old way and 31 MB this way (time: 32 MB). The launcher says when it is
# up, and the clock starts then: its own start-up is not timed.

_LAUNCHER = """
import os, signal, sys
fd = int(sys.argv[1])
os.write(fd, b"R")
pid = os.fork()
if pid == 0:
    os.close(fd)
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_pid, status, usage = os.wait4(pid, 0)
os.write(fd, b"%d" % usage.ru_maxrss)
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
os._exit(code)
"""


def spawn(
    args: list[str], marker: str | None, env: dict, *, tree: bool = False
) -> tuple[float | None, float, int, str]:
    """(seconds to the marker line or to exit, peak RSS in MB, exit status, output). With
    `tree`, the RSS is the larger of the child's own peak and the peak, sampled, of the memory
    the child and its own children hold together (bench/tree_rss.py): for a command with
    worker processes. Without a marker the output goes to a file, read after the exit: reading
    `quiz lint`'s 41 MB of warnings a line at a time here took a core's share from the command
    timed on a two-core machine (100,000 cards: 4.9 s timed so, 4.1 s to a file)."""
    report, report_w = os.pipe()
    sink = tempfile.TemporaryFile() if marker is None else None
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report_w), *args],
        stdout=sink if sink is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
        pass_fds=(report_w,),
    )
    os.close(report_w)
    with os.fdopen(report, "rb") as reports, TreePeak(proc.pid) if tree else nullcontext() as t:
        reports.read(1)  # the launcher is up: it forks the command next
        start = time.perf_counter()
        hit = None
        lines = []
        if sink is None:
            for line in proc.stdout:
                lines.append(line)
                if marker and hit is None and line.startswith(marker):
                    hit = time.perf_counter() - start
        err = proc.stderr.read()
        proc.wait()
        if marker is None:
            hit = time.perf_counter() - start
        max_rss_kb = int(reports.read() or 0)  # Linux: kilobytes
    if tree:
        max_rss_kb = max(max_rss_kb, t.kb)
    if sink is not None:
        sink.seek(0)
        lines = [sink.read().decode("utf-8", "replace")]
        sink.close()
    else:
        proc.stdout.close()
    proc.stderr.close()
    return hit, max_rss_kb / 1024, proc.returncode, "".join(lines) + err


def quiz_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "quiz", *args]


# ---------------------------------------------------------------------------------------------
# 1 and 5: cold start and memory

START_VARIANTS = (
    # key, label, harness flags, note
    (
        "start_quiz",
        "`quiz study`, before: every deck file parsed at each start",
        ["--parse-all"],
        "load_catalog(): as start-up was before the parse cache",
    ),
    (
        "start_quiz_cached",
        "... before: the parse cache (files unchanged)",
        ["--deck-cache"],
        "load_catalog(cached=True): JSON parse cache in the user cache dir, every card loaded",
    ),
    (
        "start_quiz_stored",
        "... now: stored decks (files unchanged), as quiz.launch does",
        [],
        "load_catalog(cached=True, store=store): unchanged decks are not parsed, "
        "cards read from the store",
    ),
)


START_RUNS = 9  # alternated runs of the bare app and of `quiz study` as it starts now (at least)


def first_frame_cpu(out: str) -> float:
    """The harness's CPU time at the first frame, from its FIRST_FRAME line."""
    line = next(x for x in out.splitlines() if x.startswith("FIRST_FRAME"))
    return float(line.rsplit("cpu=", 1)[1])


def bytecode_ready() -> None:
    """Write quiz's bytecode, as a user's install has it: `pip install .` compiles what it
    installs. A development checkout on a machine with PYTHONDONTWRITEBYTECODE=1 (this one)
    has none, so every quiz module would be compiled from source at each start (about 57 ms
    here) while Textual, the yardstick's only code, loads from its installed bytecode."""
    import compileall

    import quiz

    compileall.compile_dir(Path(quiz.__file__).parent, quiet=1)


def cold_start(size: Size, work_db: Path, env: dict, repeats: int) -> list[Figure]:
    bare = Figure(
        "start_bare",
        "Bare Textual app: spawn -> Static on screen",
        note="the same harness: headless run_test(), frames watched",
    )
    bare_cpu = Figure(
        "start_bare_cpu",
        "... CPU time of the bare app to its first frame",
        note="process_time() at the frame, interpreter start-up included",
    )
    quiz_cpu = Figure(
        "start_quiz_cpu", "... CPU time of `quiz study` (stored decks) to the first card"
    )
    figs = {key: Figure(key, label, note=note) for key, label, _f, note in START_VARIANTS}
    rss = {
        key: Figure(
            f"rss_{key[6:]}",
            f"Peak RSS to the first card, {label.split(' (')[0].lstrip('. ')}",
            unit="MB",
            stat="max",
            target=150 if key == "start_quiz_stored" else None,
            note="ru_maxrss of the harness process, forked by a small launcher",
        )
        for key, label, _f, _n in START_VARIANTS
    }
    quiz_args = [
        sys.executable,
        str(HARNESS),
        "quiz",
        "--db",
        str(work_db),
        "--learner",
        HEAVY,
        str(decks_dir(size)),
    ]
    bare_args = [sys.executable, str(HARNESS), "bare"]
    bytecode_ready()
    # Warm the OS file cache and the parse cache once, untimed.
    spawn(quiz_args + ["--deck-cache"], "FIRST_FRAME", env)
    spawn(bare_args, "FIRST_FRAME", env)
    slow = size.cards > 20_000  # parsing 100,000 cards takes a minute: fewer runs of that one
    # The ratio against the target is what varies most from run to run on a shared machine:
    # its two sides get more alternated runs than the older paths.
    total = repeats if repeats < 3 else max(repeats, START_RUNS)  # (--repeats 1: a quick look)
    for i in range(total):
        runs = [(bare, bare_args, None)]
        for key, _label, flags, _note in START_VARIANTS:
            if key != "start_quiz_stored" and (
                i >= repeats or (key == "start_quiz" and slow and i > 0)
            ):
                continue
            runs.append((figs[key], quiz_args[:-1] + flags + quiz_args[-1:], rss[key]))
        for fig, args, mem in runs:
            t, mb, code, out = spawn(args, "FIRST_FRAME", env)
            if t is None or code != 0:
                raise SystemExit(
                    f"bench: start-up run failed ({' '.join(args[1:])}):\n{out[-3000:]}"
                )
            fig.samples.append(t)
            if mem is not None:
                mem.samples.append(mb)
            if fig is bare or fig.key == "start_quiz_stored":
                (bare_cpu if fig is bare else quiz_cpu).samples.append(first_frame_cpu(out))
        say(
            f"  start {i + 1}/{total}: "
            + ", ".join(
                f"{f.key[6:] or 'bare'} {f.samples[-1] * 1000:.0f} ms" for f, _a, _m in runs
            )
        )
    out = [bare]
    for key, _label, _flags, _note in START_VARIANTS:
        fig = figs[key]
        ratio = Figure(
            f"ratio_{key[6:]}",
            f"Start ratio, {fig.label.split(' (')[0].lstrip('. ')} / bare (medians)",
            unit="x",
            target=1.5 if key == "start_quiz_stored" else None,
        )
        ratio.samples = [statistics.median(fig.samples) / statistics.median(bare.samples)]
        out += [fig, ratio]
    cpu_ratio = Figure(
        "ratio_cpu",
        "Start ratio in CPU time, `quiz study` / bare (medians)",
        unit="x",
        target=1.5,
        note="the same ratio where other processes cannot inflate it",
    )
    cpu_ratio.samples = [statistics.median(quiz_cpu.samples) / statistics.median(bare_cpu.samples)]
    return out + [bare_cpu, quiz_cpu, cpu_ratio] + list(rss.values())


def session_memory(size: Size, work_db: Path, env: dict, answers: int) -> Figure:
    rss = Figure(
        "rss_session",
        f"Peak RSS, study session ({answers} cards answered)",
        unit="MB",
        stat="max",
        target=150,
        note="ru_maxrss of the harness process, forked by a small launcher; stored decks",
    )
    args = [
        sys.executable,
        str(HARNESS),
        "quiz",
        "--db",
        str(work_db),
        "--learner",
        HEAVY,
        "--answers",
        str(answers),
        str(decks_dir(size)),
    ]
    _t, mb, code, out = spawn(args, "DONE", env)
    if code != 0:
        raise SystemExit(f"bench: study session run failed:\n{out[-3000:]}")
    rss.samples.append(mb)
    return rss


# ---------------------------------------------------------------------------------------------
# 2 and 3: in-process, through Pilot


def open_app(work_db: Path, size: Size, start: str):
    """The app as `quiz study` opens it, on the fast start-up path (stored decks)."""
    from quiz.content.catalog import load_catalog
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store
    from quiz.tui.app import QuizApp

    store = Store(work_db)
    decks = load_catalog([decks_dir(size)], cached=True, store=store).decks
    sync_decks(store, decks)
    learner = store.learner(HEAVY)
    return store, QuizApp(store, learner, decks, start=start)


class Timed:
    """Wraps a method and adds up the time spent in it."""

    def __init__(self, obj, name: str):
        self.total = 0.0
        self.calls = 0
        inner = getattr(obj, name)

        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - t
                self.calls += 1

        setattr(obj, name, wrapper)

    def take(self) -> float:
        total, self.total = self.total, 0.0
        return total


PARAGRAPHS = (
    "Russia and Japan never signed a peace treaty after 1945; four islands are still disputed. "
    "Press 3 to see the next one.",
    "In 1956 a joint declaration ended the state of war and promised two of the islands after a "
    "treaty, which never came. Tokyo still calls them the Northern Territories, Moscow the "
    "Southern Kurils. Press 3 to see the next one.",
)


# After each frame, before the next key: no learner presses a key within 50 ms of seeing the
# screen, and Textual lays out once more right after a frame (containers whose virtual size
# changed ask for it); without the pause that follow-up pass was billed to the next key at
# random (2-5 ms). The yardstick gets the same pause.
LEARNER_PAUSE = 0.05


async def bare_frame_latency(answers: int) -> list[Figure]:
    """The yardstick for answer -> next card: a bare Textual app (header, one Static in a
    scrolling panel, footer) whose key swaps the Static's text for a paragraph of another
    height, so each frame is a full reflow and repaint, as a new card is. Same screen size,
    same Pilot and frame watch."""
    from textual.app import App
    from textual.binding import Binding, BindingType
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Header, Static

    class Yardstick(App):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("3", "swap", "Next")]
        shown = 0

        def compose(self):
            yield Header()
            with VerticalScroll():
                yield Static(PARAGRAPHS[0], id="text")
            yield Footer()

        def action_swap(self) -> None:
            self.shown += 1
            self.query_one("#text", Static).update(PARAGRAPHS[self.shown % 2])

    app = Yardstick()
    fig = Figure(
        "bare_frame",
        "Bare Textual app: key -> a Static's new paragraph on screen",
        stat="p95",
        note="the yardstick for a frame: header, one Static, footer; "
        "the new text changes the layout",
    )
    cpu = Figure("bare_frame_cpu", "... CPU time of the same", stat="p95")
    watch = FrameWatch(app)
    watch.expect(lambda a: laid_out(a.screen.query_one("#text")))
    async with app.run_test(size=SCREEN) as pilot:
        await watch.wait()
        for i in range(answers):
            watch.expect(lambda a, n=i + 1: a.shown == n)
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("3")
            fig.samples.append(await watch.wait() - t0)
            cpu.samples.append(watch.hit_cpu - c0)
            await asyncio.sleep(LEARNER_PAUSE)
    return [fig, cpu]


def _session_over(app) -> bool:
    return getattr(app.screen, "phase", None) == "done"


async def study_latency(size: Size, work_db: Path, answers: int) -> list[Figure]:
    store, app = open_app(work_db, size, "study")
    nxt = Figure(
        "answer_next",
        "Answer (key 3) -> next card on screen",
        stat="p95",
        target=16,
        note=f"{answers} answers by '{HEAVY}', Pilot, frames watched",
    )
    reveal = Figure(
        "reveal", "Reveal (Enter) -> answer and grades on screen", stat="p95", target=16
    )
    cpu = Figure(
        "answer_next_cpu",
        "... CPU time of the same (what a busy machine cannot inflate)",
        stat="p95",
        target=16,
    )
    domain = Figure(
        "answer_next_domain", "... of which StudySession (answer, next_item, remaining)", stat="p95"
    )
    watch = FrameWatch(app)
    watch.expect(card_shown)
    try:
        async with app.run_test(size=SCREEN) as pilot:
            await watch.wait()
            session = app.screen.session
            timers = [Timed(session, n) for n in ("answer", "next_item", "remaining")]
            for _ in range(answers):
                screen = app.screen
                if getattr(screen, "phase", None) != "question":
                    break
                watch.expect(lambda a: getattr(a.screen, "phase", None) == "revealed")
                t0 = time.perf_counter()
                await pilot.press("enter")
                reveal.samples.append(await watch.wait() - t0)
                await asyncio.sleep(LEARNER_PAUSE)
                previous = screen.item
                for t in timers:
                    t.take()
                # (or the end of the session: a run out of due cards stops there, not at a timeout)
                watch.expect(lambda a, p=previous: card_shown(a, p) or _session_over(a))
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press("3")
                took = await watch.wait() - t0
                if _session_over(app):
                    break
                nxt.samples.append(took)
                cpu.samples.append(watch.hit_cpu - c0)
                domain.samples.append(sum(t.take() for t in timers))
                await asyncio.sleep(LEARNER_PAUSE)
    finally:
        store.close()
    return [nxt, cpu, domain, reveal]


async def home_latency(size: Size, work_db: Path, repeats: int) -> list[Figure]:
    from quiz.study.session import StudySession

    store, app = open_app(work_db, size, "home")
    fig = Figure("home_counts", "Home screen: refresh counts -> table on screen", target=300)
    domain = Figure(
        "home_counts_domain", "... of which StudySession.counts + new_left_today", target=300
    )

    def table_ready(a):
        from quiz.tui.widgets.deck_table import DeckTable

        table = a.screen.query_one(DeckTable)
        return laid_out(table) and table.row_count > 0

    watch = FrameWatch(app)
    watch.expect(table_ready)
    try:
        async with app.run_test(size=SCREEN) as pilot:
            await watch.wait()
            for _ in range(repeats):
                await pilot.pause()
                watch.expect(lambda a: True)
                t0 = time.perf_counter()
                app.screen.refresh_counts()
                fig.samples.append(await watch.wait() - t0)
            for _ in range(repeats):
                t0 = time.perf_counter()
                session = StudySession(store, app.learner, app.decks)
                session.counts()
                session.new_left_today()
                domain.samples.append(time.perf_counter() - t0)
    finally:
        store.close()
    return [fig, domain]


async def stats_latency(size: Size, work_db: Path, repeats: int) -> list[Figure]:
    from quiz.insight import stats as st
    from quiz.tui.screens.stats import from_home

    store, app = open_app(work_db, size, "home")
    fig = Figure("stats_screen", "Stats screen: open -> figures on screen", target=300)
    domain = Figure("stats_domain", "... quiz.stats.compute alone", target=300)
    watch = FrameWatch(app)
    watch.expect(lambda a: laid_out(a.screen))
    try:
        async with app.run_test(size=SCREEN) as pilot:
            await watch.wait()
            for _ in range(repeats):
                await pilot.pause()
                watch.expect(lambda a: getattr(a.screen, "figures", None) is not None)
                t0 = time.perf_counter()
                app.push_screen(from_home(app))
                fig.samples.append(await watch.wait() - t0)
                app.pop_screen()
            for _ in range(repeats):
                t0 = time.perf_counter()
                st.compute(store, app.learner)
                domain.samples.append(time.perf_counter() - t0)
    finally:
        store.close()
    return [fig, domain]


# ---------------------------------------------------------------------------------------------
# 3 and 4: commands and the deck pipeline


def command_figure(
    key: str,
    label: str,
    args: list[str],
    env: dict,
    repeats: int,
    target: float | None,
    ok_codes=(0,),
) -> Figure:
    fig = Figure(key, label, target=target, note="subprocess wall time, Python start included")
    for _ in range(repeats):
        t, _mb, code, out = spawn(args, None, env)
        if code not in ok_codes:
            raise SystemExit(f"bench: {' '.join(args[2:])} exited {code}:\n{out[-3000:]}")
        fig.samples.append(t)
    return fig


def report_domain(work_db: Path, repeats: int) -> Figure:
    from quiz.classroom import report
    from quiz.classroom import report_format as rp
    from quiz.store.connection import Store

    # What the `quiz report` table does: one line per learner and per drill, items of the latest.
    fig = Figure(
        "report_domain",
        "... quiz.classroom.report.overview (learners, drills, latest drill's items) alone",
        target=300,
    )
    store = Store(work_db)
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            overview = report.overview(store)
            rp.learner_table(overview.learners), rp.drill_table(overview.drills)
            rp.item_table(overview.shown) if overview.shown else None
            fig.samples.append(time.perf_counter() - t0)
    finally:
        store.close()
    return fig


def deck_pipeline(size: Size, work_db: Path, repeats: int, env: dict) -> list[Figure]:
    from quiz.content.articles import bundled_library
    from quiz.content.catalog import load_catalog
    from quiz.content.deck import read_deck_file
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store

    lint = command_figure(
        "lint",
        f"`quiz lint` of one {size.lint_cards:,}-card deck file",
        quiz_cmd("lint", str(lint_file(size))),
        env,
        repeats,
        1500,
    )
    library = bundled_library()
    parse = Figure("parse_lint_deck", "... parse + check of that file in-process (read_deck_file)")
    for _ in range(repeats):
        t0 = time.perf_counter()
        deck = read_deck_file(lint_file(size), library).deck
        parse.samples.append(time.perf_counter() - t0)
    sync_new = Figure("sync_new", f"Sync the {size.lint_cards:,}-card deck into a new store")
    sync_same = Figure("sync_same", "... sync again, file unchanged")
    sync_edit = Figure("sync_edit", "... sync after one card changed")
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            store = Store(Path(tmp) / f"s{i}.db")
            try:
                t0 = time.perf_counter()
                sync_decks(store, [deck])
                sync_new.samples.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                sync_decks(store, [deck])
                sync_same.samples.append(time.perf_counter() - t0)
                from dataclasses import replace

                edited = replace(
                    deck,
                    cards=(
                        replace(deck.cards[0], prompt=deck.cards[0].prompt + " (edited)"),
                        *deck.cards[1:],
                    ),
                    content_hash=deck.content_hash[::-1],
                )
                t0 = time.perf_counter()
                sync_decks(store, [edited])
                sync_edit.samples.append(time.perf_counter() - t0)
            finally:
                store.close()
    parsed = Figure(
        "catalog_parse",
        f"Load the {size.cards:,} cards' deck files: parse every file",
        note="load_catalog(), as start-up did before the cache",
    )
    cached = Figure(
        "catalog_cached",
        "... the same, files unchanged, from the parse cache",
        note="load_catalog(cached=True)",
    )
    stored = Figure(
        "catalog_stored",
        "... the same, files unchanged, stored decks (no parse)",
        note="load_catalog(cached=True, store=store): sha256 of each file, cards stay in the store",
    )
    load_catalog([decks_dir(size)], cached=True)  # make sure the cache is warm
    store = Store(work_db)
    try:
        for i in range(repeats):
            if size.cards <= 20_000 or i < 1:
                t0 = time.perf_counter()
                load_catalog([decks_dir(size)])
                parsed.samples.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            load_catalog([decks_dir(size)], cached=True)
            cached.samples.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            load_catalog([decks_dir(size)], cached=True, store=store)
            stored.samples.append(time.perf_counter() - t0)
    finally:
        store.close()
    return [lint, parse, sync_new, sync_same, sync_edit, parsed, cached, stored]


# ---------------------------------------------------------------------------------------------
# RESULTS.md


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    def v(name):
        try:
            return version(name)
        except Exception:
            return "?"

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": v("textual"),
        "sqlite": __import__("sqlite3").sqlite_version,
        "sqlite-utils": v("sqlite-utils"),
        "fsrs": v("fsrs"),
        "platform": platform.platform(),
        "load": round(load, 2),
    }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit != "ms":  # a count: rows
        return f"{value:.0f} {unit}"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def section(size: Size, figures: list[Figure], info: dict, facts: dict, seconds: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"## Size `{size.name}`",
        "",
        f"Run {when} in {seconds:.0f} s on {info['nproc']} cores ({info['cpu']}), "
        f"load average at the end {info['load']}; Python {info['python']}, "
        f"Textual {info['textual']}, "
        f"SQLite {info['sqlite']}, sqlite-utils {info['sqlite-utils']}, fsrs {info['fsrs']}.",
        "",
        f"Collection: {facts.get('cards', size.cards):,} cards in {size.decks} decks, "
        f"{facts.get('reviews', 0):,} reviews over {size.years:g} years "
        f"({facts.get('drill_answers', 0):,} of them drill answers), "
        f"{facts.get('learners', 0)} learners, "
        f"{facts.get('drills', 0)} drills, {facts.get('card_states', 0):,} card states; "
        f"learner `{HEAVY}` has {facts.get('heavy_cards', 0):,} cards studied, "
        f"{facts.get('heavy_due', 0):,} due now. Store {facts.get('db_bytes', 0) / 1e6:.0f} MB.",
        "",
        "| Measure | n | min | median | max | p95 | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        s = f.summary()
        if not s:
            continue
        ok = f.ok()
        mark = "" if ok is None else ("ok" if ok else "**missed**")
        limit = "<= " + fmt(f.target, f.unit) if f.target is not None else ""
        target = f"{'p95 ' if f.stat == 'p95' else ''}{limit}"
        out.append(
            f"| {f.label} | {s['n']} | {fmt(s['min'], f.unit)} | {fmt(s['median'], f.unit)} | "
            f"{fmt(s['max'], f.unit)} | {fmt(s['p95'], f.unit)} | {target} | {mark} |"
        )
    notes = [f"- {f.label}: {f.note}" for f in figures if f.note and f.summary()]
    if notes:
        out += ["", *notes]
    return "\n".join(out) + "\n"


def write_block(path: Path, tag: str, text: str, add) -> None:
    """Replace the block between `<!-- tag -->` and `<!-- /tag -->` in `path`, keeping the rest
    of the file; a new block goes where `add(old text, block)` puts it."""
    begin, end = f"<!-- {tag} -->", f"<!-- /{tag} -->"
    block = f"{begin}\n{text}{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in old and end in old:
        new = re.sub(
            re.escape(begin) + r".*?" + re.escape(end), lambda _m: block, old, flags=re.DOTALL
        )
    else:
        new = add(old, block)
    path.write_text(new, encoding="utf-8")


def browser_block(out: Path, size: Size, work_db: Path, repeats: int, facts: dict) -> None:
    """The browser's figures in a block of their own (`<!-- browser:SIZE -->`), so that
    `--only browser` leaves the size's other figures as they were."""
    import browser
    import browser_screen

    from quiz.content.catalog import load_catalog
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store

    started = time.perf_counter()
    store = Store(work_db)
    try:
        decks = load_catalog([decks_dir(size)], cached=True, store=store).decks
        sync_decks(store, decks)
        learner = store.learner(HEAVY)
        figures = browser.figures(Figure, store, decks, learner, max(repeats, 5))
        figures += browser_screen.figures(Figure, store, decks, learner)
    finally:
        store.close()
    text = section(size, figures, machine(), facts, time.perf_counter() - started)
    text = text.replace(f"## Size `{size.name}`", f"## Card browser, size `{size.name}`", 1)
    write_block(out, f"browser:{size.name}", text, add=lambda old, block: f"{old}\n{block}\n")
    say(text)


def no_review_limit(work_db: Path) -> None:
    """The heavy learner studies its whole backlog: the generated history already has more
    reviews today than the default daily limit (200, migration 9), which would leave the
    answer bench nothing due to answer. (A database older than migration 9 has no limit.)"""
    import sqlite3

    con = sqlite3.connect(work_db)
    try:
        columns = {r[1] for r in con.execute("PRAGMA table_info(learners)")}
        if "reviews_per_day" in columns:
            con.execute("UPDATE learners SET reviews_per_day = 1000000 WHERE name = ?", [HEAVY])
            con.commit()
    finally:
        con.close()


def write_results(path: Path, size: Size, text: str) -> None:
    """Replace this size's section in RESULTS.md, keeping the other sizes and the notes."""

    def add(old: str, block: str) -> str:
        if "<!-- figures -->" in old:
            return old.replace("<!-- figures -->", f"<!-- figures -->\n{block}\n", 1)
        return (
            old
            or "# Benchmark results\n\nWritten by `python bench/run.py --size SIZE`.\n\n"
            "<!-- figures -->\n"
        ) + f"\n{block}\n"

    write_block(path, f"size:{size.name}", text, add)


# ---------------------------------------------------------------------------------------------


def collection_facts(size: Size, work_db: Path) -> dict:
    import sqlite3

    facts = {}
    try:
        facts = json.loads((size_dir(size) / "manifest.json").read_text())
    except (OSError, ValueError):
        pass
    con = sqlite3.connect(work_db)
    try:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        row = con.execute(
            "SELECT count(*), sum(due <= ?) FROM card_state cs "
            "JOIN learners l ON l.id = cs.learner_id "
            "WHERE l.name = ? AND cs.last_review IS NOT NULL",
            [now, HEAVY],
        ).fetchone()
        facts["heavy_cards"], facts["heavy_due"] = row[0], row[1] or 0
    finally:
        con.close()
    return facts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure quiz on a synthetic collection.")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="results file (default bench/RESULTS.md)"
    )
    parser.add_argument("--repeats", type=int, help="override the size's repeat count")
    parser.add_argument(
        "--only",
        help="comma-separated groups: "
        "start,memory,answer,home,stats,report,decks,sources,scale,browser,live",
    )
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    repeats = args.repeats or size.repeats
    groups = set(
        (args.only or "start,memory,answer,home,stats,report,decks,sources,scale,browser").split(
            ","
        )
    )
    started = time.perf_counter()

    import generate

    say(f"bench: collection '{size.name}'")
    generate.generate(size)
    # Data generated before a new migration: upgrade it once, in place, so no measured start
    # pays for the migration (and drop the backup the upgrade leaves: it is generated data).
    from quiz.store.connection import Store

    Store(db_path(size)).close()
    for backup in size_dir(size).glob("quiz.db.v*.bak"):
        backup.unlink()
    work = size_dir(size) / "work"
    work.mkdir(exist_ok=True)
    work_db = work / "quiz.db"
    # Answers are written during the run: measure on a copy, so every run starts the same.
    for suffix in ("", "-wal", "-shm"):
        Path(str(work_db) + suffix).unlink(missing_ok=True)
    shutil.copyfile(db_path(size), work_db)
    no_review_limit(work_db)
    env = {**os.environ, "QUIZ_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("QUIZ_DB", None)
    os.environ["QUIZ_CACHE_DIR"] = env["QUIZ_CACHE_DIR"]
    facts = collection_facts(size, work_db)

    figures: list[Figure] = []
    if "browser" in groups:
        say("bench: the card browser: rows, filters and sort; the screen's filter and redraw")
        browser_block(args.out, size, work_db, repeats, facts)
    if "live" in groups and args.only:  # 40 processes: asked for by name (--only live)
        import live

        say("bench: a live session with 40 learner processes (bench/live.py)")
        write_block(args.out, "live", live.run() + "\n", add=lambda old, block: f"{old}\n{block}\n")
    if "start" in groups:
        say("bench: cold start (subprocesses, bare and quiz alternated)")
        figures += cold_start(size, work_db, env, repeats)
    if "memory" in groups:
        say("bench: memory of a study session")
        figures.append(session_memory(size, work_db, env, min(20, size.answers)))
    if "answer" in groups:
        say(f"bench: answer -> next card ({size.answers} answers), and the bare-app yardstick")
        yard = asyncio.run(bare_frame_latency(size.answers))
        study = asyncio.run(study_latency(size, work_db, size.answers))
        ratio = Figure(
            "answer_ratio",
            "Answer -> next card / bare app's frame (medians, CPU time)",
            unit="x",
            note="how many bare-app frames an answer costs on this machine",
        )
        cpu = {f.key: f for f in yard + study}
        ratio.samples = [
            statistics.median(cpu["answer_next_cpu"].samples)
            / statistics.median(cpu["bare_frame_cpu"].samples)
        ]
        figures += study + yard + [ratio]
    if "home" in groups:
        say("bench: home screen counts")
        figures += asyncio.run(home_latency(size, work_db, repeats))
    if "stats" in groups:
        say("bench: stats")
        figures += asyncio.run(stats_latency(size, work_db, repeats))
        figures.append(
            command_figure(
                "stats_cmd",
                "`quiz stats` (command)",
                quiz_cmd("stats", "--db", str(work_db), "--learner", HEAVY),
                env,
                repeats,
                None,
            )
        )
    if "report" in groups:
        say("bench: quiz report")
        figures.append(
            command_figure(
                "report_cmd",
                "`quiz report` (command)",
                quiz_cmd("report", "--db", str(work_db)),
                env,
                repeats,
                None,
            )
        )
        figures.append(report_domain(work_db, repeats))
    if "decks" in groups:
        say("bench: lint and sync of a big deck; start-up catalog parse vs cache")
        figures += deck_pipeline(size, work_db, repeats, env)
    if "sources" in groups:
        say("bench: articles add, coverage, authoring screen start")
        import sources

        figures += sources.figures(Figure, decks_dir(size), repeats)

    if "scale" in groups:
        import deck_scale

        say("bench: deck files at scale: lint of 10k/100k cards, edited and first start-up")
        figures += deck_scale.lint_scale(size, env, repeats, Figure, spawn)
        bytecode_ready()
        figures += deck_scale.start_scale(size, env, repeats, Figure, spawn, first_frame_cpu)

    if not figures:  # --only live or browser: keep this size's section as it was
        say(f"bench: wrote {args.out}")
        return 0
    text = section(size, figures, machine(), facts, time.perf_counter() - started)
    write_results(args.out, size, text)
    say(text)
    say(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
