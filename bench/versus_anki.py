"""quiz side by side with Anki on the same synthetic collection; writes a section of RESULTS.md.

    python bench/versus_anki.py [--size small|large] [--answers N] [--repeats N]

Needs Anki's Python package (`pip install '.[anki]'`); not part of CI.

It turns the collection bench/generate.py made in bench/data/<size>/ into an Anki collection
(bench/data/<size>/anki/collection.anki2, cached; rebuilt when quiz.db is newer): one Anki deck
per quiz deck under a parent deck `quiz`, one Basic note per card, and the learner `bench`'s
card states (queue, due, interval, FSRS stability and difficulty) and study reviews (revlog),
with FSRS on and the same daily limits, so both engines face the same queue; it prints both
engines' per-deck counts to show they do. Then, in one process and alternating quiz and Anki,
on throwaway copies of both files, it times opening up to the first card, the home screen's
counts, answer -> next card and the stats, and writes the figures between
`<!-- versus:anki:<size> -->` and `<!-- /versus:anki:<size> -->` in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path

from _common import HEAVY, SIZES, Size, db_path, decks_dir, size_dir
from run import RESULTS, Figure, fmt, machine, say, write_block

DAY = 86400
PARENT = "quiz"  # Anki studies this parent deck: one queue over all decks, as quiz has
BATCH = 5_000
# quiz has no review limit (every due card is shown); Anki's highest is 9999 (a larger value is
# silently replaced by the default, 200). Above it the queues differ, and the output says so.
REVIEW_LIMIT = 9999
BUILD_VERSION = 2  # bump when the collection built changes, so the cached one is rebuilt
# fsrs's defaults, which quiz uses (Scheduler()): Anki's deck options get the same steps.
LEARNING_STEPS = [1.0, 10.0]  # minutes
RELEARNING_STEPS = [10.0]
RELEARN_SECS = int(RELEARNING_STEPS[0] * 60)
# The answer sequence both engines get: mostly Good, as generate.py's history.
RATING_WEIGHTS = {1: 0.10, 2: 0.10, 3: 0.70, 4: 0.10}
ANSWER_MS = 8000  # how long each answer "took": recorded by both, never waited for
STATS_DAYS = 365  # the range Anki's Stats screen opens with (1 year)


def require_anki() -> None:
    try:
        import anki  # noqa: F401
    except ImportError:
        sys.exit("bench/versus_anki.py needs Anki's Python package: pip install '.[anki]'")


def ts(text: str | None) -> float | None:
    """Epoch seconds of a store timestamp (fixed-width ISO, UTC)."""
    return datetime.fromisoformat(text).timestamp() if text else None


def copy_db(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")  # (committed pages not yet checkpointed travel with it)
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


# ---------------------------------------------------------------------------------------------
# What is carried over from quiz.db: the cards, and the heavy learner's states and reviews.


@dataclass
class Source:
    retention: float
    new_per_day: int
    cards: list[tuple[str, str, str, str]]  # (deck, card, prompt, answer) in deck, position order
    states: dict[tuple[str, str], dict]  # card_state rows of the learner
    reviews: list[tuple]  # (deck, card, rating, duration_ms, reviewed_at, state_before)

    @property
    def decks(self) -> list[str]:
        return list(dict.fromkeys(c[0] for c in self.cards))

    def earliest(self) -> float:
        stamps = [ts(r[4]) for r in self.reviews[:1]]  # (reviews come sorted by time)
        stamps += [ts(s["due"]) for s in self.states.values() if s["due"]]
        return min(stamps, default=time.time())


def read_source(db: Path) -> Source:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        learner = con.execute(
            "SELECT id, retention, new_per_day FROM learners WHERE name = ?", [HEAVY]
        ).fetchone()
        if learner is None:
            sys.exit(f"bench: {db} has no learner '{HEAVY}'; regenerate it (bench/generate.py)")
        lid = learner["id"]
        # Deck id order is the decks' file order here, which is quiz's study order for them.
        cards = [
            tuple(r)
            for r in con.execute(
                "SELECT deck_id, card_id, prompt, answer FROM cards WHERE removed_at IS NULL "
                "ORDER BY deck_id, position"
            )
        ]
        states = {
            (r["deck_id"], r["card_id"]): dict(r)
            for r in con.execute("SELECT * FROM card_state WHERE learner_id = ?", [lid])
        }
        # Study reviews only: a classroom drill's answers have no Anki counterpart (quiz's
        # stats count them too: a few thousand more rows on its side at the large size).
        reviews = [
            tuple(r)
            for r in con.execute(
                "SELECT deck_id, card_id, rating, duration_ms, reviewed_at, state_before "
                "FROM reviews "
                "WHERE learner_id = ? AND mode = 'study' ORDER BY reviewed_at",
                [lid],
            )
        ]
    finally:
        con.close()
    return Source(learner["retention"], learner["new_per_day"], cards, states, reviews)


# ---------------------------------------------------------------------------------------------
# Building the Anki collection


@dataclass(frozen=True)
class AnkiDays:
    """Anki's day numbers: a review card's due is a day counted from the collection's creation."""

    today: int
    day_start: float  # epoch seconds when `today` began

    def day(self, when: float) -> int:
        # (Days of 86,400 s: across a DST change a card due within an hour of midnight could
        # land a day off; this machine runs on UTC.)
        return self.today + int((when - self.day_start) // DAY)


def collection_path(size: Size) -> Path:
    return size_dir(size) / "anki" / "collection.anki2"


def cached_collection(size: Size, src: Source) -> tuple[Path, float | None]:
    """The cached Anki collection, built first if missing or older than quiz.db; returns its
    path and the build time in seconds (None when the cache was used)."""
    target = collection_path(size)
    stamp = target.with_name("build.json")
    try:
        fresh = (
            json.loads(stamp.read_text()) == {"version": BUILD_VERSION}
            and target.stat().st_mtime >= db_path(size).stat().st_mtime
        )
    except (OSError, ValueError):
        fresh = False
    if fresh:
        return target, None
    started = time.perf_counter()
    # Built beside the cache and renamed into place: an interrupted build is never taken for one.
    building = target.parent.with_name("anki.building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    say(f"anki: building {target} from {db_path(size)}")
    build(src, building / target.name, started)
    (building / stamp.name).write_text(json.dumps({"version": BUILD_VERSION}))
    shutil.rmtree(target.parent, ignore_errors=True)
    building.rename(target.parent)
    seconds = time.perf_counter() - started
    say(f"anki: built in {seconds:.1f} s")
    return target, seconds


def build(src: Source, path: Path, started: float) -> None:
    from anki.collection import Collection

    def progress(text: str) -> None:
        say(f"[{time.perf_counter() - started:6.1f}s] {text}")

    progress(
        f"read quiz.db: {len(src.cards):,} cards, {len(src.states):,} card states and "
        f"{len(src.reviews):,} study reviews of '{HEAVY}'"
    )
    col = Collection(str(path))
    start_day_before(col, src.earliest())
    col.close()
    col = Collection(str(path))  # reopened: the scheduler reads the creation day once
    try:
        parent = configure(col, src)
        card_ids = add_notes(col, src, progress)
        days = AnkiDays(col.sched.today, col.sched.day_cutoff - DAY)
        put_states(col, src, card_ids, days, progress)
        add_revlog(col, src, card_ids, progress)
        col.decks.select(parent)  # the deck studied when the collection opens
    finally:
        col.close()
    progress("collection closed")


def start_day_before(col, earliest: float) -> None:
    """Move the collection's creation day before the oldest review and due date, so every
    card's due day is a positive day number, and make Anki's day start at midnight as quiz's
    does (its default is 4 am), so both count the same cards as due today."""
    prefs = col.get_preferences()
    prefs.scheduling.rollover = 0
    col.set_preferences(prefs)
    local = datetime.fromtimestamp(earliest - 2 * DAY).astimezone()
    col.crt = int(local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())


def configure(col, src: Source) -> int:
    """FSRS on, the learner's retention and daily limits in the preset all decks use; one deck
    per quiz deck under PARENT. Returns the parent's id."""
    from anki.consts import NEW_CARDS_LAST

    col.set_config("fsrs", True)
    conf = col.decks.get_config(1)  # the default preset: every new deck uses it
    conf["desiredRetention"] = src.retention
    conf["new"]["perDay"] = src.new_per_day
    conf["new"]["delays"] = LEARNING_STEPS
    conf["lapse"]["delays"] = RELEARNING_STEPS
    conf["rev"]["perDay"] = REVIEW_LIMIT
    conf["newMix"] = NEW_CARDS_LAST  # quiz shows due cards first, then new ones
    col.decks.update_config(conf)
    parent = col.decks.id(PARENT)
    for deck in src.decks:
        col.decks.id(f"{PARENT}::{deck}")
    return parent


def add_notes(col, src: Source, progress) -> dict[tuple[str, str], int]:
    """One Basic note per card, in deck and position order (Anki's new-card order, as quiz's).
    Returns (deck, card) -> Anki card id."""
    from anki.collection import AddNoteRequest

    basic = col.models.by_name("Basic")
    deck_ids = {d: col.decks.id(f"{PARENT}::{d}") for d in src.decks}
    note_of: dict[int, tuple[str, str]] = {}
    for at in range(0, len(src.cards), BATCH):
        requests = []
        for deck, _card, prompt, answer in src.cards[at : at + BATCH]:
            note = col.new_note(basic)
            note.fields = [html.escape(prompt), html.escape(answer)]  # fields are HTML
            requests.append(AddNoteRequest(note, deck_ids[deck]))
        col.add_notes(requests)
        note_of.update({r.note.id: c[:2] for r, c in zip(requests, src.cards[at : at + BATCH])})
        progress(f"notes: {min(at + BATCH, len(src.cards)):,}/{len(src.cards):,}")
    return {note_of[nid]: cid for cid, nid in col.db.all("SELECT id, nid FROM cards")}


def put_states(col, src: Source, card_ids: dict, days: AnkiDays, progress) -> None:
    from anki.cards import FSRSMemoryState

    keys = [k for k in src.states if k in card_ids]
    now = time.time()
    for at in range(0, len(keys), BATCH):
        cards = []
        for key in keys[at : at + BATCH]:
            card = col.get_card(card_ids[key])
            carry_state(card, src.states[key], days, now)
            st = src.states[key]
            if st["last_review"] is not None:
                card.memory_state = FSRSMemoryState(
                    stability=st["stability"], difficulty=st["difficulty"]
                )
                card.desired_retention = src.retention
                card.last_review_time = int(ts(st["last_review"]))
            cards.append(card)
        col.update_cards(cards, skip_undo_entry=True)
        progress(f"card states: {min(at + BATCH, len(keys)):,}/{len(keys):,}")


def carry_state(card, st: dict, days: AnkiDays, now: float) -> None:
    """Anki's queue, type, due and interval for a quiz card state (fsrs: 1 learning,
    2 review, 3 relearning; no row or no review yet: new)."""
    from anki.consts import (
        CARD_TYPE_LRN,
        CARD_TYPE_RELEARNING,
        CARD_TYPE_REV,
        QUEUE_TYPE_LRN,
        QUEUE_TYPE_MANUALLY_BURIED,
        QUEUE_TYPE_REV,
        QUEUE_TYPE_SUSPENDED,
    )

    due = ts(st["due"])
    if st["last_review"] is not None and st["state"] == 2:
        card.type, card.queue = CARD_TYPE_REV, QUEUE_TYPE_REV
        card.due = days.day(due)
        card.ivl = max(1, round((due - ts(st["last_review"])) / DAY))
    elif st["last_review"] is not None:  # learning steps are minutes: due is a timestamp
        relearning = st["state"] == 3
        card.type = CARD_TYPE_RELEARNING if relearning else CARD_TYPE_LRN
        card.queue = QUEUE_TYPE_LRN
        card.due = int(due)
        steps = RELEARNING_STEPS if relearning else LEARNING_STEPS
        card.left = len(steps) - (st["step"] or 0)
        card.ivl = max(1, round(st["stability"])) if relearning else 0
    card.reps, card.lapses = st["reps"], st["lapses"]
    if st["suspended"]:
        card.queue = QUEUE_TYPE_SUSPENDED
    elif st["buried_until"] and ts(st["buried_until"]) > now:
        card.queue = QUEUE_TYPE_MANUALLY_BURIED


def add_revlog(col, src: Source, card_ids: dict, progress) -> None:
    """The learner's study reviews as Anki's review log, in one transaction: id = time in ms
    (unique), ease = our rating, intervals and difficulty from the states around each review."""
    by_card: dict[tuple[str, str], list[tuple]] = {}
    for r in src.reviews:
        by_card.setdefault((r[0], r[1]), []).append(r)
    rows, used = [], set()
    for key, reviews in by_card.items():
        if key not in card_ids:
            continue
        befores = [json.loads(r[5])["state"] if r[5] else {} for r in reviews]
        afters = befores[1:] + [src.states.get(key) or {}]
        for r, before, after in zip(reviews, befores, afters):
            ms = int(ts(r[4]) * 1000)
            while ms in used:
                ms += 1
            used.add(ms)
            rows.append(
                (
                    ms,
                    card_ids[key],
                    -1,
                    r[2],
                    interval(after),
                    interval(before),
                    round((after.get("difficulty") or 0) * 100),
                    min(r[3] or 0, 60_000),
                    revlog_type(before),
                )
            )
    col.db.transact(
        lambda: col.db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    )
    progress(f"revlog: {len(rows):,} reviews")


def interval(state: dict) -> int:
    """A revlog interval: days for a review state, negative seconds for a learning step, from
    the state's due and last review; the generator stores no due date in state_before, so
    there stability stands in (at 90% retention FSRS schedules about one stability ahead)."""
    kind = state.get("state")
    if kind not in (1, 2, 3):
        return 0  # new
    span = (
        ts(state["due"]) - ts(state["last_review"])
        if state.get("due") and state.get("last_review")
        else None
    )
    if kind == 2:
        return max(1, round((span / DAY) if span is not None else (state.get("stability") or 1)))
    return -round(span) if span is not None else -RELEARN_SECS


def revlog_type(before: dict) -> int:
    from anki.consts import REVLOG_LRN, REVLOG_RELRN, REVLOG_REV

    return {2: REVLOG_REV, 3: REVLOG_RELRN}.get(before.get("state"), REVLOG_LRN)


# ---------------------------------------------------------------------------------------------
# The two engines, each doing what its app does


def given_for(card, rating: int):
    """What a learner would enter for this grade: the answer when right, a miss when Again;
    nothing for basic cards (recalled, then self-graded)."""
    right = rating > 1
    if card.type == "basic":
        return None
    if card.type == "truefalse":
        return bool(card.answer) if right else not card.answer
    if card.type == "cloze":
        return [alts[0] for alts in card.blanks] if right else ["not sure"]
    if card.type == "mcq" and not right:
        return next(c for c in card.choices if c != card.answer)
    return str(card.answer) if right else "not sure"


class QuizSide:
    name = "quiz"
    answers_table = "reviews"

    def __init__(self, db: Path, decks: Path):
        self.path, self.decks_dir = db, decks
        self.store = self.session = self.item = None

    def open(self) -> None:
        """What `quiz study` does before its first card (quiz.cli.launch): the store, the decks
        (unchanged files are not parsed: stored decks), the learner, then the first card."""
        from quiz.cli.launch import load_decks
        from quiz.store.connection import Store
        from quiz.store.learners import use_learner
        from quiz.study.session import StudySession

        self.store = Store(self.path)
        self.store.defer_checkpoints()  # as the app does: it checkpoints when the learner pauses
        self.decks = load_decks(self.store, [str(self.decks_dir)])
        self.learner = use_learner(self.store, HEAVY)
        self.session = StudySession(self.store, self.learner, self.decks)
        self.item = self.session.next_item()

    def has_card(self) -> bool:
        return self.item is not None

    def start_study(self) -> None:
        # The study screen counts the cards left once, after its first card is on screen
        # (then each answer updates the count): not part of an answer.
        self.session.remaining()

    def close(self) -> None:
        self.store.close()
        self.store = None

    def counts(self) -> dict:
        """What the home screen shows: per-deck counts and the new cards left today."""
        from quiz.study.session import StudySession

        session = StudySession(self.store, self.learner, self.decks)
        counts = session.counts()
        session.new_left_today()
        return {d: (c.new, c.learning, c.due) for d, c in counts.items()}

    def stats(self) -> None:
        from quiz.insight import stats

        stats.compute(self.store, self.learner)

    def answer(self, rating: int) -> bool:
        """As the study screen: grade what was given, the four previews (the buttons'
        intervals), the answer (one transaction), the next card, the cards left."""
        from quiz.study.grading import grade, grade_blanks

        item, card = self.item, self.item.card
        given = given_for(card, rating)
        verdict = grade_blanks(card, given) if card.type == "cloze" else grade(card, given)
        previews = self.session.previews(item)
        self.session.answer(
            item,
            previews[rating],
            given=verdict.given if given is not None else None,
            correct=verdict.correct,
            duration_ms=ANSWER_MS,
        )
        self.item = self.session.next_item()
        self.session.remaining()
        return self.item is not None

    def synchronous(self) -> int:
        return self.store.conn.execute("PRAGMA synchronous").fetchone()[0]

    def answers_inside(self) -> int:
        return self.store.scalar(f"SELECT count(*) FROM {self.answers_table}")


class AnkiSide:
    name = "Anki"
    answers_table = "revlog"

    def __init__(self, path: Path):
        self.path = path
        self.col = self.queued = None

    def open(self) -> None:
        """Collection(path), then the first queued card of the current deck (PARENT)."""
        from anki.collection import Collection

        self.col = Collection(str(self.path))
        self._next()

    def _next(self) -> None:
        queue = self.col.sched.get_queued_cards()  # (also the counts the reviewer shows)
        self.queued = queue.cards[0] if queue.cards else None

    def has_card(self) -> bool:
        return self.queued is not None

    def start_study(self) -> None:
        pass  # get_queued_cards() gave the counts with the first card

    def close(self) -> None:
        self.col.close()
        self.col = None

    def counts(self) -> dict:
        """The deck list's counts: the whole tree with new / learning / review per deck."""
        tree = self.col.sched.deck_due_tree()
        parent = next(n for n in tree.children if n.name == PARENT)
        return {n.name: (n.new_count, n.learn_count, n.review_count) for n in parent.children}

    def stats(self) -> None:
        # What the Stats screen asks the backend for (its page is a web view over this).
        self.col._backend.graphs(search="deck:current", days=STATS_DAYS)

    def answer(self, rating: int) -> bool:
        """As the reviewer: the buttons' intervals, answer_card (its own committed
        transaction), then the next queued card."""
        from anki.cards import Card
        from anki.scheduler.v3 import CardAnswer

        ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
        sched, states = self.col.sched, self.queued.states
        sched.describe_next_states(states)
        card = Card(self.col, backend_card=self.queued.card)
        card.timer_started = time.time() - ANSWER_MS / 1000
        sched.answer_card(sched.build_answer(card=card, states=states, rating=ratings[rating]))
        self._next()
        return self.queued is not None

    def synchronous(self) -> int:
        return self.col.db.scalar("PRAGMA synchronous")

    def answers_inside(self) -> int:
        return self.col.db.scalar(f"SELECT count(*) FROM {self.answers_table}")


def answers_on_disk(side) -> int:
    """The answers a crash right now would keep: the database file and its WAL copied as they
    are on disk, and counted in the copy (SQLite replays only committed transactions from a
    WAL). Not a second connection to the file itself: Anki opens it in exclusive locking mode,
    and another connection in the same process (POSIX locks are per process) would checkpoint
    and delete the WAL under it."""
    path = side.path
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        copy_db(path, Path(tmp) / path.name)
        con = sqlite3.connect(Path(tmp) / path.name)
        try:
            return con.execute(f"SELECT count(*) FROM {side.answers_table}").fetchone()[0]
        finally:
            con.close()


# ---------------------------------------------------------------------------------------------
# Measuring, alternated


@dataclass
class Measure:
    label: str
    wall: dict[str, Figure] = field(default_factory=dict)  # by engine name
    cpu: dict[str, Figure] = field(default_factory=dict)
    p95: bool = False

    def __post_init__(self):
        for name in ("quiz", "Anki"):
            self.wall[name] = Figure(f"{name}_wall", self.label)
            self.cpu[name] = Figure(f"{name}_cpu", self.label)

    def time(self, name: str, step: Callable):
        w0, c0 = time.perf_counter(), time.process_time()
        out = step()
        self.cpu[name].samples.append(time.process_time() - c0)
        self.wall[name].samples.append(time.perf_counter() - w0)
        return out


def do_steps(side, steps: tuple[str, ...]) -> None:
    for step in steps:
        getattr(side, step)()


def measure_open(sides, repeats: int) -> list[Measure]:
    first = Measure("Open, up to the first card")
    # Anki builds the day's queue and its counts before the first card; quiz fetches one card
    # and counts what is left once it is on screen. This row puts both on the same footing.
    counted = Measure("Open, up to the first card and the cards-left count")
    for side in sides:  # once untimed: the OS file cache and quiz's parse cache warm
        side.open()
        side.close()
    for i in range(repeats):
        for m, steps in ((first, ("open",)), (counted, ("open", "start_study"))):
            for side in sides:
                m.time(side.name, partial(do_steps, side, steps))
                if not side.has_card():
                    sys.exit(f"bench: {side.name} has no card to study")
                side.close()
        say(
            f"  open {i + 1}/{repeats}: "
            + ", ".join(f"{s.name} {first.wall[s.name].samples[-1] * 1000:.0f} ms" for s in sides)
        )
    return [first, counted]


def measure_each(label: str, sides, method: str, repeats: int) -> Measure:
    m = Measure(label)
    for side in sides:
        getattr(side, method)()  # once untimed, as the open above
    for _ in range(repeats):
        for side in sides:
            m.time(side.name, getattr(side, method))
    say(
        f"  {label}: "
        + ", ".join(
            f"{s.name} {statistics.median(m.wall[s.name].samples) * 1000:.1f} ms" for s in sides
        )
    )
    return m


def measure_answers(sides, answers: int) -> tuple[Measure, dict[str, str]]:
    """Both sessions open at once, one answer each in turn, the same grades for both."""
    rng = random.Random(7)
    grades = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()), k=answers)
    m = Measure("Answer -> next card", p95=True)
    before = {s.name: s.answers_inside() for s in sides}
    for side in sides:
        side.start_study()
    done = 0
    for rating in grades:
        more = [m.time(side.name, partial(side.answer, rating)) for side in sides]
        done += 1
        if not all(more):
            say(f"  a queue ran out after {done} answers")
            break
    seen = {s.name: f"{answers_on_disk(s) - before[s.name]}/{done}" for s in sides}
    say(f"  answers: {done}; on disk (committed): {seen}")
    return m, seen


