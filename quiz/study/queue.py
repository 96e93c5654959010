"""The study queue as SQL: which card comes next, and the counts of what is left.

The statements here are the whole of the queue's rules; quiz.study.session runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fsrs import State

from quiz.content.deck import Card
from quiz.store.card_state import CardState

LEARNING = f"({State.Learning.value}, {State.Relearning.value})"  # SQL: cs.state IN LEARNING
REVIEW = State.Review.value


@dataclass(frozen=True)
class DeckCounts:
    new: int = 0  # new cards that may still be introduced today (capped by the daily limit)
    learning: int = 0
    due: int = 0
    total: int = 0


def today_totals(counts, new_left: int, reviews_left: int | None = None) -> tuple[int, int]:
    """(due now, new still allowed) over some decks' counts (anything with .new, .learning and
    .due): new cards share one daily limit across decks, so their sum is capped by it; so do
    due reviews, by reviews_left when given (StudySession.reviews_left_today)."""
    counts = list(counts)
    due = sum(c.due for c in counts)
    if reviews_left is not None:
        due = min(due, reviews_left)
    return sum(c.learning for c in counts) + due, min(sum(c.new for c in counts), new_left)


@dataclass(frozen=True)
class QueueItem:
    deck_id: str
    card: Card
    state: CardState

    @property
    def is_new(self) -> bool:
        return self.state.last_review is None

    @property
    def status(self) -> str:
        """new, learning (relearning too) or review."""
        if self.is_new:
            return "new"
        return "review" if self.state.state == State.Review.value else "learning"


# The cards a session has studied, as SQL (params :learner, :decks, :now): next_item's due
# and learning cards. New cards come in deck order then position, one deck at a time
# (FIRST_NEW_CARD, below). The counts below apply the same rules on their own indexes:
# tests/test_scheduler_counts.py and test_scheduler_next_new.py hold them to the SQL they
# replaced.
STUDIED_CARDS = """
    FROM card_state cs
    JOIN cards c ON c.deck_id = cs.deck_id AND c.card_id = cs.card_id
    WHERE cs.learner_id = :learner AND cs.deck_id IN (SELECT value FROM json_each(:decks))
      AND c.removed_at IS NULL AND cs.suspended = 0 AND cs.last_review IS NOT NULL
      AND (cs.buried_until IS NULL OR cs.buried_until <= :now)
"""


# The counts (counts() and remaining()) read the learner's card_state rows and the cards per
# deck, never all 100,000 cards joined with their states: each figure is a count over a range
# of one index (store.py, migration 5), and a card without a row is new. Every row has its
# card (a foreign key; cards are only ever marked removed), but a row of a removed card still
# counts in those ranges: the few such rows are taken back out (REMOVED_ROWS).
# Params :learner, :decks, :now, :day_end. What one row counts as (a row without a review is
# a card buried or suspended before its first answer):
NOT_BURIED = "(cs.buried_until IS NULL OR cs.buried_until <= :now)"
IS_NEW = f"cs.last_review IS NULL AND cs.suspended = 0 AND {NOT_BURIED}"
IS_LEARNING = f"cs.state IN {LEARNING} AND cs.due <= :now AND cs.suspended = 0 AND {NOT_BURIED}"
IS_DUE = f"cs.state = {REVIEW} AND cs.due < :day_end AND cs.suspended = 0 AND {NOT_BURIED}"


def _rows_where(condition: str) -> str:
    return (
        "(SELECT count(*) FROM card_state cs WHERE cs.learner_id = :learner "
        f"AND cs.deck_id = d.value AND {condition})"
    )


# Per deck, in the session's order: cards, removed cards, the learner's rows, and of these the
# new, learning and due ones. Each scalar subquery counts one index range: cards_position,
# cards_removed, the card_state key, card_state_unseen, and card_state_queue for learning and
# due (tests/test_scheduler_counts.py checks the plans).
DECK_COUNTS = f"""
    SELECT d.value,
           (SELECT count(*) FROM cards WHERE deck_id = d.value),
           (SELECT count(*) FROM cards WHERE deck_id = d.value AND removed_at IS NOT NULL),
           (SELECT count(*) FROM card_state WHERE learner_id = :learner AND deck_id = d.value),
           {_rows_where(IS_NEW)}, {_rows_where(IS_LEARNING)}, {_rows_where(IS_DUE)}
    FROM json_each(:decks) d
"""
# The learner's rows of removed cards (usually none): cards_removed, then the card_state key.
# (A condition on a NULL state or due is NULL: not counted, as in the ranges above.)
REMOVED_ROWS = f"""
    SELECT cs.deck_id, cs.card_id,
           coalesce({IS_NEW}, 0), coalesce({IS_LEARNING}, 0), coalesce({IS_DUE}, 0)
    FROM cards c CROSS JOIN card_state cs
    WHERE c.removed_at IS NOT NULL AND c.deck_id IN (SELECT value FROM json_each(:decks))
      AND cs.learner_id = :learner AND cs.deck_id = c.deck_id AND cs.card_id = c.card_id
