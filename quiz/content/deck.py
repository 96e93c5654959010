"""Decks and cards: the YAML format, loaded with line numbers and checked like a compiler would."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from quiz.content import yamlfast, yamlfile
from quiz.content.articles import Library
from quiz.text import printable

CARD_TYPES = ("basic", "typed", "mcq", "truefalse", "cloze")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BLANK_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
MAX_CARDS = 200_000
# Generous limits that keep a hostile file from filling the screen or the store.
LIMITS = {"prompt": 2000, "answer": 500, "explanation": 4000, "quote": 4000, "choice": 500}
DECK_KEYS = {"id", "title", "description", "articles"}
CARD_KEYS = {
    "id", "type", "prompt", "answer", "accept", "choices", "explanation", "source", "tags", "lint"
}  # fmt: skip
SOURCE_KEYS = {"article", "quote", "imported"}


@dataclass(frozen=True)
class Source:
    article: str | None
    quote: str | None
    imported: str | None = None  # where an imported card came from; it has no quote


@dataclass(frozen=True)
class Card:
    id: str
    type: str
    prompt: str
    answer: str | bool | None  # None for cloze: its blanks are the answers
    explanation: str = ""
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    source: Source | None = None
    tags: tuple[str, ...] = ()
    line: int = 0
    # Item-writing rules `quiz lint` does not apply to this card (`lint: {ignore, why}`); only
    # lint reads them, so the store and the parse cache do not keep them.
    lint_ignore: tuple[str, ...] = ()

    @property
    def blanks(self) -> list[list[str]]:
        """For cloze: each blank's accepted answers (``{{Etorofu|Iturup}}`` gives two)."""
        return [[alt.strip() for alt in b.split("|")] for b in BLANK_RE.findall(self.prompt)]

    @property
    def objective(self) -> bool:
        """Whether the app can tell right from wrong (everything but basic recall)."""
        return self.type != "basic"

    def answer_text(self) -> str:
        if self.type == "cloze":
            return " / ".join(alts[0] for alts in self.blanks)
        if self.type == "truefalse":
            return "True" if self.answer else "False"
        return str(self.answer)


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    description: str
    articles: tuple[str, ...]
    cards: tuple[Card, ...]
    path: str = ""
    content_hash: str = ""


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    card_id: str | None = None
    note: bool = False  # a note is reported but does not fail lint
    rule: str | None = None  # an item-writing warning's rule (quiz.content.item_rules)

    def __str__(self) -> str:
        where = f"card '{printable(self.card_id, 60)}': " if self.card_id is not None else ""
        # Paths and messages can carry user text (file names, keys): one printable line.
        return f"{printable(self.path, 1000)}:{self.line}: {where}{printable(self.message, 2000)}"


class DeckFileError(Exception):
    """The file cannot be read at all (missing, a directory, no permission)."""


@dataclass
class LoadResult:
    deck: Deck | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.note]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_deck_file(path: Path, library: Library) -> LoadResult:
    return parse_deck(read_deck_bytes(path), str(path), library)


def read_deck_bytes(path: Path) -> bytes:
    """A deck file's bytes (at most one more than a deck may have), or DeckFileError."""
    try:
        _regular_size(path)
        with open(path, "rb") as f:
            data = f.read(yamlfile.MAX_BYTES + 1)
    except IsADirectoryError:
        raise DeckFileError(f"{path}: is a directory") from None
    except OSError as e:
        raise DeckFileError(f"{path}: cannot read ({e.strerror or e})") from None
    return data


def _regular_size(path: Path) -> int:
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError
    # A FIFO would block and /dev/zero never ends: only regular files, read with a cap.
    if not stat.S_ISREG(st.st_mode):
        raise DeckFileError(f"{path}: not a regular file")
    return st.st_size


def parse_deck(data: bytes, path: str, library: Library) -> LoadResult:
    return parse_deck_checked(data, path, library)[0]