# ---------------------------------------------------------------------------------------------
# Do both face the same queue?


def compare_counts(quiz: QuizSide, anki: AnkiSide) -> list[tuple[str, tuple, tuple]]:
    """(deck, quiz's (new, learning, due), Anki's (new, learning, review)), printed as a table."""
    quiz.open()
    anki.open()
    try:
        q, a = quiz.counts(), anki.counts()
    finally:
        quiz.close()
        anki.close()
    rows = [(deck, q[deck], a.get(deck, (0, 0, 0))) for deck in q]
    say(f"  {'deck':<20}  {'quiz new/learning/due':>22}    {'Anki new/learning/review':>24}")
    for deck, qc, ac in [*rows, ("total", *totals(rows))]:
        say(f"  {deck:<20}  {slashed(qc):>22}    {slashed(ac):>24}")
    say("  " + counts_text(rows))
    return rows


def totals(rows) -> tuple[tuple, tuple]:
    return tuple(tuple(sum(r[i][k] for r in rows) for k in range(3)) for i in (1, 2))


def slashed(counts: tuple) -> str:
    return "/".join(f"{n:,}" for n in counts)


def counts_text(rows) -> str:
    quiz, anki = totals(rows)
    off = [(d, q, a) for d, q, a in rows if q != a]
    agree = (
        "they agree in every deck"
        if not off
        else f"{len(off)} of {len(rows)} decks differ: "
        + "; ".join(f"{d} {slashed(q)} vs {slashed(a)}" for d, q, a in off)
    )
    capped = (
        f" quiz has more cards due than Anki's highest review limit ({REVIEW_LIMIT:,}), "
        "so Anki shows fewer."
        if quiz[2] > REVIEW_LIMIT
        else ""
    )
    return (
        f"Same queue: new / learning / due summed over the {len(rows)} decks, as each home "
        f"screen counts them, are quiz {slashed(quiz)} and Anki {slashed(anki)}; {agree}."
        f"{capped} Both cap each deck's new cards at the daily limit, and share it across "
        f"decks when studying (Anki: the parent deck `{PARENT}` has the same limit)."
    )


