"""Custom study without touching the schedule (Anki's filtered deck with rescheduling off).

A CramSession asks exactly the cards it is given (the browser's current filter: a passage, a
tag, "failed today", ...) and records each answer as a review with mode 'cram'; it never
writes card_state, so FSRS state, due dates, suspension and burial stay as they were. It has
the methods the study screen calls on a StudySession, so the same screen runs it.

A card answered Again comes back at the end of the session, as cramming goes; any other grade
is the card done. A cram row's state_before is NULL: there is no state to restore, and stats
(quiz.insight.stats) keep cram answers apart from study reviews by their mode.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from quiz.content.stored_deck import CardIndex
from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.times import iso, now_utc
from quiz.study.queue import DeckCounts, QueueItem
from quiz.study.scheduler import RATINGS, Preview

CardKey = tuple[str, str]
AGAIN = 1
# What a grade does here, shown where a study session shows the interval.
AGAIN_LABEL = "again"
DONE_LABEL = "done"


@dataclass
class _Undo:
    key: CardKey
    review_id: int | None  # None: a skip (bury or suspend here), nothing was written
    pending: list[CardKey]  # the queue as it was before


@dataclass
class CramSession:
    store: object
    learner: object
    decks: list
    keys: list[CardKey]
    clock: callable = now_utc
    _undo: list[_Undo] = field(default_factory=list)
    is_cram = True
    last_leech: CardKey | None = None  # cramming never makes a leech

    def __post_init__(self):
        self.cards = CardIndex(self.decks)
        # Each card once, in the order given; a key naming no card of the decks is left out.
        self.pending: list[CardKey] = [
            k for k in dict.fromkeys(map(tuple, self.keys)) if k in self.cards
        ]
        self.asked = list(self.pending)

    # -- what to show -------------------------------------------------------------------------

    def next_item(self, now: datetime | None = None, exclude: tuple = ()) -> QueueItem | None:
        skip = {tuple(x) for x in exclude}
        for key in self.pending:
            if key in skip:
                continue
            card = self.cards.get(key)
            if card is not None:
                return QueueItem(key[0], card, self._state(key))
        return None

    def _state(self, key: CardKey) -> CardState:
        return reviews.read_state(self.store.conn, self.learner.id, *key)

    def previews(self, item: QueueItem, now: datetime | None = None) -> dict[int, Preview]:
        """Every grade leaves the card's state as it is; Again brings it back this session."""
        return {
            r: Preview(r, item.state, AGAIN_LABEL if r == AGAIN else DONE_LABEL) for r in RATINGS
        }

    def remaining(self, now: datetime | None = None) -> int:
        return len(self.pending)

    def counts(self, now: datetime | None = None) -> dict[str, DeckCounts]:
        """Per deck: the cards still to cram (as due) and the cards of the session."""
        due, total = Counter(k[0] for k in self.pending), Counter(k[0] for k in self.asked)
        return {d.id: DeckCounts(due=due[d.id], total=total[d.id]) for d in self.decks}

    def new_left_today(self, now: datetime | None = None) -> int:
        return 0  # cramming introduces nothing

    def due_tomorrow(self, now: datetime | None = None) -> None:
        """None: cramming moved no card's schedule, so it has nothing to say of tomorrow."""
        return None

    # -- writes -------------------------------------------------------------------------------

    def answer(
        self,
        item: QueueItem,
        preview: Preview,
        *,
        given: str | None,
        correct: bool | None,
        duration_ms: int,
        now: datetime | None = None,
    ) -> int:
        """Record the answer as a 'cram' review (its own transaction); card_state is not
        touched. Again sends the card to the end of the session."""
        now = now or self.clock()
        review = reviews.Review(
            self.learner.id,
            item.deck_id,
            item.card.id,
            mode="cram",
            rating=preview.rating,
            given=given,
            correct=correct,
            duration_ms=duration_ms,
            reviewed_at=iso(now),
        )
        with self.store.write() as db:
            review_id = reviews.add_review(db, review)
        key = (item.deck_id, item.card.id)
        self._undo.append(_Undo(key, review_id, list(self.pending)))
        self._take(key)
        if preview.rating == AGAIN:
            self.pending.append(key)
        return review_id

    def bury(self, item: QueueItem, now: datetime | None = None) -> None:
        """Only out of this session: cramming leaves the schedule alone."""
        self._skip(item)

    def suspend(self, item: QueueItem) -> None:
        """Only out of this session: cramming leaves the schedule alone."""
        self._skip(item)

    def _skip(self, item: QueueItem) -> None:
        key = (item.deck_id, item.card.id)
        self._undo.append(_Undo(key, None, list(self.pending)))
        self._take(key)

    def _take(self, key: CardKey) -> None:
        if key in self.pending:
            self.pending.remove(key)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> QueueItem | None:
        """Take back the last answer (its review row goes) or skip; the card is asked again."""
        if not self._undo:
            return None
        last = self._undo[-1]
        if last.review_id is not None:
            with self.store.write() as db:
                reviews.remove_review(db, last.review_id)
        self._undo.pop()
        self.pending = last.pending
        card = self.cards.get(last.key)
        return QueueItem(last.key[0], card, self._state(last.key)) if card else None
