"""What the LMS formats (Moodle XML, GIFT, QTI 2.1, Canvas QTI 1.2, Aiken) share: the feedback
text that carries a card's explanation and citation, the neutral question every importer
returns, reading XML without entities, and turning imported questions into a lint-clean deck.

The citation is what makes a quiz card worth importing, so every format keeps it in the
question's general feedback, as the explanation followed by one line:

    Source: <article title>: “<quote>”

An importer splits that line off again; when the title names an article we ship and the quote is
found in it, the imported card gets its verified source back instead of `source: {imported}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.content.articles import Library
from quiz.content.deck import Card, Deck
from quiz.interop.csv_import import ImportProblems, unique_ids

MAX_BYTES = 20 * 1024 * 1024
_CITATION = re.compile(
    r"(?:\A|\n+)Source: (?P<title>[^\n]+?): \u201c(?P<quote>.+)\u201d\s*\Z", re.S
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n


def citation(card: Card, library: Library) -> str:
    """'Source: <title>: “<quote>”', or '' for a card without a verified source."""
    src = card.source
    if src is None or src.article is None or src.quote is None:
        return ""
    article = library.get(src.article)
    title = article.title if article is not None else src.article
    return f"Source: {title}: \u201c{src.quote}\u201d"


def feedback(card: Card, library: Library) -> str:
    """The general feedback every format writes: the explanation, then the citation."""
    return "\n\n".join(part for part in (card.explanation.strip(), citation(card, library)) if part)


@dataclass(frozen=True)
class Question:
    """One question as read from an LMS file, in quiz's terms (type is a quiz card type)."""

    name: str
    type: str
    prompt: str
    answer: str | bool | None = None  # None for cloze (the {{blanks}} carry the answers)
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    feedback: str = ""
    tags: tuple[str, ...] = ()
    line: int = 1


@dataclass
class Imported:
    questions: list[Question]
    skipped: list[str] = field(default_factory=list)  # "FILE:LINE: why", not fatal
    title: str | None = None  # a deck title the file suggests (a Moodle/GIFT category)


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def cloze_blank(alternatives: list[str]) -> str:
    """{{a|b}} for a deck prompt; '|' and braces cannot appear inside a blank, so drop them."""
    alts = [re.sub(r"[|{}]", "", a).strip() for a in alternatives]
    return "{{" + "|".join(a for a in alts if a) + "}}"


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is one clear line."""
    if len(data) > MAX_BYTES:
        raise ImportProblems([f"{name}: too large to import (over {MAX_BYTES >> 20} MB)"])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportProblems([f"{name}:1: not valid UTF-16 text despite its byte-order mark"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportProblems(
            [
                f"{name}:{line}: not UTF-8 text (byte 0x{data[e.start]:02x}); "
                "save the file as UTF-8 and try again"
            ]
        ) from None


def parse_xml(data: bytes, name: str):
    """The root element, parsed with no DTD at all: defusedxml refuses any DOCTYPE, so entity
    expansion (billion laughs), external entities and network fetches never happen. Moodle XML
    and QTI files never need a DTD. Every failure is one `FILE:LINE: ...` line."""
    from xml.etree.ElementTree import ParseError

    import defusedxml
    from defusedxml import ElementTree as SafeET

    if len(data) > MAX_BYTES:
        raise ImportProblems([f"{name}: too large to import (over {MAX_BYTES >> 20} MB)"])
    declared = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", data)
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            decode_text(data, name)  # a clear line for a file that says UTF-8 and is not
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise ImportProblems(
            [f"{name}:1: has a DOCTYPE (entities are refused: they can expand without limit)"]
        )
    except defusedxml.DefusedXmlException:
        raise ImportProblems([f"{name}:1: uses XML entities or external references (refused)"])
    except ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 1
        reason = str(e).split(":")[0]
        raise ImportProblems([f"{name}:{line}: not well-formed XML ({reason})"]) from None
    except (LookupError, ValueError) as e:  # an encoding Python does not know
        raise ImportProblems([f"{name}:1: cannot read this XML's encoding ({e})"]) from None


def split_citation(text: str) -> tuple[str, str | None, str | None]:
    """(explanation, article title, quote) from general feedback written by feedback()."""
    m = _CITATION.search(text)
    if m is None:
        return text.strip(), None, None
    return text[: m.start()].strip(), m.group("title").strip(), m.group("quote")


def _source(title: str | None, quote: str | None, library: Library, origin: str) -> dict:
    if title and quote:
        for article in library.articles.values():
            if article.title == title and library.contains_quote(article.id, quote):
                return {"article": article.id, "quote": quote}
    return {"imported": origin}


def deck_document(
    imported: Imported, deck_id: str, title: str, origin: str, library: Library
) -> dict:
    """The YAML deck document for the questions (cards in file order, ids from their names)."""
    ids = unique_ids([q.name or q.prompt for q in imported.questions])
    cards = []
    articles: list[str] = []
    for card_id, q in zip(ids, imported.questions):
        explanation, cited_title, quote = split_citation(q.feedback)
        source = _source(cited_title, quote, library, origin)
        if "article" not in source and cited_title and quote:
            # Not one of ours: keep the citation as the author wrote it.
            explanation = q.feedback.strip()
        card: dict = {"id": card_id, "type": q.type, "prompt": q.prompt}
        if q.type == "truefalse":
            card["answer"] = bool(q.answer)
        elif q.type != "cloze":
            card["answer"] = q.answer if isinstance(q.answer, str) else ""
        if q.type == "typed" and q.accept:
            card["accept"] = list(q.accept)
        if q.type == "mcq":
            card["choices"] = list(q.choices)
        if explanation:
            card["explanation"] = explanation
        card["source"] = source
        if "article" in source and source["article"] not in articles:
            articles.append(source["article"])
        if q.tags:
            card["tags"] = [t[:40] for t in q.tags if t.strip()]
        cards.append(card)
    head: dict = {"id": deck_id, "title": title, "description": f"Imported from {origin}"}
    if articles:
        head["articles"] = articles
    return {"deck": head, "cards": cards}


def gradable(deck: Deck) -> list[Card]:
    return [c for c in deck.cards if c.objective]
