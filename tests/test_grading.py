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


# -- issue 19: fairer typed answers ---------------------------------------------------------


def typed_card(answer, accept=(), prompt="Q?", article=None):
    from quiz.content.deck import Card, Source

    source = Source(article, "quote") if article else None
    return Card("c", "typed", prompt, answer, accept=tuple(accept), source=source)


def test_verdict_says_what_was_forgiven():
    from quiz.study.grading import Verdict

    assert Verdict(True, "x", "x").forgiven == ()  # the old four fields are unchanged
    assert grade(typed_card("1956"), "1956").forgiven == ()
    assert grade(typed_card("1956"), "in 1956").forgiven == ("preposition",)
    assert grade(typed_card("Etorofu and Kunashiri"), "Kunashiri, Etorofu").forgiven == ("order",)
    assert grade(typed_card("five", prompt="How many times?"), "5 times").forgiven == ("unit",)
    slip = grade(typed_card("stalling"), "stallng")
    assert slip.close and slip.forgiven == ("typo",)


def test_a_first_name_needs_the_article_and_a_title_must_be_one_it_uses():
    card = typed_card("Yeltsin", article="wrong-premise")  # "Russian President Boris Yeltsin"
    assert grade(card, "Boris Yeltsin").forgiven == ("title",)
    assert grade(card, "President Boris Yeltsin").correct
    assert not grade(card, "Prime Minister Yeltsin").correct  # a title the article never gives
    assert not grade(card, "Mikhail Yeltsin").correct
    assert not grade(card, "Boris Gorbachev").correct
    bare = typed_card("Yeltsin")  # no article: a title says no other person, a first name could
    assert grade(bare, "President Yeltsin").correct
    assert not grade(bare, "Boris Yeltsin").correct


def test_the_word_list_is_read_only_for_a_slip(monkeypatch, tmp_path):
    from quiz.study import typo_words

    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path))
    typo_words._word_text.cache_clear()
    reads = []
    real = typo_words._word_text.__wrapped__
    monkeypatch.setattr(typo_words, "_word_text", lambda: reads.append(1) or real())
    card = typed_card("demilitarization")
    assert grade(card, "Demilitarization.").correct and grade(card, "in 1956").correct is False
    assert reads == []
    assert grade(card, "demilitarizaton").close
    assert not grade(card, "remilitarization").correct
    assert reads  # and it was derived once into the cache folder, for the next process
    (cached,) = (tmp_path / "words").iterdir()
    assert "\nstalking\n" in cached.read_text(encoding="utf-8")
    assert real() == cached.read_text(encoding="utf-8")  # read back from the cache as made


def test_without_the_word_list_the_opposite_prefixes_still_hold(monkeypatch):
    from quiz.study import typo_words

    typo_words._word_text.cache_clear()
    monkeypatch.setattr(typo_words, "_source", lambda: None)
    try:
        assert grade(typed_card("demilitarization"), "demilitarizaton").close
        assert not grade(typed_card("demilitarization"), "remilitarization").correct
    finally:
        typo_words._word_text.cache_clear()


@pytest.mark.parametrize(
    ("given", "expected", "right"),
    [
        ("demilitarisation", "demilitarization", True),
        ("travelled", "traveled", True),
        ("centre", "center", True),
        ("behaviour", "behavior", True),
        ("defence", "defense", True),
        ("catalogue", "catalog", True),
        ("pouring", "poring", False),  # not a spelling of one word: two words
        ("refilled", "refiled", False),
        ("timbers", "timbres", False),
    ],
)
def test_british_and_american_spellings_are_one_word_and_nothing_else_is(given, expected, right):
    assert grade(typed_card(expected), given).correct is right
    assert grade(typed_card(given), expected).correct is right
