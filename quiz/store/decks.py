"""The decks and cards tables: what the store knows of the decks, kept in line with them.

The store takes decks as plain rows (DeckRows), so it never imports the content package that
parses them; quiz.content.deck_sync turns parsed decks into these rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from quiz.store.times import iso, now_utc

_UPSERT_CARD = """INSERT INTO cards (deck_id, card_id, position, type, prompt, answer, data,
      removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT(deck_id, card_id) DO UPDATE SET position=excluded.position, type=excluded.type,
      prompt=excluded.prompt, answer=excluded.answer, data=excluded.data, removed_at=NULL"""

_INSERT_PASSAGE = (
    'INSERT OR REPLACE INTO card_passages (deck_id, card_id, article, start, "end") '
    "VALUES (?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class DeckRows:
    """One deck as the decks and cards tables hold it; cards are
    (card_id, type, prompt, answer, data JSON) in deck order."""

    id: str
    title: str
    description: str
    path: str
    content_hash: str
    cards: list[tuple[str, str, str, str, str]]
    # Where each card's quote sits: (card_id, article, start, end) in the article's text.
    passages: list[tuple[str, str, int, int]] = field(default_factory=list)


class DeckTable:
    """Store's deck queries (a mixin of Store)."""

    def deck_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, content_hash FROM decks").fetchall())

    def sync_deck_rows(self, decks: list[DeckRows]) -> int:
        """Bring the cards table in line with the decks; returns how many decks changed.

        Cards are keyed by (deck id, card id): editing a card's text keeps its progress, and a
        card removed from its deck is only marked removed, so its history stays reportable."""
        known = self.deck_hashes()
        changed = [d for d in decks if known.get(d.id) != d.content_hash or not d.content_hash]
        if not changed:
            return 0
        stamp = iso(now_utc())
        with self.write(derived=True) as db:  # made again from the files if lost
            for deck in changed:
                db.execute(
                    """INSERT INTO decks (id, title, description, path, content_hash, synced_at)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(id) DO UPDATE SET title=excluded.title,
                         description=excluded.description, path=excluded.path,
                         content_hash=excluded.content_hash, synced_at=excluded.synced_at""",
                    [deck.id, deck.title, deck.description, deck.path, deck.content_hash, stamp],
                )
                db.conn.executemany(
                    _UPSERT_CARD,
                    [(deck.id, card_id, i, *rest) for i, (card_id, *rest) in enumerate(deck.cards)],
                )
                db.execute("DELETE FROM card_passages WHERE deck_id = ?", [deck.id])
                db.conn.executemany(
                    _INSERT_PASSAGE,
                    [(deck.id, *p) for p in deck.passages],
                )
                keep = [card[0] for card in deck.cards]
                db.execute(
                    "UPDATE cards SET removed_at = ? WHERE deck_id = ? AND removed_at IS NULL "
                    "AND card_id NOT IN (SELECT value FROM json_each(?))",
                    [stamp, deck.id, json.dumps(keep)],
                )
        return len(changed)

    def sync_deck_changes(
        self,
        deck: DeckRows,
        base_hash: str,
        changed: list[tuple[str, str, str, str, str]],
        order: list[str],
        *,
        moved: bool = True,
        passages: list[tuple[str, str, int, int]] = (),
    ) -> bool:
        """Bring one deck from the version `base_hash` to `deck.content_hash` writing only what
        moved: the `changed` cards (card_id, type, prompt, answer, data), the positions of
        cards now elsewhere in `order` (every live card id, in deck order), and cards no
        longer in it marked removed. `moved=False` says `order` is the base version's own
        (same cards in the same places): then only the changed cards are written, without
        reading the deck's positions. `passages`: the changed cards' quote spans (card_id,
        article, start, end); a changed or removed card's old span goes. False (nothing
        written) if the store no longer holds `base_hash` for the deck: the caller syncs
        every card instead."""
        stamp = iso(now_utc())
        with self.write(derived=True) as db:
            current = db.execute(
                "SELECT content_hash FROM decks WHERE id = ?", [deck.id]
            ).fetchone()
            if current is None or current[0] != base_hash:
                return False
            db.execute(
                "UPDATE decks SET title = ?, description = ?, path = ?, content_hash = ?, "
                "synced_at = ? WHERE id = ?",
                [deck.title, deck.description, deck.path, deck.content_hash, stamp, deck.id],
            )
            self._replace_passages(db, deck.id, [c[0] for c in changed], passages)
            if not moved:
                at = {card_id: order.index(card_id) for card_id, *_ in changed}
                db.conn.executemany(
                    _UPSERT_CARD,
                    [(deck.id, card_id, at[card_id], *rest) for card_id, *rest in changed],
                )
                return True
            where = dict(
                db.execute(
                    "SELECT card_id, position FROM cards WHERE deck_id = ? AND removed_at IS NULL",
                    [deck.id],
                ).fetchall()
            )
            position = {card_id: i for i, card_id in enumerate(order)}
            db.conn.executemany(
                _UPSERT_CARD,
                [(deck.id, card_id, position[card_id], *rest) for card_id, *rest in changed],
            )
            written = {row[0] for row in changed}
            db.conn.executemany(
                "UPDATE cards SET position = ? WHERE deck_id = ? AND card_id = ?",
                [
                    (i, deck.id, card_id)
                    for i, card_id in enumerate(order)
                    if card_id not in written and where.get(card_id) != i
                ],
            )
            gone = [card_id for card_id in where if card_id not in position]
            db.conn.executemany(
                "UPDATE cards SET removed_at = ? WHERE deck_id = ? AND card_id = ?",
                [(stamp, deck.id, card_id) for card_id in gone],
            )
            self._replace_passages(db, deck.id, gone, [])
        return True

    @staticmethod
    def _replace_passages(db, deck_id: str, card_ids: list[str], passages) -> None:
        db.conn.executemany(
            "DELETE FROM card_passages WHERE deck_id = ? AND card_id = ?",
            [(deck_id, card_id) for card_id in card_ids],
        )
        db.conn.executemany(
            _INSERT_PASSAGE,
            [(deck_id, *p) for p in passages],
        )

    def finish_deck_sync(
        self, deck_id: str, content_hash: str, passages: list[tuple[str, str, int, int]]
    ) -> bool:
        """The second half of a deck synced in two (quiz.content.deck_sync): its passage spans
        and its content hash, if its row still waits for them (no hash: nobody synced it in
        full meanwhile). Whether it wrote."""
        with self.write() as db:
            row = db.execute("SELECT content_hash FROM decks WHERE id = ?", [deck_id]).fetchone()
            if row is None or row[0] != "":
                return False
            db.execute("DELETE FROM card_passages WHERE deck_id = ?", [deck_id])
            db.conn.executemany(
                _INSERT_PASSAGE,
                [(deck_id, *p) for p in passages],
            )
            db.execute("UPDATE decks SET content_hash = ? WHERE id = ?", [content_hash, deck_id])
        return True

    def deck_rows(self) -> list[dict]:
        return list(self.rows("SELECT * FROM decks ORDER BY title"))