# ---------------------------------------------------------------------------------------------
# RESULTS.md


def cells(fig: Figure, p95: bool) -> str:
    s = fig.summary()
    if p95:
        return fmt(s["p95"], "ms")
    return " / ".join(fmt(s[k], "ms") for k in ("min", "median", "max"))


def ratio(quiz: Figure, anki: Figure, key: str) -> str:
    a = anki.summary()[key]
    return f"{quiz.summary()[key] / a:.2f}x" if a else "–"


def table(measures: list[Measure]) -> list[str]:
    out = [
        "| Measure | quiz min/median/max | Anki min/median/max | quiz / Anki (median) |",
        "|---|---:|---:|---:|",
    ]
    for m in measures:
        q, a = m.wall["quiz"], m.wall["Anki"]
        n = f" (n={len(q.samples)})"
        out.append(
            f"| {m.label}{n} | {cells(q, False)} | {cells(a, False)} | {ratio(q, a, 'median')} |"
        )
        if m.p95:
            out.append(
                f"| ... p95 | {cells(q, True)} | {cells(a, True)} | {ratio(q, a, 'p95')} (p95) |"
            )
        qc, ac = m.cpu["quiz"], m.cpu["Anki"]
        out.append(
            f"| ... CPU time | {cells(qc, False)} | {cells(ac, False)} | "
            f"{ratio(qc, ac, 'median')} |"
        )
    return out


