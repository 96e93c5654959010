"""Property tests (hypothesis) of the typed-answer rules, both ways (issue 19, item 8):

- any order and any joiner of a list answer is right; dropping or adding an item is wrong;
- a real English word one edit away from the answer is never right, nor an opposite prefix;
- a slip of one letter in a long word that makes no word is right, and flagged close;
- adding a different number is never right, and a preposition that changes a year is wrong.
"""

from __future__ import annotations

import os
import random
from functools import cache

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from quiz.content.deck import Card
from quiz.study import typo_words
from quiz.study.answer_match import adjective_of
from quiz.study.answer_numbers import CARDINALS
from quiz.study.grading import grade

EXAMPLES = int(os.environ.get("QUIZ_PROPERTY_EXAMPLES", "150"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typed(answer: str, accept=(), prompt: str = "Q?") -> Card:
    # No source: no article's words or names enter; only the rules and the word list do.
    return Card(id="c", type="typed", prompt=prompt, answer=answer, accept=tuple(accept))


@cache
def english() -> frozenset[str]:
    return frozenset(typo_words._word_text().split())


@cache
def long_words() -> list[str]:
    return sorted(w for w in english() if len(w) >= 7 and w.isascii() and w.isalpha())


def neighbours(word: str):
    """Every word one edit (or one swap of neighbours) from `word`."""
    for i in range(len(word) + 1):
        for ch in LETTERS:
            yield word[:i] + ch + word[i:]
            if i < len(word):
                yield word[:i] + ch + word[i + 1 :]
        if i < len(word):
            yield word[:i] + word[i + 1 :]
        if i + 1 < len(word):
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@cache
def real_word_neighbours() -> list[tuple[str, str]]:
    """(answer, another real word one edit away), from a fixed sample of the word list. Left
    out: a plural ending, British/American spellings and a place's adjective ("Bermudan"
    before a noun, as "Ukrainian crisis"), which are the same word."""
    words = english()
    sample = [w for w in long_words() if len(w) < 12][::40]
    out = []
    for word in sample:
        for other in set(neighbours(word)) - {word}:
            if (
                other in words
                and not typo_words.plural_of(word, other)
                and not typo_words.same_word_spelt_otherwise(word, other)
                and not adjective_of(other, word)
            ):
                out.append((word, other))
    return sorted(out)


# -- lists ------------------------------------------------------------------------------------

ITEM_WORD = st.text(LETTERS, min_size=3, max_size=9).filter(
    lambda w: w not in {"and", "plus", "both", "the"}
)
ITEM = st.lists(ITEM_WORD, min_size=1, max_size=2).map(" ".join)
ITEMS = st.lists(ITEM, min_size=2, max_size=4, unique=True)
JOINERS = [", ", "; ", " & ", " and ", " / ", " + ", ", and ", " plus "]


def join(items: list[str], joiners: list[str]) -> str:
    out = items[0]
    for item, joiner in zip(items[1:], joiners):
        out += joiner + item
    return out


@FAST
@given(ITEMS, st.randoms(use_true_random=False))
@example(["Etorofu", "Kunashiri"], random.Random(1))
def test_any_order_and_joiner_of_a_list_is_right(items, rnd):
    expected = ", ".join(items[:-1]) + " and " + items[-1]
    order = list(items)
    rnd.shuffle(order)
    joiners = [rnd.choice(JOINERS) for _ in order[1:]]
    given_ = join(order, joiners)
    verdict = grade(typed(expected), given_)
    assert verdict.correct is True, (expected, given_)
    assert verdict.close is False


@FAST
@given(ITEMS, ITEM, st.randoms(use_true_random=False))
def test_a_missing_or_extra_item_is_wrong(items, extra, rnd):
    assume(extra not in items)
    expected = ", ".join(items[:-1]) + " and " + items[-1]
    card = typed(expected)
    fewer = list(items)
    fewer.pop(rnd.randrange(len(fewer)))
    more = [*items, extra]
    for given_items in (fewer, more):
        rnd.shuffle(given_items)
        given_ = join(given_items, [rnd.choice(JOINERS) for _ in given_items[1:]])
        assert grade(card, given_).correct is False, (expected, given_)


# -- real words and slips ---------------------------------------------------------------------


@settings(max_examples=max(EXAMPLES, 300), deadline=None)
@given(st.data())
@example(None)
def test_a_real_word_one_edit_away_is_never_right(data):
    pairs = real_word_neighbours()
    assert len(pairs) > 500  # the sample is a real test of the list
    if data is None:
        answer, other = "stalling", "stalking"
    else:
        answer, other = data.draw(st.sampled_from(pairs))
    assert grade(typed(answer), other).correct is False, (answer, other)
    assert grade(typed(f"the {answer} technique"), f"the {other} technique").correct is False


@FAST
@given(
    st.text(LETTERS, min_size=4, max_size=12),
    st.sampled_from(typo_words.OPPOSITE_PREFIXES),
    st.booleans(),
)
@example("militarization", ("de", "re"), False)
def test_an_opposite_prefix_is_never_right(stem, prefixes, flip):
    """Whatever the word list knows: "remilitarization" is no slip for "demilitarization"."""
    a, b = (prefixes[0] + stem, prefixes[1] + stem)
    answer, given_ = (b, a) if flip else (a, b)
    assert grade(typed(answer), given_).correct is False, (answer, given_)


@FAST
@given(st.data())
def test_a_slip_that_makes_no_word_in_a_long_word_is_right(data):
    word = data.draw(st.sampled_from(long_words()))
    slip = data.draw(st.sampled_from(sorted(set(neighbours(word)) - {word})))
    assume(slip not in english())
    assume(not typo_words.opposite_prefix(word, slip))
    verdict = grade(typed(word), slip)
    assert verdict.correct is True, (word, slip)
    assert verdict.close or verdict.forgiven, (word, slip)


def test_the_slips_of_the_issue():
    assert grade(typed("demilitarization"), "demilitarizaton").close is True
    assert grade(typed("stalling"), "stallng").close is True
    assert grade(typed("demilitarization"), "remilitarization").correct is False
    assert grade(typed("stalling"), "stalking").correct is False


# -- numbers ----------------------------------------------------------------------------------

NUMBER_WORDS = {n: w for w, n in CARDINALS.items() if w != "dozen"}


def spell(n: int, as_word: bool) -> str:
    return NUMBER_WORDS[n] if as_word and n in NUMBER_WORDS else str(n)


@FAST
@given(
    st.integers(0, 20),
    st.integers(0, 3000),
    st.booleans(),
    st.booleans(),
    st.sampled_from(
        [
            "{n} {m}",
            "{m} {n}",
            "{n} and {m}",
            "{n}, {m}",
            "{n} or {m}",
            "{n} times {m}",
            "in {n} {m}",
            "{n} times, maybe {m}",
        ]
    ),  # fmt: skip
)
def test_adding_a_different_number_is_never_right(n, m, n_word, m_word, shape):
    assume(n != m)
    card = typed(spell(n, True), accept=[str(n)], prompt="How many times?")
    assert grade(card, spell(n, n_word) + " times").correct is True
    wrong = shape.format(n=spell(n, n_word), m=spell(m, m_word))
    assert grade(card, wrong).correct is False, wrong
    assert grade(card, spell(m, m_word)).correct is False


@FAST
@given(st.integers(1000, 2100), st.sampled_from(["in", "In", "on"]))
def test_a_restating_preposition_is_right_and_a_changing_one_is_wrong(year, prep):
    card = typed(str(year), prompt="In what year did it happen?")
    assert grade(card, f"{prep} {year}").correct is True
    for changing in ("before", "after", "since", "until", "around", "by", "circa"):
        assert grade(card, f"{changing} {year}").correct is False, changing
    assert grade(card, f"in {year + 1}").correct is False


# -- robustness ---------------------------------------------------------------------------------

NUMBERISH = st.lists(
    st.one_of(
        st.characters(categories=["Nd", "No", "Nl"]),  # every kind of digit, "²", "𐩀", "Ⅻ"
        st.sampled_from(list("abcdeiovx ,;&/-'.()") + ["th", "st", "and", "in", "of", "times"]),
    ),
    max_size=15,
).map("".join)


@FAST
@given(NUMBERISH, NUMBERISH, st.sampled_from(["Q?", "In what year?", "How many times?", "{{x}}"]))
@example("\U00010a40", "\U00010a40 times", "How many times?")  # a digit int() cannot read
@example("x", "\U00010a40th October \U00010a40", "Q?")
def test_grading_digits_of_any_script_never_raises(answer, given_, prompt):
    verdict = grade(typed(answer, prompt=prompt), given_)
    assert verdict.correct in (True, False)
