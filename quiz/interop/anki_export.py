"""Decks to an Anki package (.apkg) through genanki, on Anki's own note types.

- basic -> Basic (genanki.BASIC_MODEL); mcq and truefalse -> Basic with the choices (or "True or
  false?") on the front; cloze -> Cloze (genanki.CLOZE_MODEL), every blank as c1 so one quiz card
  stays one Anki card; typed -> "Basic (type in the answer)" with an Extra field: Anki compares
  the typed text with the whole Back field, so the explanation cannot share it.
- The back carries the explanation and the source quote with its article's title.
- Ids are stable: the deck id and each note's guid are hashes of the quiz deck id and card id,
  so importing a re-export updates the notes instead of duplicating them.
- Anki fields are HTML: every piece of deck text goes through html.escape.
"""

from __future__ import annotations

import hashlib
import html
import os
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from quiz.content.articles import Library
from quiz.content.deck import BLANK_RE, Card, Deck

TYPED_MODEL_NAME = "Basic (type in the answer) + Extra (quiz)"


def stable_id(*parts: str) -> int:
    """A 31-bit id from text, in genanki's suggested range [2**30, 2**31)."""
    digest = hashlib.sha256("\x1f".join(("quiz", *parts)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(deck_id: str, card_id: str) -> str:
    return genanki.guid_for("quiz", deck_id, card_id)


TYPED_MODEL = genanki.Model(
    stable_id("model", "typed", "v1"),
    TYPED_MODEL_NAME,
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}\n\n{{type:Back}}",
            "afmt": "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}\n\n"
            "{{#Extra}}<br><br>{{Extra}}{{/Extra}}",
        }
    ],
    css=genanki.BASIC_TYPE_IN_THE_ANSWER_MODEL.css,
)


def text_html(text: str) -> str:
    """Plain deck text as HTML that shows exactly that text."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _literal(text: str, *, in_blank: bool = False) -> str:
    # In a cloze field braces are Anki syntax, and inside a blank "::" starts a hint: write
    # them as character references, which show the same characters.
    out = text_html(text).replace("{", "&#123;").replace("}", "&#125;")
    return out.replace(":", "&#58;") if in_blank else out


def cloze_text(prompt: str) -> str:
    """`{{Etorofu|Iturup}} is ...` -> `{{c1::Etorofu}} is ...` (all blanks c1: one card)."""
    out, at = [], 0
    for m in BLANK_RE.finditer(prompt):
        out.append(_literal(prompt[at : m.start()]))
        first = m.group(1).split("|")[0].strip()
        out.append("{{c1::" + _literal(first, in_blank=True) + "}}")
        at = m.end()
    out.append(_literal(prompt[at:]))
    return "".join(out)


def shuffled_choices(deck_id: str, card: Card) -> list[str]:
    """The choices in an order fixed per card (authors often list the answer first)."""
    choices = list(card.choices)
    random.Random(f"{deck_id}/{card.id}").shuffle(choices)
    return choices


def extra_html(card: Card, library: Library | None) -> str:
    """Explanation, other accepted answers, and the cited passage with its article's title."""
    parts = []
    if card.explanation:
        parts.append(f'<div class="explanation">{text_html(card.explanation)}</div>')
    also = list(card.accept)
    if card.type == "cloze":
        also = [alt for alts in card.blanks for alt in alts[1:]]
    if also:
        parts.append(f'<div class="accepted">Also accepted: {text_html(" / ".join(also))}</div>')
    source = card.source
    if source is not None and source.quote:
        article = library.get(source.article) if library and source.article else None
        title = article.title if article else (source.article or "")
        cite = f'<div class="source-title">— <i>{text_html(title)}</i></div>' if title else ""
        parts.append(f'<blockquote class="source">{text_html(source.quote)}</blockquote>{cite}')
    elif source is not None and source.imported:
        parts.append(f'<div class="source">Imported from {text_html(source.imported)}</div>')
    return "<br>".join(parts)


def _join(*parts: str) -> str:
    return "<br><br>".join(p for p in parts if p)


def anki_tags(card: Card) -> list[str]:
    # Anki tags are space separated: no spaces inside one.
    return [re.sub(r"\s+", "_", t.strip()) for t in card.tags if t.strip()]


def card_note(deck: Deck, card: Card, library: Library | None) -> genanki.Note:
    extra = extra_html(card, library)
    if card.type == "cloze":
        model, fields = genanki.CLOZE_MODEL, [cloze_text(card.prompt), extra]
    elif card.type == "typed":
        model, fields = TYPED_MODEL, [text_html(card.prompt), text_html(str(card.answer)), extra]
    elif card.type == "mcq":
        letters = "ABCD"
        choices = shuffled_choices(deck.id, card)
        items = "".join(f"<li>{text_html(c)}</li>" for c in choices)
        front = f'{text_html(card.prompt)}<ol type="A" class="choices">{items}</ol>'
        right = choices.index(card.answer) if card.answer in choices else None
        label = f"{letters[right]}. " if right is not None else ""
        model, fields = (
            genanki.BASIC_MODEL,
            [front, _join(f"<b>{label}{text_html(str(card.answer))}</b>", extra)],
        )
    elif card.type == "truefalse":
        front = f"{text_html(card.prompt)}<br><br><i>True or false?</i>"
        model, fields = genanki.BASIC_MODEL, [front, _join(f"<b>{card.answer_text()}</b>", extra)]
    else:  # basic
        model, fields = (
            genanki.BASIC_MODEL,
            [text_html(card.prompt), _join(text_html(str(card.answer)), extra)],
        )
    return genanki.Note(
        model=model, fields=fields, tags=anki_tags(card), guid=note_guid(deck.id, card.id)
    )


def anki_deck(deck: Deck, library: Library | None, progress=None) -> genanki.Deck:
    # "::" would make Anki nest the deck under another one.
    name = deck.title.replace("::", ":").strip() or deck.id
    out = genanki.Deck(stable_id("deck", deck.id), name, description=text_html(deck.description))
    for card in deck.cards:
        out.add_note(card_note(deck, card, library))
        if progress is not None:
            progress.update(1)
    return out


@dataclass(frozen=True)
class ApkgSummary:
    decks: int
    notes: int


def write_apkg(
    decks: list[Deck], path: Path, library: Library | None = None, progress=None
) -> ApkgSummary:
    """Write the package through a temporary file, so a failed export leaves no half file."""
    package = genanki.Package([anki_deck(d, library, progress) for d in decks])
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    os.close(fd)
    try:
        package.write_to_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ApkgSummary(len(decks), sum(len(d.cards) for d in decks))
