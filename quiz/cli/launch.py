"""Opening the app: the store, the learner and the decks, then QuizApp on the right screen.

Kept free of Textual at import time (the app is imported only when it runs), so commands can use
the helpers here cheaply.
"""

from __future__ import annotations

from pathlib import Path

from quiz.cli.common import fail, open_db
from quiz.content.deck import Deck
from quiz.content.deck_sync import DeckChoiceError, choose_decks
from quiz.store.connection import Store
from quiz.store.errors import StoreError
from quiz.store.learners import MAX_NAME, Learner, LearnerRemoved, login_name, use_learner


def resolve_learner(store: Store, name: str | None) -> Learner:
    """The learner named, else the last one used (store meta "learner"), else the login name.
    Created if new, and remembered for next time."""
    if name is not None:
        name = name.strip()
        if not name:
            fail("--learner needs a name", 2)
        if len(name) > MAX_NAME:
            fail(f"learner name too long (at most {MAX_NAME} characters)", 2)
    else:
        last = store.get_meta("learner")
        known = store.learner(last, create=False) if last else None
        name = last if known is not None and known.removed_at is None else login_name()
    try:
        return use_learner(store, name)
    except LearnerRemoved as e:
        fail(str(e), 2)


def load_decks(
    store: Store, wanted: list[str] | tuple[str, ...] = (), later: list | None = None
) -> list[Deck]:
    """The decks asked for on the command line, synced into the store; a bad choice exits.
    `later` receives the deck cache's writes (see quiz.content.catalog.load_catalog)."""
    try:
        return choose_decks(store, wanted, later)
    except DeckChoiceError as e:
        fail(str(e), 2)


def run(
    db: Path | None,
    learner: str | None,
    *,
    start: str = "home",
    decks=(),
    start_screen_factory=None,
) -> None:
    store = open_db(db)
    later: list = []  # the deck cache's writes: once the first screen is drawn, or at the end
    try:
        chosen = load_decks(store, decks, later)
        person = resolve_learner(store, learner)
        from quiz.tui.app import QuizApp

        QuizApp(
            store,
            person,
            chosen,
            start=start,
            start_screen_factory=start_screen_factory,
            after_first_frame=lambda: run_later(later),
        ).run()
    finally:
        try:
            run_later(later)
        finally:
            store.close()


def run_later(jobs: list) -> None:
    """Run and drop the jobs left for later, in order (each at most once). A job the store
    refuses now (locked by another process, the disk full) is dropped, not raised: each only
    finishes a sync or a cache entry, which the next start redoes when it finds it missing,
    and it must not take down a session that has started."""
    while jobs:
        try:
            jobs.pop(0)()
        except StoreError:
            pass


def run_home(db: Path | None, learner: str | None) -> None:
    run(db, learner, start="home")


def run_study(db: Path | None, learner: str | None, decks: list[str] | tuple[str, ...]) -> None:
    run(db, learner, start="study", decks=decks)
