"""A card as the item-writing rules see it (quiz.content.item_rules): its words, the answers a
prompt could give away, and where its quote sits, each worked out once per card.

The rules compare cards with each other; making a text into words once per card, not once per
pair, is what keeps `quiz lint` of a 10,000-card file fast (bench/deck_scale.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from sys import intern

from quiz.content.articles import Library, fold, straighten
from quiz.content.deck import BLANK_RE, Card

STOP = set(
    """a an the of to in on at by for from with and or but as is are was were be been being it its
    this that these those which who whom whose what why how when where does do did has have had
    would could should will can may might about into than then so such their they them there
    his her he she we our you your also only both each any all more most own same other""".split()
)
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case words, possessives taken off ("Weitz's" is "weitz"): the words of fold(text),
    without folding its spaces, which no word holds."""
    low = text.lower()
    low = straighten(low)  # ‘ and ’ are apostrophes, as fold() makes them
    # Interned: a deck's cards share most of their words, and one copy of each is kept for the
    # deck's pass rather than one per card per text (a tenth of a 10,000-card file's memory).
    found = WORD.findall(low)
    if "'s" not in low:
        return list(map(intern, found))
    return [intern(w[:-2] if w.endswith("'s") else w) for w in found]


def content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOP and len(w) > 2}


def padded(ws: list[str]) -> str:
    """Words as one string with a space either side: `f" {phrase} " in padded(ws)` asks whether
    a phrase occurs as whole words."""
    return f" {' '.join(ws)} "


class Item:
    """One card's views, worked out once for the deck's pass."""

    __slots__ = (
        "id", "line", "ignore", "index", "article", "span", "paragraph", "answers",
        "folded_answers", "prompt_padded", "asks", "giveable",
    )  # fmt: skip

    def __init__(self, card: Card, library: Library, index: int = 0):
        # Not the card itself: lint keeps a deck's Items, not its Cards, for the rules that
        # compare cards (quiz.content.item_rules), and lets each Card go once it is checked.
        self.id, self.line, self.ignore = card.id, card.line, card.lint_ignore
        self.index = index  # its place among the deck's cards
        src = card.source
        self.article = src.article if src else None
        # Where its quote sits (in the body, not the page furniture, where it can) and in which
        # paragraph: cards are compared only with cards of their paragraph.
        self.span = self.paragraph = None
        if src is not None and src.article is not None and src.quote is not None:
            self.span = library.body_span(src.article, src.quote)
            if self.span is not None:
                ends = _paragraph_breaks(library.get(self.article).text)
                self.paragraph = (self.article, bisect_right(ends, self.span[0]))
        # The short answers a prompt could give away: typed (and accepted forms) and mcq.
        # True/false and recall answers are statements, not words to give away, and a cloze
        # blank is guessed from its own sentence ('a rising {{China}}') whatever others say.
        self.answers = (
            (card.answer, *card.accept)
            if card.type in ("typed", "mcq") and isinstance(card.answer, str) else ()
        )  # fmt: skip
        # Tuples, not sets: a set of a few words is five times their tuple's memory, and lint
        # keeps these for every card of a file (quiz.content.item_pairs makes sets per pair).
        self.folded_answers = tuple({fold(a).lower() for a in self.answers})
        prompt_words = words(card.prompt)
        self.prompt_padded = padded(prompt_words)
        answer_words = [words(a) for a in self.answers]
        # The content words of the prompt and the answer: what the card asks about.
        said = answer_words[0] if self.answers else words(card.answer_text())
        self.asks = tuple(
            {w for ws in (prompt_words, said) for w in ws if w not in STOP and len(w) > 2}
        )
        self.giveable = self._giveable(card.prompt, answer_words)

    @property
    def prompt_words(self) -> list[str]:
        return self.prompt_padded.split()

    def overlaps(self, other: Item) -> bool:
        a, b = self.span, other.span
        return (
            a is not None and b is not None and self.article == other.article
            and a[0] < b[1] and b[0] < a[1]
        )  # fmt: skip

    def _giveable(self, prompt: str, answer_words: list[list[str]]) -> list[tuple[str, str]]:
        """(answer, its words joined) for each answer another card's prompt could give away:
        four characters or more, and not already in this card's own prompt (blanks left out)."""
        out = []
        own = None
        for a, ws in zip(self.answers, answer_words):
            if len(a) < 4 or not ws:
                continue
            p = " ".join(ws)
            if own is None:
                own = (
                    padded(words(BLANK_RE.sub(" ", prompt))) if "{{" in prompt
                    else self.prompt_padded
                )  # fmt: skip
            if f" {p} " not in own:
                out.append((a, p))
        return out


@lru_cache(maxsize=64)
def _paragraph_breaks(text: str) -> tuple[int, ...]:
    """Where each blank line ("\\n\\n", counted as str.count does, without overlaps) ends: a
    quote starting at s is in paragraph bisect_right(breaks, s)."""
    out = []
    at = text.find("\n\n")
    while at >= 0:
        out.append(at + 2)
        at = text.find("\n\n", at + 2)
    return tuple(out)
