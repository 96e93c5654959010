"""Plain-Python helpers for the study screen: the order of mcq choices, the session tally.

No Textual here, so these are tested (and reused) without a running app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from quiz.content.deck import Card

LETTERS = "abcd"


def choice_order(deck_id: str, card: Card, reps: int = 0) -> list[str]:
    """The mcq choices shuffled, seeded by the card (and how often it was seen): stable while
    the card is on screen and reproducible in tests, yet not the same order every review."""
    choices = list(card.choices)
    random.Random(f"{deck_id}/{card.id}/{reps}").shuffle(choices)
    return choices


@dataclass(frozen=True)
class Result:
    rating: int
    correct: bool | None  # None: a self-graded (basic) card
    duration_ms: int


@dataclass
class Tally:
    """What the learner did this session, for the progress bar and the summary."""

    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.results.append(result)

    def drop_last(self) -> None:
        if self.results:
            self.results.pop()

    @property
    def cards(self) -> int:
        return len(self.results)

    @property
    def objective(self) -> int:
        return sum(r.correct is not None for r in self.results)

    @property
    def right(self) -> int:
        return sum(r.correct is True for r in self.results)

    @property
    def accuracy(self) -> float | None:
        return self.right / self.objective if self.objective else None

    @property
    def ms(self) -> int:
        return sum(r.duration_ms for r in self.results)


def elapsed_text(ms: int) -> str:
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def cloze_display(prompt: str) -> str:
    """The cloze prompt with each {{blank}} shown as a numbered gap."""
    from quiz.content.deck import BLANK_RE

    count = iter(range(1, 1000))
    return BLANK_RE.sub(lambda _m: f"[{next(count)}] _____", prompt)


def cloze_revealed(card: Card) -> list[tuple[str, bool]]:
    """The cloze prompt split into (text, is_answer) runs, blanks filled with their first form."""
    from quiz.content.deck import BLANK_RE

    out: list[tuple[str, bool]] = []
    at = 0
    for m in BLANK_RE.finditer(card.prompt):
        out.append((card.prompt[at : m.start()], False))
        out.append((m.group(1).split("|")[0].strip(), True))
        at = m.end()
    out.append((card.prompt[at:], False))
    return [(t, a) for t, a in out if t]
