"""The FSRS policy: the learner's scheduler (the fsrs package, with their fitted parameters when
usable), what a rating does to a card's state, and how long an interval reads on a grade button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quiz.store.card_state import CardState
from quiz.store.learners import Learner
from quiz.store.times import iso, parse_iso

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
LEARN_AHEAD = timedelta(minutes=20)  # like Anki: finish today's learning steps early at the end


def usable(parameters: Sequence[float] | None) -> tuple[float, ...] | None:
    """The parameters as fsrs takes them, or None when fsrs would refuse them (wrong count, a
    value outside its bounds, NaN): a merged or hand-edited file may hold anything."""
    if parameters is None:
        return None
    try:
        return Scheduler(parameters=tuple(parameters)).parameters
    except (ValueError, TypeError):
        return None


def scheduler_for(learner: Learner) -> Scheduler:
    """The scheduler for this learner's next cards: their retention, their fitted parameters if
    they have usable ones. Bad stored parameters fall back to the defaults, never a crash."""
    fitted = usable(learner.fsrs_params)
    if fitted is None:
        return Scheduler(desired_retention=learner.retention)
    return Scheduler(parameters=fitted, desired_retention=learner.retention)


@dataclass(frozen=True)
class Preview:
    rating: int
    state: CardState
    interval: str


def fsrs_card(state: CardState, now: datetime) -> FsrsCard:
    # card_id is passed explicitly: fsrs otherwise sleeps 1 ms to make a unique one.
    if state.last_review is None or state.state is None:
        return FsrsCard(card_id=0, state=State.Learning, step=0, due=now)
    return FsrsCard(
        card_id=0,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=parse_iso(state.due) if state.due else now,
        last_review=parse_iso(state.last_review),
    )


def after_review(before: CardState, card: FsrsCard, rating: int, now: datetime) -> CardState:
    lapsed = before.state == State.Review.value and rating == Rating.Again.value
    return replace(
        before,
        state=card.state.value,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=iso(card.due),
        last_review=iso(now),
        first_review=before.first_review or iso(now),
        reps=before.reps + 1,
        lapses=before.lapses + (1 if lapsed else 0),
        buried_until=None,
    )


def interval_label(delta: timedelta) -> str:
    seconds = max(0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def local_day_start(now: datetime) -> datetime:
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
