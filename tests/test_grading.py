"""Typed-answer grading forgives what a careful reader would, and nothing more."""

import pytest

from quiz.study.grading import diff_marks, grade, grade_blanks, matches, suggested_rating


@pytest.mark.parametrize(
    "given",
    [
        "Northern Territories",
        "the northern territories",
        "NORTHERN TERRITORIES!",
        "  Northern   Territories. ",
        "Northen Territories",  # one small typo in a long word
    ],
)
def test_forgiven(given):
    assert matches(given, "The Northern Territories")[0]


@pytest.mark.parametrize(
    "given,expected",
    [
        ("1965", "1956"),
        ("1955", "1956"),
        ("Putin", "Abe"),
        ("Hosokawa", "Hashimoto"),
        ("Shikotan", "Habomai"),
        ("Northen Teritories", "Northern Territories"),  # two typos
        ("Abe", "Ab"),
        ("", "Abe"),
        ("Southern", "Southern Kurils"),
    ],
)
def test_not_forgiven(given, expected):
    assert not matches(given, expected)[0]


def test_accents_are_forgiven():
    assert matches("Étorofu", "Etorofu") == (True, False)


def test_typo_is_flagged_close():
    assert matches("Hokaido", "Hokkaido") == (True, True)


def test_card_types(make_deck):
    deck = make_deck("""
        - id: t
          type: typed
          prompt: Name?
          answer: Northern Territories
          accept: [Southern Kurils]
          explanation: e
          source:
            article: thorn-in-ties
            quote: "what the Japanese call their Northern Territories"
        - id: m
          type: mcq
          prompt: Which?
          answer: Abe
          choices: [Abe, Putin, Xi]
          explanation: e
          source:
            article: thorn-in-ties
            quote: "what the Japanese call their Northern Territories"
        - id: f
          type: truefalse
          prompt: Statement.
          answer: false
          explanation: e
          source:
            article: thorn-in-ties
            quote: "what the Japanese call their Northern Territories"
        - id: c
          type: cloze
          prompt: The {{Northern Territories|NT}} and the {{Southern Kurils}}.
          explanation: e
          source:
            article: thorn-in-ties
            quote: "what the Japanese call their Northern Territories"
        - id: b
          type: basic
          prompt: Why?
          answer: Because.
          explanation: e
          source:
            article: thorn-in-ties
            quote: "what the Japanese call their Northern Territories"
    """)
    t, m, f, c, b = deck.cards
    assert grade(t, "southern kurils").correct
    assert not grade(t, "Kurils").correct
    assert grade(t, "").correct is False
    assert grade(m, "Abe").correct and not grade(m, "Putin").correct
    assert grade(f, False).correct and not grade(f, True).correct
    assert grade_blanks(c, ["NT", "southern kurils"]).correct
    assert not grade_blanks(c, ["NT", ""]).correct
    assert grade(b, "whatever").correct is None
    assert suggested_rating(grade(t, "nope")) == 1
    assert suggested_rating(grade(t, "Northern Territories")) == 3


def test_diff_marks_show_what_is_wrong_and_missing():
    marks = diff_marks("Northen Teritories", "Northern Territories")
    assert ("missing", "r") in marks
    assert "".join(t for k, t in marks if k != "missing") == "Northen Teritories"
