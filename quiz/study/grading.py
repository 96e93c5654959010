"""Checking a learner's answer against a card.

Typed answers forgive what a careful reader would forgive (case, punctuation, a leading article,
accents, one small typo in a long word) but never a different name or number.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from quiz.content.deck import Card

_ARTICLES = {"the", "a", "an"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Verdict:
    correct: bool | None  # None: the learner grades themselves (basic cards, nothing typed)
    given: str
    expected: str
    close: bool = False  # right, but only after forgiving a typo


_JOINERS = re.compile(r"(?<=\w)['\u2019.](?=\w)")


def normalize(text: str) -> str:
    """Lowercase words without accents, punctuation or articles ("U.S." is "us",
    "gentlemen's" is "gentlemens")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = _WORD.findall(_JOINERS.sub("", text.casefold()))
    content = [w for w in words if w not in _ARTICLES]
    return " ".join(content or words)


def _one_typo(a: str, b: str) -> bool:
    """True when a and b differ by a single edit (or a swap of neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def matches(given: str, expected: str) -> tuple[bool, bool]:
    """(correct, close) for one typed answer against one accepted form."""
    g, e = normalize(given), normalize(expected)
    if not g:
        return False, False
    if g == e or g.replace(" ", "") == e.replace(" ", ""):  # "G-7" is "G7"
        return True, False
    gw, ew = g.split(), e.split()
    if len(gw) != len(ew):
        return False, False
    typos = 0
    for x, y in zip(gw, ew):
        if x == y:
            continue
        # Numbers and short words must be exact: "1956" is not "1965", "Abe" is not "Ab".
        if any(ch.isdigit() for ch in x + y) or len(y) < 6:
            return False, False
        if not _one_typo(x, y):
            return False, False
        typos += 1
    return typos <= 1, typos == 1


def check_typed(given: str, forms: list[str]) -> tuple[bool, bool]:
    best = (False, False)
    for form in forms:
        ok, close = matches(given, form)
        if ok and not close:
            return True, False
        if ok:
            best = (True, True)
    return best


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
    if card.type == "typed":
        ok, close = check_typed(str(given), [str(card.answer), *card.accept])
        return Verdict(ok, str(given), expected, close)
    if card.type == "cloze":
        parts = (
            given.split(" / ")
            if isinstance(given, str)
            else [str(g) for g in given]
            if isinstance(given, (list, tuple))
            else [str(given)]
        )
        blanks = card.blanks
        results = [
            check_typed(parts[i] if i < len(parts) else "", alts) for i, alts in enumerate(blanks)
        ]
        ok = all(r[0] for r in results)
        return Verdict(ok, str(given), expected, ok and any(r[1] for r in results))
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