@dataclass
class Facts:
    size: Size
    cards: int
    states: int
    reviews: int
    retention: float
    new_per_day: int
    build_seconds: float | None
    counts: str
    committed: dict[str, str]
    synchronous: dict[str, int]
    seconds: float = 0.0


SYNC = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def section(measures: list[Measure], f: Facts) -> str:
    import anki.buildinfo

    info = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    built = (
        f"built in {f.build_seconds:.0f} s this run"
        if f.build_seconds is not None
        else "taken from the cache"
    )
    sync = {k: SYNC.get(v, v) for k, v in f.synchronous.items()}
    run = (
        f"Run {when} in {f.seconds:.0f} s on {info['nproc']} cores ({info['cpu']}), load "
        f"average at the end {info['load']}; Anki {anki.buildinfo.version} (its Rust backend and "
        f"FSRS), fsrs {version('fsrs')} (quiz), Python {info['python']}, SQLite {info['sqlite']} "
        "(quiz)."
    )
    collection = (
        f"Collection: {f.cards:,} cards in {f.size.decks} decks; learner `{HEAVY}` (Anki "
        f"is single-user) with {f.states:,} card states and {f.reviews:,} study reviews "
        f"over {f.size.years:g} years, carried into an Anki collection ({built}): FSRS "
        f"on, desired retention {f.retention:g}, {f.new_per_day} new cards a day, review "
        f"limit {REVIEW_LIMIT:,} (Anki's highest; quiz has none). {f.counts}"
    )
    method = (
        "Method: one process, both engines' modules imported beforehand (import time is not "
        "counted), throwaway copies of quiz.db and of the cached collection.anki2; each step runs "
        "once untimed, then quiz and Anki take turns; wall time (perf_counter) and CPU time "
        "(process_time). Open: quiz's `Store`, the decks as `quiz.cli.launch` loads them (stored "
        "decks: unchanged files are hashed, not parsed), the learner, `StudySession.next_item()`; "
        "Anki's `Collection(path)` and `col.sched.get_queued_cards()`, which builds the day's "
        "whole queue and its counts; quiz counts the cards left (`remaining()`) only once the "
        "first card is on screen, so the second row adds that count to quiz's open (Anki's "
        "second row is the same call again). Counts: "
        "`StudySession` "
        "`.counts()` and `.new_left_today()` (the home screen) vs `col.sched.deck_due_tree()` (the "
        "deck list). Answer -> next card, the same grades for both (seed 7: 70% Good, 10% each of "
        "the others), one engine's answer then the other's: quiz grades the given answer (the "
        "answer's text for a pass, a miss for Again), computes the four previews, `answer()` (one "
        "transaction), `next_item()` and `remaining()`, as the study screen does; Anki "
        "`describe_next_states` (the buttons' intervals), `answer_card(build_answer(...))` and "
        "`get_queued_cards()`, as its reviewer does. Every answer is committed before the next "
        "card on both sides: copies of each database and its WAL taken from disk after the run "
        f"held {f.committed['quiz']} of quiz's answers and {f.committed['Anki']} of Anki's. quiz's "
        "app defers its WAL checkpoints to the learner's pauses (`Store.defer_checkpoints`), so "
        "quiz's side here does too; Anki checkpoints automatically every 1,000 WAL pages "
        "(about every 90 answers on the large collection), its answers' maximum. Stats: "
        "`quiz.insight.stats.compute` vs "
        "the backend call behind Anki's Stats screen, "
        f"`graphs(search='deck:current', days={STATS_DAYS})` (its default range, one year)."
    )
    durability = (
        f"both use WAL with `synchronous={sync['quiz']}`, each answer's commit synced to disk"
        if sync["quiz"] == sync["Anki"]
        else f"both use WAL, quiz with `synchronous={sync['quiz']}` and Anki with "
        f"`synchronous={sync['Anki']}`"
    )
    unlike = (
        f"Not comparable: durability: {durability}; Anki opens the collection with exclusive "
        "locking (no other process can read it while it is open; quiz lets a class share one "
        "file). Anki's work is compiled Rust behind "
        "one protobuf call per step, quiz's Python over SQLite. Neither side renders a card here "
        "(Anki's HTML templates, quiz's Textual widgets); quiz grades a typed answer, Anki does "
        "not. quiz's stats are a 26-week heatmap, a 30-day forecast and all-time retention and "
        f"time, and count the learner's drill answers too (not carried into Anki); Anki's "
        f"graphs are {STATS_DAYS} days of review graphs plus card-state graphs. "
        "Anki's day starts at 4 am by default; it was set to midnight here, as quiz's. Both queues "
        "hold the same cards but not in quite the same order (Anki: learning cards first, "
        "reviews by due day, then at random), so the cards answered differ."
    )
    out = [
        f"## quiz vs Anki, size `{f.size.name}`",
        "",
        run,
        "",
        collection,
        "",
        *table(measures),
        "",
        method,
        "",
        unlike,
        "",
    ]
    return "\n".join(out)


