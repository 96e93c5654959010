"""The titles and first names an article puts before a name ("Russian President Boris
Yeltsin"), so "President Yeltsin" and "Boris Yeltsin" are right for "Yeltsin", while
"Mikhail Yeltsin" (a first name the article never gives him) is not."""

from __future__ import annotations

import re
from functools import lru_cache

from quiz.study.answer_text import normalize

# A token of running text with the punctuation that follows it ("Yeltsin," "J.").
# (Patterns as text, compiled by `re` on first use: grading's import stays cheap.)
_TOKEN = r"[^\W_](?:[\w'\u2019.-]*[^\W_])?[.,;:!?)\"\u201d]*"
_INITIAL = r"^[A-Z]\.$|^(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Prof)\.$"
_POSSESSIVE = r"['\u2019]s$"
_TRAILING = '.,;:!?)"\u201d'
_RUN = 5  # at most this many words of title and name before a surname
_LINKS = frozenset({"of", "to", "for"})  # inside a title: "Minister of Foreign Affairs"
# Courtesy titles that say nothing about who the person is.
COURTESY = frozenset({"mr", "mrs", "ms", "miss"})
# Titles, for a name the article does not give (with it, only the titles it uses count).
TITLES = frozenset(
    """president prime minister premier chancellor ambassador foreign secretary general
    emperor empress king queen tsar czar prince princess chairman senator governor mayor
    professor doctor dr sir lord lady""".split()
)
ABBREVIATED = {"pm": ("prime", "minister"), "fm": ("foreign", "minister"), "pres": ("president",)}
# Words that make another place of a name ("South Korea" is not "Korea"), never a title.
PLACE_QUALIFIERS = frozenset(
    """north south east west northern southern eastern western northeast northwest southeast
    southwest central middle upper lower inner outer greater new old far near""".split()
)
# Words after a name that make another place of it ("China" "Sea"), even lowercase.
PLACE_WORDS = frozenset(
    """sea seas ocean strait straits gulf bay lake river island islands isle peninsula coast
    region province city state states mountains mount cape""".split()
)
# Never part of a name, even capitalised at the start of a sentence ("After Yeltsin ...").
FUNCTION_WORDS = frozenset(
    """a an the and or but nor not no yes of in on at by to from with without within into onto
    for during before after since until till about around near over under across against
    between among through throughout toward towards via per than then as if so also both
    either neither while when where whom who whose which what that this these those his her
    its their our your my former late ex""".split()
)


def _plain(token: str) -> str:
    core = re.sub(_POSSESSIVE, "", token.rstrip(_TRAILING))  # "Abe's" names Abe
    if core.isascii() and core.replace("'", "").replace(".", "").isalnum():
        return core.lower().replace("'", "").replace(".", "")
    return normalize(core)


@lru_cache(maxsize=32)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(_TOKEN, text))


@lru_cache(maxsize=32)
def _plain_tokens(text: str) -> tuple[str, ...]:
    return tuple(_plain(t) for t in _tokens(text))


@lru_cache(maxsize=32)
def _index(text: str) -> dict[str, list[int]]:
    """Where each word of the article is (token positions), built once per article."""
    out: dict[str, list[int]] = {}
    for i, word in enumerate(_plain_tokens(text)):
        out.setdefault(word, []).append(i)
    return out


def _places(text: str, name: tuple[str, ...]) -> list[int]:
    """The token positions where the article names `name`."""
    plain = _plain_tokens(text)
    n = len(name)
    return [i for i in _index(text).get(name[0], ()) if plain[i : i + n] == name]


def _in_name(word: str, plain: str) -> bool:
    """A capitalised word that may belong to a title or name, and does not end a phrase."""
    ends_phrase = word[-1] in _TRAILING and not re.match(_INITIAL, word)
    return word[0].isupper() and not ends_phrase and plain not in FUNCTION_WORDS


def runs_before(text: str, name: tuple[str, ...]) -> list[tuple[str, ...]]:
    """For each place the article names `name` (normalised words), the capitalised words
    right before it in the same phrase, nearest last: ("russian", "president", "boris")."""
    if not name or not text:
        return []
    raw, plain = _tokens(text), _plain_tokens(text)
    out = []
    for i in _places(text, name):
        run: list[str] = []
        j = i - 1
        while j >= 0 and len(run) < _RUN:
            if plain[j] in _LINKS and run and j > 0 and _in_name(raw[j - 1], plain[j - 1]):
                j -= 1  # "Ambassador to Japan Alexander Panov"
                continue
            if not _in_name(raw[j], plain[j]):
                break
            run.append(plain[j])
            j -= 1
        out.append(tuple(reversed(run)))
    return out


def runs_after(text: str, name: tuple[str, ...]) -> list[tuple[str, ...]]:
    """For each place the article names `name`, the lowercase words right after it in the
    same phrase: ("nuclear", "disaster") after "Fukushima"."""
    if not name or not text:
        return []
    raw, plain = _tokens(text), _plain_tokens(text)
    n = len(name)
    out = []
    for i in _places(text, name):
        if raw[i + n - 1][-1] in _TRAILING:
            continue
        run: list[str] = []
        for j in range(i + n, min(i + n + _RUN, len(raw))):
            word = raw[j]
            if not word[0].islower() or plain[j] in FUNCTION_WORDS:
                break
            run.append(plain[j])
            if word[-1] in _TRAILING:
                break
        out.append(tuple(run))
    return out


def following_words(extra: list[str], text: str, name: tuple[str, ...]) -> bool:
    """Whether the words a learner put after `name` are what the article itself puts right
    after it ("Fukushima" "nuclear disaster"), no place word among them ("China" "Sea")."""
    if not extra or any(w in PLACE_WORDS or any(ch.isdigit() for ch in w) for w in extra):
        return False
    return any(run[: len(extra)] == tuple(extra) for run in runs_after(text, name))


def name_words(expected: str) -> tuple[str, ...]:
    """The expected name as the article's words ("Catherine the Great" keeps its "the")."""
    return tuple(p for p in (_plain(t) for t in re.findall(_TOKEN, expected)) if p)


def forgiven_prefix(extra: list[str], text: str, name: tuple[str, ...]) -> bool:
    """Whether the words a learner put before `name` are titles or first names the article
    itself puts before it (in its order), or courtesy titles."""
    wanted = [x for w in extra if w not in COURTESY for x in ABBREVIATED.get(w, (w,))]
    if not wanted:
        return bool(extra)
    if any(
        w in FUNCTION_WORDS or w in PLACE_QUALIFIERS or any(ch.isdigit() for ch in w)
        for w in wanted
    ):
        return False
    runs = runs_before(text, name)
    if not runs:
        # The article never names them (or the card cites none): a title says no other person,
        # a first name could.
        return all(w in TITLES for w in wanted)
    for run in runs:
        it = iter(run)
        if all(any(w == r for r in it) for w in wanted):  # a subsequence of the run
            return True
    return False