"""
# What remaining() follows card by card (the rules of STUDIED_CARDS): the learning cards, due
# now or later, and per deck the reviews due today as one JSON array of card ids (10,000 rows
# cost more to hand over to Python than to find). Ranges of card_state_queue; the caller takes
# out the rows of removed cards.
_STUDIED = f"cs.last_review IS NOT NULL AND cs.suspended = 0 AND {NOT_BURIED}"
LEARNING_CARDS = f"""
    SELECT cs.deck_id, cs.card_id, cs.due FROM card_state cs
    WHERE cs.learner_id = :learner AND cs.deck_id IN (SELECT value FROM json_each(:decks))
      AND cs.state IN {LEARNING} AND {_STUDIED}
"""
DUE_REVIEWS = f"""
    SELECT d.value, (SELECT json_group_array(cs.card_id) FROM card_state cs
                     WHERE cs.learner_id = :learner AND cs.deck_id = d.value
                       AND cs.state = {REVIEW} AND cs.due < :day_end AND {_STUDIED})
    FROM json_each(:decks) d
"""

# next_item's due cards (with STUDIED_CARDS). "cs.due < :day_end" comes first though the rest
# implies it (:now < :day_end): it bounds the walk of card_state_due to what is due today, not
# every row of the learner once the day's reviews are done (bench/RESULTS.md).
DUE_NOW = (
    f"cs.due < :day_end AND ((cs.state IN {LEARNING} AND cs.due <= :now) "
    f"OR (cs.state = {REVIEW} AND cs.due < :day_end))"
)
# The same once the day's review limit is reached (learner.reviews_per_day): learning cards only.
LEARNING_DUE_NOW = f"cs.due < :day_end AND cs.state IN {LEARNING} AND cs.due <= :now"
# next_item's new card: the first card of a deck, at or after a position, that is live, never
# reviewed, not suspended and not buried now (cards_position walked in order, each card's row
# looked up by its key). Params
# :learner, :deck, :from, :now (and :exclude when {excluded} is filled in).
FIRST_NEW_CARD = """
    SELECT c.card_id, c.position
    FROM cards c
    LEFT JOIN card_state cs ON cs.learner_id = :learner AND cs.deck_id = c.deck_id
      AND cs.card_id = c.card_id
    WHERE c.deck_id = :deck AND c.position >= :from AND c.removed_at IS NULL
      AND cs.last_review IS NULL AND coalesce(cs.suspended, 0) = 0
      AND (cs.buried_until IS NULL OR cs.buried_until <= :now) {excluded}
    ORDER BY c.position LIMIT 1
"""
NOT_EXCLUDED = "AND json_array(c.deck_id, c.card_id) NOT IN (SELECT value FROM json_each(:exclude))"
# The first moment after :now when a card buried before its first answer comes back (a card
# that is not new now but will be, with no write in between): card_state_unseen alone.
NEXT_UNBURIAL = """
    SELECT min(cs.buried_until) FROM card_state cs
    WHERE cs.learner_id = :learner AND cs.last_review IS NULL
      AND cs.deck_id IN (SELECT value FROM json_each(:decks))
      AND cs.suspended = 0 AND cs.buried_until > :now
"""
FIRST_POSITION = -(2**63)
# Whether a card has a row (params learner, deck, card); the reviewed cards due before a time
# (learner, time, decks as JSON): the end of a session's "due tomorrow".
HAS_STATE = "SELECT 1 FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?"
DUE_BEFORE = """SELECT count(*) FROM card_state WHERE learner_id = ? AND suspended = 0
    AND last_review IS NOT NULL AND due < ? AND deck_id IN (SELECT value FROM json_each(?))"""


@dataclass
class NewCardWalk:
    """Where each deck's walk for its first new card may start, so that a learner who studies
    new cards one after another does not walk every card already studied again each time
    (at 100,000 cards that walk was the slowest step: bench/RESULTS.md).

    `start[deck]` is a position no new card of the deck comes before (None: the deck has no
    new card left). That holds until one of these makes a card new again, and each drops or
    corrects it: a write by another connection (PRAGMA data_version changes) or by anything
    but this session on its own connection (total_changes changes: imports, deck syncs,
    another session), time reaching `until` (a card buried before its first answer comes
    back), a `now` earlier than `since` (what was new then may be buried now), and this
    session's own bury and undo (StudySession._wrote)."""

    mark: tuple[int, int]  # (data_version, total_changes) as of the last known write
    since: str
    until: str | None
    start: dict[str, int | None] = field(default_factory=dict)
