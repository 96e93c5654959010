"""One typed answer against one accepted form: what a careful reader would forgive, and
nothing that is a different name, number or place.

Forgiven: case, punctuation, accents, a leading article; a list in any order and with any
joiner (quiz.study.answer_lists); leading words that only restate the question ("in 1956", "a
problem of national dignity") and trailing ones naming what it asks for ("Hokkaido island" for
"which island?"); a number as a word, digits or Roman numerals, with its unit ("five times"),
a date in either order (quiz.study.answer_numbers); a title or first name the cited article
gives the person ("President Yeltsin"), or words it puts after a name (quiz.study.answer_names);
a name's words in another order; an abbreviation spelt out; "X of Y" for "Y X"; one name for a
country ("America"); British or American spelling, a plural, a place's adjective before a noun
("Ukrainian crisis"); and one slip in a long word that makes no other real word nor swaps a
prefix for its opposite (quiz.study.typo_words).
"""

from __future__ import annotations

import re

from quiz.study import typo_words
from quiz.study.answer_context import AnswerContext
from quiz.study.answer_lists import items, pair_up
from quiz.study.answer_names import FUNCTION_WORDS, following_words, forgiven_prefix, name_words
from quiz.study.answer_numbers import canonical, feature_last, is_number
from quiz.study.answer_text import normalize

MIN_TYPO_LENGTH = 6  # shorter words must be exact: "Abe" is not "Ab", "Sochi" not "Sochy"

# Prepositions that never change what the answer is: "in 1956", "on 19 October 1956",
# "at Sochi". ("by" too, except before a number: "by 1956" is "no later than 1956".)
ALWAYS_PREPOSITIONS = frozenset({"in", "on", "at"})
# Forgiven when the question uses them, so the learner only repeats it ("To which country
# ...?" "To Vietnam"; "lie off the coast of which island?" "Off Hokkaido").
RESTATING_PREPOSITIONS = frozenset(
    """to from of with within into onto for during through across against via toward
    towards inside off""".split()
)
# Any other preposition ("before", "after", "since", "around", "over", ...) changes the answer
# ("before 1956" is not 1956), unless the question asks with it: "after which event?"
# "After Fukushima" (AnswerContext.asking_prepositions).

# What a count is of: "five times", "4 islands"; and what the question asks for ("how many
# meetings?") counts too.
UNITS = frozenset(
    """time times island islands islet islets year years decade decades month months day
    days week weeks century centuries generation generations meeting meetings visit visits
    summit summits trip trips round rounds country countries nation nations people persons
    member members percent km kilometres kilometers miles""".split()
)
# What "for" and "over" may come before: a duration ("for several generations").
DURATIONS = frozenset(
    """several many few some a two three four five six seven eight nine ten generations
    decades years months weeks days centuries""".split()
)
_YEAR_WORDS = frozenset({"year", "the year"})


