"""Item-writing checks for `quiz lint`: the cues and slips that the research on writing test
questions warns about, as warnings a teacher can read and act on.

Most rules look at one card (already parsed and checked); two compare a deck's cards
(quiz.content.item_pairs). They work a deck at a time, so lint can stream decks
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
NUMERIC = re.compile(r"[\d\s.,%–-]+")


def answer_length(c: Card, it: Item, library: Library) -> str | None:
    if c.type != "mcq" or not isinstance(c.answer, str):
        return None
    others = [len(x) for x in c.choices if x != c.answer]
    if others and len(c.answer) >= LONGER * max(others):
        ratio = len(c.answer) / max(others)
        return (
            f"the answer is {ratio:.1f}x the longest distractor ({len(c.answer)} chars "
            f"to {max(others)}): the longest choice gives itself away"
        )
    return None


_named: list = [None, None]  # the library last asked about, and its names


def _names(library: Library) -> tuple[set[str], set[str], set[str]]:
    """(authors, their surnames, the words naming an article) of the library."""
    if _named[0] is library:
        return _named[1]
    authors = {a.author for a in library.articles.values() if a.author}
    surnames = {a.split()[-1].lower() for a in authors}
    names = surnames | {w for a in library.articles.values() for w in _content(a.publication or "")}
    _named[:] = library, (authors, surnames, names)
    return _named[1]


def mixed_choices(c: Card, it: Item, library: Library) -> str | None:
    if c.type != "mcq":
        return None
    authors, surnames, names = _names(library)
    numeric = [bool(NUMERIC.fullmatch(x.strip())) for x in c.choices]
    if any(numeric) and not all(numeric):
        return "choices mix numbers and words: the odd one out is a cue"
    if AUTHOR_PROMPT.search(c.prompt):
        odd = [x for x in c.choices if not (set(_words(x)) & surnames)]
        if odd:
            return (
                f"asks for an author, but {_list(odd)} wrote none of the articles "
                f"(authors: {', '.join(sorted(authors))})"
            )
    elif PIECE_PROMPT.search(c.prompt):
        odd = [x for x in c.choices if not (set(_words(x)) & names)]
        if odd:
            return f"asks for an article, but {_list(odd)} names none of them"
    return None


def furniture_quote(c: Card, it: Item, library: Library) -> str | None:
    if it.span is None:
        return None
    furniture = library.furniture_spans(it.article)
    if any(s <= it.span[0] and it.span[1] <= e or s < it.span[1] and it.span[0] < e
           for s, e in furniture):  # fmt: skip
        return (
            "quotes page furniture (a caption, credit, byline, menu or comment), not the "
            "article's body"
        )
    return None


def negation_flip(c: Card, it: Item, library: Library) -> str | None:
    if c.type != "truefalse" or c.answer is not False or c.source is None:
        return None
    quoted = _words(c.source.quote or "")
    # Names (capitalised words) and who says it are attribution, not the statement.
    said = [w for w in _words(" ".join(x for x in c.prompt.split() if not x[:1].isupper()))]
    said = [w for w in said if w not in SAYING]
    neg = sum(w in NEGATIONS or w.endswith("n't") for w in _words(c.prompt))
    neg_q = sum(w in NEGATIONS or w.endswith("n't") for w in quoted)
    content = {w for w in said if w not in NEGATIONS and w not in STOP and len(w) > 2}
    if not content or neg == neg_q:
        return None
    kept = len(content & set(quoted)) / len(content)
    if abs(neg - neg_q) == 1 and kept >= 0.7:
        return (
            "the false statement is its quote with one negation added or taken away: it "
            "tests recognition of the wording; state a plausible misreading instead"
        )
    return None


# Each card's own rules, and the rules comparing a deck's cards (quiz.content.item_pairs).
CardRule = Callable[[Card, Item, Library], "str | None"]
PairRule = Callable[[None, list[Item], Library], Iterator[tuple[Item, str]]]
CARD_RULES: dict[str, CardRule] = {
    "answer-length": answer_length,
    "mixed-choices": mixed_choices,
    "furniture-quote": furniture_quote,
    "negation-flip": negation_flip,
}
PAIR_RULES: dict[str, PairRule] = {
    "same-question": same_question,
    "answer-in-prompt": answer_in_prompt,
}
# The order a card's warnings are listed in (an unknown ignored rule first).
RULES = [
    "answer-length", "mixed-choices", "same-question", "answer-in-prompt", "furniture-quote",
    "negation-flip",
]  # fmt: skip
_ORDER = {name: i + 1 for i, name in enumerate(RULES)}


class DeckCheck:
    """A deck's item-writing warnings, its cards given one at a time (add): each card's own
    rules run at once and only its Item is kept for the rules that compare cards (finish), so
    lint streams a file's cards without holding them."""

    BATCH = 256  # cards checked together: a batch at a time runs faster than one at a time

    def __init__(self, path: str, library: Library):
        self.path, self.library = path, library
        self.items: list[Item] = []
        self.found: list[tuple] = []  # (line, rule order, card, its id, message, rule)
        self.waiting: list[Card] = []
        self.cards = 0

    def add(self, card: Card) -> None:
        self.waiting.append(card)
        self.cards += 1
        if len(self.waiting) >= self.BATCH:
            self._check_waiting()

    def _check_waiting(self) -> None:
        library, items = self.library, self.items
        for card in self.waiting:
            it = Item(card, library, len(items))
            items.append(it)
            for rule in card.lint_ignore:
                if rule not in _ORDER:
                    self._warn(it, 0, f"lint: no rule '{rule}' to ignore", "lint")
            for name, rule in CARD_RULES.items():
                message = rule(card, it, library)
                if message is not None and name not in card.lint_ignore:
                    self._warn(it, _ORDER[name], message, name)
        self.waiting = []

    def finish(self) -> list[Problem]:
        """The warnings, in card order (a card's in rule order); the Items let go."""
        return [self.problem(f) for f in self.found_in_order()]

    def found_in_order(self) -> list[tuple]:
        """The warnings as finish() orders them, each a tuple for problem(): lint makes each
        Problem only to print it, rather than holding 20,000 of them with their text."""
        self._check_waiting()
        for name, rule in PAIR_RULES.items():
            for it, message in rule(None, self.items, self.library):
                if name not in it.ignore:
                    self._warn(it, _ORDER[name], message, name)
        self.items = []
        found, self.found = self.found, []
        found.sort(key=lambda f: f[:3])
        return found

    def problem(self, found: tuple) -> Problem:
        line, _order, _index, cid, message, rule = found
        return Problem(self.path, line, f"{message} [{rule}]", cid, note=True, rule=rule)

    def _warn(self, it: Item, order: int, message: str, rule: str) -> None:
        self.found.append((it.line, order, it.index, it.id, message, rule))


def check_deck(deck: Deck, library: Library) -> list[Problem]:
    """The item-writing warnings for one deck, in card order (a card's ignores applied)."""
    check = DeckCheck(deck.path, library)
    for c in deck.cards:
        check.add(c)
    return check.finish()


def _list(choices: list[str]) -> str:
    return ", ".join(f"'{x}'" for x in choices)
