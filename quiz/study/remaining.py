"""How many cards a study session has left today, kept up to date answer by answer.

Counting from the store on a 100,000-card collection (even with the indexes of migration 5)
takes more than is worth repeating between two cards (bench/RESULTS.md). So a session counts
once, keeping the keys of the cards that are due or learning, and then moves one card at a time
as it is answered. The rules are those of `StudySession.counts()`: a review card counts when it
is due before the end of the day, a learning card once it is due, and new cards up to what the
daily limit still allows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from quiz.store.card_state import CardState

Key = tuple[str, str]  # (deck id, card id)
LEARNING = (1, 3)  # fsrs State.Learning, State.Relearning
REVIEW = 2


@dataclass
class Remaining:
    day_end: str  # ISO time: end of the day the counts are for
    review: set[Key]  # review cards due before day_end
    learning: dict[Key, str]  # learning and relearning cards -> when due (ISO, text order)
    new: int  # new cards still to come today: unseen cards, at most the daily limit left
    spare: int = 0  # unseen cards counted beyond `new` (at least; the count stops early)
    exact: bool = True  # whether every unseen card was counted (then spare is exact)
    review_cap: int | None = None  # due reviews today's limit still allows (None: no limit)

    def __post_init__(self):
        # The learning cards' due times, sorted: how many are due is a bisection, not a walk
        # over a thousand cards at every answer. (No due time: never counted, as in SQL.)
        self._dues = sorted(due for due in self.learning.values() if due is not None)

    def total(self, now: str) -> int:
        review = len(self.review)
        if self.review_cap is not None:
            review = min(review, self.review_cap)
        return review + bisect_right(self._dues, now) + self.new

    def buried(self, keys: list[Key], new: int) -> bool:
        """Take out cards just buried (passage siblings), `new` of them never answered; False
        when what is left of the new cards cannot be known without counting again."""
        for key in keys:
            self.review.discard(key)
            due = self.learning.pop(key, None)
            if due is not None:
                del self._dues[bisect_left(self._dues, due)]
        take = min(new, self.spare)
        self.spare -= take
        if new > take:
            if not self.exact:
                return False
            self.new = max(0, self.new - (new - take))
        return True

    def answered(self, key: Key, before: CardState, after: CardState) -> None:
        """Move the card answered from where it was counted to where its new state puts it."""
        self.review.discard(key)
        due = self.learning.pop(key, None)
        if due is not None:
            del self._dues[bisect_left(self._dues, due)]
        if before.last_review is None:
            self.new = max(0, self.new - 1)
        elif before.state == REVIEW and self.review_cap is not None:
            self.review_cap = max(0, self.review_cap - 1)
        if after.suspended or after.buried_until:
            return
        if after.state in LEARNING:
            self.learning[key] = after.due
            if after.due is not None:
                insort(self._dues, after.due)
        elif after.state == REVIEW and after.due < self.day_end:
            self.review.add(key)
