"""A study session: the questions a study screen asks (what is next, what would each grade do,
record this answer, undo), each write in its own transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from fsrs import Rating

from quiz.content.deck import Deck
from quiz.content.stored_deck import CardIndex
from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import iso, now_utc, start_of_next_day
from quiz.study.drill_in_study import DrillInStudy
from quiz.study.learner_now import LearnerNow
from quiz.study.limits import ReviewsDone, with_leech
from quiz.study.queue import (
    DECK_COUNTS,
    DUE_BEFORE,
    DUE_NOW,
    DUE_REVIEWS,
    FIRST_NEW_CARD,
    FIRST_POSITION,
    HAS_STATE,
    LEARNING,
    LEARNING_CARDS,
    LEARNING_DUE_NOW,
    NEXT_UNBURIAL,
    NOT_EXCLUDED,
    REMOVED_ROWS,
    STUDIED_CARDS,
    DeckCounts,
    NewCardWalk,
    QueueItem,
)
from quiz.study.remaining import Remaining
from quiz.study.scheduler import (
    LEARN_AHEAD,
    RATINGS,
    Preview,
    after_review,
    fsrs_card,
    interval_label,
    local_day_start,
)
from quiz.study.siblings import Sibling, siblings_to_bury


@dataclass
class _Undo:
    deck_id: str
    card_id: str
    before: CardState
    existed: bool
    review_id: int | None
    siblings: list[Sibling] = field(default_factory=list)  # buried by this answer


@dataclass(frozen=True)
class _Recorded:
    """What _record wrote for one answer."""

    review_id: int
    existed: bool
    state: CardState
    buried: list[Sibling]  # passage siblings the answer buried


@dataclass
class StudySession(DrillInStudy):
    store: Store
    learner: Learner
    decks: list[Deck]
    clock: callable = now_utc
    _undo: list[_Undo] = field(default_factory=list)
    _remaining: Remaining | None = None
    _new: NewCardWalk | None = None
    _reviews_done: ReviewsDone | None = None
    is_cram = False  # a CramSession (quiz.study.cram) says True
    last_leech: tuple[str, str] | None = None  # the card the last answer made a leech

    def __post_init__(self):
        self._now = LearnerNow(self.learner)
        self.scheduler = self._now.scheduler
        # Looked up lazily: stored decks (quiz.stored_deck) keep 100,000 cards out of memory.
        self.cards = CardIndex(self.decks)
        self._deck_json = json.dumps([d.id for d in self.decks])
        self._deck_ids = list(dict.fromkeys(d.id for d in self.decks))  # each once, in order

    def _settings_now(self) -> None:
        """Take up the learner's settings as stored now (quiz.study.learner_now): fitted
        parameters and retention for the next card scheduled, the leech rule and the limits
        for the next answer and the next card picked."""
        before = self._now.refresh(self.store.conn)
        if before is None:
            return
        self.learner, self.scheduler = self._now.learner, self._now.scheduler
        limits = ("new_per_day", "reviews_per_day")
        if any(getattr(before, k) != getattr(self.learner, k) for k in limits):
            self._remaining = None  # its caps came from the old limits: counted again

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
        self._settings_now()
        params = self._count_params(now)
        left = self.new_left_today(now)
        reviews_left = self.reviews_left_today(now)
        out = {d.id: DeckCounts() for d in self.decks}
        for deck_id, c in self._deck_counts(params, self._removed_rows(params)):
            out[deck_id] = replace(c, new=min(c.new, left), due=min(c.due, reviews_left))
        return out

    def reviews_left_today(self, now: datetime | None = None) -> int:
        """Due reviews today's limit (learner.reviews_per_day) still allows (quiz.study.limits)."""
        day = iso(local_day_start(now or self.clock()))
        done = self._reviews_done
        if done is None or not done.holds(self.store.conn, day):
            done = self._reviews_done = ReviewsDone.read(self.store.conn, self.learner.id, day)
        return max(0, self.learner.reviews_per_day - done.count)

    def _count_params(self, now: datetime) -> dict:
        return {
            "learner": self.learner.id,
            "decks": self._deck_json,
            "now": iso(now),
            "day_end": iso(start_of_next_day(now)),
        }

    def _removed_rows(self, params: dict) -> list[tuple]:
        return self.store.conn.execute(REMOVED_ROWS, params).fetchall()

    def _deck_counts(
        self, params: dict, removed: list[tuple], *, enough_new: int | None = None
    ) -> list[tuple[str, DeckCounts]]:
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
                c = DeckCounts(
                    new=live - (rows - g_rows) + (new - g_new),
                    learning=learning - g_learning,
                    due=due - g_due,
                    total=live,
                )
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
        then kept up to date by each answer (quiz.study.remaining)."""
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
        learning = {
            (d, c): due for d, c, due in conn.execute(LEARNING_CARDS, params) if (d, c) not in gone
        }
        review = set()
        for deck_id, card_ids in conn.execute(DUE_REVIEWS, params):
            review.update((deck_id, c) for c in json.loads(card_ids))
        review -= gone
        left = self.new_left_today(now)
        unseen = 0
        if left:  # only min(unseen, left) matters: decks stop being counted once it is reached
            unseen = sum(c.new for _, c in self._deck_counts(params, removed, enough_new=left))
        return Remaining(
            day_end=params["day_end"],
            review=review,
            learning=learning,
            new=min(unseen, left),
            spare=max(0, unseen - left),
            exact=unseen < left or not left,
            review_cap=self.reviews_left_today(now),
        )

    def next_item(self, now: datetime | None = None, exclude: tuple = ()) -> QueueItem | None:
        """Due cards first (most overdue first), then new cards in deck order, then learning
        cards coming due within the learn-ahead window."""
        now = now or self.clock()
        self._settings_now()
        params = {
            **self._count_params(now),
            "ahead": iso(now + LEARN_AHEAD),
            "exclude": json.dumps([list(x) for x in exclude]),
        }

        def studied(cond: str):
            return self.store.one(
                f"SELECT cs.* {STUDIED_CARDS} AND {cond} {NOT_EXCLUDED} ORDER BY cs.due LIMIT 1",
                params,
            )

        # Past the day's review limit, only learning cards due now come before new ones.
        row = studied(DUE_NOW if self.reviews_left_today(now) > 0 else LEARNING_DUE_NOW)
        if row is None and self.new_left_today(now) > 0:
            row = self._first_new(params)
        if row is None:
            row = studied(f"cs.state IN {LEARNING} AND cs.due <= :ahead")
        if row is None:
            return None
        card = self.cards.get((row["deck_id"], row["card_id"]))
        if card is None:  # in the store but no longer in the loaded decks
            return self.next_item(now, (*exclude, (row["deck_id"], row["card_id"])))
        # A studied card's row is its whole state; an unseen one may have a row (buried once).
        state = (
            CardState.from_row(row)
            if "learner_id" in row
            else self._state(row["deck_id"], row["card_id"])
        )
        return QueueItem(row["deck_id"], card, state)

    def _first_new(self, params: dict) -> dict | None:
        """The first new card by deck, then position (next_item's params), one deck at a time
        from where the last walk stopped (NewCardWalk). A deck is
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
                found = conn.execute(FIRST_NEW_CARD.format(excluded=NOT_EXCLUDED), deck).fetchone()
                if found is None:
                    continue
            return {"deck_id": deck_id, "card_id": found[0]}
        return None

    def _new_cards(self, stamp: str) -> NewCardWalk:
        """The walks' starting points, started afresh if they may no longer hold."""
        new, mark = self._new, self._mark()
        if (
            new is None
            or new.mark != mark
            or stamp < new.since
            or (new.until is not None and stamp >= new.until)
        ):
            # The mark first: a write that comes after it is seen at the next call.
            until = self.store.scalar(
                NEXT_UNBURIAL, {"learner": self.learner.id, "decks": self._deck_json, "now": stamp}
            )
            new = self._new = NewCardWalk(mark, stamp, until)
        return new

    def _mark(self) -> tuple[int, int]:
        conn = self.store.conn
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

    def _has_new(self, deck_id: str, params: dict) -> bool:
        """Whether the deck has a new card at all: its counts, from index ranges, instead of
        walking every card."""
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
        position = self.store.scalar(
            "SELECT position FROM cards WHERE deck_id = ? AND card_id = ?", [deck_id, card_id]
        )
        if position is None:
            self._new = None
        else:
            start = new.start[deck_id]
            new.start[deck_id] = position if start is None else min(start, position)

    def _state(self, deck_id: str, card_id: str) -> CardState:
        return reviews.read_state(self.store.conn, self.learner.id, deck_id, card_id)

    def previews(self, item: QueueItem, now: datetime | None = None) -> dict[int, Preview]:
        """What each grade would do. fsrs fuzzes intervals at random, so each grade is reviewed
        once here and the chosen result is the one committed: the button shows the truth.
        Scheduled with the learner's parameters as stored now."""
        now = now or self.clock()
        self._settings_now()
        base = fsrs_card(item.state, now)
        out = {}
        for rating in RATINGS:
            card, _log = self.scheduler.review_card(base, Rating(rating), now)
            state = after_review(item.state, card, rating, now)
            out[rating] = Preview(rating, state, interval_label(card.due - now))
        return out

    # -- writes: each one its own transaction -------------------------------------------------

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
        now = now or self.clock()
        done = self._record(
            item, preview, now, mode="study", given=given, correct=correct, duration_ms=duration_ms
        )
        self._undo.append(
            _Undo(item.deck_id, item.card.id, item.state, done.existed, done.review_id, done.buried)
        )
        if self._remaining is not None:
            self._remaining.answered((item.deck_id, item.card.id), item.state, done.state)
        if self._reviews_done is not None:
            self._reviews_done.answered(item.state, iso(local_day_start(now)))
        self._siblings_buried(done.buried, iso(start_of_next_day(now)))
        return done.review_id

    def _record(self, item: QueueItem, preview: Preview, now: datetime, **fields) -> _Recorded:
        """Write one answer in its own transaction: its review row (`fields`: the Review's mode,
        given, correct, ...) and the state the preview scheduled, with the learner's leech rule
        (quiz.study.limits) as stored now applied; a study answer also buries the card's passage
        siblings. Study answers and drill answers that count in study (quiz.study.drill_in_study)
        are both written here."""
        self._settings_now()
        existed = self._exists(item)
        known = self._known_mark()
        review = reviews.Review(
            self.learner.id,
            item.deck_id,
            item.card.id,
            rating=preview.rating,
            reviewed_at=iso(now),
            state_before=reviews.state_before(existed, item.state),
            **fields,
        )
        day_end = iso(start_of_next_day(now))
        state = with_leech(self.learner, item.state, preview.state)
        with self.store.write() as db:
            review_id = reviews.add_review(db, review)
            reviews.put_state(db, self.learner.id, item.deck_id, item.card.id, state)
            buried = self._bury_siblings(db, item, day_end) if review.mode == "study" else []
        self.last_leech = (item.deck_id, item.card.id) if state is not preview.state else None
        self._wrote(known, item.deck_id, item.card.id, state)
        return _Recorded(review_id, existed, state, buried)

    def _bury_siblings(self, db, item: QueueItem, day_end: str) -> list[Sibling]:
        """Inside the answer's transaction: bury the card's passage siblings that would still
        come up today (quiz.study.siblings), if the learner wants that."""
        if not self.learner.bury_siblings:
            return []
        found = siblings_to_bury(db.conn, self.learner.id, item.deck_id, item.card.id, day_end)
        if found:
            reviews.bury(db, self.learner.id, [s.key for s in found], day_end)
        return found

    def _siblings_buried(self, siblings: list[Sibling], day_end: str) -> None:
        """Keep the counts and the new-card walk in step with the siblings just buried."""
        if not siblings:
            return
        ours = set(self._deck_ids)
        mine = [s for s in siblings if s.deck_id in ours]
        if self._remaining is not None and mine:
            if not self._remaining.buried([s.key for s in mine], sum(s.is_new for s in mine)):
                self._remaining = None  # counted again when next asked
        new = self._new
        if new is not None and any(s.is_new for s in siblings):
            # Burying never makes a card new, so the walks still hold; they change when the
            # siblings come back.
            new.until = day_end if new.until is None else min(new.until, day_end)

    def bury(self, item: QueueItem, now: datetime | None = None) -> None:
        now = now or self.clock()
        self._change(item, replace(item.state, buried_until=iso(start_of_next_day(now))))

    def suspend(self, item: QueueItem) -> None:
        self._change(item, replace(item.state, suspended=1))

    def _change(self, item: QueueItem, state: CardState) -> None:
        existed = self._exists(item)
        known = self._known_mark()
        with self.store.write() as db:
            reviews.put_state(db, self.learner.id, item.deck_id, item.card.id, state)
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
                reviews.remove_review(db, last.review_id)
            if last.existed:
                reviews.put_state(db, self.learner.id, last.deck_id, last.card_id, last.before)
            else:
                reviews.remove_state(db, self.learner.id, last.deck_id, last.card_id)
            for sib in last.siblings:  # the siblings it buried come back as they were
                if sib.existed:
                    reviews.put_state(db, self.learner.id, sib.deck_id, sib.card_id, sib.state)
                else:
                    reviews.remove_state(db, self.learner.id, sib.deck_id, sib.card_id)
        self._wrote(known, last.deck_id, last.card_id, last.before if last.existed else None)
        if last.siblings:
            self._new = None  # unburied cards may be new again: the walks start afresh
        self._undo.pop()
        self._remaining = None
        self._reviews_done = None  # counted again when next asked
        self.last_leech = None
        card = self.cards.get((last.deck_id, last.card_id))
        return QueueItem(last.deck_id, card, last.before) if card else None

    def _exists(self, item: QueueItem) -> bool:
        key = [self.learner.id, item.deck_id, item.card.id]
        return self.store.scalar(HAS_STATE, key) is not None

    # -- the end of a session -----------------------------------------------------------------

    def due_tomorrow(self, now: datetime | None = None) -> int:
        now = now or self.clock()
        tomorrow_end = start_of_next_day(start_of_next_day(now) + timedelta(hours=1))
        params = [self.learner.id, iso(tomorrow_end), self._deck_json]
        return self.store.scalar(DUE_BEFORE, params)
