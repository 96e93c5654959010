"""An edited deck file re-read card by card: only the cards whose text changed are parsed.

After a full parse at start-up, the app keeps a small index of the file (quiz.content.deck_cache
writes it next to the parse cache): the text before the first card, and per card item a hash
of its lines, its id, its problems (lines relative to the item) and whether it is the card the
store holds. When the file changes and the store still holds the version the index describes
(the decks row's content hash is the index's sha256), the new text is cut at its card items,
unchanged items are taken from the index, and only new or changed ones are parsed and checked
(each alone, after the unchanged header, at its own line numbers). The store is then brought
in line by writing those cards only (Store.sync_deck_changes): a 10,000-card file with one card
edited starts in about the time of an unchanged one (bench/RESULTS.md).

Only the simplest layout takes this path, and only when it is certain to give what a full
parse gives: `deck:` first, then `cards:` as a block list at one indentation and nothing after
it, the whole file in the plain block YAML of quiz.content.yamlfast (no anchors, aliases or
tags that could tie one card to another), the same header and articles, and no card whose
fate depends on a card it was not parsed with. Anything else is a full parse, as before.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from quiz.content import yamlfast
from quiz.content.articles import Library
from quiz.content.card_codec import card_json
from quiz.content.deck import MAX_CARDS, Card, Deck, LoadResult, Problem, _Checker

_ITEM = re.compile(r"( *)- ")


@dataclass
class Cut:
    """A deck file's text cut at its card items."""

    header: str  # the lines before the first card item, each ending in a newline
    header_lines: int
    indent: int
    starts: list[int]  # each item's first line (1-based)
    texts: list[str]  # each item's lines, to the next item


_CARDS = re.compile(r"^cards:\n(?:(?: *(?:#.*)?)\n)*( *)- ", re.MULTILINE)


def cut(text: str) -> Cut | None:
    # Regular expressions over the whole text, not a loop over its lines: this runs at the
    # start after every edit, over every line of the file.
    m = _CARDS.search(text)
    if m is None:
        return None
    indent = len(m.group(1))
    first = m.start(1)
    # After the first item, every line is an item at that indentation, a deeper line, a
    # comment or blank: anything else (a key after the cards...) is a full parse.
    other = re.compile(rf"^(?! {{{indent + 1}}})(?! {{{indent}}}- )(?! *(?:#|$))", re.MULTILINE)
    if other.search(text, first):
        return None
    offsets = [x.start() for x in re.finditer(rf"^ {{{indent}}}- ", text[first:], re.MULTILINE)]
    offsets = [first + x for x in offsets]
    starts = []
    line = text.count("\n", 0, first) + 1
    header_lines = line - 1
    prev = first
    for at in offsets:
        line += text.count("\n", prev, at)
        starts.append(line)
        prev = at
    ends = offsets[1:] + [len(text)]
    texts = [text[x:y] for x, y in zip(offsets, ends)]
    return Cut(text[:first], header_lines, indent, starts, texts)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _card_entry(card: Card | None, start: int, problems: list[Problem], live: bool) -> list:
    rel = [[p.line - start, p.message, p.card_id, p.note] for p in problems]
    return [card.id if card else None, (card.line - start) if card else 0, rel, live]


def build_index(text: str, digest: str, checker, result: LoadResult) -> dict | None:
    """The index of a file just parsed in full (None when its layout cannot take the path)."""
    deck = result.deck
    if deck is None or not getattr(checker, "plain", False):
        return None
    c = cut(text)
    if c is None or [line for line, *_ in checker.items] != c.starts:
        return None
    live = {id(card) for card in deck.cards}
    chunks = []
    for (start, card, a, b), body in zip(checker.items, c.texts):
        entry = _card_entry(card, start, checker.problems[a:b], id(card) in live)
        chunks.append([_hash(body), *entry])
    head = [
        [p.line, p.message, p.card_id, p.note] for p in checker.problems[: checker.head_problems]
    ]
    return {
        "sha256": digest,
        "header": _hash(c.header),
        "deck": [deck.id, deck.title, deck.description, list(deck.articles)],
        "head_problems": head,
        "chunks": chunks,
    }