class Match:
    """A fair answer, and what was forgiven to call it one. (A plain class, not a dataclass:
    it is made at the first typed answer, and a dataclass costs a millisecond to define.)"""

    __slots__ = ("close", "forgiven")

    def __init__(self, close: bool = False, forgiven: tuple[str, ...] = ()):
        self.close = close  # right after forgiving a slip of the keyboard
        self.forgiven = forgiven  # what else was forgiven: "order", "preposition", ...

    def __eq__(self, other) -> bool:
        return isinstance(other, Match) and (self.close, self.forgiven) == (
            other.close,
            other.forgiven,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Match(close={self.close}, forgiven={self.forgiven})"

    def plus(self, *reasons: str) -> Match:
        return Match(self.close, _merge(self.forgiven, reasons))


def _merge(*groups) -> tuple[str, ...]:
    out: list[str] = []
    for group in groups:
        for r in group:
            if r not in out:
                out.append(r)
    return tuple(out)


def _has_words(text: str) -> bool:
    return bool(normalize(text))


def match_answer(given: str, expected: str, ctx: AnswerContext | None = None) -> Match | None:
    """A Match when `given` is a fair answer for the accepted form `expected`, else None."""
    ctx = ctx or AnswerContext()
    exact = words(given)
    if exact and exact == words(expected):  # the common case, with no list to split
        return Match()
    given_items, expected_items = items(given, _has_words), items(expected, _has_words)
    if len(expected_items) > 1 or len(given_items) > 1:
        pairs = pair_up(given_items, expected_items, lambda g, e: match_phrase(g, e, ctx))
        if pairs is not None:
            in_order = [j for j, _ in pairs] == list(range(len(pairs)))
            close = any(m.close for _, m in pairs)
            reasons = _merge(*(m.forgiven for _, m in pairs), () if in_order else ("order",))
            return Match(close, reasons)
    # Punctuation that joins no list ("Northern, Territories"): the whole as one phrase, but
    # no words added before a name (a second name is no title).
    return match_phrase(given, expected, ctx, names=len(given_items) < 2)


# One name for a country however it is written ("America", "the USA", "the U.S.").
SYNONYMS = {
    "america": "united states", "usa": "united states", "us": "united states",
    "united states of america": "united states", "uk": "united kingdom",
    "britain": "united kingdom", "great britain": "united kingdom",
    "ussr": "soviet union", "union of soviet socialist republics": "soviet union",
    "prc": "china", "peoples republic of china": "china",
    "rok": "south korea", "republic of korea": "south korea",
    "dprk": "north korea", "democratic peoples republic of korea": "north korea",
}  # fmt: skip
# Nouns that frame an answer without changing it: "a matter of national dignity".
FRAME_NOUNS = frozenset("matter question issue problem case kind sort type form".split())


def words(text: str) -> list[str]:
    return _one_name(canonical(normalize(text).split()))


def _one_name(tokens: list[str]) -> list[str]:
    joined = " ".join(tokens)
    return SYNONYMS[joined].split() if joined in SYNONYMS else tokens


def match_phrase(
    given: str, expected: str, ctx: AnswerContext, *, names: bool = True
) -> Match | None:
    g, e = words(given), words(expected)
    if not g or not e:
        return None
    if g == e or "".join(g) == "".join(e):  # "G-7" is "G7"
        return Match()
    reasons: tuple[str, ...] = ()
    lead = _restating_lead(g, e, ctx)
    if lead:
        g, reasons = _one_name(feature_last(g[lead:])), ("preposition",)
        if g == e or "".join(g) == "".join(e):
            return Match(forgiven=reasons)
    found = _word_by_word(g, e, ctx)
    if found is None:
        found = _with_unit(g, e, ctx)
    if found is None and len(g) > len(e) and all(w in ctx.asked_nouns for w in g[len(e) :]):
        head = _word_by_word(g[: len(e)], e, ctx)
        found = head.plus("restated") if head is not None else None
    if found is None and _spells_acronym(g, given, expected):
        found = Match(forgiven=("acronym",))
    if found is None and names and len(g) > len(e) and _looks_like_name(expected):
        found = _with_title(g, e, expected, ctx)
    if found is None:
        found = _turned_round(g, e, ctx)
    if found is None and _looks_like_name(expected) and len(e) <= 3:
        if sorted(g) == sorted(e):  # "Abe Shinzo", the Japanese order; "Yeltsin, Boris"
            found = Match(forgiven=("order",))
    return found.plus(*reasons) if found is not None else None


def _with_title(g: list[str], e: list[str], expected: str, ctx: AnswerContext) -> Match | None:
    """Words the article puts around the name: a title or first name before it ("President
    Yeltsin"), or what it calls it after ("the Fukushima nuclear disaster")."""
    name = name_words(expected)
    head = _word_by_word(g[: len(e)], e, ctx)
    if head is not None and not ctx.cloze and following_words(g[len(e) :], ctx.article_text, name):
        return head.plus("article")
    tail = _word_by_word(g[len(g) - len(e) :], e, ctx)
    if tail is not None and forgiven_prefix(g[: len(g) - len(e)], ctx.article_text, name):
        return tail.plus("title")
    return None


def _turned_round(g: list[str], e: list[str], ctx: AnswerContext) -> Match | None:
    """ "the crisis in Ukraine" for "Ukraine crisis", "the islands of Japan" for "Japan's
    islands": a phrase and its "of"/"in" form, either way round."""
    for a, b in ((g, e), (e, g)):
        for i in range(1, len(a) - 1):
            if a[i] in ("in", "of"):
                turned = [*a[i + 1 :], *a[:i]]
                pair = (turned, b) if a is g else (b, turned)
                found = _word_by_word(*pair, ctx)
                if found is not None:
                    return found.plus("order")
    return None


def _restating_lead(g: list[str], e: list[str], ctx: AnswerContext) -> int:
    """How many leading words only restate the question: a preposition ("in 1956"), or words
    of the question ending in one ("a problem of national dignity")."""
    if len(g) < 2 or g[0] == e[0]:
        return 0
    if _restates(g[0], g[1], ctx):
        return 1
    framing = ctx.prompt_words | FRAME_NOUNS
    for k in range(2, len(g) - len(e) + 1):
        head = g[:k]
        if all(w in framing and not is_number(w) for w in head[:-1]) and _restates(
            head[-1], g[k], ctx
        ):
            return k
    return 0


def _restates(prep: str, following: str, ctx: AnswerContext) -> bool:
    if prep in ALWAYS_PREPOSITIONS:
        return True
    if prep in ctx.asking_prepositions:
        return True
    if prep == "by":
        return not is_number(following)
    if prep in ("for", "over") and (is_number(following) or following in DURATIONS):
        return True  # "for several generations", "over seven decades"
    return prep in RESTATING_PREPOSITIONS and prep in ctx.prompt_words


def _spells_acronym(g: list[str], given: str, expected: str) -> bool:
    """ "Shanghai Cooperation Organisation" for "SCO": the initials of the words that carry
    meaning spell the expected abbreviation, letter for letter."""
    letters = expected.strip()
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    if "and" in g or "or" in g:  # "the United States and ASEAN" is two answers
        return False
    if re.search(r"\b[A-Z]{2,}\b", given):  # an abbreviation is no word of the long form
        return False
    content = [w for w in g if w not in FUNCTION_WORDS]
    if any(len(w) < 4 for w in content):  # long-form words, not a name tacked on ("Abe")
        return False
    return len(content) == len(letters) and "".join(w[0] for w in content) == letters.lower()


def _looks_like_name(expected: str) -> bool:
    return any(ch.isupper() for ch in expected) and not any(ch.isdigit() for ch in expected)


def _with_unit(g: list[str], e: list[str], ctx: AnswerContext) -> Match | None:
    """A number with what it counts ("five times" for "five"), or "the year 1956"."""
    if not is_number(e[-1]) or len(g) <= len(e):
        return None
    if g[len(g) - len(e) :] == e and " ".join(g[: len(g) - len(e)]) in _YEAR_WORDS:
        return Match(forgiven=("unit",))
    head, rest = g[: len(e)], g[len(e) :]
    # Only a count has a unit: not a year ("1945 generations"), nor "World War 2".
    if head != e or len(e) != 1 or not e[0].isdecimal() or int(e[0]) >= 1000:
        return None
    if all(not is_number(w) and (w in UNITS or w in ctx.asked_nouns) for w in rest):
        return Match(forgiven=("unit",))
    return None


def _word_by_word(g: list[str], e: list[str], ctx: AnswerContext) -> Match | None:
    if len(g) != len(e):
        return None
    kinds = [word_match(x, y, ctx) for x, y in zip(g, e)]
    for i in range(len(e) - 1):  # a place before another word: "Ukrainian crisis"
        if kinds[i] is None and adjective_of(g[i], e[i]):
            kinds[i] = "adjective"
    if None in kinds:
        return None
    slips = sum(k in ("typo", "plural") for k in kinds)
    if slips > 1:
        return None
    return Match(slips == 1, _merge([k for k in kinds if k != "same"]))


def adjective_of(given: str, place: str) -> bool:
    """ "Ukrainian" for "Ukraine", "Japanese" for "Japan", "Russian" for "Russia" (only the
    regular endings: "Romanian" is not "Roman", nor "Nigerian" "Niger")."""
    if len(place) < 4 or is_number(place):
        return False
    if place.endswith("a"):
        forms = {place + "n", place[:-1] + "ese"}
    elif place.endswith(("e", "y")):
        forms = {place[:-1] + "ian"}
    else:
        forms = {place + "ese", place + "i"}
    return given in forms


def word_match(given: str, expected: str, ctx: AnswerContext) -> str | None:
    """'same', 'spelling' (British/American), 'plural', 'typo', or None: another word."""
    if given == expected:
        return "same"
    # Numbers must be exact: "1956" is not "1965".
    if is_number(given) or is_number(expected):
        return None
    if len(expected) < MIN_TYPO_LENGTH:
        return None
    if typo_words.same_word_spelt_otherwise(given, expected):
        return "spelling"
    if typo_words.plural_of(given, expected):
        return "plural"
    if not typo_words.one_typo(given, expected):
        return None
    if typo_words.opposite_prefix(given, expected):
        return None
    if typo_words.is_word(given, ctx.known_words):
        return None
    return "typo"
