"""Item-writing checks for `quiz lint`: the cues and slips that the research on writing test
questions warns about, as warnings a teacher can read and act on.

Each rule takes one deck (its cards, already parsed and checked) and the article library, and
returns warnings (Problems with a `rule`). They work a deck at a time, so lint can stream decks
file by file. A card silences a rule with `lint: {ignore: [rule], why: ...}`. The README's
"Item-writing checks" section gives each rule's source in Haladyna, Downing & Rodriguez (2002),
"A review of multiple-choice item-writing guidelines for classroom assessment".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from quiz.content.articles import Library
from quiz.content.deck import Card, Deck, Problem
from quiz.content.item_pairs import answer_in_prompt, same_question
from quiz.content.item_text import STOP, Item
from quiz.content.item_text import content as _content
from quiz.content.item_text import words as _words

LONGER = 1.25  # an mcq answer this much longer than every distractor stands out
NEGATIONS = {"not", "no", "never", "none", "nothing", "neither", "nor", "without", "cannot"}
# Who says it is not what is said: left out when a false statement is compared with its quote.
SAYING = {"says", "said", "argues", "according", "believes", "thinks", "writes", "calls"}
AUTHOR_PROMPT = re.compile(r"\b(which|what) (author|writer|analyst's article)\b", re.I)
PIECE_PROMPT = re.compile(r"\b(which|what) (piece|article|report)\b", re.I)


Rule = Callable[[Deck, list[Item], Library], Iterator[tuple[Card, str]]]


def answer_length(deck, items, library):
    for it in items:
        c = it.card
        if c.type != "mcq" or not isinstance(c.answer, str):
            continue
        others = [len(x) for x in c.choices if x != c.answer]
        if others and len(c.answer) >= LONGER * max(others):
            ratio = len(c.answer) / max(others)
            yield (
                c,
                (
                    f"the answer is {ratio:.1f}x the longest distractor ({len(c.answer)} chars "
                    f"to {max(others)}): the longest choice gives itself away"
                ),
            )


def mixed_choices(deck, items, library):
    authors = {a.author for a in library.articles.values() if a.author}
    surnames = {a.split()[-1].lower() for a in authors}
    names = surnames | {w for a in library.articles.values() for w in _content(a.publication or "")}
    for it in items:
        c = it.card
        if c.type != "mcq":
            continue
        numeric = [bool(re.fullmatch(r"[\d\s.,%–-]+", x.strip())) for x in c.choices]
        if any(numeric) and not all(numeric):
            yield c, "choices mix numbers and words: the odd one out is a cue"
            continue
        if AUTHOR_PROMPT.search(c.prompt):
            odd = [x for x in c.choices if not (set(_words(x)) & surnames)]
            if odd:
                yield (
                    c,
                    (
                        f"asks for an author, but {_list(odd)} wrote none of the articles "
                        f"(authors: {', '.join(sorted(authors))})"
                    ),
                )
        elif PIECE_PROMPT.search(c.prompt):
            odd = [x for x in c.choices if not (set(_words(x)) & names)]
            if odd:
                yield c, f"asks for an article, but {_list(odd)} names none of them"


def furniture_quote(deck, items, library):
    for it in items:
        if it.span is None:
            continue
        furniture = library.furniture_spans(it.article)
        if any(s <= it.span[0] and it.span[1] <= e or s < it.span[1] and it.span[0] < e
               for s, e in furniture):  # fmt: skip
            yield (
                it.card,
                (
                    "quotes page furniture (a caption, credit, byline, menu or comment), not the "
                    "article's body"
                ),
            )


def negation_flip(deck, items, library):
    for it in items:
        c = it.card
        if c.type != "truefalse" or c.answer is not False or c.source is None:
            continue
        quoted = _words(c.source.quote or "")
        # Names (capitalised words) and who says it are attribution, not the statement.
        said = [w for w in _words(" ".join(x for x in c.prompt.split() if not x[:1].isupper()))]
        said = [w for w in said if w not in SAYING]
        neg = sum(w in NEGATIONS or w.endswith("n't") for w in _words(c.prompt))
        neg_q = sum(w in NEGATIONS or w.endswith("n't") for w in quoted)
        content = {w for w in said if w not in NEGATIONS and w not in STOP and len(w) > 2}
        if not content or neg == neg_q:
            continue
        kept = len(content & set(quoted)) / len(content)
        if abs(neg - neg_q) == 1 and kept >= 0.7:
            yield (
                c,
                (
                    "the false statement is its quote with one negation added or taken away: it "
                    "tests recognition of the wording; state a plausible misreading instead"
                ),
            )


RULES: dict[str, Rule] = {
    "answer-length": answer_length,
    "mixed-choices": mixed_choices,
    "same-question": same_question,
    "answer-in-prompt": answer_in_prompt,
    "furniture-quote": furniture_quote,
    "negation-flip": negation_flip,
}


def check_deck(deck: Deck, library: Library) -> list[Problem]:
    """The item-writing warnings for one deck, in card order (a card's ignores applied)."""
    items = [Item(c, library, i) for i, c in enumerate(deck.cards)]
    out: list[Problem] = []
    for c in deck.cards:
        for rule in c.lint_ignore:
            if rule not in RULES:
                out.append(_warn(deck, c, f"lint: no rule '{rule}' to ignore", "lint"))
    for name, rule in RULES.items():
        for card, message in rule(deck, items, library):
            if name not in card.lint_ignore:
                out.append(_warn(deck, card, message, name))
    out.sort(key=lambda p: p.line)
    return out


def _warn(deck: Deck, card: Card, message: str, rule: str) -> Problem:
    return Problem(deck.path, card.line, f"{message} [{rule}]", card.id, note=True, rule=rule)


def _list(choices: list[str]) -> str:
    return ", ".join(f"'{x}'" for x in choices)
