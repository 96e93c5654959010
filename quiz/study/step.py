"""One card of a study session from question to grade, the same shape as a drill's DrillRun:
the screen shows and asks; this grades what was given, offers the grades with their intervals
and the suggested one, and records the grade chosen."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from quiz.study.grading import Verdict, grade, grade_blanks, suggested_rating
from quiz.study.queue import QueueItem
from quiz.study.scheduler import Preview
from quiz.study.session import StudySession


@dataclass(frozen=True)
class Graded:
    """What one recorded grade was: for the session's tally."""

    rating: int
    correct: bool | None
    duration_ms: int
    review_id: int


@dataclass
class StudyStep:
    session: StudySession
    item: QueueItem
    shown_at: float = field(default_factory=time.monotonic)  # when the question appeared
    verdict: Verdict | None = None  # set by reveal()
    given: str | None = None  # what was answered, as graded (None: nothing given)
    previews: dict[int, Preview] = field(default_factory=dict)  # rating -> what it would do
    suggested: int = 3

    @property
    def revealed(self) -> bool:
        return self.verdict is not None

    def reveal(self, given) -> Verdict:
        """Grade what was given (None: "show me", not known) and work out each grade's result.
        A cloze's blanks arrive as a list, one answer per blank."""
        card = self.item.card
        verdict = (
            grade_blanks(card, given) if card.type == "cloze" and given else grade(card, given)
        )
        self.verdict = verdict
        self.given = verdict.given if given not in (None, "", []) else None
        self.previews = self.session.previews(self.item)
        self.suggested = suggested_rating(verdict)
        return verdict

    def grade(self, rating: int, now: float | None = None) -> Graded:
        """Record the grade (one transaction; a StoreError leaves nothing written, and the
        step can be graded again)."""
        if self.verdict is None:
            raise ValueError("grade() before reveal()")
        duration_ms = int(((now if now is not None else time.monotonic()) - self.shown_at) * 1000)
        review_id = self.session.answer(
            self.item,
            self.previews[rating],
            given=self.given,
            correct=self.verdict.correct,
            duration_ms=duration_ms,
        )
        return Graded(rating, self.verdict.correct, duration_ms, review_id)
