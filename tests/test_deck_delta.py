"""An edited deck file re-read card by card (quiz.content.deck_delta) must leave the store and
the problems exactly as a full parse and a full sync of the same file do, whatever the edit."""

from __future__ import annotations

import shutil

import pytest

from quiz.content.catalog import load_catalog
from quiz.content.deck_cache import DeckCache
from quiz.content.deck_sync import sync_decks
from quiz.paths import decks_dir
from quiz.store.connection import Store

SOURCE = decks_dir() / "thorn-in-ties.yaml"


def cards_table(store: Store, deck_id: str):
    return store.conn.execute(
        "SELECT card_id, position, type, prompt, answer, data, removed_at IS NULL FROM cards "
        "WHERE deck_id = ? ORDER BY card_id",
        [deck_id],
    ).fetchall()


def passages_table(store: Store, deck_id: str):
    return store.conn.execute(
        'SELECT card_id, article, start, "end" FROM card_passages WHERE deck_id = ? '
        "ORDER BY card_id",
        [deck_id],
    ).fetchall()


def start(store: Store, folder):
    """What quiz.cli.launch does: load through the caches, then sync."""
    catalog = load_catalog([folder], cached=True, store=store)
    sync_decks(store, catalog.decks)
    return catalog


def first_id(text: str, n: int = 0) -> str:
    return text.split("  - id: ")[n + 1].split("\n", 1)[0]


def edits(text: str):
    a, b = first_id(text, 0), first_id(text, 1)
    yield "prompt edited", text.replace("    prompt: ", "    prompt: Edited, ", 1)
    yield "card removed", text.replace(f"  - id: {b}\n", "  - id: zz-gone\n    bogus: 1\n", 1)
    chunk = "  - id: " + text.split("  - id: ")[1]
    yield "card added at the end", text + "\n" + chunk.replace(f"id: {a}", "id: brand-new-card")
    yield "duplicate id", text + "\n" + chunk
    yield (
        "first card deleted (its duplicate takes over)",
        (
            (text + "\n" + chunk.replace("    prompt: ", "    prompt: Other ", 1)).replace(
                chunk, "", 1
            )
        ),
    )
    yield "cards swapped", text.replace(chunk, "", 1) + "\n" + chunk
    yield "an error", text.replace("    type: ", "    type: nonsense-", 1)
    yield "a comment between cards", text.replace(f"  - id: {b}\n", f"  # note\n  - id: {b}\n", 1)
    yield "header edited (full parse)", text.replace("title: ", "title: New ", 1)
    yield "an anchor (full parse)", text.replace("    prompt: ", "    prompt: &p ", 1)
    quote = text.split("      quote: ", 2)[1].split("\n", 1)[0]
    yield "a quote shortened", text.replace(quote, quote[:-12] + quote[-1], 1)


@pytest.mark.parametrize("name", [name for name, _ in edits(SOURCE.read_text())])
def test_edit_matches_a_full_parse_and_sync(tmp_path, monkeypatch, name):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / SOURCE.name
    shutil.copyfile(SOURCE, deck_file)
    store = Store(tmp_path / "quiz.db")
    start(store, folder)  # the previous start: full parse, index written
    edited = dict(edits(SOURCE.read_text()))[name]
    deck_file.write_text(edited)
    catalog = start(store, folder)

    reference = Store(tmp_path / "fresh.db")
    full = load_catalog([folder])
    sync_decks(reference, full.decks)
    assert [str(p) for p in catalog.problems] == [str(p) for p in full.problems]
    if full.decks:
        deck_id = full.decks[0].id
        live = [row for row in cards_table(reference, deck_id) if row[-1]]
        assert [row for row in cards_table(store, deck_id) if row[-1]] == live
        assert passages_table(store, deck_id) == passages_table(reference, deck_id)

        def unlined(cards):  # cards read from the store do not keep their YAML line
            return [c.__class__(**{**c.__dict__, "line": 0}) for c in cards]

        assert unlined(catalog.decks[0].cards) == unlined(full.decks[0].cards)
    store.close()
    reference.close()


def test_an_edit_parses_only_the_changed_card(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / SOURCE.name
    shutil.copyfile(SOURCE, deck_file)
    store = Store(tmp_path / "quiz.db")
    start(store, folder)
    deck_file.write_text(SOURCE.read_text().replace("    prompt: ", "    prompt: Edited, ", 1))
    from quiz.content.articles import bundled_library

    cache = DeckCache(bundled_library(), store=store)
    result = cache.read(deck_file)
    assert (cache.edited, cache.misses) == (1, 0)
    sync_decks(store, [result.deck])
    assert store.deck_hashes()[result.deck.id] == result.deck.content_hash
    assert result.deck.cards[0].prompt.startswith("Edited, ")
    store.close()


def test_cards_read_before_the_sync_are_the_new_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / SOURCE.name
    shutil.copyfile(SOURCE, deck_file)
    store = Store(tmp_path / "quiz.db")
    start(store, folder)
    deck_file.write_text(SOURCE.read_text().replace("    prompt: ", "    prompt: Edited, ", 1))
    catalog = load_catalog([folder], cached=True, store=store)  # no sync
    assert catalog.decks[0].cards[0].prompt.startswith("Edited, ")
    store.close()