def checked_index(index) -> dict:
    """An index read back from the cache, its shape checked (a bad one raises ValueError)."""
    if not isinstance(index, dict) or not isinstance(index.get("sha256"), str):
        raise ValueError("index")
    deck = index["deck"]
    if not (
        isinstance(deck, list) and len(deck) == 4 and all(isinstance(x, str) for x in deck[:3])
    ):
        raise ValueError("deck")
    if not (isinstance(deck[3], list) and all(isinstance(a, str) for a in deck[3])):
        raise ValueError("articles")
    _problems(index["head_problems"])
    if not isinstance(index["chunks"], list) or not isinstance(index.get("header"), str):
        raise ValueError("chunks")
    for chunk in index["chunks"]:
        digest, card_id, rel, own, live = chunk
        if not (
            isinstance(digest, str)
            and (card_id is None or isinstance(card_id, str))
            and type(rel) is int
            and type(live) is bool
        ):
            raise ValueError("chunk")
        _problems(own)
    return index


def _problems(rows) -> None:
    if not isinstance(rows, list):
        raise ValueError("problems")
    for line, msg, cid, note in rows:
        if not (
            type(line) is int
            and isinstance(msg, str)
            and (cid is None or isinstance(cid, str))
            and type(note) is bool
        ):
            raise ValueError("problem")


@dataclass
class Delta:
    """What the store must change to go from the indexed version (`base`) to the new one."""

    base: str
    changed: list[tuple[str, str, str, str, str]]  # (card_id, type, prompt, answer, data)
    order: list[str]  # every live card id, in deck order


def reread(
    text: str, digest: str, path: str, index: dict, library: Library
) -> tuple[LoadResult, Delta, dict] | None:
    """The new version from the index and the changed items: (its result, with a deck whose
    cards are still the store's plus the Delta; the new index). None: parse it in full."""
    c = cut(text)
    if c is None or _hash(c.header) != index.get("header") or len(c.starts) > MAX_CARDS:
        return None
    old = {chunk[0]: chunk[1:] for chunk in index["chunks"]}
    deck_id, title, description, articles = index["deck"]
    entries: list[list] = []  # per item: [card id, rel line, problems, live before]
    parsed: dict[int, Card | None] = {}
    for i, (start, body) in enumerate(zip(c.starts, c.texts)):
        known = old.get(_hash(body))
        if known is None:
            found = _check_item(c, start, body, path, library)
            if found is None:
                return None
            card, problems = found
            parsed[i] = card
            entries.append(_card_entry(card, start, problems, False))
        else:
            entries.append(list(known))
    # The deck's own checks over every item, as _Checker.deck makes them.
    problems = [
        Problem(path, line, msg, cid, note) for line, msg, cid, note in index["head_problems"]
    ]
    seen: dict[str, int] = {}
    order: list[str] = []
    changed = []
    new_chunks = []
    for i, (start, body, entry) in enumerate(zip(c.starts, c.texts, entries)):
        card_id, rel, own, was_live = entry
        problems += [Problem(path, start + r, msg, cid, note) for r, msg, cid, note in own]
        live = False
        if card_id is not None:
            line = start + rel
            if card_id in seen:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"duplicate card id (first used on line {seen[card_id]})",
                        card_id,
                    )
                )
            else:
                seen[card_id] = line
                live = True
                order.append(card_id)
                if not was_live or i in parsed:
                    if i in parsed:
                        card = parsed[i]
                    else:  # unchanged, but the store holds another card of that id
                        found = _check_item(c, start, body, path, library)
                        card = found[0] if found else None
                    if card is None:
                        return None
                    changed.append(
                        (card.id, card.type, card.prompt, card.answer_text(), card_json(card))
                    )
        new_chunks.append([_hash(body), card_id, rel, own, live])
    deck = Deck(deck_id, title, description, tuple(articles), (), path, digest)
    new_index = {**index, "sha256": digest, "chunks": new_chunks}
    return LoadResult(deck, problems), Delta(index["sha256"], changed, order), new_index


def _check_item(c: Cut, start: int, body: str, path: str, library: Library):
    """One card item parsed and checked alone, after the file's header, at its own lines:
    (card or None, its problems), or None when it must be read with the whole file."""
    text = c.header + "\n" * (start - 1 - c.header_lines) + body + "\n"
    doc = yamlfast.load(text)
    if doc is None:
        return None
    checker = _Checker(path, library)
    checker.deck(doc, "")
    if len(checker.items) != 1 or checker.items[0][0] != start:
        return None
    _line, card, a, b = checker.items[0]
    return card, checker.problems[a:b]
