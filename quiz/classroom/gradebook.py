"""The gradebook: one row per learner, one column per drill, the drill's accuracy in percent,
laid out as Canvas's gradebook import expects and Moodle's CSV grade import accepts.

Columns: Student, ID, SIS User ID, SIS Login ID, Section, then one per drill named
"quiz drill N (decks, date)". Canvas reads the first five as the student's identity (it matches
on ID, SIS User ID or SIS Login ID: quiz puts the learner's name in Student and SIS Login ID and
leaves the others empty) and makes each unknown column a new assignment. Moodle's import
("Import > CSV file") lets the teacher map the SIS Login ID column to the username and each
drill column to a grade item or a new one.

Accuracy = right answers / the drill's questions, counting the first answer to each question (as
the report does); a time-out or an unanswered question counts as wrong. A learner who gave no
answer to a drill gets an empty cell, not 0, so the import leaves that grade alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from quiz.classroom.report import answer_rows
from quiz.store.connection import Store

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass(frozen=True)
class GradeColumn:
    drill_id: int
    title: str
    questions: int


@dataclass(frozen=True)
class GradeRow:
    learner: str
    scores: tuple[float | None, ...]  # per column, percent, None = no answer given


@dataclass(frozen=True)
class Gradebook:
    columns: tuple[GradeColumn, ...]
    rows: tuple[GradeRow, ...]


def _columns(store: Store, drill_ids: list[int] | None) -> list[GradeColumn]:
    rows = store.db.execute("SELECT id, created_at, decks, questions FROM drills ORDER BY id")
    out = []
    for did, created, decks, questions in rows:
        if drill_ids is not None and did not in drill_ids:
            continue
        names = ", ".join(json.loads(decks or "[]"))
        title = f"quiz drill {did} ({names}, {str(created)[:10]})"
        out.append(GradeColumn(did, title, len(json.loads(questions or "[]"))))
    return out


def gradebook(store: Store, drill_ids: list[int] | None = None) -> Gradebook:
    """The gradebook of the drills given (default: every drill), learners by name."""
    columns = _columns(store, drill_ids)
    right: dict[tuple[str, int], int] = defaultdict(int)
    learners: dict[str, str] = {}
    for column in columns:
        for row in answer_rows(store, None, column.drill_id):
            learners.setdefault(row.learner.casefold(), row.learner)
            right[(row.learner, column.drill_id)] += row.correct
            right.setdefault((row.learner, column.drill_id), 0)
    rows = []
    for key in sorted(learners):
        name = learners[key]
        scores = tuple(
            round(100 * right[(name, c.drill_id)] / c.questions, 1)
            if (name, c.drill_id) in right and c.questions
            else None
            for c in columns
        )
        rows.append(GradeRow(name, scores))
    return Gradebook(tuple(columns), tuple(rows))


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: quote such names.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(book: Gradebook) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(IDENTITY + [c.title for c in book.columns])
    for row in book.rows:
        name = _cell(row.learner)
        cells = ["" if s is None else f"{s:g}" for s in row.scores]
        writer.writerow([name, "", "", name, "", *cells])
    return out.getvalue()
