"""Drills that count as study (`quiz drill --count-in-study`): a drill answer that also moves
the card's schedule. A mixin of StudySession (so callers write `session.record_drill_answer`),
kept apart from the study queue and its answers."""

from __future__ import annotations

from datetime import datetime

from fsrs import Rating

from quiz.content.deck import Card
from quiz.study.queue import QueueItem


class DrillInStudy:
    """StudySession's drill answers (needs its store, learner, clock and state helpers)."""

    def record_drill_answer(
        self,
        deck_id: str,
        card: Card,
        *,
        drill_id: int,
        given: str,
        correct: bool,
        duration_ms: int,
        now: datetime | None = None,
    ) -> int:
        """Record a drill answer that also moves the card's schedule: Good when right, Again
        when wrong, scheduled and written as a study answer is (the learner's parameters and
        leech rule as stored now), in one transaction, but with mode 'drill' and no passage
        siblings buried. Not undoable: a drill answer is final. `last_leech` says whether it
        made the card a leech."""
        now = now or self.clock()
        item = QueueItem(deck_id, card, self._state(deck_id, card.id))
        rating = Rating.Good.value if correct else Rating.Again.value
        done = self._record(
            item,
            self.previews(item, now)[rating],
            now,
            mode="drill",
            given=given,
            correct=correct,
            duration_ms=duration_ms,
            drill_id=drill_id,
        )
        return done.review_id
