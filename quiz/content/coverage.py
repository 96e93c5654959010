"""Which paragraphs of each article the decks teach: per paragraph, the cards whose quote it
holds. Paragraphs are quiz.content.paragraphs' (the reader's and the authoring screen's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from quiz.content.articles import Article, Library, _folded_with_map, article_furniture, fold
from quiz.content.deck import Card, Deck
from quiz.content.paragraphs import Paragraph, article_paragraphs, paragraphs_touching


@dataclass
class ParagraphCoverage:
    paragraph: Paragraph
    cards: list[str] = field(default_factory=list)  # "deck:card"

    @property
    def decks(self) -> list[str]:
        return sorted({c.split(":", 1)[0] for c in self.cards})


@dataclass
class SharedPassage:
    """Overlapping quotes from cards of two or more decks: one passage met more than once."""

    start: int
    end: int
    paragraphs: list[int]
    cards: list[str]

    @property
    def decks(self) -> list[str]:
        return sorted({c.split(":", 1)[0] for c in self.cards})


@dataclass
class ArticleCoverage:
    article: Article
    items: list[ParagraphCoverage]  # every paragraph, in order
    unlocated: list[str] = field(default_factory=list)  # cards whose quote is not in the text
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "deck:card")

    @property
    def substantive(self) -> list[ParagraphCoverage]:
        return [i for i in self.items if i.paragraph.substantive]

    @property
    def covered(self) -> int:
        return sum(1 for i in self.substantive if i.cards)

    @property
    def shared(self) -> list[SharedPassage]:
        """Passages quoted by cards of two or more decks (quotes that overlap, joined): what a
        learner studying every deck meets twice."""
        out: list[SharedPassage] = []
        group: list[tuple[int, int, str]] = []
        end = -1

        def close() -> None:
            if len({k.split(":", 1)[0] for _, _, k in group}) > 1:
                start, stop = group[0][0], max(e for _, e, _ in group)
                paras = [
                    i.paragraph.index
                    for i in self.items
                    if i.paragraph.start < stop and start < i.paragraph.end
                ]
                out.append(SharedPassage(start, stop, paras, [k for _, _, k in group]))

        for span in sorted(self.spans):
            if group and span[0] >= end:
                close()
                group, end = [], -1
            group.append(span)
            end = max(end, span[1])
        if group:
            close()
        return out

    def shown(self) -> list[ParagraphCoverage]:
        """Substantive paragraphs, and any other paragraph a card cites (furniture quizzed)."""
        return [i for i in self.items if i.paragraph.substantive or i.cards]


class Locator:
    """Finds quotes in one article, folding the article once (not once per card)."""

    def __init__(self, article: Article):
        self.article = article
        self.paras = article_paragraphs(article)
        self.furniture = article_furniture(article)
        self._folded, self._where = _folded_with_map(article.text)

    def span(self, quote: str) -> tuple[int, int] | None:
        """Where the quote sits: its first occurrence in the body, as lint and study place it
        (a caption may repeat a sentence of the body), else its first occurrence."""
        needle = fold(quote)
        if not needle:
            return None
        first = None
        at = self._folded.find(needle)
        while at >= 0:
            start, end = self._where[at], self._where[at + len(needle) - 1] + 1
            if not any(s < end and start < e for s, e in self.furniture):
                return start, end
            first = first or (start, end)
            at = self._folded.find(needle, at + 1)
        return first


def card_key(deck: Deck, card: Card) -> str:
    return f"{deck.id}:{card.id}"


def coverage(
    library: Library,
    decks: Iterable[Deck],
    articles: Iterable[str] | None = None,
) -> list[ArticleCoverage]:
    """Coverage of `articles` (default: every article in the library) by the cards of `decks`."""
    wanted = list(articles) if articles is not None else list(library.articles)
    out: dict[str, ArticleCoverage] = {}
    locators: dict[str, Locator] = {}
    by_index: dict[str, dict[int, ParagraphCoverage]] = {}
    for article_id in wanted:
        article = library.get(article_id)
        if article is None:
            continue
        loc = locators[article_id] = Locator(article)
        items = [ParagraphCoverage(p) for p in loc.paras]
        out[article_id] = ArticleCoverage(article, items)
        by_index[article_id] = {i.paragraph.index: i for i in items}
    for deck in decks:
        for card in deck.cards:
            src = card.source
            if src is None or src.article not in out or not src.quote:
                continue
            loc = locators[src.article]
            span = loc.span(src.quote)
            key = card_key(deck, card)
            if span is None:
                out[src.article].unlocated.append(key)
                continue
            out[src.article].spans.append((*span, key))
            for p in paragraphs_touching(loc.paras, span):
                by_index[src.article][p.index].cards.append(key)
    return list(out.values())


def to_json(report: list[ArticleCoverage]) -> dict:
    return {
        "articles": [
            {
                "id": a.article.id,
                "title": a.article.title,
                "paragraphs": len(a.substantive),
                "covered": a.covered,
                "items": [
                    {
                        "paragraph": i.paragraph.index,
                        "text": i.paragraph.text,
                        "cards": i.cards,
                        "substantive": i.paragraph.substantive,
                    }
                    for i in a.shown()
                ],
                "shared": [
                    {
                        "paragraphs": s.paragraphs,
                        "text": a.article.text[s.start : s.end],
                        "decks": s.decks,
                        "cards": s.cards,
                    }
                    for s in a.shared
                ],
                "unlocated": a.unlocated,
            }
            for a in report
        ]
    }
