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
from dataclasses import dataclass
from functools import cached_property

from quiz.content.articles import Library, fold
from quiz.content.deck import BLANK_RE, Card, Deck, Problem

LONGER = 1.25  # an mcq answer this much longer than every distractor stands out
# Two cards of one paragraph ask the same thing when most of the shorter one's content words
# (prompt and answer) are the longer one's, or, citing overlapping spans, when their words
# overlap this much (Jaccard): tuned on the bundled decks' known duplicates.
SAME_SHARE = 0.6
SAME_OVERLAPPING = 0.27
NEGATIONS = {"not", "no", "never", "none", "nothing", "neither", "nor", "without", "cannot"}
STOP = set(
    """a an the of to in on at by for from with and or but as is are was were be been being it its
    this that these those which who whom whose what why how when where does do did has have had
    would could should will can may might about into than then so such their they them there
    his her he she we our you your also only both each any all more most own same other""".split()
)
# Who says it is not what is said: left out when a false statement is compared with its quote.
SAYING = {"says", "said", "argues", "according", "believes", "thinks", "writes", "calls"}
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
AUTHOR_PROMPT = re.compile(r"\b(which|what) (author|writer|analyst's article)\b", re.I)
PIECE_PROMPT = re.compile(r"\b(which|what) (piece|article|report)\b", re.I)


def _words(text: str) -> list[str]:
    """Lower-case words, possessives taken off ("Weitz's" is "weitz")."""
    words = (w.replace("’", "'") for w in WORD.findall(fold(text).lower()))
    return [w[:-2] if w.endswith("'s") else w for w in words]


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in STOP and len(w) > 2}


def _phrase_in(phrase: str, text: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words (folded, any case)."""
    p = " ".join(_words(phrase))
    return bool(p) and f" {p} " in f" {' '.join(_words(text))} "


@dataclass
class _Item:
    """A card as the rules see it: its answers and where its quote sits."""

    card: Card
    library: Library

    @cached_property
    def span(self) -> tuple[int, int] | None:
        src = self.card.source
        if src is None or src.article is None or src.quote is None:
            return None
        return self.library.body_span(src.article, src.quote)

    @property
    def article(self) -> str | None:
        return self.card.source.article if self.card.source else None

    @cached_property
    def answers(self) -> list[str]:
        """The short answers a prompt could give away: typed (and accepted forms) and mcq.
        True/false and recall answers are statements, not words to give away, and a cloze
        blank is guessed from its own sentence ('a rising {{China}}') whatever others say."""
        c = self.card
        if c.type in ("typed", "mcq") and isinstance(c.answer, str):
            return [c.answer, *c.accept]
        return []

    @cached_property
    def paragraph(self) -> tuple[str, int] | None:
        if self.span is None:
            return None
        text = self.library.get(self.article).text
        return self.article, text.count("\n\n", 0, self.span[0])

    def overlaps(self, other: _Item) -> bool:
        a, b = self.span, other.span
        return (
            a is not None and b is not None and self.article == other.article
            and a[0] < b[1] and b[0] < a[1]
        )  # fmt: skip

    @cached_property
    def asks(self) -> set[str]:
        return _content(f"{self.card.prompt} {self.card.answer_text()}".replace("{", " "))


Rule = Callable[[Deck, list[_Item], Library], Iterator[tuple[Card, str]]]


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


def same_question(deck, items, library):
    earlier: dict = {}  # paragraph -> the cards before this one citing it, in deck order
    for it in items:
        if it.paragraph is None:
            continue
        group = earlier.setdefault(it.paragraph, [])
        for first in group:
            same_answer = any(
                fold(a).lower() == fold(b).lower() for a in it.answers for b in first.answers
            )
            shared = len(it.asks & first.asks)
            share = shared / (min(len(it.asks), len(first.asks)) or 1)
            jaccard = shared / (len(it.asks | first.asks) or 1)
            overlapping = it.overlaps(first)
            if (
                (same_answer and overlapping)
                or share >= SAME_SHARE
                or (overlapping and jaccard >= SAME_OVERLAPPING)
            ):
                yield (
                    it.card,
                    (
                        f"asks what card '{first.card.id}' (line {first.card.line}) asks, from the "
                        "same passage: merge them, or ask something else of the passage"
                    ),
                )
                break
        group.append(it)


def answer_in_prompt(deck, items, library):
    # Only cards citing the same paragraph are compared, so they are grouped first (in deck
    # order, so the card named is the same), and each text is made into words once: comparing
    # every pair of a 10,000-card file was most of `quiz lint`'s time (bench/RESULTS.md).
    by_paragraph: dict = {}
    for it in items:
        if it.paragraph is not None:
            by_paragraph.setdefault(it.paragraph, []).append(it)
    padded: dict[str, str] = {}

    def words_of(text: str) -> str:
        if text not in padded:
            padded[text] = f" {' '.join(_words(text))} "
        return padded[text]

    for it in items:
        prompt = words_of(it.card.prompt)
        for other in by_paragraph.get(it.paragraph, ()) if it.paragraph is not None else ():
            if other is it:
                continue
            own = words_of(BLANK_RE.sub(" ", other.card.prompt))
            given = [
                a for a in other.answers
                if len(a) >= 4 and (p := words_of(a).strip()) and f" {p} " in prompt
                and f" {p} " not in own
            ]  # fmt: skip
            if given:
                yield (
                    it.card,
                    (
                        f"the prompt gives away the answer of card '{other.card.id}' "
                        f"('{given[0]}'): a learner who sees both learns nothing from the second"
                    ),
                )
                break


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
    items = [_Item(c, library) for c in deck.cards]
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
