"""The item-writing rules that compare cards citing one paragraph: the same question asked twice,
and a prompt giving away another card's answer (quiz.content.item_rules runs them).

Each rule's answer is defined pair by pair, in deck order: a card is flagged for the first
earlier (or, for give-aways, any) card of its paragraph that the pair test accepts. Comparing
every pair is quadratic in a paragraph's cards (10,000 cards citing one paragraph), so each rule
keeps an inverted index of the paragraph's cards and tests only the pairs that can pass; the
index is exact (tests/test_item_pairs.py checks it against the pair-by-pair definition), it only
skips pairs the test would refuse.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from quiz.content.item_text import Item

# Two cards of one paragraph ask the same thing when most of the shorter one's content words
# (prompt and answer) are the longer one's, or, citing overlapping spans, when their words
# overlap this much (Jaccard): tuned on the bundled decks' known duplicates.
SAME_SHARE = 0.6
SAME_OVERLAPPING = 0.27
# The index's prefixes are worked out with thresholds a little lower than the rules': a longer
# prefix only adds candidates, and float rounding at a boundary can never lose a pair.
_MARGIN = 0.01
# A card is first compared with this many earlier cards of its paragraph one by one (most
# duplicates are found there, as cheaply as can be); the index finds the rest.
_SCAN_FIRST = 8


def _prefix_len(n: int, threshold: float) -> int:
    """How many of a set's rarest words any set sharing `threshold * n` of them must touch."""
    need = max(1, math.ceil(n * (threshold - _MARGIN)))
    return n - need + 1 if n else 0


def same_pair(it: Item, first: Item, asks: set[str] | None = None) -> bool:
    """Whether two cards of one paragraph ask the same thing (the rule, pair by pair); `asks`
    is set(it.asks), when the caller has it."""
    overlapping = it.overlaps(first)
    if overlapping and any(a in first.folded_answers for a in it.folded_answers):
        return True
    shared = len((set(it.asks) if asks is None else asks).intersection(first.asks))
    if not shared:
        return False
    share = shared / (min(len(it.asks), len(first.asks)) or 1)
    jaccard = shared / ((len(it.asks) + len(first.asks) - shared) or 1)
    return share >= SAME_SHARE or (overlapping and jaccard >= SAME_OVERLAPPING)


class _SameIndex:
    """The earlier cards of one paragraph, under the words and answers a same-question pair
    must share (the prefix filter of similarity joins). With each card's words ordered rarest
    first in the paragraph, a set of n words that must share k of them with another set shares
    one of its n - k + 1 first words. For a card A (a words) and an earlier B (b words), s shared:
    - share: s >= 0.6 min(a, b): the smaller's 0.6-prefix meets the larger's words (B's prefix
      looked up with all of A's words when b <= a; A's prefix looked up in all of B's words);
    - Jaccard >= t: s >= t(a + b)/(1 + t), so s >= t max(a, b) and s >= 2t/(1 + t) min(a, b):
      the smaller's 2t/(1 + t)-prefix meets the larger's t-prefix;
    - the same answer: B by folded answer."""

    MID = 2 * SAME_OVERLAPPING / (1 + SAME_OVERLAPPING)

    def __init__(self, items: list[Item]):
        self.df = Counter(w for it in items for w in it.asks)
        # (index of earlier cards by their keys, which of a card's keys look it up)
        self.indexes: list[tuple[dict[str, list[int]], int, int]] = [
            ({}, 1, 0),  # B's share prefix <- all of A
            ({}, 0, 1),  # all of B <- A's share prefix
            ({}, 2, 3),  # B's Jaccard mid prefix <- A's Jaccard prefix
            ({}, 3, 2),  # B's Jaccard prefix <- A's mid prefix
            ({}, 4, 4),  # B's answers <- A's answers
        ]

    def keys(self, it: Item) -> tuple:
        ordered = sorted(it.asks, key=lambda w: (self.df[w], w))
        n = len(ordered)
        return (
            ordered,
            ordered[: _prefix_len(n, SAME_SHARE)],
            ordered[: _prefix_len(n, self.MID)],
            ordered[: _prefix_len(n, SAME_OVERLAPPING)],
            it.folded_answers,
        )

    def candidates(self, keys: tuple, after: int) -> list[int]:
        """The earlier cards after `after` (a card index) that can pass the pair test."""
        found: set[int] = set()
        for index, _added, looked_up in self.indexes:
            for key in keys[looked_up]:
                bucket = index.get(key)
                if bucket and bucket[-1] > after:
                    found.update(i for i in bucket if i > after)
        return sorted(found)

    def add(self, it: Item, keys: tuple) -> None:
        for index, added, _looked_up in self.indexes:
            for key in keys[added]:
                index.setdefault(key, []).append(it.index)


