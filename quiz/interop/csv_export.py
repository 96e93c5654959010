"""Decks and review logs as CSV (UTF-8, a header row, one record per line as csv quotes it).

Cells a spreadsheet would run as a formula (text starting with = + - @, a tab or a carriage
return, unless it is a plain number) get a leading apostrophe: deck text and typed answers are
untrusted, and a teacher opens these files in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from quiz.content.articles import Library
from quiz.content.deck import Deck
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.study.scheduler import RATINGS

DECK_COLUMNS = [
    "deck",
    "id",
    "type",
    "prompt",
    "answer",
    "choices",
    "explanation",
    "article",
    "quote",
    "tags",
]
REVIEW_COLUMNS = [
    "reviewed_at",
    "learner",
    "deck",
    "card",
    "mode",
    "drill_id",
    "rating",
    "rating_name",
    "correct",
    "given",
    "duration_ms",
    "review_uid",
]
LIST_SEPARATOR = " | "  # choices and tags share one cell each


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def deck_rows(decks: Iterable[Deck], library: Library | None = None) -> Iterator[list[str]]:
    for deck in decks:
        for card in deck.cards:
            source = card.source
            article = ""
            if source is not None:
                article = source.article or (
                    f"imported: {source.imported}" if source.imported else ""
                )
            yield [
                safe_cell(v)
                for v in (
                    deck.id,
                    card.id,
                    card.type,
                    card.prompt,
                    card.answer_text(),
                    LIST_SEPARATOR.join(card.choices),
                    card.explanation,
                    article,
                    source.quote if source is not None else "",
                    LIST_SEPARATOR.join(card.tags),
                )
            ]


def write_deck_csv(decks: list[Deck], out, library: Library | None = None, progress=None) -> int:
    """Write to an open text file (newline=''); returns the number of cards written."""
    writer = csv.writer(out)
    writer.writerow(DECK_COLUMNS)
    n = 0
    for row in deck_rows(decks, library):
        writer.writerow(row)
        n += 1
        if progress is not None:
            progress.update(1)
    return n


# The log is every row, cram answers and resets included: its mode column says which.
REVIEWS_SQL = """
    SELECT r.reviewed_at, l.name, r.deck_id, r.card_id, r.mode, r.drill_id, r.rating, r.correct,
           r.given, r.duration_ms, r.uid
    FROM reviews r JOIN learners l ON l.id = r.learner_id
    WHERE r.learner_id = :learner
      AND (:decks IS NULL OR r.deck_id IN (SELECT value FROM json_each(:decks)))
    ORDER BY r.reviewed_at, r.id
"""


def count_reviews(store: Store, learner: Learner, decks: list[str] | None = None) -> int:
    """How many rows write_reviews_csv will write (the progress bar's total)."""
    import json

    return (
        store.scalar(
            "SELECT count(*) FROM reviews r WHERE r.learner_id = :learner"
            " AND (:decks IS NULL OR r.deck_id IN (SELECT value FROM json_each(:decks)))",
            {"learner": learner.id, "decks": json.dumps(decks) if decks else None},
        )
        or 0
    )


def write_reviews_csv(
    store: Store, learner: Learner, out, decks: list[str] | None = None, progress=None
) -> int:
    """A learner's review log, oldest first, streamed (reviews_learner_time keeps it in order)."""
    import json

    writer = csv.writer(out)
    writer.writerow(REVIEW_COLUMNS)
    cursor = store.db.execute(
        REVIEWS_SQL, {"learner": learner.id, "decks": json.dumps(decks) if decks else None}
    )
    n = 0
    while True:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        for at, name, deck, card, mode, drill, rating, correct, given, ms, uid in rows:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        at,
                        name,
                        deck,
                        card,
                        mode,
                        drill,
                        rating,
                        RATINGS.get(rating, ""),
                        "" if correct is None else bool(correct),
                        given,
                        ms,
                        uid,
                    )
                ]
            )
        n += len(rows)
        if progress is not None:
            progress.update(len(rows))
    return n
