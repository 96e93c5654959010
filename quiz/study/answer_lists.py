"""Answers that are lists: "Etorofu and Kunashiri" is also "Kunashiri, Etorofu" or
"Etorofu & Kunashiri", but never one of them alone, nor with a third."""

from __future__ import annotations

import re
from collections.abc import Callable

# "A, B and C", "A, B, and C", "A; B", "A & B", "A + B", "A / B", "A as well as B".
# "or" is no joiner: "A or B" is not both.
# (Patterns as text, compiled by `re` on first use: grading's import stays cheap.)
_JOINER = (
    r"(?i)\s*(?:,\s*(?:and\s+|&\s*)?|;\s*(?:and\s+)?|&|\+|/|\band\b|\bplus\b|\bas well as\b)\s*"
)
_BOTH = r"(?i)^\s*both\s+"
MAX_ITEMS = 8  # beyond this, items are matched in order (the pairing search grows fast)


def items(text: str, keep: Callable[[str], bool]) -> list[str]:
    """The parts of `text` between joiners, those that `keep` says are content."""
    parts = [p for p in re.split(_JOINER, text) if keep(p)]
    if len(parts) == 2:
        stripped = re.sub(_BOTH, "", parts[0])
        if keep(stripped):  # "both China and South Korea"
            parts[0] = stripped
    return parts


def pair_up(given: list[str], expected: list[str], match: Callable[[str, str], object]):
    """For each expected item in turn, (index of the given item it pairs with, the match
    result), each given item used once, in any order; None when the lists differ (an item
    missing, extra or wrong). `match` returns a falsy value for no match."""
    if len(given) != len(expected):
        return None
    if len(expected) > MAX_ITEMS:
        results = [match(g, e) for g, e in zip(given, expected)]
        return list(enumerate(results)) if all(results) else None
    table = [[match(g, e) for g in given] for e in expected]
    chosen: list[object] = []
    used: set[int] = set()

    def place(k: int) -> bool:
        if k == len(expected):
            return True
        for j, result in enumerate(table[k]):
            if result and j not in used:
                used.add(j)
                chosen.append((j, result))
                if place(k + 1):
                    return True
                chosen.pop()
                used.discard(j)
        return False

    return chosen if place(0) else None