def write_section(path: Path, size: Size, text: str) -> None:
    """Replace this size's versus section in RESULTS.md, or append it at the end."""
    write_block(
        path,
        f"versus:anki:{size.name}",
        text,
        lambda old, block: old + ("\n" if old and not old.endswith("\n") else "") + f"\n{block}\n",
    )


# ---------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="quiz side by side with Anki.")
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--answers", type=int, help="answers per engine (default: the size's)")
    parser.add_argument("--repeats", type=int, help="runs of each other step (default: the size's)")
    args = parser.parse_args(argv)
    require_anki()
    size = SIZES[args.size]
    answers, repeats = args.answers or size.answers, args.repeats or size.repeats
    started = time.perf_counter()

    import generate

    generate.generate(size)  # (nothing to do when the collection is there)
    with tempfile.TemporaryDirectory(prefix="versus-anki-", dir=size_dir(size)) as tmp:
        work = Path(tmp)
        os.environ["QUIZ_CACHE_DIR"] = str(work / "cache")  # quiz's parse cache, throwaway too
        quiz_db = copy_db(db_path(size), work / "quiz.db")
        src = read_source(quiz_db)
        cached, build_seconds = cached_collection(size, src)
        quiz = QuizSide(quiz_db, decks_dir(size))
        anki = AnkiSide(copy_db(cached, work / "anki" / cached.name))
        sides = [quiz, anki]

        say("versus: per-deck counts, quiz vs Anki")
        rows = compare_counts(quiz, anki)
        say(f"versus: open ({repeats} runs each, alternated)")
        measures = measure_open(sides, repeats)
        for side in sides:
            side.open()
        try:
            measures.append(measure_each("Home counts", sides, "counts", repeats))
            say(f"versus: answer -> next card ({answers} each, alternated)")
            answered, committed = measure_answers(sides, answers)
            measures.append(answered)
            measures.append(measure_each("Stats", sides, "stats", repeats))
            synchronous = {s.name: s.synchronous() for s in sides}
        finally:
            for side in sides:
                side.close()

    facts = Facts(
        size,
        len(src.cards),
        len(src.states),
        len(src.reviews),
        src.retention,
        src.new_per_day,
        build_seconds,
        counts_text(rows),
        committed,
        synchronous,
        time.perf_counter() - started,
    )
    text = section(measures, facts)
    write_section(RESULTS, size, text)
    say(text)
    say(f"versus: wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
