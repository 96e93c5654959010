"""Saving a card into a deck file a person wrote: ruamel.yaml round-trip, so the file's comments,
key order and style survive; the result is checked exactly as `quiz lint` checks it before a
byte is written (and written atomically)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from quiz.content.articles import Library
from quiz.content.deck import ID_RE, Problem, parse_deck

# The order a new card's keys are written in (the deck format's order).
CARD_ORDER = (
    "id",
    "type",
    "prompt",
    "answer",
    "accept",
    "choices",
    "explanation",
    "source",
    "tags",
)


@dataclass(frozen=True)
class CardDraft:
    """What the authoring form holds; `answer` is text, or True/False for truefalse."""

    id: str
    type: str
    prompt: str
    article: str
    quote: str
    answer: str | bool | None = None
    explanation: str = ""
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        out: dict = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.type != "cloze":
            out["answer"] = self.answer
        if self.type == "typed" and self.accept:
            out["accept"] = list(self.accept)
        if self.type == "mcq":
            out["choices"] = list(self.choices)
        out["explanation"] = self.explanation
        out["source"] = {"article": self.article, "quote": self.quote}
        if self.tags:
            out["tags"] = list(self.tags)
        return out


class DeckWriteError(Exception):
    """The deck file cannot be read or written as YAML (one line)."""


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap the lines a person wrote
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load_document(path: Path, *, deck_id: str, title: str, article: str):
    """The deck file's document (round-trip), or a new one with the deck header."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if path.exists():
        try:
            doc = _yaml().load(path.read_text(encoding="utf-8"))
        except Exception as e:  # ruamel's parse errors: one line with the file
            raise DeckWriteError(f"{path}: cannot edit this file ({type(e).__name__})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("cards", []), list):
            raise DeckWriteError(f"{path}: not a deck file (a mapping with 'deck' and 'cards')")
        if doc.get("cards") is None:
            doc["cards"] = CommentedSeq()
        return doc
    head = CommentedMap()
    head["id"] = deck_id
    head["title"] = title
    head["articles"] = _flow([article])
    doc = CommentedMap()
    doc["deck"] = head
    doc["cards"] = CommentedSeq()
    return doc


def _flow(items: list[str]):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def put_card(doc, draft: CardDraft) -> None:
    """Replace the card with the draft's id in place (its comments and key order kept) or
    append it; list the article in deck.articles if the deck lists articles."""
    from ruamel.yaml.comments import CommentedMap

    fields = draft.as_dict()
    cards = doc["cards"]
    existing = next((c for c in cards if isinstance(c, dict) and c.get("id") == draft.id), None)
    if existing is None:
        node = CommentedMap()
        for key in CARD_ORDER:
            if key in fields:
                node[key] = fields[key]
        node["source"] = CommentedMap(fields["source"])
        if "tags" in node:
            node["tags"] = _flow(node["tags"])
        cards.append(node)
    else:
        for key in list(existing):
            if key in CARD_ORDER and key not in fields:
                del existing[key]
        for key in CARD_ORDER:
            if key in fields and existing.get(key) != fields[key]:
                existing[key] = fields[key]
    head = doc.get("deck")
    if isinstance(head, dict):
        arts = head.get("articles")
        if isinstance(arts, list) and draft.article not in arts:
            arts.append(draft.article)


def dump(doc) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def check(text: str, path: Path, library: Library, card_id: str) -> list[Problem]:
    """Lint's problems with the file as it would be saved: the card's, and any error the
    file would gain (a duplicate id, a broken header)."""
    result = parse_deck(text.encode("utf-8"), str(path), library)
    errors = [p for p in result.errors]
    mine = [p for p in errors if p.card_id == card_id]
    return mine or ([] if result.deck is not None else errors)


def save_card(
    path: Path, draft: CardDraft, library: Library, *, deck_id: str, title: str
) -> list[Problem]:
    """Put the draft into the deck file; [] on success, else lint's problems (nothing written)."""
    from quiz.content.library import write_atomic

    if not ID_RE.match(draft.id or ""):
        return [Problem(str(path), 0, "id must be kebab-case (a-z, 0-9, '-')", draft.id or "")]
    doc = load_document(path, deck_id=deck_id, title=title, article=draft.article)
    put_card(doc, draft)
    text = dump(doc)
    problems = check(text, path, library, draft.id)
    if problems:
        return problems
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as e:
        raise DeckWriteError(f"{path}: cannot write ({e.strerror or e})") from None
    return []
