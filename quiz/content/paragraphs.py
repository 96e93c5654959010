"""The one rule for what a paragraph is, shared by the reader, coverage and the authoring screen.

A paragraph is a run of text between blank lines (the stored form of every article, bundled or
added, is one paragraph per block). Offsets are into the original text, so a quote's position
from Library.locate applies to them unchanged. A paragraph is *substantive* (worth a card, and
counted by coverage) when it reads as prose and the article's metadata does not mark it as page
furniture: a headline, a byline, a date, a caption or a "Leave a Reply" is not something to teach.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quiz.content.articles import Article, article_furniture

_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(\s|$)")
MIN_WORDS = 12
# Short boxes that read as sentences but are the page's, not the author's.
_FURNITURE = re.compile(
    r"\b(subscribe|sign up|newsletter|log out|click here|commenting using|"
    r"all rights reserved|cookies|read the full)\b",
    re.I,
)
FURNITURE_MAX_WORDS = 40


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based, in reading order, counting every paragraph
    start: int  # offset of its first character in the article text
    text: str
    furniture: bool = False  # inside a span the article's metadata marks as page furniture

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def substantive(self) -> bool:
        return not self.furniture and is_substantive(self.text)


def paragraphs(text: str, furniture: Sequence[tuple[int, int]] = ()) -> list[Paragraph]:
    """The paragraphs of `text`; those mostly inside a `furniture` span (start, end) marked so."""
    out: list[Paragraph] = []
    at = 0

    def add(start: int, body: str) -> None:
        out.append(Paragraph(len(out) + 1, start, body, _inside(start, body, furniture)))

    for m in _BREAK.finditer(text):
        if text[at : m.start()].strip():
            add(at, text[at : m.start()])
        at = m.end()
    if text[at:].strip():
        add(at, text[at:].rstrip())
    return out


def article_paragraphs(article: Article) -> list[Paragraph]:
    """The article's paragraphs, its page furniture (seeds/articles.yaml) known as such."""
    return paragraphs(article.text, article_furniture(article))


def _inside(start: int, body: str, furniture: Sequence[tuple[int, int]]) -> bool:
    # "Mostly": a furniture span is located by its first and last words, so a caption's
    # paragraph may carry a character or two the span does not.
    end = start + len(body)
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in furniture)
    return covered >= 0.9 * len(body.strip())


def is_substantive(text: str) -> bool:
    words = len(text.split())
    if words < MIN_WORDS or _SENTENCE_END.search(text) is None:
        return False
    return not (words <= FURNITURE_MAX_WORDS and _FURNITURE.search(text))


def paragraphs_touching(paras: list[Paragraph], span: tuple[int, int]) -> list[Paragraph]:
    """The paragraphs a located quote (start, end) overlaps: usually one, two for a quote that
    runs across a paragraph break."""
    start, end = span
    return [p for p in paras if p.start < end and start < p.end]