def parse_deck_checked(data: bytes, path: str, library: Library, text: str | None = None):
    """(what parse_deck returns, the checker that made it or None when the file is not YAML,
    the text): quiz.content.deck_delta keeps each card's results to re-check only what changed."""
    if len(data) > yamlfile.MAX_BYTES:
        return LoadResult(None, [Problem(path, 1, "file too large for a deck")]), None, None
    try:
        text = yamlfile.decode(data) if text is None else text
        doc = yamlfast.load(text)
        plain = doc is not None  # no anchors, aliases or tags: each card stands alone
        if not plain:
            doc = yamlfile.load(text, fast=False)
    except yamlfile.YamlError as e:
        return LoadResult(None, [Problem(path, e.line, e.message)]), None, None
    checker = _Checker(path, library)
    checker.plain = plain
    return checker.deck(doc, content_hash(data)), checker, text


class _Checker:
    def __init__(self, path: str, library: Library):
        self.path = path
        self.library = library
        self.problems: list[Problem] = []
        # Per card item, for quiz.content.deck_delta: (line, card or None, where its own
        # problems start and end in self.problems; a duplicate id is the deck's, not the card's).
        self.items: list[tuple[int, Card | None, int, int]] = []
        self.head_problems = 0

    def err(self, line: int, message: str, card_id: str | None = None, note: bool = False):
        self.problems.append(Problem(self.path, line, message, card_id, note))

    def text(self, m: yamlfile.Map, key: str, cid, *, required=True, limit=2000) -> str | None:
        value = m.get(key)
        if type(value) is str and len(value) <= limit and (not required or value.strip()):
            return value  # the usual case, first: a card has several of these
        line = m.line_of(key)
        if value is None:
            if required:
                self.err(line, f"missing '{key}'", cid)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.err(line, f"'{key}' must be text, not {_kind(value)}", cid)
            return None
        value = str(value)
        if required and not value.strip():
            self.err(line, f"'{key}' is empty", cid)
            return None
        if len(value) > limit:
            self.err(line, f"'{key}' is too long ({len(value)} characters; at most {limit})", cid)
            return None
        return value

    def text_list(self, m: yamlfile.Map, key: str, cid, limit: int) -> list[str] | None:
        value = m.get(key)
        line = m.line_of(key)
        if not isinstance(value, list):
            self.err(line, f"'{key}' must be a list", cid)
            return None
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.err(_item_line(value, i, line), f"'{key}' items must be text", cid)
                return None
            item = str(item)
            if len(item) > limit:
                self.err(_item_line(value, i, line), f"'{key}' item is too long", cid)
                return None
            out.append(item)
        return out

    def deck(self, doc, digest: str) -> LoadResult:
        head = self.head(doc)
        if head is None:
            return LoadResult(None, self.problems)
        deck_id, title, description, articles, cards_node = head
        if len(cards_node) > MAX_CARDS:
            self.err(doc.line_of("cards"), f"too many cards (at most {MAX_CARDS})")
            return LoadResult(None, self.problems)
        cards_line = doc.line_of("cards")

        def nodes():
            for i, node in enumerate(cards_node):
                # Each card's node let go once its Card is made: the parsed file's nodes are
                # twice the memory of its Cards, and both were held at once (the document is
                # this method's to use up: no caller reads it after).
                cards_node[i] = None
                yield _item_line(cards_node, i, cards_line), node

        cards = list(self.cards(nodes(), set(articles)))
        if deck_id is None or title is None:
            return LoadResult(None, self.problems)
        deck = Deck(deck_id, title, description, tuple(articles), tuple(cards), self.path, digest)
        return LoadResult(deck, self.problems)

    def head(self, doc):
        """(deck id, title, description, articles, the cards node) after checking everything
        but the cards, or None when the file has no deck to speak of."""
        if not isinstance(doc, dict):
            self.err(getattr(doc, "line", 1), "a deck file is a mapping with 'deck' and 'cards'")
            return None
        for key in doc:
            if key not in ("deck", "cards"):
                self.err(doc.line_of(key), f"unknown top-level key '{printable(key, 40)}'")
        head = doc.get("deck")
        if not isinstance(head, dict):
            if "deck" in doc:
                self.err(
                    doc.line_of("deck"),
                    f"'deck' must be a mapping (id, title, articles), not {_kind(head)}",
                )
            else:
                self.err(doc.line_of("deck"), "missing 'deck' mapping (id, title, articles)")
            return None
        for key in head:
            if key not in DECK_KEYS:
                self.err(head.line_of(key), f"deck: unknown key '{printable(key, 40)}'")
        deck_id = self.text(head, "id", None, limit=80)
        if deck_id is not None and not ID_RE.match(deck_id):
            self.err(head.line_of("id"), f"deck id '{printable(deck_id, 60)}' is not kebab-case")
            deck_id = None
        title = self.text(head, "title", None, limit=200)
        description = self.text(head, "description", None, required=False, limit=1000) or ""
        articles: list[str] = []
        if "articles" in head:
            articles = self.text_list(head, "articles", None, 80) or []
            for i, a in enumerate(articles):
                if self.library.get(a) is None:
                    line = _item_line(head["articles"], i, head.line_of("articles"))
                    self.err(line, f"deck: unknown article '{printable(a, 60)}'")
        cards_node = doc.get("cards")
        if not isinstance(cards_node, list):
            if "cards" in doc:
                self.err(
                    doc.line_of("cards"),
                    f"'cards' must be a list of cards, not {_kind(cards_node)}",
                )
            else:
                self.err(doc.line_of("cards"), "missing 'cards' list")
            return None
        self.head_problems = len(self.problems)
        return deck_id, title, description, articles, cards_node

    def cards(self, nodes, listed: set[str], keep: bool = True):
        """Each card of (line, node) pairs checked, in turn: the deck's cards, duplicate ids
        left out. With `keep` (not when streaming), self.items records each for deck_delta."""
        seen: dict[str, int] = {}
        for line, node in nodes:
            before = len(self.problems)
            card = self.card(node, line, listed)
            if keep:
                self.items.append((line, card, before, len(self.problems)))
            if card is None:
                continue
            if card.id in seen:
                self.err(
                    card.line, f"duplicate card id (first used on line {seen[card.id]})", card.id
                )
                continue
            seen[card.id] = card.line
            yield card

    def card(self, node, line: int, deck_articles: set[str]) -> Card | None:
        if not isinstance(node, dict):
            self.err(line, "each card is a mapping (id, type, prompt, ...)")
            return None
        before = len(self.problems)
        raw_id = node.get("id")
        cid = raw_id if isinstance(raw_id, str) else None
        if cid is None:
            self.err(node.line_of("id"), "card without a text 'id'")
        elif not ID_RE.match(cid) or len(cid) > 80:
            self.err(node.line_of("id"), "id must be kebab-case (a-z, 0-9, '-')", cid)
        for key in node:
            if key not in CARD_KEYS:
                self.err(node.line_of(key), f"unknown key '{printable(key, 40)}'", cid)
        ctype = node.get("type")
        if ctype not in CARD_TYPES:
            shown = printable(ctype, 30) if isinstance(ctype, str) else _kind(ctype)
            self.err(
                node.line_of("type"),
                f"type must be one of {', '.join(CARD_TYPES)} (got {shown})",
                cid,
            )
            return None
        prompt = self.text(node, "prompt", cid, limit=LIMITS["prompt"])
        source = self.source(node, cid, deck_articles)
        imported = source is not None and source.imported is not None
        explanation = (
            self.text(node, "explanation", cid, required=not imported, limit=LIMITS["explanation"])
            or ""
        )
        tags: list[str] = []
        if "tags" in node:
            tags = self.text_list(node, "tags", cid, 40) or []
        accept: list[str] = []
        if "accept" in node:
            if ctype != "typed":
                self.err(node.line_of("accept"), "'accept' is only for typed cards", cid)
            else:
                accept = self.text_list(node, "accept", cid, LIMITS["answer"]) or []
        if "choices" in node and ctype != "mcq":
            self.err(node.line_of("choices"), "'choices' is only for mcq cards", cid)
        answer: str | bool | None = None
        choices: list[str] = []
        aline = node.line_of("answer")
        if ctype == "truefalse":
            answer = node.get("answer")
            if not isinstance(answer, bool):
                self.err(aline, "truefalse answer must be true or false", cid)
        elif ctype == "cloze":
            if "answer" in node:
                self.err(aline, "cloze cards have no 'answer': the {{blanks}} are the answers", cid)
            if prompt is not None:
                blanks = BLANK_RE.findall(prompt)
                if not blanks:
                    self.err(node.line_of("prompt"), "cloze prompt has no {{blank}}", cid)
                elif any(not alt.strip() for b in blanks for alt in b.split("|")):
                    self.err(node.line_of("prompt"), "cloze blank is empty", cid)
        else:
            answer = self.text(node, "answer", cid, limit=LIMITS["answer"])
            if ctype == "mcq":
                choices = self.mcq_choices(node, cid, answer)
        if prompt is not None and ctype != "cloze" and "{{" in prompt:
            self.err(node.line_of("prompt"), "'{{...}}' blanks belong to cloze cards", cid)
        lint_ignore = self.lint_ignore(node, cid) if "lint" in node else []
        if len(self.problems) > before and any(not p.note for p in self.problems[before:]):
            return None
        return Card(
            id=cid,
            type=ctype,
            prompt=prompt,
            answer=answer,
            explanation=explanation,
            accept=tuple(accept),
            choices=tuple(choices),
            source=source,
            tags=tuple(tags),
            line=node.line,
            lint_ignore=tuple(lint_ignore),
        )

    def lint_ignore(self, node, cid) -> list[str]:
        """`lint: {ignore: [rule, ...], why: ...}`: a warning silenced, with the reason."""
        spec = node.get("lint")
        if not isinstance(spec, dict):
            self.err(node.line_of("lint"), "'lint' must be a mapping with 'ignore' and 'why'", cid)
            return []
        for key in spec:
            if key not in ("ignore", "why"):
                self.err(spec.line_of(key), f"lint: unknown key '{printable(key, 40)}'", cid)
        rules = self.text_list(spec, "ignore", cid, 40) if "ignore" in spec else None
        if rules is None:
            if "ignore" not in spec:
                self.err(spec.line, "lint: missing 'ignore' (the rules to silence)", cid)
            return []
        self.text(spec, "why", cid, limit=500)  # a silenced warning says why
        return rules

    def mcq_choices(self, node, cid, answer) -> list[str]:
        if "choices" not in node:
            self.err(node.line, "mcq card needs 'choices'", cid)
            return []
        choices = self.text_list(node, "choices", cid, LIMITS["choice"])
        if choices is None:
            return []
        line = node.line_of("choices")
        if not 3 <= len(choices) <= 4:
            self.err(line, f"mcq needs 3 or 4 choices (has {len(choices)})", cid)
        if len(set(choices)) != len(choices):
            self.err(line, "mcq choices repeat", cid)
        if answer is not None and choices.count(answer) != 1:
            self.err(node.line_of("answer"), "answer not among choices", cid)
        return choices

    def source(self, node, cid, deck_articles: set[str]) -> Source | None:
        src = node.get("source")
        line = node.line_of("source")
        if src is None:
            self.err(line, "missing 'source' (article and verbatim quote)", cid)
            return None
        if not isinstance(src, dict):
            self.err(line, "'source' must be a mapping with 'article' and 'quote'", cid)
            return None
        for key in src:
            if key not in SOURCE_KEYS:
                self.err(src.line_of(key), f"source: unknown key '{printable(key, 40)}'", cid)
        if "imported" in src:
            origin = self.text(src, "imported", cid, limit=500)
            self.err(src.line, "imported card: no source quote to check", cid, note=True)
            return Source(None, None, origin or "")
        article = self.text(src, "article", cid, limit=80)
        quote = self.text(src, "quote", cid, limit=LIMITS["quote"])
        if article is None or quote is None:
            return None
        if self.library.get(article) is None:
            self.err(src.line_of("article"), f"unknown article '{printable(article, 60)}'", cid)
            return None
        if deck_articles and article not in deck_articles:
            self.err(
                src.line_of("article"), f"article '{article}' is not listed in deck.articles", cid
            )
        if len(quote.strip()) < 15:
            self.err(src.line_of("quote"), "quote is too short (at least 15 characters)", cid)
        elif not self.library.contains_quote(article, quote):
            self.err(src.line_of("quote"), f"quote not found in article '{article}'", cid)
        return Source(article, quote)


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _item_line(seq, i: int, default: int) -> int:
    lines = getattr(seq, "item_lines", None)
    return lines[i] if lines and i < len(lines) else default


def deck_files(targets: list[Path]) -> list[Path]:
    """Deck files named directly, and the *.yaml / *.yml files inside named folders."""
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            out.extend(sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            out.append(target)
    return out
