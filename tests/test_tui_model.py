"""The study screen's plain helpers: choice order, the tally, cloze display, feedback text."""

from __future__ import annotations

from tui_support import CLOZE, MCQ, TYPED

from quiz.study.grading import grade
from quiz.tui.model import Result, Tally, choice_order, cloze_display, cloze_revealed, elapsed_text
from quiz.tui.widgets.feedback import feedback_content


def test_choice_order_is_stable_per_card_and_review(make_deck):
    card = make_deck(MCQ).cards[0]
    first = choice_order("mini", card, 0)
    assert sorted(first) == sorted(card.choices)
    assert choice_order("mini", card, 0) == first  # the same while the card is on screen
    orders = {tuple(choice_order("mini", card, reps)) for reps in range(12)}
    assert len(orders) > 1  # but not the same order at every review


def test_tally_counts_objective_cards_only():
    tally = Tally()
    for r in (Result(3, True, 1000), Result(1, False, 2000), Result(3, None, 500)):
        tally.add(r)
    assert (tally.cards, tally.objective, tally.right, tally.ms) == (3, 2, 1, 3500)
    assert tally.accuracy == 0.5
    tally.drop_last()
    assert tally.cards == 2
    assert Tally().accuracy is None


def test_elapsed_text():
    shown = [elapsed_text(ms) for ms in (0, 4_400, 61_000, 3_725_000)]
    assert shown == ["0s", "4s", "1m 01s", "1h 02m"]


def test_cloze_shows_numbered_gaps_and_fills_them(make_deck):
    card = make_deck(CLOZE).cards[0]
    assert cloze_display(card.prompt) == "Japan says [1] _____; Russia says [2] _____."
    filled = [text for text, is_answer in cloze_revealed(card) if is_answer]
    assert filled == ["Northern Territories", "Southern Kurils"]


def test_feedback_for_a_far_off_answer_strikes_it_whole(make_deck):
    card = make_deck(TYPED).cards[0]
    content = feedback_content(card, grade(card, "Sakhalin"), answered=True, source_title="T")
    you = next(line for line in content.plain.splitlines() if line.startswith("You"))
    assert you.endswith("Sakhalin")  # not interleaved with the right answer's letters
    assert "The Northern Territories" in content.plain and "T\n“what the Japanese" in content.plain
