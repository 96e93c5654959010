"""Drills that count as study (`quiz drill --count-in-study`): a drill answer that also moves
the card's schedule. A mixin of StudySession (so callers write `session.record_drill_answer`),
kept apart from the study queue and its answers."""

from __future__ import annotations

from datetime import datetime

from fsrs import Rating

from quiz.content.deck import Card
from quiz.store import reviews
from quiz.store.times import iso
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
        when wrong. The review row (mode 'drill') and the new state are one transaction. Not
        undoable: a drill answer is final."""
        now = now or self.clock()
        item = QueueItem(deck_id, card, self._state(deck_id, card.id))
        rating = Rating.Good.value if correct else Rating.Again.value
        preview = self.previews(item, now)[rating]
        existed = self._exists(item)
        known = self._known_mark()
        review = reviews.Review(
            self.learner.id,
            deck_id,
            card.id,
            mode="drill",
            rating=rating,
            given=given,
            correct=correct,
            duration_ms=duration_ms,
            reviewed_at=iso(now),
            drill_id=drill_id,
            state_before=reviews.state_before(existed, item.state),
        )
        with self.store.write() as db:
            review_id = reviews.add_review(db, review)
            reviews.put_state(db, self.learner.id, deck_id, card.id, preview.state)
        self._wrote(known, deck_id, card.id, preview.state)
        return review_id
