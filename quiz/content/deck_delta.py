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
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from quiz.content import yamlfast
from quiz.content.articles import Library
from quiz.content.card_codec import card_json
from quiz.content.deck import MAX_CARDS, Card, Deck, LoadResult, Problem, _Checker

_ITEM = re.compile(r"( *)- ")
BOM = b"\xef\xbb\xbf"


@dataclass
class Cut:
    """A deck file's text cut at its card items."""

    header: str  # the lines before the first card item, each ending in a newline
    header_lines: int
    indent: int
    starts: list[int]  # each item's first line (1-based)
    texts: list[str]  # each item's lines, to the next item
    spans: list[int] | None = None  # each item's first byte in the file, when known


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
    if _other_line(indent).search(text, first):
        return None
    offsets = [x.start() for x in _item_line(indent).finditer(text, first)]
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
    return _hash_bytes(text.encode("utf-8", "surrogatepass"))


def _hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _card_entry(card: Card | None, start: int, problems: list[Problem], live: bool) -> list:
    rel = [[p.line - start, p.message, p.card_id, p.note] for p in problems]
    return [card.id if card else None, (card.line - start) if card else 0, rel, live]


def build_index(text: str, digest: str, checker, result: LoadResult, data: bytes) -> dict | None:
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
        "layout": _layout(c, data),
    }


def _layout(c: Cut, data: bytes) -> list:
    """What _cut_since needs of the file an index describes, besides its bytes: the items'
    indentation, the file's size and newlines, each item's first byte and first line."""
    spans = c.spans
    if spans is None:
        at = len(c.header.encode("utf-8", "surrogatepass")) + (3 if data.startswith(BOM) else 0)
        spans = []
        for body in c.texts:
            spans.append(at)
            at += len(body.encode("utf-8", "surrogatepass"))
    return [c.indent, len(data), data.count(b"\n"), spans, c.starts]


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
    layout = index.get("layout")
    if layout is not None:
        if not (
            isinstance(layout, list)
            and len(layout) == 5
            and all(type(x) is int for x in layout[:3])
            and all(type(x) is list and len(x) == len(index["chunks"]) for x in layout[3:])
            and all(type(x) is int for x in layout[3])
            and all(type(x) is int for x in layout[4])
        ):
            raise ValueError("layout")
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
    moved: bool = True  # whether `order` differs from the base version's (False: same cards,
    # same places, so the store need only rewrite the changed ones)
    cards: list[Card] = field(default_factory=list)  # the changed cards themselves


def reread(
    text: str,
    digest: str,
    path: str,
    index: dict,
    library: Library,
    data: bytes = b"",
    old: bytes | None = None,
) -> tuple[LoadResult, Delta, dict] | None:
    """The new version from the index and the changed items: (its result, with a deck whose
    cards are still the store's plus the Delta; the new index). None: parse it in full.

    `data` is the new file's bytes (`text` decoded). With `old`, the bytes the index
    describes, only the span between their common beginning and end is cut again
    (_cut_since); else the whole text is."""
    found = _cut_since(old, data, index) if old is not None else None
    if found is not None:
        c, hashes, kept, replaced = found
    else:
        c = cut(text)
        if c is None or _hash(c.header) != index.get("header"):
            return None
        hashes = [_hash(body) for body in c.texts]
        kept = [None] * len(hashes)
        replaced = index["chunks"]
    if len(c.starts) > MAX_CARDS:
        return None
    # Items not kept in place may be old items moved (or copied) within what was replaced.
    old = {chunk[0]: chunk[1:] for chunk in replaced}
    deck_id, title, description, articles = index["deck"]
    entries: list[list] = []  # per item: [card id, rel line, problems, live before]
    parsed: dict[int, Card | None] = {}
    for i, (start, digest_i, same) in enumerate(zip(c.starts, hashes, kept)):
        if same is not None:
            entries.append(same)  # read only below
            continue
        known = old.get(digest_i)
        if known is None:
            found = _check_item(c, start, c.texts[i], path, library)
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
    changed_cards: list[Card] = []
    new_chunks = []
    for i, (start, entry) in enumerate(zip(c.starts, entries)):
        card_id, rel, own, was_live = entry
        if own:
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
                        found = _check_item(c, start, c.texts[i], path, library)
                        card = found[0] if found else None
                    if card is None:
                        return None
                    changed.append(
                        (card.id, card.type, card.prompt, card.answer_text(), card_json(card))
                    )
                    changed_cards.append(card)
        new_chunks.append([hashes[i], card_id, rel, own, live])
    deck = Deck(deck_id, title, description, tuple(articles), (), path, digest)
    layout = _layout(c, data)
    new_index = {**index, "sha256": digest, "chunks": new_chunks, "layout": layout}
    moved = order != [chunk[1] for chunk in index["chunks"] if chunk[4]]
    delta = Delta(index["sha256"], changed, order, moved, changed_cards)
    return LoadResult(deck, problems), delta, new_index


