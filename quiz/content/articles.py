"""The source articles: their metadata, their text, and where a quote sits in them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quiz import paths
from quiz.content import yamlfile

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    id: str
    file: str
    title: str
    author: str | None
    publication: str | None
    date: str | None
    text: str


def fold(text: str) -> str:
    """The form quotes are compared in: curly quotes straightened, whitespace runs folded."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """fold() plus, for each folded character, its offset in the original text."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch.translate(_QUOTES))
        where.append(i)
    return "".join(out), where


@dataclass(frozen=True)
class Library:
    """All articles, by id."""

    articles: dict[str, Article]

    def get(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def contains_quote(self, article_id: str, quote: str) -> bool:
        article = self.articles.get(article_id)
        return article is not None and fold(quote) in _folded(article.text)

    def locate(self, article_id: str, quote: str) -> tuple[int, int] | None:
        """(start, end) offsets of the quote in the article's original text, or None."""
        article = self.articles.get(article_id)
        if article is None or not quote.strip():
            return None
        folded, where = _folded_with_map(article.text)
        needle = fold(quote)
        at = folded.find(needle)
        if at < 0:
            return None
        return where[at], where[at + len(needle) - 1] + 1


@lru_cache(maxsize=16)
def _folded(text: str) -> str:
    return fold(text)


class ArticlesError(Exception):
    pass


def load_library(seeds: Path | None = None) -> Library:
    seeds = seeds or paths.seeds_dir()
    index = seeds / "articles.yaml"
    try:
        data = yamlfile.load(yamlfile.decode(index.read_bytes()))
    except OSError as e:
        raise ArticlesError(f"{index}: cannot read ({e.strerror})") from None
    except yamlfile.YamlError as e:
        raise ArticlesError(f"{index}:{e.line}: {e.message}") from None
    if not isinstance(data, list):
        raise ArticlesError(f"{index}:1: expected a list of articles")
    articles: dict[str, Article] = {}
    for entry in data:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ArticlesError(f"{index}:{getattr(entry, 'line', 1)}: each article needs an id")
        file = str(entry.get("file", ""))
        try:
            text = (seeds / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise ArticlesError(
                f"{index}:{entry.line}: cannot read article file '{file}'"
            ) from None

        def opt(key: str, entry=entry) -> str | None:
            value = entry.get(key)
            return None if value is None else str(value)

        articles[entry["id"]] = Article(
            id=entry["id"],
            file=file,
            title=str(entry.get("title", entry["id"])),
            author=opt("author"),
            publication=opt("publication"),
            date=opt("date"),
            text=text,
        )
    return Library(articles)


@lru_cache(maxsize=1)
def bundled_library() -> Library:
    return load_library()