def same_question(deck, items: list[Item], library) -> Iterator[tuple[Item, str]]:
    by_paragraph: dict = {}
    for it in items:
        if it.paragraph is not None:
            by_paragraph.setdefault(it.paragraph, []).append(it)
    scan = _SCAN_FIRST
    indexes: dict = {}  # paragraph -> (its index, how many of its cards are in it)
    at: dict = {}  # paragraph -> this card's place among its cards
    for it in items:
        if it.paragraph is None:
            continue
        group = by_paragraph[it.paragraph]
        k = at[it.paragraph] = at.get(it.paragraph, -1) + 1
        asks = set(it.asks)
        match = next((first for first in group[: min(k, scan)] if same_pair(it, first, asks)), None)
        if match is None and k > scan:
            # The index is made for a paragraph only once a card gets past the scan (in most
            # decks, never), then kept up with its cards.
            index, filled = indexes.get(it.paragraph) or (_SameIndex(group), 0)
            for earlier in group[filled:k]:
                index.add(earlier, index.keys(earlier))
            indexes[it.paragraph] = index, k
            after = group[scan - 1].index if scan else -1
            keys = index.keys(it)
            match = next(
                (items[i] for i in index.candidates(keys, after) if same_pair(it, items[i], asks)),
                None,
            )
        if match is not None:
            yield (
                it,
                (
                    f"asks what card '{match.id}' (line {match.line}) asks, from the "
                    "same passage: merge them, or ask something else of the passage"
                ),
            )


def answer_in_prompt(deck, items: list[Item], library) -> Iterator[tuple[Item, str]]:
    # A card is flagged for the first card of its paragraph (in deck order) one of whose
    # answers its prompt contains as whole words. Each answer is indexed under its rarest word
    # (the word the fewest answers of the paragraph contain): a prompt can contain the answer
    # only if it contains that word.
    phrases: dict = {}  # paragraph -> phrase -> the first two cards that could give it away
    for it in items:
        if it.paragraph is None:
            continue
        holders = phrases.setdefault(it.paragraph, {})
        for _answer, p in it.giveable:
            cards = holders.setdefault(p, [])
            if len(cards) < 2 and (not cards or cards[-1] != it.index):
                cards.append(it.index)
    index: dict = {}  # paragraph -> word -> [(phrase, its first two cards)]
    for key, holders in phrases.items():
        df = Counter(w for p in holders for w in set(p.split(" ")))
        by_word = index[key] = {}
        for p, cards in holders.items():
            rarest = min(p.split(" "), key=lambda w: (df[w], w))
            by_word.setdefault(rarest, []).append((p, cards))
    for it in items:
        if it.paragraph is None:
            continue
        by_word = index.get(it.paragraph)
        if not by_word:
            continue
        prompt = it.prompt_padded
        best = None
        for w in set(it.prompt_words):
            for p, cards in by_word.get(w, ()):
                j = cards[0] if cards[0] != it.index else (cards[1] if len(cards) > 1 else None)
                if j is not None and (best is None or j < best) and f" {p} " in prompt:
                    best = j
        if best is None:
            continue
        other = items[best]
        given = [a for a, p in other.giveable if f" {p} " in prompt]
        yield (
            it,
            (
                f"the prompt gives away the answer of card '{other.id}' "
                f"('{given[0]}'): a learner who sees both learns nothing from the second"
            ),
        )
