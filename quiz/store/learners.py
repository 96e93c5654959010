"""Learners: the table's rows, and the rules for names shared by the command line and the app."""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.store.times import iso, new_uid, now_utc
from quiz.text import printable

if TYPE_CHECKING:
    from quiz.store.connection import Store

MAX_NAME = 60  # the longest learner name, on the command line and in the app's name box


@dataclass(frozen=True)
class Learner:
    id: int
    uid: str
    name: str
    retention: float = 0.9
    new_per_day: int = 20
    time_factor: float = 1.0
    removed_at: str | None = None
    bury_siblings: bool = True  # answering a card buries its passage siblings until tomorrow
    reviews_per_day: int = 200
    leech_threshold: int = 8  # lapses that make a card a leech (Anki's default)
    leech_action: str = "suspend"  # or "tag": the leech is only marked
    fsrs_params: tuple[float, ...] | None = None  # fitted by `quiz optimize`; None: fsrs's own


class LearnerRemoved(Exception):
    """The learner asked for was removed (`quiz learners remove`); the message says what to do."""


class LearnerTable:
    """Store's learner queries (a mixin of Store, so callers write ``store.learner(name)``)."""

    def learner(self, name: str, *, create: bool = True) -> Learner | None:
        row = self.one("SELECT * FROM learners WHERE name = ?", [name])
        if row is None and create:
            with self.write() as db:
                db.execute(
                    "INSERT OR IGNORE INTO learners (uid, name, created_at) VALUES (?, ?, ?)",
                    [new_uid(), name, iso(now_utc())],
                )
            row = self.one("SELECT * FROM learners WHERE name = ?", [name])
        return learner_from_row(row) if row else None

    def learner_by_id(self, learner_id: int) -> Learner | None:
        row = learner_row(self.conn, learner_id)
        return learner_from_row(row) if row else None

    def learners(self, *, include_removed: bool = False) -> list[Learner]:
        where = "" if include_removed else "WHERE removed_at IS NULL"
        rows = self.rows(f"SELECT * FROM learners {where} ORDER BY name")
        return [learner_from_row(r) for r in rows]

    def update_learner(self, learner_id: int, **fields) -> None:
        allowed = {
            "name",
            "retention",
            "new_per_day",
            "time_factor",
            "removed_at",
            "bury_siblings",
            "reviews_per_day",
            "leech_threshold",
            "leech_action",
            "fsrs_params",
        }
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown learner fields {bad}")
        if fields.get("fsrs_params") is not None:
            fields["fsrs_params"] = json.dumps(list(fields["fsrs_params"]))
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.write() as db:
            db.execute(f"UPDATE learners SET {sets} WHERE id = ?", [*fields.values(), learner_id])

    def purge_learner(self, learner_id: int) -> None:
        with self.write() as db:
            for table in ("reviews", "card_state"):
                db.execute(f"DELETE FROM {table} WHERE learner_id = ?", [learner_id])
            db.execute("DELETE FROM learners WHERE id = ?", [learner_id])


def learner_row(conn, learner_id: int) -> dict | None:
    """The learner's row as stored (column -> value), or None. A primary-key lookup, read to
    its end so no statement is left holding a read snapshot."""
    cursor = conn.execute("SELECT * FROM learners WHERE id = ?", [learner_id])
    rows = cursor.fetchall()
    return dict(zip((c[0] for c in cursor.description), rows[0], strict=True)) if rows else None


def learner_from_row(row: dict) -> Learner:
    return Learner(
        id=row["id"],
        uid=row["uid"],
        name=row["name"],
        retention=row["retention"],
        new_per_day=row["new_per_day"],
        time_factor=row["time_factor"],
        removed_at=row["removed_at"],
        bury_siblings=bool(row.get("bury_siblings", 1)),
        reviews_per_day=row.get("reviews_per_day", 200),
        leech_threshold=row.get("leech_threshold", 8),
        leech_action=row.get("leech_action", "suspend"),
        fsrs_params=_params(row.get("fsrs_params")),
    )


def _params(text: str | None) -> tuple[float, ...] | None:
    # Written only by `quiz optimize` (a JSON list of floats); anything else, as a merged or
    # hand-edited file might hold, means fsrs's defaults rather than a crash.
    if not text:
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return None
    if not isinstance(values, list) or not all(isinstance(v, (int, float)) for v in values):
        return None
    return tuple(float(v) for v in values)


def login_name() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no login name at all (containers, odd environments)
        name = ""
    return name.strip()[:MAX_NAME] or "me"


def use_learner(store: Store, name: str) -> Learner:
    """Make `name` the learner (created if new) and remember it for next time: the command line
    and the app's learner switch both go through here. A removed learner is refused."""
    learner = store.learner(name)
    if learner.removed_at is not None:
        raise LearnerRemoved(
            f"learner '{printable(learner.name, MAX_NAME)}' was removed; use "
            "'quiz learners' to restore it or pick another name"
        )
    store.set_meta("learner", learner.name)
    return learner
