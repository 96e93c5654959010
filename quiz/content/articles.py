"""The source articles: their metadata, their text, and where a quote sits in them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quiz import paths
from quiz.content import yamlfile

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Article:
    id: str
    file: str
    title: str
    author: str | None
    publication: str | None
    date: str | None
    text: str
    # Page furniture, not the article's body (captions, bylines, menus, boxes, comments), as
    # (first words, last words) of each span, both verbatim (the same text twice for a span
    # given whole): `quiz lint` warns on a card quoting one (quiz.content.item_rules).
    furniture: tuple[tuple[str, str], ...] = ()


def straighten(text: str) -> str:
    """Curly quotes made straight, as text.translate(_QUOTES) does, several times faster (a
    translate through a dict looks up every character)."""
    if "\u2018" in text or "\u2019" in text:
        text = text.replace("\u2018", "'").replace("\u2019", "'")
    if "\u201c" in text or "\u201d" in text:
        text = text.replace("\u201c", '"').replace("\u201d", '"')
    return text


def fold(text: str) -> str:
    """The form quotes are compared in: curly quotes straightened, whitespace runs folded."""
    if not text.isascii():  # O(1): only non-ASCII text can hold a curly quote
        text = straighten(text)
    # str.split() splits on exactly the characters `\s` matches and drops them at the ends.
    return " ".join(text.split())


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


@lru_cache(maxsize=64)
def _folded_map_cached(text: str) -> tuple[str, tuple[int, ...]]:
    folded, where = _folded_with_map(text)
    return folded, tuple(where)


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
        spans = self.occurrences(article_id, quote)
        return spans[0] if spans else None

    def occurrences(self, article_id: str, quote: str) -> list[tuple[int, int]]:
        """Every (start, end) of the quote in the article's original text (a caption may repeat
        a sentence of the body), in order."""
        article = self.articles.get(article_id)
        if article is None:
            return []
        return _occurrences(article.text, quote)

    def body_span(self, article_id: str, quote: str) -> tuple[int, int] | None:
        """Where the quote sits in the article's body: its first occurrence outside the page
        furniture, else its first occurrence (None: not in the article)."""
        article = self.articles.get(article_id)
        if article is None:
            return None
        spans = _occurrences(article.text, quote)
        if len(spans) == 1 and not article.furniture:
            return spans[0]
        furniture = _furniture_spans(article.text, article.furniture)
        for start, end in spans:
            if not any(s < end and start < e for s, e in furniture):
                return start, end
        return spans[0] if spans else None

    def furniture_spans(self, article_id: str) -> list[tuple[int, int]]:
        article = self.articles.get(article_id)
        if article is None:
            return []
        return list(_furniture_spans(article.text, article.furniture))


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    needle = fold(quote)
    if not needle:
        return []
    folded, where = _folded_map_cached(text)
    out = []
    at = folded.find(needle)
    while at >= 0:
        out.append((where[at], where[at + len(needle) - 1] + 1))
        at = folded.find(needle, at + 1)
    return out


@lru_cache(maxsize=64)
def _furniture_spans(
    text: str, furniture: tuple[tuple[str, str], ...]
) -> tuple[tuple[int, int], ...]:
    # Asked for every card's quote (lint, sync): located once per article, not once per card.
    out = []
    for first, last in furniture:
        for start, end in _occurrences(text, first):
            ends = [e for s, e in _occurrences(text, last) if s >= start]
            out.append((start, ends[0] if ends else end))
    return tuple(out)


def article_furniture(article: Article) -> tuple[tuple[int, int], ...]:
    """Where the article's page furniture sits in its text, as (start, end) offsets."""
    return _furniture_spans(article.text, article.furniture)


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
        # The index names a file in its own folder, never a path elsewhere (a library index
        # is the user's file, and could be anyone's).
        if not file or Path(file).name != file or file in (".", ".."):
            raise ArticlesError(f"{index}:{entry.line}: article file '{file}' must be a file name")
        try:
            text = (seeds / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise ArticlesError(
                f"{index}:{entry.line}: cannot read article file '{file}'"
            ) from None

        def opt(key: str, entry=entry) -> str | None:
            value = entry.get(key)
            return None if value is None else str(value)

        furniture = _furniture(entry.get("furniture"), text, f"{index}:{entry.line}")

        articles[entry["id"]] = Article(
            id=entry["id"],
            file=file,
            title=str(entry.get("title", entry["id"])),
            author=opt("author"),
            publication=opt("publication"),
            date=opt("date"),
            text=text,
            furniture=tuple(furniture),
        )
    return Library(articles)


def _furniture(value, text: str, where: str) -> tuple[tuple[str, str], ...]:
    """`furniture:` items: a verbatim span, or {from: ..., to: ...} (a span's first and last
    words, for a long one such as a list of other reports or the reader comments)."""
    out = []
    for item in value or []:
        if isinstance(item, str):
            first = last = item
        elif isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("from", "to")):
            first, last = item["from"], item["to"]
        else:
            raise ArticlesError(f"{where}: 'furniture' items are text or {{from: ..., to: ...}}")
        for span in (first, last):
            if not fold(span) or fold(span) not in _folded(text):
                raise ArticlesError(f"{where}: furniture span not in the article: {span[:40]!r}")
        out.append((first, last))
    return tuple(out)


@lru_cache(maxsize=1)
def bundled_library() -> Library:
    return load_library()
