"""The one place that writes answers (reviews) and card states (card_state).

Study answers, drill answers and undo all go through these, inside a Store.write() block, so
the rows' shape (and the study_card_totals triggers that follow them) have one author. Plain
statements on the connection: this is the answer -> next card path (see quiz.store.connection).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from quiz.store.card_state import CardState
from quiz.store.times import new_uid

# A cram answer (quiz.study.cram) moves no schedule and has no state_before; a reset row
# (quiz.study.card_actions) is no answer, only the state a card had when put back to new.
# Whatever counts reviews says which it counts (quiz.insight.stats keeps both apart).
MODES = ("study", "drill", "cram", "reset")


@dataclass(frozen=True)
class Review:
    """One answer as the reviews table keeps it."""

    learner_id: int
    deck_id: str
    card_id: str
    mode: str  # one of MODES
    reviewed_at: str
    rating: int | None = None  # 1-4 (fsrs Rating); None for a drill answer that moves no schedule
    given: str | None = None
    correct: bool | None = None
    duration_ms: int | None = None
    drill_id: int | None = None
    state_before: str | None = None  # JSON, for undo and for stats (state_before())
    uid: str | None = None  # kept when a review is copied from another file (merge)


def state_before(existed: bool, state: CardState) -> str:
    """What the card was before this answer: enough to undo it exactly, and what stats read."""
    return json.dumps({"existed": existed, "state": state.__dict__})


INSERT_REVIEW = """INSERT {verb} INTO reviews (uid, learner_id, deck_id, card_id, rating, given,
    correct, duration_ms, reviewed_at, mode, drill_id, state_before)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def _review_params(r: Review) -> list:
    return [
        r.uid or new_uid(),
        r.learner_id,
        r.deck_id,
        r.card_id,
        r.rating,
        r.given,
        None if r.correct is None else int(r.correct),
        r.duration_ms,
        r.reviewed_at,
        r.mode,
        r.drill_id,
        r.state_before,
    ]


def add_review(tx, review: Review) -> int:
    """Insert one review; its row id."""
    return tx.execute(INSERT_REVIEW.format(verb=""), _review_params(review)).lastrowid


def copy_reviews(tx, rows: list[Review]) -> int:
    """Insert reviews copied from elsewhere, keeping their uids; one already here (same uid) is
    skipped. How many were new."""
    cursor = tx.conn.executemany(
        INSERT_REVIEW.format(verb="OR IGNORE"), [_review_params(r) for r in rows]
    )
    return cursor.rowcount  # the statements' own changes, not the triggers'


def remove_review(tx, review_id: int) -> None:
    tx.execute("DELETE FROM reviews WHERE id = ?", [review_id])


STATE_OF = "SELECT * FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?"


def read_state(conn, learner_id: int, deck_id: str, card_id: str) -> CardState:
    """A learner's state for one card; a card without a row is new (CardState())."""
    cursor = conn.execute(STATE_OF, [learner_id, deck_id, card_id])
    row = cursor.fetchone()
    if row is None:
        return CardState()
    return CardState.from_row(dict(zip((c[0] for c in cursor.description), row, strict=True)))


def put_state(tx, learner_id: int, deck_id: str, card_id: str, s: CardState) -> None:
    tx.execute(
        """INSERT OR REPLACE INTO card_state (learner_id, deck_id, card_id, state, step,
             stability, difficulty, due, last_review, first_review, reps, lapses,
             buried_until, suspended, leech)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            learner_id,
            deck_id,
            card_id,
            s.state,
            s.step,
            s.stability,
            s.difficulty,
            s.due,
            s.last_review,
            s.first_review,
            s.reps,
            s.lapses,
            s.buried_until,
            s.suspended,
            s.leech,
        ],
    )


def bury(tx, learner_id: int, cards: list[tuple[str, str]], until: str) -> None:
    """Bury cards (deck_id, card_id) until `until`, keeping the rest of their state; a card
    never seen gets a row with only that (a card buried before its first answer)."""
    tx.conn.executemany(
        """INSERT INTO card_state (learner_id, deck_id, card_id, buried_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (learner_id, deck_id, card_id) DO UPDATE SET
             buried_until = excluded.buried_until""",
        [(learner_id, d, c, until) for d, c in cards],
    )


def remove_state(tx, learner_id: int, deck_id: str, card_id: str) -> None:
    tx.execute(
        "DELETE FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
        [learner_id, deck_id, card_id],
    )


STATE_COLUMNS = (
    "deck_id",
    "card_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "first_review",
    "reps",
    "lapses",
    "buried_until",
    "suspended",
)
_MERGE_STATE = f"""INSERT INTO card_state (learner_id, {", ".join(STATE_COLUMNS)})
    VALUES ({", ".join("?" * (len(STATE_COLUMNS) + 1))})
    ON CONFLICT (learner_id, deck_id, card_id) DO UPDATE SET
      {", ".join(f"{c} = excluded.{c}" for c in STATE_COLUMNS[2:])}
    WHERE card_state.last_review IS NULL OR excluded.last_review > card_state.last_review"""


def merge_states(tx, rows: list[tuple]) -> int:
    """States copied from another file, (learner_id, *STATE_COLUMNS) each: the one reviewed
    last wins. How many rows changed."""
    return tx.conn.executemany(_MERGE_STATE, rows).rowcount
