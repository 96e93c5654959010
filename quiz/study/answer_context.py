"""What a grader knows about a card beyond its answers: the question's words (a preposition
that restates them is forgiven) and the article it cites (its words are real words, and the
titles and first names it gives a person are that person's). Everything is looked up only
when a rule needs it, so an exact answer costs nothing extra."""

from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache

from quiz.study.answer_text import normalize

PREPOSITIONS = frozenset(
    """about above across after against along amid among around as at before behind below
    beneath beside besides between beyond by despite down during except for from in inside
    into near of off on onto outside over past per since through throughout till to toward
    towards under underneath until up upon via with within without like than""".split()
)
_NOT_NOUNS = frozenset(
    """do does did is are was were has have had will would can could should may might the
    of and or he she it they we you i that this these those""".split()
)
# normalize() has dropped the articles: "after which event", "of the {{" are "after which",
# "of qqblank".
_ASKING = r"\b([a-z]+) (?:which|what|whom|whose|when|where|how|qqblank)\b"


class AnswerContext:
    # A plain class, not a dataclass: defined at the first typed answer, where a dataclass
    # would cost a millisecond.
    def __init__(self, prompt: str = "", article_id: str | None = None, cloze: bool = False):
        self.prompt = prompt
        self.article_id = article_id
        self.cloze = cloze  # a blank sits in a sentence: words after it would clash with it

    @classmethod
    def of(cls, card) -> AnswerContext:
        source = getattr(card, "source", None)
        return cls(str(card.prompt or ""), getattr(source, "article", None), card.type == "cloze")

    @cached_property
    def prompt_words(self) -> frozenset[str]:
        return frozenset(normalize(self.prompt).split())

    @cached_property
    def asking_prepositions(self) -> frozenset[str]:
        """Prepositions the question asks with ("after which event?", "In what year",
        "in the {{...}}"): an answer that repeats one only restates the question."""
        text = normalize(self.prompt.replace("{{", " qqblank "))
        return frozenset(m.group(1) for m in re.finditer(_ASKING, text)) & PREPOSITIONS

    @cached_property
    def asked_nouns(self) -> frozenset[str]:
        """The words of what the question asks for ("which Japanese island?": "japanese",
        "island"): "Hokkaido island" only restates it."""
        # Capitalised words are skipped: a name in the question ("which country counterbalances
        # China?") is no part of what it asks for.
        out: set[str] = set()
        tokens = re.findall(r"[^\W\d_][\w'\u2019-]*", self.prompt)
        for i, token in enumerate(tokens):
            low = token.casefold()
            if low not in ("which", "what") and not (
                low == "many" and i and tokens[i - 1].casefold() == "how"
            ):
                continue
            for word in tokens[i + 1 : i + 4]:
                plain = normalize(word)
                if plain in PREPOSITIONS or plain in _NOT_NOUNS:
                    break
                if word[0].islower():
                    out.add(plain)
        return frozenset(out)

    @cached_property
    def article_text(self) -> str:
        return article_text(self.article_id) if self.article_id else ""

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        return _vocabulary(self.article_text)

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Words this card's own texts use: real words, even when no dictionary has them."""
        return self.vocabulary | self.prompt_words


@lru_cache(maxsize=32)
def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(normalize(text).split())


def article_text(article_id: str) -> str:
    """The cited article's text: a bundled one, else one of the user's library ("" when it
    cannot be read: the rules that need it then forgive nothing)."""
    from quiz.content.articles import ArticlesError, bundled_library

    try:
        article = bundled_library().get(article_id)
    except (ArticlesError, OSError):
        article = None
    if article is not None:
        return article.text
    return _library_article(os.environ.get("QUIZ_LIBRARY", ""), article_id)


@lru_cache(maxsize=64)
def _library_article(library: str, article_id: str) -> str:
    # Keyed on the library folder too: a run (or a test) pointing QUIZ_LIBRARY elsewhere
    # sees that library's articles.
    from quiz.content.articles import ArticlesError
    from quiz.content.library import user_articles, user_library

    try:
        article = user_articles(user_library()).get(article_id)
    except (ArticlesError, OSError):
        return ""
    return article.text if article is not None else ""
