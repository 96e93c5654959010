"""The start-up path: the JSON parse cache (quiz.deck_cache) and stored decks (quiz.stored_deck).

Both must give exactly what parsing gives, never trust a damaged or planted cache, and never be
used by `quiz lint` (load_catalog without flags)."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from quiz.content import deck_cache
from quiz.content.card_codec import card_json
from quiz.content.catalog import load_catalog
from quiz.content.deck_cache import DeckCache
from quiz.content.deck_sync import sync_decks
from quiz.content.stored_deck import CardIndex, StoredCards
from quiz.paths import decks_dir
from quiz.store.connection import Store
from quiz.study.session import StudySession

BAD_DECK = """\
deck:
  id: half-bad
  title: Half bad
  articles: [thorn-in-ties]
cards:
  - id: fine
    type: truefalse
    prompt: The Japanese call the islands their Northern Territories.
    answer: true
    explanation: The article says so.
    source:
      article: thorn-in-ties
      quote: "what the Japanese call their Northern Territories"
  - id: broken
    type: mcq
    prompt: Which?
    answer: X
    choices: [A, B]
    explanation: No.
    source:
      article: thorn-in-ties
      quote: "what the Japanese call their Northern Territories"
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(folder))
    return folder / "decks"


@pytest.fixture
def decks(tmp_path):
    """A copy of the bundled decks plus one with a broken card, in a folder we may edit."""
    folder = tmp_path / "decks"
    shutil.copytree(decks_dir(), folder)
    (folder / "half-bad.yaml").write_text(BAD_DECK)
    return folder


def summary(catalog):
    return (
        [
            (d.id, d.title, d.description, d.articles, d.path, d.content_hash, d.cards)
            for d in catalog.decks
        ],
        [str(p) for p in catalog.problems],
        catalog.unreadable,
    )


def test_cache_gives_what_parsing_gives(decks, cache_dir):
    parsed = load_catalog([decks])
    assert not cache_dir.exists()  # lint's path never writes the cache
    first = load_catalog([decks], cached=True)  # misses: parses and writes
    entries = sorted(cache_dir.glob("*.json"))
    assert len(entries) == len(list(decks.glob("*.yaml")))
    second = load_catalog([decks], cached=True)  # hits
    assert summary(first) == summary(parsed) == summary(second)
    assert any("half-bad" in line for line in summary(second)[1])  # problems come back too


def test_hits_and_misses(decks, cache_dir, library):
    files = sorted(decks.glob("*.yaml"))
    cache = DeckCache(library)
    for path in files:
        cache.read(path)
    assert (cache.hits, cache.misses) == (0, len(files))
    cache = DeckCache(library)
    for path in files:
        cache.read(path)
    assert (cache.hits, cache.misses) == (len(files), 0)


