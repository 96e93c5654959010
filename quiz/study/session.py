"""Spaced repetition: FSRS (the fsrs package) and the study queue.

A `StudySession` answers the questions a study screen asks (what is next, what would each
grade do, record this answer, undo) and keeps every write in its own transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quiz.deck import Card, Deck
from quiz.progress import Remaining
from quiz.store import (
    CardState,
    Learner,
    Store,
    iso,
    new_uid,
    now_utc,
    parse_iso,
    start_of_next_day,
)
from quiz.stored_deck import CardIndex

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
LEARN_AHEAD = timedelta(minutes=20)  # like Anki: finish today's learning steps early at the end


@dataclass(frozen=True)
class DeckCounts:
    new: int = 0  # new cards that may still be introduced today (capped by the daily limit)
    learning: int = 0
    due: int = 0
    total: int = 0


def today_totals(counts, new_left: int) -> tuple[int, int]:
    """(due now, new still allowed) over some decks' counts (anything with .new, .learning and
    .due): new cards share one daily limit across decks, so their sum is capped by it."""
    counts = list(counts)
    return sum(c.learning + c.due for c in counts), min(sum(c.new for c in counts), new_left)


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
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


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
IS_LEARNING = f"cs.state IN (1, 3) AND cs.due <= :now AND cs.suspended = 0 AND {NOT_BURIED}"
IS_DUE = f"cs.state = 2 AND cs.due < :day_end AND cs.suspended = 0 AND {NOT_BURIED}"


def _rows_where(condition: str) -> str:
    return ("(SELECT count(*) FROM card_state cs WHERE cs.learner_id = :learner "
            f"AND cs.deck_id = d.value AND {condition})")


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
      AND cs.state IN (1, 3) AND {_STUDIED}
"""
DUE_REVIEWS = f"""
    SELECT d.value, (SELECT json_group_array(cs.card_id) FROM card_state cs
                     WHERE cs.learner_id = :learner AND cs.deck_id = d.value
                       AND cs.state = 2 AND cs.due < :day_end AND {_STUDIED})
    FROM json_each(:decks) d
"""

# next_item's due cards (with STUDIED_CARDS). "cs.due < :day_end" comes first though the rest
# implies it (:now < :day_end): it bounds the walk of card_state_due to what is due today, not
# every row of the learner (15 ms at 35,000 rows once the day's reviews are done).
DUE_NOW = ("cs.due < :day_end AND ((cs.state IN (1, 3) AND cs.due <= :now) "
           "OR (cs.state = 2 AND cs.due < :day_end))")
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
NOT_EXCLUDED = ("AND json_array(c.deck_id, c.card_id) NOT IN "
                "(SELECT value FROM json_each(:exclude))")
# The first moment after :now when a card buried before its first answer comes back (a card
# that is not new now but will be, with no write in between): card_state_unseen alone.
NEXT_UNBURIAL = """
    SELECT min(cs.buried_until) FROM card_state cs
    WHERE cs.learner_id = :learner AND cs.last_review IS NULL
      AND cs.deck_id IN (SELECT value FROM json_each(:decks))
      AND cs.suspended = 0 AND cs.buried_until > :now
"""
FIRST_POSITION = -(2 ** 63)


