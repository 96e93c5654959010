"""What the teacher's report holds: summaries per learner and per drill, item statistics and
answer rows (definitions in quiz.classroom.report)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LearnerSummary:
    name: str
    uid: str
    removed: bool
    drills: int  # drills taken (at least one answer)
    drill_answers: int
    drill_correct: int
    drill_accuracy: float | None
    cards_studied: int  # distinct cards with a study review
    study_reviews: int
    retention: float | None  # share of study reviews rated Hard, Good or Easy (rating > 1)


@dataclass(frozen=True)
class ItemStats:
    number: int
    deck_id: str
    card_id: str
    type: str
    prompt: str
    answer: str
    attempts: int  # complete attempts the figures use
    facility: float | None
    sd: float | None
    discrimination: float | None
    wrong: tuple[tuple[str, int], ...]  # (wrong answer, how often); "" is a blank or time-out
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AttemptScore:
    learner: str
    answered: int
    score: int


@dataclass(frozen=True)
class DrillInfo:
    """A drill as the drills table stores it, but its questions."""

    id: int
    uid: str
    created_at: str
    decks: tuple[str, ...]
    seed: str
    count: int
    time_limit: float | None
    feedback: str


@dataclass(frozen=True)
class DrillSummary(DrillInfo):
    """A drill's line in the drills table: the figures over its attempts, without the items."""

    questions: int
    attempts: int  # learners who answered at least one question
    complete: int  # learners who answered every question
    mean_score: float | None  # mean share right over complete attempts
    sd_score: float | None  # sample SD of the totals (questions right)
    alpha: float | None


@dataclass(frozen=True)
class DrillStats(DrillSummary):
    """A drill's summary and its item analysis (the fields, in this order, are the JSON's)."""

    items: tuple[ItemStats, ...] = ()
    scores: tuple[AttemptScore, ...] = ()


@dataclass  # not frozen: a frozen __init__ sets each field through object.__setattr__, 5x slower
class AnswerRow:
    drill_id: int
    learner: str
    deck: str
    card: str
    question: int
    given: str
    correct: int
    duration_ms: int | None
    answered_at: str
