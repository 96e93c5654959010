"""How well a learner knows each paragraph of an article, from the cards that cite it.

A paragraph's level comes from its cards' FSRS retrievability now (the probability of recall the
scheduler itself computes): *known* when every card citing it has been studied and each would be
recalled at least as likely as the learner's desired retention; *shaky* when one of its studied
cards is below that, or some of its cards are not studied yet; *not yet* when none of its cards
has been studied; *untaught* when no card cites it. Where a card's quote sits is read from
card_passages (each card's span, located once when its deck is synced), so this is one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.content.articles import Article
from quiz.content.paragraphs import Paragraph, article_paragraphs, paragraphs_touching
from quiz.store.card_state import CardState
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.study.learner_now import as_stored
from quiz.study.scheduler import fsrs_card, scheduler_for

LEVELS = ("known", "shaky", "not yet", "untaught")

_CARDS = """
    SELECT p.deck_id, p.card_id, p.start, p."end", s.state, s.stability, s.last_review, s.due
    FROM card_passages p
    JOIN cards c ON c.deck_id = p.deck_id AND c.card_id = p.card_id AND c.removed_at IS NULL
    LEFT JOIN card_state s
      ON s.learner_id = ? AND s.deck_id = p.deck_id AND s.card_id = p.card_id
    WHERE p.article = ?
"""


@dataclass(frozen=True)
class ParagraphMastery:
    paragraph: Paragraph
    level: str  # one of LEVELS
    cards: int  # cards citing it
    studied: int  # of those, studied at least once by the learner
    recall: float | None  # the lowest retrievability of its studied cards, now


def paragraph_mastery(
    store: Store, learner: Learner, article: Article, now: datetime
) -> list[ParagraphMastery]:
    """Every paragraph of the article, in order, with the learner's level for it."""
    paras = article_paragraphs(article)
    learner = as_stored(store, learner)  # fitted parameters or retention changed meanwhile
    scheduler = scheduler_for(learner)  # the learner's fitted parameters, if any
    cited: dict[int, list[float | None]] = {p.index: [] for p in paras}
    for row in store.rows(_CARDS, [learner.id, article.id]):
        recall = None
        if row["last_review"] is not None and row["stability"]:
            state = CardState(
                state=row["state"],
                stability=row["stability"],
                due=row["due"],
                last_review=row["last_review"],
            )
            recall = scheduler.get_card_retrievability(fsrs_card(state, now), now)
        for p in paragraphs_touching(paras, (row["start"], row["end"])):
            cited[p.index].append(recall)
    return [_level(p, cited[p.index], learner.retention) for p in paras]


def _level(paragraph: Paragraph, recalls: list[float | None], target: float) -> ParagraphMastery:
    studied = [r for r in recalls if r is not None]
    lowest = min(studied) if studied else None
    if not recalls:
        level = "untaught"
    elif not studied:
        level = "not yet"
    elif len(studied) == len(recalls) and lowest >= target:
        level = "known"
    else:
        level = "shaky"
    return ParagraphMastery(paragraph, level, len(recalls), len(studied), lowest)