def test_changed_file_is_parsed_again(decks, cache_dir):
    load_catalog([decks], cached=True)
    target = decks / "half-bad.yaml"
    target.write_text(BAD_DECK.replace("Half bad", "Half good"))  # same size, new content
    again = load_catalog([decks], cached=True)
    assert again.by_id()["half-bad"].title == "Half good"
    assert summary(again) == summary(load_catalog([decks]))


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{",
        b"\x00\xff garbage",
        b"[]",
        b'{"format": "quiz-deck-cache"}',
        pickle.dumps({"format": "quiz-deck-cache"}),
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(decks, cache_dir, damage):
    expected = summary(load_catalog([decks]))
    load_catalog([decks], cached=True)
    for entry in cache_dir.glob("*.json"):
        entry.write_bytes(damage)
    assert summary(load_catalog([decks], cached=True)) == expected
    for entry in cache_dir.glob("*.json"):  # rewritten whole
        assert json.loads(entry.read_bytes())["format"] == "quiz-deck-cache"


def test_wrong_types_in_a_valid_entry_are_a_miss(decks, cache_dir):
    expected = summary(load_catalog([decks]))
    load_catalog([decks], cached=True)
    for entry in cache_dir.glob("*.json"):
        doc = json.loads(entry.read_text())
        if doc["deck"] and doc["deck"]["cards"]:
            doc["deck"]["cards"][0][2] = {"not": "a prompt"}
        doc["problems"].append(["1", "line is not a number", None, False])
        entry.write_text(json.dumps(doc))
    assert summary(load_catalog([decks], cached=True)) == expected


def test_other_articles_are_a_miss(decks, cache_dir, library):
    from dataclasses import replace

    load_catalog([decks], cached=True)
    article = library.get("thorn-in-ties")
    other = replace(
        library, articles={**library.articles, article.id: replace(article, text="nothing here")}
    )
    result = load_catalog([decks / "half-bad.yaml"], other, cached=True)
    assert any("quote not found" in str(p) for p in result.problems)


def test_unwritable_cache_still_loads(decks, tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(blocker))
    assert summary(load_catalog([decks], cached=True)) == summary(load_catalog([decks]))


def test_unreadable_files_are_reported_as_lint_does(tmp_path, cache_dir):
    (tmp_path / "folder.yaml").mkdir()
    targets = [tmp_path / "folder.yaml", tmp_path / "missing.yaml"]
    assert load_catalog(targets, cached=True).unreadable == load_catalog(targets).unreadable


def test_fingerprint_covers_the_parser():
    assert {"deck.py", "yamlfile.py", "articles.py"} <= set(deck_cache._PARSER_MODULES)


# -- stored decks ----------------------------------------------------------------------------


@pytest.fixture
def synced(decks, db_path, cache_dir):
    store = Store(db_path)
    sync_decks(store, load_catalog([decks]).decks)
    yield store
    store.close()


def test_unchanged_decks_are_not_parsed(decks, synced, monkeypatch, library):
    from quiz.content import deck_cache as dc

    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed an unchanged deck")

    monkeypatch.setattr(dc, "parse_deck", no_parse)
    cache = DeckCache(library, store=synced)
    files = sorted(decks.glob("*.yaml"))
    for path in files:
        result = cache.read(path)
        assert isinstance(result.deck.cards, StoredCards)
    assert cache.stored == len(files)


def test_stored_decks_hold_the_same_cards(decks, synced):
    parsed = load_catalog([decks]).by_id()
    stored = load_catalog([decks], cached=True, store=synced).by_id()
    assert list(stored) == list(parsed)  # the same decks in the same (study) order
    for deck_id, deck in stored.items():
        want = parsed[deck_id]
        assert (deck.title, deck.description, deck.articles, deck.path, deck.content_hash) == (
            want.title,
            want.description,
            want.articles,
            want.path,
            want.content_hash,
        )
        assert len(deck.cards) == len(want.cards)
        assert [card_json(c) for c in deck.cards] == [card_json(c) for c in want.cards]
        first = want.cards[0]
        assert card_json(deck.cards.get_card(first.id)) == card_json(first)
        assert deck.cards.get_card("no-such-card") is None


def test_a_changed_deck_is_parsed_and_synced(decks, synced):
    (decks / "half-bad.yaml").write_text(BAD_DECK.replace("Half bad", "Half changed"))
    decks_now = load_catalog([decks], cached=True, store=synced).by_id()
    changed = decks_now["half-bad"]
    assert not isinstance(changed.cards, StoredCards) and changed.title == "Half changed"
    assert sync_decks(synced, list(decks_now.values())) == 1  # only the edited deck


def test_study_session_on_stored_decks(decks, synced):
    decks_now = load_catalog([decks], cached=True, store=synced).decks
    learner = synced.learner("ann")
    session = StudySession(synced, learner, decks_now)
    item = session.next_item()
    assert item is not None and item.card.id
    preview = session.previews(item)[3]
    session.answer(item, preview, given=None, correct=None, duration_ms=1000)
    assert session.undo().card.id == item.card.id
    parsed = StudySession(synced, learner, load_catalog([decks]).decks)
    assert session.counts() == parsed.counts()


def test_card_index_is_lazy_and_complete(decks, synced):
    decks_now = load_catalog([decks], cached=True, store=synced).decks
    index = CardIndex(decks_now)
    some = decks_now[0]
    card_id = some.cards[0].id
    assert index[(some.id, card_id)].id == card_id
    assert (some.id, "missing") not in index and index.get(("no-deck", "x")) is None
    assert len(index) == sum(len(d.cards) for d in decks_now) == len(list(index))


def test_unchanged_files_are_not_even_read(decks, synced, monkeypatch):
    from quiz.content import deck_cache as dc

    load_catalog([decks], cached=True, store=synced)  # learns each file's stat and hash
    monkeypatch.setattr(dc, "_read_regular", lambda path: pytest.fail(f"read {path}"))
    again = load_catalog([decks], cached=True, store=synced)
    assert all(isinstance(d.cards, StoredCards) for d in again.decks)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(decks, synced):
    import os

    load_catalog([decks], cached=True, store=synced)
    target = decks / "half-bad.yaml"
    before = target.stat()
    target.write_text(BAD_DECK.replace("Half bad", "Half good"))  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back; ctime moved
    assert load_catalog([decks], cached=True, store=synced).by_id()["half-bad"].title == "Half good"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"[",
        b'{"format": "quiz-deck-cache", "version": 1, "files": []}',
        b'{"format": "quiz-deck-cache", "version": 1, "files": {"x": 1}}',
    ],
)
def test_damaged_file_index_is_ignored(decks, synced, cache_dir, damage):
    expected = summary(load_catalog([decks], cached=True, store=synced))
    (cache_dir / deck_cache.STAT_INDEX).write_bytes(damage)
    assert summary(load_catalog([decks], cached=True, store=synced)) == expected
