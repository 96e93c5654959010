"""Decks whose cards stay in the store until a card is needed.

When a deck file is byte-for-byte what the store last synced (same sha256 as decks.content_hash),
the store already holds every card of it: parsing the YAML again would only rebuild the same
cards, which for 100,000 cards costs seconds of start-up and well over 100 MB of memory. A
stored deck has the deck's fields and a `cards` sequence that reads the store lazily: one card
by id when the study queue asks for it, all of them only if someone walks the whole deck.

Reads go through their own short-lived SQLite connections (read-only, per thread), so a stored
deck can be used from a worker thread and never joins the app's write transactions.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from quiz.content.card_codec import card_from_json
from quiz.content.deck import Card, Deck

_LOCAL = threading.local()


def _connection(db_path: str) -> sqlite3.Connection:
    """One read-only connection per database and thread, shared by all its stored decks."""
    conns = getattr(_LOCAL, "conns", None)
    if conns is None:
        conns = _LOCAL.conns = {}
    conn = conns.get(db_path)
    if conn is None:
        conn = sqlite3.connect(Path(db_path).as_uri() + "?mode=ro", uri=True, timeout=60)
        conns[db_path] = conn
    return conn


class StoredCards(Sequence):
    """A deck's live cards, in deck order, read from the store on demand."""

    def __init__(self, db_path: Path | str, deck_id: str):
        self.db_path = str(Path(db_path).resolve())
        self.deck_id = deck_id
        self._all: tuple[Card, ...] | None = None
        self._len: int | None = None

    def _conn(self) -> sqlite3.Connection:
        return _connection(self.db_path)

    def get_card(self, card_id: str) -> Card | None:
        """One live card by id (what the study queue needs), without loading the deck."""
        if self._all is not None:
            return next((c for c in self._all if c.id == card_id), None)
        row = (
            self._conn()
            .execute(
                "SELECT data FROM cards WHERE deck_id = ? AND card_id = ? AND removed_at IS NULL",
                [self.deck_id, card_id],
            )
            .fetchone()
        )
        return card_from_json(row[0]) if row else None

    def _load(self) -> tuple[Card, ...]:
        if self._all is None:
            rows = (
                self._conn()
                .execute(
                    "SELECT data FROM cards WHERE deck_id = ? AND removed_at IS NULL "
                    "ORDER BY position",
                    [self.deck_id],
                )
                .fetchall()
            )
            self._all = tuple(card_from_json(r[0]) for r in rows)
            self._len = len(self._all)
        return self._all

    def __len__(self) -> int:
        if self._len is None:
            self._len = (
                self._conn()
                .execute(
                    "SELECT count(*) FROM cards WHERE deck_id = ? AND removed_at IS NULL",
                    [self.deck_id],
                )
                .fetchone()[0]
            )
        return self._len

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self):
        return iter(self._load())

    def __eq__(self, other) -> bool:
        if isinstance(other, StoredCards):
            other = other._load()
        return isinstance(other, (tuple, list)) and self._load() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return f"StoredCards({self.deck_id!r}, {len(self)} cards)"


class EditedCards(StoredCards):
    """The cards of a deck file edited since the store's last sync, re-read card by card
    (quiz.content.deck_delta): once sync_decks has written the changed cards they are read
    from the store like a stored deck's; if anything reads them before that (or the sync did
    not happen), the file is parsed in full instead, so they are never stale."""

    def __init__(self, db_path: Path | str, deck_id: str, digest: str, path: str, delta, reparse):
        super().__init__(db_path, deck_id)
        self.digest = digest
        self.path = path
        self.delta = delta  # what the store must change (deck_sync writes it)
        self._reparse = reparse  # () -> the cards of a full parse

    def _synced(self) -> bool:
        row = (
            self._conn()
            .execute("SELECT content_hash FROM decks WHERE id = ?", [self.deck_id])
            .fetchone()
        )
        return row is not None and row[0] == self.digest

    def _ready(self) -> None:
        if self._all is None and self.delta is not None:
            if not self._synced():
                self._all = tuple(self._reparse())
                self._len = len(self._all)
            self.delta = None

    def get_card(self, card_id: str) -> Card | None:
        self._ready()
        return super().get_card(card_id)

    def _load(self) -> tuple[Card, ...]:
        self._ready()
        return super()._load()

    def __len__(self) -> int:
        self._ready()
        return super().__len__()


def stored_deck(row: Mapping, db_path: Path | str, path: str) -> Deck:
    """A Deck for a decks row whose file is unchanged; `path` is where the file is now."""
    return Deck(
        row["id"],
        row["title"],
        row["description"] or "",
        deck_articles(path),
        StoredCards(db_path, row["id"]),
        path,
        row["content_hash"],
    )


_CARDS_KEY = re.compile(r"^cards[ \t]*:", re.MULTILINE)


def deck_articles(path: str) -> tuple[str, ...]:
    """deck.articles of a deck file (the store does not keep them; the catalog orders decks by
    them), read from the file's head: the `deck:` mapping comes before the cards, so the
    cards are not parsed. A file laid out otherwise is parsed whole."""
    from quiz.content import yamlfile

    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
        text = (
            yamlfile.decode(head) if len(head) < 64 * 1024 else head.decode("utf-8-sig", "replace")
        )
        cut = _CARDS_KEY.search(text)
        doc = yamlfile.load(text[: cut.start()]) if cut else None
        if not (isinstance(doc, dict) and isinstance(doc.get("deck"), dict)):
            with open(path, "rb") as f:
                doc = yamlfile.load(yamlfile.decode(f.read(yamlfile.MAX_BYTES)))
        articles = doc["deck"].get("articles") or []
        return tuple(str(a) for a in articles) if isinstance(articles, list) else ()
    except (OSError, yamlfile.YamlError, KeyError, TypeError, AttributeError):
        return ()


class CardIndex(Mapping):
    """(deck id, card id) -> Card over some decks, built lazily: a stored deck is asked for the
    one card, any other deck is indexed (once) the first time one of its cards is wanted."""

    def __init__(self, decks):
        self._decks = {d.id: d for d in decks}
        self._maps: dict[str, dict[str, Card]] = {}

    def get(self, key, default=None):
        deck_id, card_id = key
        deck = self._decks.get(deck_id)
        if deck is None:
            return default
        lookup = getattr(deck.cards, "get_card", None)
        if lookup is not None:
            card = lookup(card_id)
            return default if card is None else card
        cards = self._maps.get(deck_id)
        if cards is None:
            cards = self._maps[deck_id] = {c.id: c for c in deck.cards}
        return cards.get(card_id, default)

    def __getitem__(self, key) -> Card:
        card = self.get(key)
        if card is None:
            raise KeyError(key)
        return card

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self):
        for deck in self._decks.values():
            for card in deck.cards:
                yield (deck.id, card.id)

    def __len__(self) -> int:
        return sum(len(d.cards) for d in self._decks.values())