class _Texts:
    """Items' texts decoded from the file's bytes only when asked for (most never are)."""

    def __init__(self, data: bytes, spans: list[int]):
        self.data, self.spans = data, spans

    def __getitem__(self, i: int) -> str:
        return self.raw(i).decode("utf-8")

    def raw(self, i: int) -> bytes:
        end = self.spans[i + 1] if i + 1 < len(self.spans) else len(self.data)
        return self.data[self.spans[i] : end]


def _common_prefix(a: bytes, b: bytes) -> int:
    n = min(len(a), len(b))
    at, step = 0, 1 << 16
    while step:  # compared in C a block at a time, the block halved at the first difference
        while at + step <= n and a[at : at + step] == b[at : at + step]:
            at += step
        step >>= 1
    return at


def _common_suffix(a: bytes, b: bytes, most: int) -> int:
    la, lb = len(a), len(b)
    at, step = 0, 1 << 16
    while step:
        while at + step <= most and a[la - at - step : la - at] == b[lb - at - step : lb - at]:
            at += step
        step >>= 1
    return at


def _cut_since(old: bytes, new: bytes, index: dict):
    """The new file's Cut from the old one's, in bytes: items wholly inside the common
    beginning or end are the old items (moved by the bytes and lines the edit added), and only
    the span between, widened to whole items, is cut again. Every rule of cut() is line-local
    (an item starts at a line `<indent>- `; any other line must be deeper, a comment or blank;
    all ASCII), and the span starts and ends at line starts outside the edit, so this gives
    exactly what cut() of the whole text gives. (Cut, each item's hash, the old entry of each
    item kept or None, the old chunks replaced), or None: cut the whole text."""
    layout = index.get("layout")
    chunks = index["chunks"]
    if not layout or len(layout[3]) != len(chunks) or not chunks or len(old) != layout[1]:
        return None
    indent, size, old_lines, spans, starts = layout
    p = _common_prefix(old, new)
    s = _common_suffix(old, new, min(len(old), len(new)) - p)
    if p < spans[0] + indent + 2 or p == len(old) == len(new):
        return None  # the header or the first item's `- ` changed (or nothing did)
    n = len(spans)
    # First item touched: the one holding the byte before the edit, or the one before it when
    # the edit reaches into its own `- ` (the line may no longer start an item).
    i0 = bisect_right(spans, p - 1) - 1
    if p < spans[i0] + indent + 2:
        i0 -= 1
    # Last item touched: the one holding the first byte after the edit.
    i1 = bisect_right(spans, size - s) - 1
    old_end = spans[i1 + 1] if i1 + 1 < n else size
    moved = len(new) - size
    lo, hi = spans[i0], old_end + moved
    if _other_line(indent, True).search(new, lo, hi):
        return None
    found = [m.start() for m in _item_line(indent, True).finditer(new, lo, hi)]
    if not found or found[0] != lo:
        return None
    lines = starts[i0]
    new_starts = []
    prev = lo
    for at in found:
        lines += new.count(b"\n", prev, at)
        new_starts.append(lines)
        prev = at
    # Lines the edit added: the span's newlines now, less those it had (from the old starts).
    had = (starts[i1 + 1] if i1 + 1 < n else old_lines + 1) - starts[i0]
    shift = new.count(b"\n", lo, hi) - had
    new_spans = spans[:i0] + found + [x + moved for x in spans[i1 + 1 :]]
    all_starts = starts[:i0] + new_starts + [x + shift for x in starts[i1 + 1 :]]
    texts = _Texts(new, new_spans)
    middle = [_hash_bytes(texts.raw(i0 + k)) for k in range(len(found))]
    hashes = [ch[0] for ch in chunks[:i0]] + middle + [ch[0] for ch in chunks[i1 + 1 :]]
    kept = [ch[1:] for ch in chunks[:i0]] + [None] * len(found)
    kept += [ch[1:] for ch in chunks[i1 + 1 :]]
    replaced = chunks[i0 : i1 + 1]
    header = new[: spans[0]].decode("utf-8-sig")
    c = Cut(header, starts[0] - 1, indent, all_starts, texts, new_spans)  # type: ignore[arg-type]
    return c, hashes, kept, replaced


@lru_cache(maxsize=16)
def _item_line(indent: int, raw: bool = False) -> re.Pattern:
    rule = rf"^ {{{indent}}}- "
    return re.compile(rule.encode() if raw else rule, re.MULTILINE)


@lru_cache(maxsize=16)
def _other_line(indent: int, raw: bool = False) -> re.Pattern:
    rule = rf"^(?! {{{indent + 1}}})(?! {{{indent}}}- )(?! *(?:#|$))"
    return re.compile(rule.encode() if raw else rule, re.MULTILINE)


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
