"""The item-writing rules that compare cards citing one paragraph (quiz.content.item_rules):
which card each warning falls on, which card it names, and `lint: {ignore}`."""

from __future__ import annotations

from tui_support import QUOTE

from quiz.content.item_rules import check_deck

OTHER_QUOTE = "Russia and Japan share several overlapping geopolitical and economic interests"


def typed(cid: str, prompt: str, answer: str, quote: str = QUOTE, extra: str = "") -> str:
    return (
        f"- id: {cid}\n  type: typed\n  prompt: {prompt}\n  answer: {answer}\n"
        f"  explanation: The Diplomat says so.\n{extra}"
        f'  source:\n    article: thorn-in-ties\n    quote: "{quote}"\n'
    )


def warnings(deck, library, rule: str) -> list[tuple[str, str]]:
    return [(p.card_id, p.message) for p in check_deck(deck, library) if p.rule == rule]


NAME = typed(
    "japanese-name", "What do the Japanese call the disputed islands?", "Northern Territories"
)
GIVES_AWAY = typed(
    "why-matter", "Why do the Northern Territories matter to Japan's leaders?", "national prestige"
)


def test_a_prompt_giving_away_another_cards_answer_from_its_paragraph(make_deck, library):
    found = warnings(make_deck(NAME + GIVES_AWAY), library, "answer-in-prompt")
    assert [cid for cid, _ in found] == ["why-matter"]
    assert "'japanese-name'" in found[0][1] and "'Northern Territories'" in found[0][1]


def test_no_give_away_across_paragraphs(make_deck, library):
    elsewhere = typed(
        "why-matter", "Why do the Northern Territories matter to Japan's leaders?",
        "national prestige", quote=OTHER_QUOTE,
    )  # fmt: skip
    assert warnings(make_deck(NAME + elsewhere), library, "answer-in-prompt") == []


def test_an_ignore_with_its_reason_silences_the_rule_on_that_card(make_deck, library):
    ignored = GIVES_AWAY.replace(
        "  source:", '  lint:\n    ignore: [answer-in-prompt]\n    why: "tested apart"\n  source:'
    )
    assert warnings(make_deck(NAME + ignored), library, "answer-in-prompt") == []


def test_the_same_question_twice_is_flagged_on_the_second_naming_the_first(make_deck, library):
    again = typed("japanese-name-again", "What do the Japanese call the disputed islands?",
                  "the Northern Territories")  # fmt: skip
    between = typed("shared-interests", "What do Russia and Japan share?",
                    "geopolitical and economic interests", quote=OTHER_QUOTE)  # fmt: skip
    deck = make_deck(NAME + between + again)
    found = warnings(deck, library, "same-question")
    assert [cid for cid, _ in found] == ["japanese-name-again"]
    line = next(c.line for c in deck.cards if c.id == "japanese-name")
    assert f"'japanese-name' (line {line})" in found[0][1]


def test_different_questions_of_one_paragraph_pass(make_deck, library):
    russian = typed("russian-name", "What do the Russians term the disputed islands?",
                    "Southern Kurils")  # fmt: skip
    assert warnings(make_deck(NAME + russian), library, "same-question") == []
