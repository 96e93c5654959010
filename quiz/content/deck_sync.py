"""Parsed decks into the store: the decks chosen for a run, and the cards table kept in line."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from quiz.content.articles import ArticlesError, Library
from quiz.content.card_codec import card_json
from quiz.content.catalog import load_catalog, select
from quiz.content.deck import Deck
from quiz.content.library import current_library
from quiz.store.connection import Store
from quiz.store.decks import DeckRows


class DeckChoiceError(Exception):
    """The decks asked for cannot be had (unknown id, missing file, none at all): one line."""


def deck_rows(deck: Deck, library: Library | None = None, *, spans: bool = True) -> DeckRows:
    cards = [(c.id, c.type, c.prompt, c.answer_text(), card_json(c)) for c in deck.cards]
    rows = DeckRows(deck.id, deck.title, deck.description, deck.path, deck.content_hash, cards)
    if spans:
        rows.passages.extend(passages(deck.cards, library))
    return rows


def passages(cards, library: Library | None = None) -> list[tuple[str, str, int, int]]:
    """Where each card's quote sits, (card_id, article, start, end): located once, when its
    deck is synced, for passage siblings (quiz.study.siblings)."""
    library = library or current_library()
    out = []
    for c in cards:
        src = c.source
        span = src and src.article and src.quote and library.body_span(src.article, src.quote)
        if span:
            out.append((c.id, src.article, *span))
    return out


def sync_decks(store: Store, decks: list[Deck], later: list | None = None) -> int:
    """Bring the store's cards in line with `decks`; how many decks changed. Only a deck whose
    content hash moved is encoded (an unchanged deck read from the cache never loads its cards).

    With `later` (the app's start), a deck synced in full gets its cards now and its passage
    spans from a job appended to `later` (locating every quote was a tenth of the first-ever
    start); until that job has run, the deck's row has no content hash, so a quiz stopped in
    between syncs the deck again at its next start."""
    known = store.deck_hashes()
    changed = [d for d in decks if known.get(d.id) != d.content_hash or not d.content_hash]
    if not changed:
        return 0
    full = []
    for deck in changed:
        # An edited file re-read card by card: write the changed cards only, if the store
        # still holds the version they were compared with (else every card, parsed in full).
        delta = getattr(deck.cards, "delta", None)
        if delta is None or known.get(deck.id) != delta.base:
            full.append(deck)
            continue
        head = DeckRows(deck.id, deck.title, deck.description, deck.path, deck.content_hash, [])
        spans = passages(delta.cards)
        if not store.sync_deck_changes(
            head, delta.base, delta.changed, delta.order, moved=delta.moved, passages=spans
        ):
            full.append(deck)
    if full and later is None:
        store.sync_deck_rows([deck_rows(d) for d in full])
    elif full:
        rows = [replace(deck_rows(d, spans=False), content_hash="") for d in full]
        store.sync_deck_rows(rows)
        later.append(partial(_finish_sync, store, full))
    return len(changed)


def _finish_sync(store: Store, decks: list[Deck]) -> None:
    for deck in decks:
        store.finish_deck_sync(deck.id, deck.content_hash, passages(deck.cards))


def choose_decks(
    store: Store, wanted: list[str] | tuple[str, ...] = (), later: list | None = None
) -> list[Deck]:
    """The bundled decks (or those named, by id or path), synced into the store. `later`:
    see load_catalog (the cache's writes, for the caller to run)."""
    paths = [Path(w) for w in wanted if Path(w).suffix in (".yaml", ".yml") or Path(w).is_dir()]
    # Start-up path: files unchanged since the last sync are not parsed again; their cards
    # stay in the store and are read one at a time (bench/RESULTS.md has the figures).
    try:
        catalog = load_catalog(
            [p for p in paths if p.exists()] if paths else None,
            cached=True,
            store=store,
            later=later,
        )
    except ArticlesError as e:  # a broken library index: one line, not a traceback
        raise DeckChoiceError(str(e)) from None
    if catalog.clashes:
        raise DeckChoiceError(str(catalog.clashes[0]))
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise DeckChoiceError(f"{missing[0]}: no such deck file")
    if paths:
        decks = catalog.decks
    else:
        try:
            decks = select(catalog, list(wanted))
        except KeyError as e:
            known = ", ".join(sorted(d.id for d in catalog.decks))
            raise DeckChoiceError(f"unknown deck '{e.args[0]}'; known decks: {known}") from None
    if not decks:
        raise DeckChoiceError(
            "no decks to study" + (f" ({catalog.unreadable[0]})" if catalog.unreadable else "")
        )
    sync_decks(store, decks, later)
    return decks
