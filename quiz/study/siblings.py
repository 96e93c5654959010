"""Passage siblings: cards, in any deck, whose quotes overlap in one article.

Like Anki's "bury siblings": once a learner answers a card, its siblings that would still come
up today are buried until tomorrow, so a learner who studies every deck meets a passage once a
day, not once per deck that asks about it. Each card's span is located when its deck is synced
(card_passages, migration 7); here it is one range of card_passages_span per answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.store.card_state import CardState

# Params :learner, :deck, :card, :day_end. The siblings, live, that would show before the day
# ends: new (never answered), or due today; not suspended, not already buried past today.
SIBLINGS = """
    SELECT s.deck_id, s.card_id, cs.*
    FROM card_passages p
    JOIN card_passages s ON s.article = p.article AND s.start < p."end" AND s."end" > p.start
    JOIN cards c ON c.deck_id = s.deck_id AND c.card_id = s.card_id AND c.removed_at IS NULL
    LEFT JOIN card_state cs ON cs.learner_id = :learner AND cs.deck_id = s.deck_id
      AND cs.card_id = s.card_id
    WHERE p.deck_id = :deck AND p.card_id = :card
      AND NOT (s.deck_id = p.deck_id AND s.card_id = p.card_id)
      AND coalesce(cs.suspended, 0) = 0
      AND (cs.buried_until IS NULL OR cs.buried_until < :day_end)
      AND (cs.last_review IS NULL OR cs.due < :day_end)
"""


@dataclass(frozen=True)
class Sibling:
    deck_id: str
    card_id: str
    existed: bool  # had a card_state row before it was buried
    state: CardState  # its state before

    @property
    def key(self) -> tuple[str, str]:
        return self.deck_id, self.card_id

    @property
    def is_new(self) -> bool:
        return self.state.last_review is None


def siblings_to_bury(conn, learner_id: int, deck_id: str, card_id: str, day_end: str):
    """The card's siblings that answering it buries (see SIBLINGS)."""
    cursor = conn.execute(
        SIBLINGS, {"learner": learner_id, "deck": deck_id, "card": card_id, "day_end": day_end}
    )
    names = [d[0] for d in cursor.description]
    out = []
    for values in cursor:
        row = dict(zip(names[2:], values[2:], strict=True))
        existed = row.get("learner_id") is not None
        out.append(
            Sibling(values[0], values[1], existed, CardState.from_row(row if existed else None))
        )
    return out
