"""Opening the app: the store, the learner and the decks, then QuizApp on the right screen.

Kept free of Textual at import time (the app is imported only when it runs), so commands can use
the helpers here cheaply.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from quiz.deck import Deck
from quiz.store import Learner, Store
from quiz.text import printable

MAX_NAME = 60  # the longest learner name, on the command line and in the app's name box


class LearnerRemoved(Exception):
    """The learner asked for was removed (`quiz learners remove`); the message says what to do."""


def login_name() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no login name at all (containers, odd environments)
        name = ""
    return name.strip()[:MAX_NAME] or "me"


def resolve_learner(store: Store, name: str | None) -> Learner:
    """The learner named, else the last one used (store meta "learner"), else the login name.
    Created if new, and remembered for next time."""
    from quiz.cli import fail

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


def use_learner(store: Store, name: str) -> Learner:
    """Make `name` the learner (created if new) and remember it for next time: the command line
    and the app's learner switch both go through here. A removed learner is refused."""
    learner = store.learner(name)
    if learner.removed_at is not None:
        raise LearnerRemoved(f"learner '{printable(learner.name, MAX_NAME)}' was removed; use "
                             "'quiz learners' to restore it or pick another name")
    store.set_meta("learner", learner.name)
    return learner


def load_decks(store: Store, wanted: list[str] | tuple[str, ...] = ()) -> list[Deck]:
    """The bundled decks (or those named, by id or path), synced into the store."""
    from quiz.catalog import load_catalog, select
    from quiz.cli import fail

    paths = [Path(w) for w in wanted if Path(w).suffix in (".yaml", ".yml") or Path(w).is_dir()]
    # Start-up path: files unchanged since the last sync are not parsed again; their cards
    # stay in the store and are read one at a time (bench/RESULTS.md: 33 s -> 0.8 s at 100k cards).
    catalog = load_catalog([p for p in paths if p.exists()] if paths else None, cached=True,
                           store=store)
    missing = [p for p in paths if not p.exists()]
    if missing:
        fail(f"{missing[0]}: no such deck file", 2)
    if paths:
        decks = catalog.decks
    else:
        try:
            decks = select(catalog, list(wanted))
        except KeyError as e:
            known = ", ".join(sorted(d.id for d in catalog.decks))
            fail(f"unknown deck '{e.args[0]}'; known decks: {known}", 2)
    if not decks:
        fail("no decks to study" + (f" ({catalog.unreadable[0]})" if catalog.unreadable else ""), 2)
    store.sync_decks(decks)
    return decks


def run(db: Path | None, learner: str | None, *, start: str = "home", decks=(),
        start_screen_factory=None) -> None:
    from quiz.cli import open_db

    store = open_db(db)
    try:
        chosen = load_decks(store, decks)
        person = resolve_learner(store, learner)
        from quiz.tui.app import QuizApp

        QuizApp(store, person, chosen, start=start, start_screen_factory=start_screen_factory).run()
    finally:
        store.close()


def run_home(db: Path | None, learner: str | None) -> None:
    run(db, learner, start="home")


def run_study(db: Path | None, learner: str | None, decks: list[str] | tuple[str, ...]) -> None:
    run(db, learner, start="study", decks=decks)
