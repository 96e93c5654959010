"""What the card browser and `quiz cards` do to a learner's cards: suspend, unsuspend, unbury,
reset to new. Each call is one transaction and returns how many cards it changed (a card
already in the state asked for is not counted).
"""

from __future__ import annotations

from datetime import datetime

from quiz.content.stored_deck import CardIndex
from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.times import iso, now_utc
from quiz.text import printable

CardKey = tuple[str, str]  # (deck_id, card_id)


class UnknownCard(ValueError):
    """A DECK:CARD that names no card of the loaded decks; the message says which."""


def parse_card_refs(refs: list[str], decks) -> list[CardKey]:
    """ "DECK:CARD" references as keys, each once, in order; the first one that is malformed or
    names no card of `decks` raises UnknownCard."""
    index = CardIndex(decks)
    deck_ids = {d.id for d in decks}
    out: list[CardKey] = []
    for ref in refs:
        deck_id, sep, card_id = ref.strip().partition(":")
        shown = printable(ref, 120)
        if not sep or not deck_id or not card_id:
            raise UnknownCard(f"'{shown}': a card is DECK:CARD (e.g. kuril-islands:etorofu)")
        if deck_id not in deck_ids:
            raise UnknownCard(f"'{shown}': no deck '{printable(deck_id, 60)}' is loaded")
        if (deck_id, card_id) not in index:
            raise UnknownCard(f"'{shown}': deck '{deck_id}' has no card '{printable(card_id, 60)}'")
        if (deck_id, card_id) not in out:
            out.append((deck_id, card_id))
    return out


def suspend(store, learner, keys: list[CardKey]) -> int:
    """Suspended cards are never asked until unsuspended; a card never seen gets a row that
    says only that."""
    with store.write() as db:
        return db.conn.executemany(
            """INSERT INTO card_state (learner_id, deck_id, card_id, suspended)
               VALUES (?, ?, ?, 1)
               ON CONFLICT (learner_id, deck_id, card_id) DO UPDATE SET suspended = 1
               WHERE suspended = 0""",
            [(learner.id, d, c) for d, c in keys],
        ).rowcount


def unsuspend(store, learner, keys: list[CardKey]) -> int:
    """Back in study where they were (a leech stays marked a leech, as Anki keeps its tag)."""
    with store.write() as db:
        return db.conn.executemany(
            """UPDATE card_state SET suspended = 0
               WHERE learner_id = ? AND deck_id = ? AND card_id = ? AND suspended != 0""",
            [(learner.id, d, c) for d, c in keys],
        ).rowcount


def unbury(store, learner, keys: list[CardKey], now: datetime | None = None) -> int:
    """Cards buried until later (by hand or as passage siblings) come back now."""
    stamp = iso(now or now_utc())
    with store.write() as db:
        return db.conn.executemany(
            """UPDATE card_state SET buried_until = NULL
               WHERE learner_id = ? AND deck_id = ? AND card_id = ? AND buried_until > ?""",
            [(learner.id, d, c, stamp) for d, c in keys],
        ).rowcount


def reset(store, learner, keys: list[CardKey], now: datetime) -> int:
    """Back to new: the FSRS state, reps, lapses and the leech mark go; the reviews stay, and a
    'reset' review row per card records the state it had (state_before), so stats count
    resets and the card's history shows when. Suspension and burial are kept. A card never
    reviewed is already new: not changed, no row."""
    stamp = iso(now)
    changed = 0
    with store.write() as db:
        for deck_id, card_id in keys:
            before = reviews.read_state(db.conn, learner.id, deck_id, card_id)
            if before.last_review is None and not before.reps:
                continue
            reviews.add_review(
                db,
                reviews.Review(
                    learner.id,
                    deck_id,
                    card_id,
                    mode="reset",
                    reviewed_at=stamp,
                    state_before=reviews.state_before(True, before),
                ),
            )
            if before.suspended or (before.buried_until and before.buried_until > stamp):
                fresh = CardState(buried_until=before.buried_until, suspended=before.suspended)
                reviews.put_state(db, learner.id, deck_id, card_id, fresh)
            else:  # a card without a row is new: the queue's own way of saying so
                reviews.remove_state(db, learner.id, deck_id, card_id)
            changed += 1
    return changed