@dataclass
class _NewCards:
    """Where each deck's walk for its first new card may start, so that a learner who studies
    new cards one after another does not walk every card already studied again each time (at
    100,000 cards: 160 ms per card before this).

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


@dataclass
class _Undo:
    deck_id: str
    card_id: str
    before: CardState
    existed: bool
    review_id: int | None


@dataclass
class StudySession:
    store: Store
    learner: Learner
    decks: list[Deck]
    clock: callable = now_utc
    _undo: list[_Undo] = field(default_factory=list)
    _remaining: Remaining | None = None
    _new: _NewCards | None = None

    def __post_init__(self):
        self.scheduler = Scheduler(desired_retention=self.learner.retention)
        # Looked up lazily: stored decks (quiz.stored_deck) keep 100,000 cards out of memory.
        self.cards = CardIndex(self.decks)
        self._deck_json = json.dumps([d.id for d in self.decks])
        self._deck_ids = list(dict.fromkeys(d.id for d in self.decks))  # each once, in order

    # -- what to show -------------------------------------------------------------------------

    def new_left_today(self, now: datetime | None = None) -> int:
        now = now or self.clock()
        started = self.store.scalar(
            "SELECT count(*) FROM card_state WHERE learner_id = ? AND first_review >= ?",
            [self.learner.id, iso(local_day_start(now))],
        )
        return max(0, self.learner.new_per_day - started)

    def counts(self, now: datetime | None = None) -> dict[str, DeckCounts]:
        """Per deck: new cards the daily limit still allows, learning cards due now, reviews
        due before the end of the day, and cards (removed ones left out)."""
        now = now or self.clock()
        params = self._count_params(now)
        left = self.new_left_today(now)
        out = {d.id: DeckCounts() for d in self.decks}
        for deck_id, c in self._deck_counts(params, self._removed_rows(params)):
            out[deck_id] = replace(c, new=min(c.new, left))
        return out

    def _count_params(self, now: datetime) -> dict:
        return {"learner": self.learner.id, "decks": self._deck_json, "now": iso(now),
                "day_end": iso(start_of_next_day(now))}

    def _removed_rows(self, params: dict) -> list[tuple]:
        return self.store.conn.execute(REMOVED_ROWS, params).fetchall()

    def _deck_counts(self, params: dict, removed: list[tuple], *,
                     enough_new: int | None = None) -> list[tuple[str, DeckCounts]]:
        """(deck id, counts) per deck of the session, in order, each deck once; new is not yet
        capped by the daily limit. With enough_new, decks stop being counted once their new
        cards add up to it (remaining() needs no more)."""
        gone: dict[str, list[int]] = {}  # deck -> [rows, new, learning, due] of removed cards
        for deck_id, _card_id, new, learning, due in removed:
            tally = gone.setdefault(deck_id, [0, 0, 0, 0])
            for i, n in enumerate((1, new, learning, due)):
                tally[i] += n
        out = []
        new_so_far = 0
        cursor = self.store.conn.execute(DECK_COUNTS, params)
        try:
            seen = set()
            for deck_id, cards, removed_cards, rows, new, learning, due in cursor:
                if deck_id in seen:
                    continue
                seen.add(deck_id)
                g_rows, g_new, g_learning, g_due = gone.get(deck_id, (0, 0, 0, 0))
                live = cards - removed_cards
                # New: live cards without a row, and live rows of cards not yet reviewed.
                c = DeckCounts(new=live - (rows - g_rows) + (new - g_new),
                               learning=learning - g_learning, due=due - g_due, total=live)
                out.append((deck_id, c))
                new_so_far += c.new
                if enough_new is not None and new_so_far >= enough_new:
                    break
        finally:
            cursor.close()
        return out

    def remaining(self, now: datetime | None = None) -> int:
        """Cards left today: reviews due, learning cards due now, new cards the daily limit
        allows. The same total as counts() gives, counted from the store once per session and
        then kept up to date by each answer (quiz.progress)."""
        now = now or self.clock()
        stamp = iso(now)
        if self._remaining is None or stamp >= self._remaining.day_end:
            self._remaining = self._count_remaining(now)
        return self._remaining.total(stamp)

    def _count_remaining(self, now: datetime) -> Remaining:
        params = self._count_params(now)
        removed = self._removed_rows(params)
        gone = {(d, c) for d, c, *_ in removed}
        conn = self.store.conn
        learning = {(d, c): due for d, c, due in conn.execute(LEARNING_CARDS, params)
                    if (d, c) not in gone}
        review = set()
        for deck_id, card_ids in conn.execute(DUE_REVIEWS, params):
            review.update((deck_id, c) for c in json.loads(card_ids))
        review -= gone
        left = self.new_left_today(now)
        unseen = 0
        if left:  # only min(unseen, left) matters: decks stop being counted once it is reached
            unseen = sum(c.new for _, c in self._deck_counts(params, removed, enough_new=left))
        return Remaining(day_end=params["day_end"], review=review, learning=learning,
                         new=min(unseen, left))

    def next_item(self, now: datetime | None = None, exclude: tuple = ()) -> QueueItem | None:
        """Due cards first (most overdue first), then new cards in deck order, then learning
        cards coming due within the learn-ahead window."""
        now = now or self.clock()
        params = {**self._count_params(now), "ahead": iso(now + LEARN_AHEAD),
                  "exclude": json.dumps([list(x) for x in exclude])}

        def studied(cond: str):
            return self.store._one(f"SELECT cs.* {STUDIED_CARDS} AND {cond} {NOT_EXCLUDED} "
                                   "ORDER BY cs.due LIMIT 1", params)

        row = studied(DUE_NOW)
        if row is None and self.new_left_today(now) > 0:
            row = self._first_new(params)
        if row is None:
            row = studied("cs.state IN (1, 3) AND cs.due <= :ahead")
        if row is None:
            return None
        card = self.cards.get((row["deck_id"], row["card_id"]))
        if card is None:  # in the store but no longer in the loaded decks
            return self.next_item(now, (*exclude, (row["deck_id"], row["card_id"])))
        # A studied card's row is its whole state; an unseen one may have a row (buried once).
        state = (CardState.from_row(row) if "learner_id" in row
                 else self._state(row["deck_id"], row["card_id"]))
        return QueueItem(row["deck_id"], card, state)

    def _first_new(self, params: dict) -> dict | None:
        """The first new card by deck, then position (next_item's params), one deck at a time
        from where the last walk stopped (_NewCards). A deck is
        first walked only if it has a new card at all, which its counts tell from index ranges."""
        new = self._new_cards(params["now"])
        conn = self.store.conn
        for deck_id in self._deck_ids:
            if deck_id not in new.start:
                new.start[deck_id] = FIRST_POSITION if self._has_new(deck_id, params) else None
            start = new.start[deck_id]
            if start is None:
                continue
            deck = {**params, "deck": deck_id, "from": start}
            found = conn.execute(FIRST_NEW_CARD.format(excluded=""), deck).fetchone()
            if found is None:
                new.start[deck_id] = None
                continue
            new.start[deck_id] = found[1]  # the walk starts at this card next time
            if params["exclude"] != "[]":
                found = conn.execute(FIRST_NEW_CARD.format(excluded=NOT_EXCLUDED),
                                     deck).fetchone()
                if found is None:
                    continue
            return {"deck_id": deck_id, "card_id": found[0]}
        return None

    def _new_cards(self, stamp: str) -> _NewCards:
        """The walks' starting points, started afresh if they may no longer hold."""
        new, mark = self._new, self._mark()
        if (new is None or new.mark != mark or stamp < new.since
                or (new.until is not None and stamp >= new.until)):
            # The mark first: a write that comes after it is seen at the next call.
            until = self.store.scalar(NEXT_UNBURIAL, {"learner": self.learner.id,
                                                      "decks": self._deck_json, "now": stamp})
            new = self._new = _NewCards(mark, stamp, until)
        return new

    def _mark(self) -> tuple[int, int]:
        conn = self.store.conn
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

    def _has_new(self, deck_id: str, params: dict) -> bool:
        """Whether the deck has a new card at all: its counts, from index ranges (about 1 ms
        for 10,000 cards studied), instead of walking every card."""
        one = {**params, "decks": json.dumps([deck_id])}
        return any(c.new > 0 for _, c in self._deck_counts(one, self._removed_rows(one)))

    def _known_mark(self) -> bool:
        """Called before one of this session's writes: whether the starting points still hold
        (nothing but this session wrote since they were last checked)."""
        return self._new is not None and self._new.mark == self._mark()

    def _wrote(self, known: bool, deck_id: str, card_id: str, state: CardState | None) -> None:
        """After this session wrote `state` (None: no row) for one card: keep the starting
        points in step, or drop them if anything else wrote since (`known` is False)."""
        new = self._new
        if not known or new is None:
            self._new = None
            return
        new.mark = (new.mark[0], self.store.conn.total_changes)  # data_version: not ours
        if state is not None and (state.last_review is not None or state.suspended):
            return  # never new again without another write
        if state is not None and state.buried_until is not None and state.buried_until > new.since:
            # new once it comes back: start again then
            new.until = min(new.until or state.buried_until, state.buried_until)
        if new.start.get(deck_id, FIRST_POSITION) == FIRST_POSITION:
            return  # the deck's walk starts at its beginning anyway (or is not in the session)
        position = self.store.scalar("SELECT position FROM cards WHERE deck_id = ? AND card_id = ?",
                                     [deck_id, card_id])
        if position is None:
            self._new = None
        else:
            start = new.start[deck_id]
            new.start[deck_id] = position if start is None else min(start, position)

    def _state(self, deck_id: str, card_id: str) -> CardState:
        row = self.store._one(
            "SELECT * FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
            [self.learner.id, deck_id, card_id],
        )
        return CardState.from_row(row)

    def previews(self, item: QueueItem, now: datetime | None = None) -> dict[int, Preview]:
        """What each grade would do. fsrs fuzzes intervals at random, so each grade is reviewed
        once here and the chosen result is the one committed: the button shows the truth."""
        now = now or self.clock()
        base = fsrs_card(item.state, now)
        out = {}
        for rating in RATINGS:
            card, _log = self.scheduler.review_card(base, Rating(rating), now)
            state = after_review(item.state, card, rating, now)
            out[rating] = Preview(rating, state, interval_label(card.due - now))
        return out

    # -- writes: each one its own transaction -------------------------------------------------

    def answer(self, item: QueueItem, preview: Preview, *, given: str | None, correct: bool | None,
               duration_ms: int, now: datetime | None = None) -> int:
        now = now or self.clock()
        existed = self._exists(item)
        known = self._known_mark()
        with self.store.write() as db:
            cur = db.execute(
                """INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, given, correct,
                     duration_ms, reviewed_at, mode, state_before)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'study', ?)""",
                [new_uid(), self.learner.id, item.deck_id, item.card.id, preview.rating, given,
                 None if correct is None else int(correct), duration_ms, iso(now),
                 json.dumps({"existed": existed, "state": item.state.__dict__})],
            )
            self._put_state(db, item.deck_id, item.card.id, preview.state)
        self._wrote(known, item.deck_id, item.card.id, preview.state)
        self._undo.append(_Undo(item.deck_id, item.card.id, item.state, existed, cur.lastrowid))
        if self._remaining is not None:
            self._remaining.answered((item.deck_id, item.card.id), item.state, preview.state)
        return cur.lastrowid

    def bury(self, item: QueueItem, now: datetime | None = None) -> None:
        now = now or self.clock()
        self._change(item, replace(item.state, buried_until=iso(start_of_next_day(now))))

    def suspend(self, item: QueueItem) -> None:
        self._change(item, replace(item.state, suspended=1))

    def _change(self, item: QueueItem, state: CardState) -> None:
        existed = self._exists(item)
        known = self._known_mark()
        with self.store.write() as db:
            self._put_state(db, item.deck_id, item.card.id, state)
        self._wrote(known, item.deck_id, item.card.id, state)
        self._undo.append(_Undo(item.deck_id, item.card.id, item.state, existed, None))
        self._remaining = None  # rare: counted again when next asked

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> QueueItem | None:
        """Take back the last answer, bury or suspend: the review row goes and the card's
        state is restored exactly. Returns the card, to be shown again."""
        if not self._undo:
            return None
        last = self._undo[-1]  # popped once undone: a failed write leaves it to try again
        known = self._known_mark()
        with self.store.write() as db:
            if last.review_id is not None:
                db.execute("DELETE FROM reviews WHERE id = ?", [last.review_id])
            if last.existed:
                self._put_state(db, last.deck_id, last.card_id, last.before)
            else:
                db.execute(
                    "DELETE FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
                    [self.learner.id, last.deck_id, last.card_id],
                )
        self._wrote(known, last.deck_id, last.card_id, last.before if last.existed else None)
        self._undo.pop()
        self._remaining = None
        card = self.cards.get((last.deck_id, last.card_id))
        return QueueItem(last.deck_id, card, last.before) if card else None

    def _exists(self, item: QueueItem) -> bool:
        return self.store.scalar(
            "SELECT 1 FROM card_state WHERE learner_id = ? AND deck_id = ? AND card_id = ?",
            [self.learner.id, item.deck_id, item.card.id],
        ) is not None

    def _put_state(self, db, deck_id: str, card_id: str, s: CardState) -> None:
        db.execute(
            """INSERT OR REPLACE INTO card_state (learner_id, deck_id, card_id, state, step,
                 stability, difficulty, due, last_review, first_review, reps, lapses,
                 buried_until, suspended)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [self.learner.id, deck_id, card_id, s.state, s.step, s.stability, s.difficulty,
             s.due, s.last_review, s.first_review, s.reps, s.lapses, s.buried_until, s.suspended],
        )

    # -- the end of a session -----------------------------------------------------------------

    def due_tomorrow(self, now: datetime | None = None) -> int:
        now = now or self.clock()
        tomorrow_end = start_of_next_day(start_of_next_day(now) + timedelta(hours=1))
        return self.store.scalar(
            """SELECT count(*) FROM card_state WHERE learner_id = ? AND suspended = 0
                 AND last_review IS NOT NULL AND due < ?
                 AND deck_id IN (SELECT value FROM json_each(?))""",
            [self.learner.id, iso(tomorrow_end), self._deck_json],
        )

    # -- drills that count as study (quiz drill --count-in-study) -------------------------------

    def record_drill_answer(self, deck_id: str, card: Card, *, drill_id: int, given: str,
                            correct: bool, duration_ms: int, now: datetime | None = None) -> int:
        """Record a drill answer that also moves the card's schedule: Good when right, Again
        when wrong. The review row (mode 'drill') and the new state are one transaction. Not
        undoable: a drill answer is final."""
        now = now or self.clock()
        item = QueueItem(deck_id, card, self._state(deck_id, card.id))
        rating = 3 if correct else 1
        preview = self.previews(item, now)[rating]
        existed = self._exists(item)
        known = self._known_mark()
        with self.store.write() as db:
            cur = db.execute(
                """INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, given, correct,
                     duration_ms, reviewed_at, mode, drill_id, state_before)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'drill', ?, ?)""",
                [new_uid(), self.learner.id, deck_id, card.id, rating, given, int(correct),
                 duration_ms, iso(now), drill_id,
                 json.dumps({"existed": existed, "state": item.state.__dict__})],
            )
            self._put_state(db, deck_id, card.id, preview.state)
        self._wrote(known, deck_id, card.id, preview.state)
        return cur.lastrowid
