"""A deck file checked a card at a time, for `quiz lint` (quiz.content.lint_files): what
quiz.content.deck's read_deck_file finds, without holding the file's text, its parsed tree or
its Cards at once (a 10,000-card file was 3x the memory read whole)."""

from __future__ import annotations

from pathlib import Path

from quiz.content import yamlfast, yamlfile
from quiz.content.articles import Library
from quiz.content.deck import MAX_CARDS, Deck, DeckFileError, LoadResult, _Checker, _regular_size


def stream_deck(path: Path, library: Library, on_card) -> LoadResult | None:
    """For `quiz lint` (quiz.content.lint_files): the deck file checked as read_deck_file checks
    it, but read a piece at a time (yamlfast.stream_file) and each card handed to `on_card` as
    soon as it is made and not kept (the result's deck has no cards). None when the file is not
    of the plain kind that allows it, or not readable: the caller then reads it with
    read_deck_file, from the start (on_card may have been called for cards to throw away)."""
    try:
        if _regular_size(path) > yamlfile.MAX_BYTES:
            return None
        with open(path, "rb") as f:
            return _stream(yamlfast.stream_file(f), str(path), library, on_card)
    except (OSError, DeckFileError):
        return None


def _stream(got, path: str, library: Library, on_card) -> LoadResult | None:
    if got is None:
        return None
    doc, nodes = got
    if "deck" not in doc:
        return None  # the cards first: they are checked against a head not read yet
    checker = _Checker(path, library)
    checker.plain = True
    try:
        head = checker.head(doc)
        if head is None:
            for _ in nodes:  # the rest is still read: a file outside the subset goes to libyaml
                pass
            return LoadResult(None, checker.problems)
        deck_id, title, description, articles, _empty = head
        for card in checker.cards(_at_most(nodes, MAX_CARDS), set(articles), keep=False):
            on_card(card)
    except yamlfast.Unsure:
        return None
    if deck_id is None or title is None:
        return LoadResult(None, checker.problems)
    deck = Deck(deck_id, title, description, tuple(articles), (), path)
    return LoadResult(deck, checker.problems)


def _at_most(items, n: int):
    for i, item in enumerate(items):
        if i == n:
            raise yamlfast.Unsure  # too many cards: parse_deck says so
        yield item
