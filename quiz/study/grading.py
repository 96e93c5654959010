"""Checking a learner's answer against a card.

Typed answers forgive what a careful reader would forgive (case, punctuation, a leading article,
accents, a list in any order, a preposition or unit that restates the question, a title the
article uses, one small typo in a long word that makes no other word) but never a different
name, number or place: the rules are in quiz.study.answer_match.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.content.deck import Card
from quiz.study.answer_text import normalize

if TYPE_CHECKING:
    from quiz.study.answer_context import AnswerContext
    from quiz.study.answer_match import Match

# The rules (quiz.study.answer_match and the modules it uses) are imported at the first typed
# answer, not with this module: the study screen imports it on the way to its first frame.

__all__ = ["Verdict", "check_typed", "diff_marks", "grade", "grade_blanks", "matches"]
__all__ += ["normalize", "suggested_rating"]


@dataclass(frozen=True)
class Verdict:
    correct: bool | None  # None: the learner grades themselves (basic cards, nothing typed)
    given: str
    expected: str
    close: bool = False  # right, but only after forgiving a typo
    # What else was forgiven to call it right: "order" (of a list), "preposition", "unit",
    # "title", "spelling" (British/American), "plural" and "typo" (with close).
    forgiven: tuple[str, ...] = ()


def matches(given: str, expected: str, context: AnswerContext | None = None) -> tuple[bool, bool]:
    """(correct, close) for one typed answer against one accepted form."""
    from quiz.study.answer_match import match_answer

    found = match_answer(given, expected, context)
    return (found is not None, found is not None and found.close)


def _best(given: str, forms: list[str], context: AnswerContext | None) -> Match | None:
    from quiz.study.answer_match import match_answer

    best = None
    for form in forms:
        found = match_answer(given, form, context)
        if found is not None and not found.close and not found.forgiven:
            return found
        if found is not None and (best is None or (best.close and not found.close)):
            best = found
    return best


def check_typed(
    given: str, forms: list[str], context: AnswerContext | None = None
) -> tuple[bool, bool]:
    found = _best(given, forms, context)
    return (found is not None, found is not None and found.close)


def grade(card: Card, given: str | bool | None) -> Verdict:
    """Grade what the learner gave. `given` is text (typed, cloze blanks joined by ' / ',
    basic), the chosen choice text (mcq), or a bool (truefalse)."""
    expected = card.answer_text()
    if given is None or given == "":
        return Verdict(None if card.type == "basic" else False, "", expected)
    if card.type == "truefalse":
        value = given if isinstance(given, bool) else normalize(str(given)) in ("t", "true", "yes")
        return Verdict(value == card.answer, "True" if value else "False", expected)
    if card.type == "mcq":
        return Verdict(str(given) == card.answer, str(given), expected)
    if card.type in ("typed", "cloze"):
        from quiz.study.answer_context import AnswerContext
    if card.type == "typed":
        found = _best(str(given), [str(card.answer), *card.accept], AnswerContext.of(card))
        if found is None:
            return Verdict(False, str(given), expected)
        return Verdict(True, str(given), expected, found.close, found.forgiven)
    if card.type == "cloze":
        parts = (
            given.split(" / ")
            if isinstance(given, str)
            else [str(g) for g in given]
            if isinstance(given, (list, tuple))
            else [str(given)]
        )
        context = AnswerContext.of(card)
        results = [
            _best(parts[i] if i < len(parts) else "", alts, context)
            for i, alts in enumerate(card.blanks)
        ]
        if not all(r is not None for r in results):
            return Verdict(False, str(given), expected)
        found = [r for r in results if r is not None]
        close = any(r.close for r in found)
        reasons = tuple(dict.fromkeys(x for r in found for x in r.forgiven))
        return Verdict(True, str(given), expected, close, reasons)
    # basic: the learner compares with the model answer and grades themselves
    return Verdict(None, str(given), expected)


def grade_blanks(card: Card, answers: list[str]) -> Verdict:
    return grade(card, " / ".join(a.strip() for a in answers))


def diff_marks(given: str, expected: str) -> list[tuple[str, str]]:
    """Segments of `given` tagged 'same', 'wrong' or 'missing' against `expected`,
    for showing where a typed answer went astray."""
    matcher = difflib.SequenceMatcher(a=given.casefold(), b=expected.casefold(), autojunk=False)
    out: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", given[a0:a1]))
        else:
            if a1 > a0:
                out.append(("wrong", given[a0:a1]))
            if b1 > b0:
                out.append(("missing", expected[b0:b1]))
    return out


def suggested_rating(verdict: Verdict) -> int:
    """Anki-style suggestion: Good when right, Again when wrong; Good for self-graded cards."""
    if verdict.correct is False:
        return 1
    return 3
