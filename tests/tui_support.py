"""Helpers shared by the TUI tests (test_tui_*.py): a fixed clock, small decks, the app."""

from __future__ import annotations

from datetime import UTC, datetime

from quiz.content.deck_sync import sync_decks
from quiz.store.card_state import CardState
from quiz.tui.app import QuizApp

NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
QUOTE = (
    "what the Japanese call their Northern Territories and what the Russians term the "
    "Southern Kurils"
)
SOURCE = f"""  source:
    article: thorn-in-ties
    quote: "{QUOTE}"
"""


def card(
    cid: str,
    ctype: str,
    prompt: str,
    extra: str = "",
    explanation: str = "The Diplomat names both terms side by side.",
) -> str:
    """One card as deck YAML (for the conftest make_deck fixture)."""
    return (
        f"- id: {cid}\n  type: {ctype}\n  prompt: {prompt}\n{extra}"
        f"  explanation: {explanation}\n{SOURCE}"
    )


TYPED = card(
    "typed-name",
    "typed",
    "What do the Japanese call the disputed islands?",
    "  answer: The Northern Territories\n",
)
CLOZE = card(
    "cloze-names",
    "cloze",
    '"Japan says {{Northern Territories}}; Russia says {{Southern Kurils|South Kurils}}."',
)
MCQ = card(
    "mcq-russian-name",
    "mcq",
    "What do the Russians call the islands?",
    "  choices: [Southern Kurils, Northern Territories, Sakhalin, Hokkaido]\n"
    "  answer: Southern Kurils\n",
)
TRUEFALSE = card(
    "tf-japanese-name",
    "truefalse",
    "The Japanese call the islands the Southern Kurils.",
    "  answer: false\n",
)
BASIC = card(
    "basic-two-names",
    "basic",
    "Name both terms for the disputed islands.",
    "  answer: Northern Territories (Japan) and Southern Kurils (Russia)\n",
)


def make_app(store, learner, decks, *, start: str = "study", **kwargs) -> QuizApp:
    sync_decks(store, decks)
    return QuizApp(store, learner, decks, start=start, clock=lambda: NOW, **kwargs)


def in_review(lapses: int = 0) -> CardState:
    """A card in review, last seen eleven days before NOW and due half an hour before it."""
    return CardState(
        state=2,
        step=None,
        stability=5.0,
        difficulty=6.0,
        due="2025-03-03T09:00:00.000000Z",
        last_review="2025-02-20T09:00:00.000000Z",
        first_review="2025-01-01T09:00:00.000000Z",
        reps=lapses + 3,
        lapses=lapses,
    )


def reviews(store) -> list[dict]:
    return list(store.db.query("SELECT * FROM reviews ORDER BY id"))


def state(store, learner, card_id: str) -> dict | None:
    return store.one(
        "SELECT * FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, card_id]
    )
