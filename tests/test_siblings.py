"""Passage siblings: two cards citing one passage, in two decks; answering one buries the other
until tomorrow (a learner setting, on by default), and undo brings it back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.deck_sync import sync_decks
from quiz.study.session import StudySession

pytestmark = pytest.mark.siblings
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

CARD = """\
- id: {id}
  type: basic
  prompt: {prompt}
  answer: An answer.
  explanation: Why.
  source:
    article: thorn-in-ties
    quote: "{quote}"
"""
NAMES = (
    "what the Japanese call their Northern Territories"
    " and what the Russians term the Southern Kurils"
)
RUSSIAN = "what the Russians term the Southern Kurils"  # inside NAMES: overlapping
ASEAN = "Japan and Russia are also finding themselves marginalized"  # elsewhere


@pytest.fixture
def two_decks(store, make_deck):
    one = make_deck(
        CARD.format(id="names", prompt="Names?", quote=NAMES)
        + CARD.format(id="asean", prompt="ASEAN?", quote=ASEAN),
        deck_id="one",
    )
    two = make_deck(CARD.format(id="russian", prompt="Russian name?", quote=RUSSIAN), "two")
    sync_decks(store, [one, two])
    return [one, two]


def study(store, learner, decks, now=NOW):
    return StudySession(store, learner, decks, clock=lambda: now)


def answer(s, item, rating=3):
    s.answer(item, s.previews(item)[rating], given=None, correct=None, duration_ms=1000)


def test_answering_buries_a_sibling_in_another_deck_until_tomorrow(store, learner, two_decks):
    s = study(store, learner, two_decks)
    first = s.next_item()
    assert first.card.id == "names"
    answer(s, first)
    row = store.one("SELECT * FROM card_state WHERE deck_id = 'two' AND card_id = 'russian'")
    assert row["buried_until"] > NOW.isoformat() and row["last_review"] is None
    shown = [s.next_item().card.id]
    assert shown == ["asean"]  # not the sibling
    answer(s, s.next_item(), rating=4)
    later = s.next_item(now=NOW + timedelta(minutes=5))
    assert later is None or later.card.id != "russian"
    tomorrow = study(store, learner, two_decks, now=NOW + timedelta(days=1))
    ids = {tomorrow.next_item().card.id}
    assert "russian" in ids or tomorrow.counts()["two"].new == 1


def test_a_sibling_studied_in_its_own_deck_is_buried_too(store, learner, two_decks):
    only_two = study(store, learner, [two_decks[1]])
    assert only_two.counts()["two"].new == 1
    answer(study(store, learner, [two_decks[0]]), study(store, learner, two_decks).next_item())
    assert only_two.next_item() is None
    assert only_two.counts()["two"].new == 0


def test_undo_brings_the_siblings_back(store, learner, two_decks):
    s = study(store, learner, two_decks)
    answer(s, s.next_item())
    assert s.undo().card.id == "names"
    assert store.scalar("SELECT count(*) FROM card_state") == 0
    assert s.next_item().card.id == "names"


def test_the_setting_turns_it_off(store, learner, two_decks, db_path):
    result = CliRunner().invoke(
        cli, ["learners", "set", "ann", "--no-bury-siblings", "--db", str(db_path)], obj={}
    )
    assert result.exit_code == 0, result.output
    learner = store.learner("ann")
    assert learner.bury_siblings is False
    s = study(store, learner, two_decks)
    answer(s, s.next_item())
    assert store.scalar("SELECT count(*) FROM card_state") == 1
    assert study(store, learner, [two_decks[1]]).next_item().card.id == "russian"


def test_remaining_counts_follow_the_buried_siblings(store, learner, two_decks):
    s = study(store, learner, two_decks)
    assert s.remaining() == 3
    answer(s, s.next_item(), rating=4)  # easy: out of today's queue, and its sibling buried
    assert s.remaining() == 1 == sum(c.new + c.learning + c.due for c in s.counts().values())
