"""The indexed pair rules (quiz.content.item_pairs) against their pair-by-pair definition: the
same warnings, naming the same card, on random decks whose cards all cite one paragraph; a pair
only the index can reach still flagged; and a deck of thousands of cards of one paragraph checked
without comparing every pair."""

from __future__ import annotations

import random

import pytest

from quiz.content import item_pairs
from quiz.content.articles import fold
from quiz.content.deck import BLANK_RE, Card, Source
from quiz.content.item_text import Item, words

ARTICLE = "thorn-in-ties"
VOCAB = (
    "northern territories kurils russia japan islands treaty moscow tokyo dispute summit "
    "leaders prestige energy china alliance sanctions fishing habomai shikotan etorofu"
).split()


def reference_same(items: list[Item]) -> list[tuple[str, str]]:
    """same-question as first written: every earlier card of the paragraph, in deck order."""
    out, earlier = [], {}
    for it in items:
        if it.paragraph is None:
            continue
        group = earlier.setdefault(it.paragraph, [])
        for first in group:
            same_answer = any(
                fold(a).lower() == fold(b).lower() for a in it.answers for b in first.answers
            )
            a, b = set(it.asks), set(first.asks)
            shared = len(a & b)
            share = shared / (min(len(a), len(b)) or 1)
            jaccard = shared / (len(a | b) or 1)
            overlapping = it.overlaps(first)
            if (
                (same_answer and overlapping)
                or share >= item_pairs.SAME_SHARE
                or (overlapping and jaccard >= item_pairs.SAME_OVERLAPPING)
            ):
                out.append((it.id, first.id))
                break
        group.append(it)
    return out


def reference_give_away(items: list[Item], cards: list[Card]) -> list[tuple[str, str, str]]:
    """answer-in-prompt as first written: every other card of the paragraph, in deck order."""
    out = []
    for it in items:
        prompt = f" {' '.join(words(cards[it.index].prompt))} "
        for other in items:
            if other is it or it.paragraph is None or other.paragraph != it.paragraph:
                continue
            own = f" {' '.join(words(BLANK_RE.sub(' ', cards[other.index].prompt)))} "
            given = [
                a for a in other.answers
                if len(a) >= 4 and (p := " ".join(words(a))) and f" {p} " in prompt
                and f" {p} " not in own
            ]  # fmt: skip
            if given:
                out.append((it.id, other.id, given[0]))
                break
    return out


def indexed(items, library):
    same = [
        (card.id, message.split("'")[1])
        for card, message in item_pairs.same_question(None, items, library)
    ]
    given = [
        (card.id, *message.split("'")[1:4:2])
        for card, message in item_pairs.answer_in_prompt(None, items, library)
    ]
    return same, given


def paragraph_quotes(library, n: int) -> list[str]:
    text = library.get(ARTICLE).text
    para = max(text.split("\n\n"), key=len).split()
    return [" ".join(para[i : i + 6]) for i in range(0, min(n, len(para) - 6))]


def card(i: int, prompt: str, answer: str, quote: str, kind: str = "typed") -> Card:
    choices = (answer, "Other one", "Third one") if kind == "mcq" else ()
    return Card(
        id=f"c{i}", type=kind, prompt=prompt, answer=answer, choices=choices,
        source=Source(ARTICLE, quote), line=i + 1,
    )  # fmt: skip


def items_of(cards, library) -> list[Item]:
    return [Item(c, library, i) for i, c in enumerate(cards)]


def random_cards(rng: random.Random, library, n: int) -> list[Card]:
    quotes = paragraph_quotes(library, 40)
    out = []
    for i in range(n):
        prompt = " ".join(rng.choices(VOCAB, k=rng.randint(1, 7))) + "?"
        answer = " ".join(rng.choices(VOCAB, k=rng.randint(1, 2)))
        out.append(card(i, prompt, answer, rng.choice(quotes), rng.choice(["typed", "mcq"])))
    return out


@pytest.mark.parametrize("scan_first", [0, 3, item_pairs._SCAN_FIRST])
def test_indexed_rules_name_the_same_cards_as_comparing_every_pair(
    library, monkeypatch, scan_first
):
    monkeypatch.setattr(item_pairs, "_SCAN_FIRST", scan_first)  # 0: the index alone
    rng = random.Random(22)
    for _ in range(40):
        cards = random_cards(rng, library, rng.randint(2, 60))
        items = items_of(cards, library)
        same, given = indexed(items, library)
        assert same == reference_same(items)
        assert given == reference_give_away(items, cards)


def test_a_duplicate_far_down_a_busy_paragraph_is_still_found(library):
    quotes = paragraph_quotes(library, 30)
    # Twenty different questions first, so the duplicate is beyond the one-by-one scan.
    cards = [card(i, f"Which {w} clause matters?", f"answer{i}", quotes[i % 5])
             for i, w in enumerate(VOCAB[:20])]  # fmt: skip
    cards.append(card(20, "Which habomai clause matters?", "answer18", quotes[20]))
    items = items_of(cards, library)
    same, _ = indexed(items, library)
    assert same == reference_same(items)
    assert ("c20", "c18") in same


def test_distinct_questions_of_one_paragraph_are_not_flagged(library):
    quotes = paragraph_quotes(library, 30)
    cards = [card(i, f"What is clause {w} about?", f"point{i}", quotes[i % 20])
             for i, w in enumerate(VOCAB)]  # fmt: skip
    items = items_of(cards, library)
    assert indexed(items, library) == ([], [])


def test_thousands_of_cards_of_one_paragraph_are_checked_without_comparing_every_pair(
    library, monkeypatch
):
    quotes = paragraph_quotes(library, 30)
    n = 3000
    cards = [card(i, f"What does clause q{i}x say of r{i}y?", f"z{i}w", quotes[i % 20])
             for i in range(n)]  # fmt: skip
    cards.append(card(n, f"What does clause q{n - 1}x say of r{n - 1}y?", "final", quotes[0]))
    calls = []
    real = item_pairs.same_pair
    monkeypatch.setattr(item_pairs, "same_pair", lambda a, b, *s: calls.append(1) or real(a, b, *s))
    same, given = indexed(items_of(cards, library), library)
    assert same == [(f"c{n}", f"c{n - 1}")]
    assert given == []
    assert len(calls) < 20 * n  # comparing every pair would be n * n / 2
