"""Shared fixtures: a fresh store on disk, the bundled decks, a learner."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

# The tests never see the user's own library (quiz/content/library.py): an empty one unless a
# test sets QUIZ_LIBRARY itself. Set before any deck is loaded.
os.environ["QUIZ_LIBRARY"] = str(
    Path(tempfile.gettempdir()) / f"quiz-tests-no-library-{os.getpid()}"
)

from quiz.content.articles import bundled_library  # noqa: E402
from quiz.content.catalog import load_catalog  # noqa: E402
from quiz.content.deck import parse_deck  # noqa: E402
from quiz.content.deck_sync import sync_decks  # noqa: E402
from quiz.store.connection import Store  # noqa: E402


@pytest.fixture(autouse=True)
def no_passage_siblings(request, monkeypatch):
    """Most tests walk the bundled decks card by card, where a card's passage sibling would be
    buried by the answer before it: they study without sibling burying. Tests of it (and any
    test marked `siblings`) keep it on, as every learner has it by default."""
    if request.node.get_closest_marker("siblings") is None:
        from quiz.study.session import StudySession

        monkeypatch.setattr(StudySession, "_bury_siblings", lambda self, db, item, day_end: [])


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
