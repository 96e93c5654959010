"""The class's accuracy per paragraph: every answer given to a card counts for each paragraph
its quote touches (quiz.content.coverage's rule), so a teacher sees which passages of a text
the class has not understood, weakest first."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from quiz.classroom.report_format import _cell
from quiz.content.coverage import ArticleCoverage
from quiz.store.connection import Store


@dataclass(frozen=True)
class PassageAccuracy:
    article: str
    paragraph: int
    text: str
    cards: int  # cards citing the paragraph
    answers: int
    right: int
    learners: int

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answers if self.answers else None


def _answer_totals(store: Store, drill_id: int | None) -> dict[tuple[str, str], tuple]:
    """(deck, card) -> (answers, right, learner ids) over every answer (or one drill's).
    An answer is right when graded correct, or, for a self-graded card, rated above Again.
    Cram answers count (they are answers); reset rows do not."""
    where, args = ("AND drill_id = ?", [drill_id]) if drill_id is not None else ("", [])
    rows = store.conn.execute(
        "SELECT deck_id, card_id, learner_id, COUNT(*), "
        "SUM(CASE WHEN COALESCE(correct, rating > 1) THEN 1 ELSE 0 END) "
        f"FROM reviews WHERE mode != 'reset' {where} GROUP BY deck_id, card_id, learner_id",
        args,
    ).fetchall()
    out: dict[tuple[str, str], tuple[int, int, set[int]]] = {}
    for deck, card, learner, n, right in rows:
        answers, ok, who = out.get((deck, card), (0, 0, set()))
        who.add(learner)
        out[(deck, card)] = (answers + n, ok + (right or 0), who)
    return out


def passage_accuracy(
    store: Store, report: list[ArticleCoverage], drill_id: int | None = None
) -> list[PassageAccuracy]:
    """Every taught paragraph with at least one answer, weakest first (ties: article order)."""
    totals = _answer_totals(store, drill_id)
    out: list[PassageAccuracy] = []
    for cov in report:
        for item in cov.items:
            if not item.cards:
                continue
            answers = right = 0
            who: set[int] = set()
            for key in item.cards:
                deck, card = key.split(":", 1)
                n, ok, learners = totals.get((deck, card), (0, 0, set()))
                answers, right = answers + n, right + ok
                who |= learners
            if answers:
                p = item.paragraph
                out.append(
                    PassageAccuracy(
                        cov.article.id, p.index, p.text, len(item.cards), answers, right, len(who)
                    )
                )
    out.sort(key=lambda r: (r.accuracy, -r.answers))
    return out


FIELDS = ["article", "paragraph", "accuracy", "answers", "right", "learners", "cards", "text"]


def as_dict(r: PassageAccuracy) -> dict:
    return {
        "article": r.article,
        "paragraph": r.paragraph,
        "accuracy": None if r.accuracy is None else round(r.accuracy, 4),
        "answers": r.answers,
        "right": r.right,
        "learners": r.learners,
        "cards": r.cards,
        "text": r.text,
    }


def to_csv(rows: list[PassageAccuracy]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v) if isinstance(v, str) else v for k, v in as_dict(r).items()})
    return buf.getvalue()
