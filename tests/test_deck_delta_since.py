"""An edited deck file cut again only between the parts the old and new texts share
(quiz.content.deck_delta._cut_since) gives exactly what cutting the whole new text gives."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest
from test_deck_delta import passages_table

from quiz.content import deck_delta
from quiz.content.articles import bundled_library
from quiz.content.deck import parse_deck_checked
from quiz.content.deck_cache import DeckCache
from quiz.content.deck_sync import sync_decks
from quiz.paths import decks_dir
from quiz.store.connection import Store

SOURCE = decks_dir() / "thorn-in-ties.yaml"
PATH = "decks/thorn-in-ties.yaml"
SNIPPETS = [
    "x",
    "\n",
    " ",
    "  - ",
    "- ",
    "#",
    "    ",
    "\n  - id: brand-new\n    type: basic\n    prompt: P?\n    answer: A\n    explanation: E.\n",
    "\ncards:\n",
    "    prompt: again\n",
    "&a ",
    "é",  # characters of two, three and four bytes; é and è share their first byte
    "è",
    "’",
    "😀",
]


def indexed(text: str):
    data = text.encode()
    result, checker, text = parse_deck_checked(data, PATH, bundled_library())
    digest = hashlib.sha256(data).hexdigest()
    index = deck_delta.build_index(text, digest, checker, result, data)
    assert index is not None
    return index


def mutate(text: str, rnd: random.Random) -> str:
    at = rnd.randrange(len(text) + 1)
    kind = rnd.random()
    if kind < 0.4:
        return text[:at] + rnd.choice(SNIPPETS) + text[at:]
    if kind < 0.7:
        return text[:at] + text[at + rnd.randint(1, 60) :]
    items = text.split("\n  - ")
    i = rnd.randrange(1, len(items))
    if kind < 0.85:  # an item moved, or copied
        moved = items.pop(i) if kind < 0.8 else items[i]
        items.insert(rnd.randrange(1, len(items) + 1), moved)
    else:
        del items[i]
    return "\n  - ".join(items)


def test_the_deck_has_characters_of_several_bytes():
    assert len(SOURCE.read_bytes()) > len(SOURCE.read_text())


def test_a_character_changed_inside_its_bytes():
    base = SOURCE.read_text()
    at = base.index("\n  - ", base.index("\n  - ") + 1) + 20
    index = indexed(base[:at] + "é" + base[at:])
    same(*both(base[:at] + "é" + base[at:], base[:at] + "è" + base[at:], index))
    same(*both(base[:at] + "é" + base[at:], base[:at] + "e" + base[at:], index))


def both(old_text: str, text: str, index: dict):
    library = bundled_library()
    digest = hashlib.sha256(text.encode()).hexdigest()
    data = text.encode()
    whole = deck_delta.reread(text, digest, PATH, index, library, data)
    since = deck_delta.reread(text, digest, PATH, index, library, data, old_text.encode())
    return whole, since


def same(whole, since) -> None:
    assert (whole is None) == (since is None)
    if whole is None:
        return
    (r1, d1, i1), (r2, d2, i2) = whole, since
    assert [str(p) for p in r2.problems] == [str(p) for p in r1.problems]
    assert d2.order == d1.order and d2.base == d1.base
    assert i2 == i1
    # The two may rewrite different cards (the whole cut recognises an unchanged item copied
    # elsewhere, this one parses it again), never a card differently; the store after each
    # is compared in test_random_edits_leave_the_store_as_a_full_sync_does.
    rows = {c[0]: c for c in d1.changed}
    assert all(rows.get(c[0], c) == c for c in d2.changed)


@pytest.mark.parametrize("seed", range(8))
def test_random_edits_cut_since_equals_cut_whole(seed):
    rnd = random.Random(seed)
    base = SOURCE.read_text()
    index = indexed(base)
    for _ in range(60):
        text = base
        for _ in range(rnd.randint(1, 3)):
            text = mutate(text, rnd)
        same(*both(base, text, index))


def test_edits_at_the_edges():
    base = SOURCE.read_text()
    index = indexed(base)
    first = base.index("\n  - ") + 1
    last = base.rindex("\n  - ") + 1
    texts = [
        base[:first] + "  x" + base[first + 3 :],  # the first item's "- " broken
        base[: first + 2] + "-" + base[first + 3 :],
        base[:last] + base[last + 4 :],  # the last item's marker removed
        base[:last] + "#" + base[last:],
        base + "  - id: tail\n",
        base.rstrip("\n"),
        base[:last],  # the last item deleted
        base + "extra: key\n",
        base[:first] + "  - id: new-first\n    type: basic\n" + base[first:],
        base.replace("\n  - ", "\n  -  ", 1),
    ]
    for text in texts:
        same(*both(base, text, index))


@pytest.fixture
def copied(tmp_path, monkeypatch):
    """A copy of a bundled deck in a folder of its own, a store, and a cache dir of its own."""
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / SOURCE.name
    shutil.copyfile(SOURCE, deck_file)
    store = Store(tmp_path / "quiz.db")
    yield deck_file, store
    store.close()


def test_only_the_edited_span_is_cut_and_hashed(copied, tmp_path, monkeypatch):
    """The start after an edit neither cuts the whole text nor hashes every card."""
    deck_file, store = copied
    cache = DeckCache(bundled_library(), store=store)
    sync_decks(store, [cache.read(deck_file).deck])
    deck_file.write_text(SOURCE.read_text().replace("    prompt: ", "    prompt: Edited, ", 1))

    def no_whole_cut(text):
        raise AssertionError("the whole text was cut again")

    hashed = []
    plain_hash = deck_delta._hash
    monkeypatch.setattr(deck_delta, "cut", no_whole_cut)
    monkeypatch.setattr(deck_delta, "_hash", lambda t: hashed.append(t) or plain_hash(t))
    cache = DeckCache(bundled_library(), store=store)
    result = cache.read(deck_file)
    assert (cache.edited, cache.misses) == (1, 0)
    assert len(hashed) <= 2  # the edited card (and its neighbour at most)
    sync_decks(store, [result.deck])
    assert result.deck.cards[0].prompt.startswith("Edited, ")
    store.close()


def test_a_missing_or_truncated_copy_of_the_old_file_is_not_used(copied, tmp_path, monkeypatch):
    deck_file, store = copied
    cuts = []
    plain_cut = deck_delta.cut
    monkeypatch.setattr(deck_delta, "cut", lambda t: cuts.append(1) or plain_cut(t))
    for n, damage in enumerate([lambda p: p.write_bytes(p.read_bytes()[:-10]), Path.unlink]):
        cache = DeckCache(bundled_library(), store=store)
        sync_decks(store, [cache.read(deck_file).deck])
        (copy,) = (tmp_path / "cache" / "decks").glob("*.text")
        damage(copy)
        text = SOURCE.read_text().replace("    prompt: ", f"    prompt: Edited {n}, ", 1)
        deck_file.write_text(text)
        cuts.clear()
        cache = DeckCache(bundled_library(), store=store)
        result = cache.read(deck_file)
        assert cache.edited == 1 and cuts  # the whole text cut again
        assert result.deck.cards[0].prompt.startswith(f"Edited {n}, ")
        sync_decks(store, [result.deck])
    store.close()


def test_one_copy_of_the_old_file_is_kept(copied, tmp_path, monkeypatch):
    deck_file, store = copied
    for n in range(3):
        cache = DeckCache(bundled_library(), store=store)
        result = cache.read(deck_file)
        sync_decks(store, [result.deck])
        (copy,) = (tmp_path / "cache" / "decks").glob("*.text")
        assert copy.read_bytes() == deck_file.read_bytes()
        deck_file.write_text(SOURCE.read_text().replace("    prompt: ", f"    prompt: {n} ", 1))
    store.close()


def cards_table(store: Store, deck_id: str):
    return store.conn.execute(
        "SELECT card_id, position, type, prompt, answer, data FROM cards "
        "WHERE deck_id = ? AND removed_at IS NULL ORDER BY card_id",
        [deck_id],
    ).fetchall()


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_leave_the_store_as_a_full_sync_does(tmp_path, monkeypatch, seed):
    from quiz.content.catalog import load_catalog

    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    rnd = random.Random(seed)
    base = SOURCE.read_text()
    folder = tmp_path / "decks"
    folder.mkdir()
    deck_file = folder / SOURCE.name
    for n in range(8):
        deck_file.write_text(base)
        store = Store(tmp_path / f"quiz{n}.db")
        sync_decks(store, load_catalog([folder], cached=True, store=store).decks)
        text = base
        for _ in range(rnd.randint(1, 3)):
            text = mutate(text, rnd)
        deck_file.write_text(text)
        cache = DeckCache(bundled_library(), store=store)
        result = cache.read(deck_file)
        if result.deck is None:
            continue
        sync_decks(store, [result.deck])
        reference = Store(tmp_path / f"ref{n}.db")
        sync_decks(reference, load_catalog([folder]).decks)
        deck_id = result.deck.id
        assert cards_table(store, deck_id) == cards_table(reference, deck_id)
        assert passages_table(store, deck_id) == passages_table(reference, deck_id)
        store.close()
        reference.close()
