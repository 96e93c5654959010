"""One card's history and FSRS figures for one learner: what the browser's and the study
screen's card info shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.times import iso, parse_iso
from quiz.study.card_actions import UnknownCard
from quiz.study.learner_now import as_stored
from quiz.study.scheduler import fsrs_card, scheduler_for
from quiz.text import printable


@dataclass(frozen=True)
class ReviewLine:
    reviewed_at: str
    mode: str
    rating: int | None
    given: str | None
    correct: bool | None
    duration_ms: int | None
    interval_days: float | None  # the interval this answer set (None: it set none)


@dataclass(frozen=True)
class CardInfo:
    deck_id: str
    card_id: str
    prompt: str
    type: str
    state: str
    stability: float | None
    difficulty: float | None
    retrievability: float | None  # now, from fsrs
    due: str | None
    reps: int
    lapses: int
    leech: bool
    suspended: bool
    buried: bool
    reviews: list[ReviewLine]  # study, cram and reset rows, oldest first
    drill_answers: list[ReviewLine]  # drill rows, apart


_STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}


def card_info(store, learner, deck_id: str, card_id: str, now: datetime) -> CardInfo:
    """Everything about one card for one learner. A card the store does not have raises
    UnknownCard."""
    card = store.one(
        "SELECT type, prompt FROM cards WHERE deck_id = ? AND card_id = ?", [deck_id, card_id]
    )
    if card is None:
        raise UnknownCard(f"no card '{printable(deck_id, 60)}:{printable(card_id, 60)}'")
    state = reviews.read_state(store.conn, learner.id, deck_id, card_id)
    rows = list(
        store.rows(
            """SELECT reviewed_at, mode, rating, given, correct, duration_ms, state_before
           FROM reviews WHERE learner_id = ? AND deck_id = ? AND card_id = ?
           ORDER BY reviewed_at, id""",
            [learner.id, deck_id, card_id],
        )
    )
    intervals = _intervals(rows, state)
    lines, drills = [], []
    for r, interval in zip(rows, intervals, strict=True):
        line = ReviewLine(
            r["reviewed_at"],
            r["mode"],
            r["rating"],
            r["given"],
            None if r["correct"] is None else bool(r["correct"]),
            r["duration_ms"],
            interval,
        )
        (drills if r["mode"] == "drill" else lines).append(line)
    studied = state.last_review is not None and state.state is not None
    retrievability = None
    if studied and state.stability is not None:
        scheduler = scheduler_for(as_stored(store, learner))  # as a study session has it now
        retrievability = scheduler.get_card_retrievability(fsrs_card(state, now), now)
    return CardInfo(
        deck_id,
        card_id,
        card["prompt"],
        card["type"],
        _STATE_NAMES.get(state.state, "learning") if studied else "new",
        state.stability if studied else None,
        state.difficulty if studied else None,
        retrievability,
        state.due if studied else None,
        state.reps,
        state.lapses,
        bool(state.leech),
        bool(state.suspended),
        state.buried_until is not None and state.buried_until > iso(now),
        lines,
        drills,
    )


def _sets_state(row: dict) -> bool:
    """Whether the row is an answer that moved the card's schedule (a cram answer, a drill
    answer not counted in study and a reset row did not)."""
    return (
        row["mode"] in ("study", "drill")
        and row["rating"] is not None
        and bool(row["state_before"])
    )


def _intervals(rows: list[dict], now_state: CardState) -> list[float | None]:
    """Per row (oldest first), the interval (days) the answer set, None where it set none. An
    answer's state is the one the next row with a state_before recorded (or the card's state
    now, after the last answer). Matched by order, not by time: the state's last_review is
    when the grades were worked out (the reveal), seconds before the row's reviewed_at."""
    out: list[float | None] = [None] * len(rows)
    pending = None  # the row whose resulting state is not yet seen
    for i, r in enumerate(rows):
        before = _state_before(r["state_before"])
        if before is not None and pending is not None:
            out[pending] = _days(before)
            pending = None
        if _sets_state(r):
            pending = i
    if pending is not None:
        out[pending] = _days(now_state.__dict__)
    return out


def _state_before(text: str | None) -> dict | None:
    if not text:
        return None
    try:
        before = json.loads(text)
    except ValueError:
        return None  # a damaged row (merged from elsewhere) shows no interval
    if isinstance(before, dict) and isinstance(before.get("state"), dict):
        return before["state"]
    return None


def _days(state: dict) -> float | None:
    if not state.get("last_review") or not state.get("due"):
        return None
    try:
        seconds = (parse_iso(state["due"]) - parse_iso(state["last_review"])).total_seconds()
    except (TypeError, ValueError):
        return None
    return seconds / 86400
