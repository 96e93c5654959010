"""Merging another quiz database (a lab machine's) into this one, without duplicates.

Learners are matched by name (then by uid, for one renamed on one machine), drills by uid,
reviews by uid, cards by (deck id, card id). A learner's card state is taken from the other
file only where it is newer (a later last review). Merging the same file twice changes nothing
the second time. The other file is opened read-only (SQLite URI mode=ro) and never written;
each file is merged in one transaction, so a failure leaves this store as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quiz.store import reviews
from quiz.store.connection import SQLITE_HEADER, Store
from quiz.store.schema import SCHEMA_VERSION
from quiz.store.times import iso, now_utc

BATCH = 2000
NEEDED = {"learners", "decks", "cards", "card_state", "drills", "reviews"}


class MergeError(Exception):
    """A file that cannot be merged, in one line."""


@dataclass
class MergeResult:
    path: str
    learners: int = 0  # added here
    drills: int = 0
    decks: int = 0
    cards: int = 0
    reviews: int = 0
    already: int = 0  # reviews that were here already
    states: int = 0  # card states added or brought up to date

    def summary(self) -> str:
        return (
            f"{self.reviews} answers added ({self.already} already here), "
            f"{self.learners} learners, "
            f"{self.drills} drills, {self.decks} decks, {self.cards} cards, "
            f"{self.states} card states updated"
        )


def open_source(path: Path | str) -> sqlite3.Connection:
    """The other database, read-only, after checking it is a quiz database we can read."""
    path = Path(path)
    if not path.is_file():
        raise MergeError(f"{path}: no such file")
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise MergeError(f"{path}: cannot read ({e.strerror})") from None
    if head != SQLITE_HEADER:
        raise MergeError(f"{path}: not a quiz database (not an SQLite file)")
    try:
        # Read-only. Without a -wal file beside it (a database closed cleanly, or copied), it is
        # also opened immutable: SQLite then creates no -wal/-shm files next to it, which also
        # lets it be read from read-only media. With a -wal file (the lab's quiz still open, or
        # it crashed), the -wal holds answers not yet in the main file, so it must be read.
        wal = path.with_name(path.name + "-wal")
        flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as e:
        raise MergeError(f"{path}: cannot read it as a database ({e})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise MergeError(
            f"{path}: written by a newer quiz (schema {version}; this quiz knows up to "
            f"{SCHEMA_VERSION}); upgrade quiz to merge it"
        )
    if version < 1 or not NEEDED <= tables:
        conn.close()
        raise MergeError(f"{path}: not a quiz database (no quiz tables)")
    return conn


def merge_file(
    store: Store, path: Path | str, progress: Callable[[int, int], None] | None = None
) -> MergeResult:
    """Merge one file; `progress(done, total)` is called as reviews are copied."""
    path = Path(path)
    if path.exists() and store.path.exists() and path.resolve().samefile(store.path.resolve()):
        raise MergeError(f"{path}: that is this database")
    src = open_source(path)
    result = MergeResult(str(path))
    try:
        with store.write() as db:
            learners = _learners(src, db, result)
            _cards(src, db, result)
            drills = _drills(src, db, result)
            _reviews(src, db, learners, drills, result, progress)
            _states(src, db, learners, result)
    except (sqlite3.Error, KeyError, TypeError, ValueError) as e:
        # A damaged or inconsistent file (e.g. an answer by a learner it does not list).
        raise MergeError(
            f"{path}: cannot merge it ({type(e).__name__}: {e}); nothing was merged from it"
        ) from None
    finally:
        src.close()
    return result


def _learners(src, db, result: MergeResult) -> dict[int, int]:
    mapping = {}
    for r in src.execute("SELECT * FROM learners ORDER BY id"):
        here = (
            db.execute("SELECT id FROM learners WHERE name = ?", [r["name"]]).fetchone()
            or db.execute("SELECT id FROM learners WHERE uid = ?", [r["uid"]]).fetchone()
        )
        if here is None:
            columns = (
                "uid",
                "name",
                "created_at",
                "retention",
                "new_per_day",
                "time_factor",
                "removed_at",
            )
            row = {c: r[c] for c in columns}
            mapping[r["id"]] = db["learners"].insert(row).last_pk
            result.learners += 1
        else:
            mapping[r["id"]] = here[0]
    return mapping


def _cards(src, db, result: MergeResult) -> None:
    """The cards the other file's answers, states and drills refer to, where missing here.
    A deck copied here gets an empty content hash, so the next sync of that deck reloads it
    whole; a card missing from a deck this store has is marked removed (this machine's
    version of the deck does not have it), so it is history, not something to study."""
    wanted = {
        (r[0], r[1])
        for r in src.execute(
            "SELECT deck_id, card_id FROM reviews UNION SELECT deck_id, card_id FROM card_state"
        )
    }
    for (questions,) in src.execute("SELECT questions FROM drills"):
        wanted.update((q["deck"], q["card"]) for q in json.loads(questions or "[]"))
    have = {(r[0], r[1]) for r in db.execute("SELECT deck_id, card_id FROM cards")}
    decks_here = {r[0] for r in db.execute("SELECT id FROM decks")}
    copied: set[str] = set()
    stamp = iso(now_utc())
    for deck_id, card_id in sorted(wanted - have):
        card = src.execute(
            "SELECT * FROM cards WHERE deck_id = ? AND card_id = ?", [deck_id, card_id]
        ).fetchone()
        if card is None:
            continue  # a drill question whose card the other file never stored
        removed = card["removed_at"]
        if deck_id not in decks_here:
            deck = src.execute("SELECT * FROM decks WHERE id = ?", [deck_id]).fetchone()
            columns = ("id", "title", "description", "path", "synced_at")
            # An empty content hash: the next sync of that deck here reloads it whole.
            db["decks"].insert({**{c: deck[c] for c in columns}, "content_hash": ""})
            decks_here.add(deck_id)
            copied.add(deck_id)
            result.decks += 1
        elif deck_id not in copied and removed is None:
            removed = stamp
        db["cards"].insert({**{k: card[k] for k in card.keys()}, "removed_at": removed})
        result.cards += 1


def _drills(src, db, result: MergeResult) -> dict[int, int]:
    mapping = {}
    for r in src.execute("SELECT * FROM drills ORDER BY id"):
        here = db.execute("SELECT id FROM drills WHERE uid = ?", [r["uid"]]).fetchone()
        if here is None:
            row = {k: r[k] for k in r.keys() if k != "id"}  # the file's columns: ours, or fewer
            mapping[r["id"]] = db["drills"].insert(row).last_pk
            result.drills += 1
        else:
            mapping[r["id"]] = here[0]
    return mapping


def _reviews(
    src, db, learners: dict[int, int], drills: dict[int, int], result: MergeResult, progress
) -> None:
    total = src.execute("SELECT count(*) FROM reviews").fetchone()[0]
    done = 0
    cursor = src.execute(
        """SELECT uid, learner_id, deck_id, card_id, rating, given, correct, duration_ms,
                  reviewed_at, mode, drill_id, state_before FROM reviews ORDER BY id"""
    )
    while batch := cursor.fetchmany(BATCH):
        rows = [
            reviews.Review(
                learners[r["learner_id"]],
                r["deck_id"],
                r["card_id"],
                r["mode"],
                r["reviewed_at"],
                rating=r["rating"],
                given=r["given"],
                correct=None if r["correct"] is None else bool(r["correct"]),
                duration_ms=r["duration_ms"],
                drill_id=drills.get(r["drill_id"]) if r["drill_id"] is not None else None,
                state_before=r["state_before"],
                uid=r["uid"],
            )
            for r in batch
        ]
        # An answer already here (same uid: merged before) is skipped.
        added = reviews.copy_reviews(db, rows)
        result.reviews += added
        result.already += len(rows) - added
        done += len(rows)
        if progress is not None:
            progress(done, total)


def _states(src, db, learners: dict[int, int], result: MergeResult) -> None:
    columns = reviews.STATE_COLUMNS
    cursor = src.execute(
        f"SELECT learner_id, {', '.join(columns)} FROM card_state WHERE last_review IS NOT NULL"
    )
    while batch := cursor.fetchmany(BATCH):
        rows = [(learners[r["learner_id"]], *(r[c] for c in columns)) for r in batch]
        result.states += reviews.merge_states(db, rows)
