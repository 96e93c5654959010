"""Shared fixtures: a fresh store on disk, the bundled decks, a learner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quiz.content.articles import bundled_library
from quiz.content.catalog import load_catalog
from quiz.content.deck import parse_deck
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store


@pytest.fixture(scope="session")
def library():
    return bundled_library()


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quiz.db"


@pytest.fixture
def store(db_path, catalog):
    s = Store(db_path)
    sync_decks(s, catalog.decks)
    yield s
    s.close()


@pytest.fixture
def learner(store):
    return store.learner("ann")


QUOTE = (
    "what the Japanese call their Northern Territories and what the Russians term the "
    "Southern Kurils"
)


@pytest.fixture
def make_deck(library):
    """Build a Deck from YAML card snippets; every card cites a real quote unless it says not."""

    def make(cards_yaml: str, deck_id: str = "mini"):
        text = textwrap.dedent(f"""\
            deck:
              id: {deck_id}
              title: Mini deck
              articles: [thorn-in-ties]
            cards:
            """) + textwrap.indent(textwrap.dedent(cards_yaml), "  ")
        result = parse_deck(text.encode(), f"{deck_id}.yaml", library)
        assert not result.errors, [str(p) for p in result.errors]
        return result.deck

    return make
