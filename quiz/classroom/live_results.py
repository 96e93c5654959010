"""The end of a live session: the class's accuracy per question and the leaderboard.

The leaderboard counts right answers only (ties by name), never speed; the host chooses whether
it is shown at all (off, the default), without names, or with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from quiz.classroom.drill import Drill
from quiz.classroom.live import LiveSession, answers_sql, question_answers
from quiz.store.connection import Store


@dataclass(frozen=True)
class Standing:
    learner: str
    right: int
    answered: int


def question_accuracy(store: Store, session: LiveSession, drill: Drill) -> list[tuple[int, int]]:
    """(right, answered) per question, in order."""
    out = []
    for q in drill.questions:
        answers = question_answers(store, session, q)
        out.append((sum(1 for a in answers if a["correct"]), len(answers)))
    return out


def standings(store: Store, session: LiveSession, drill: Drill) -> list[Standing]:
    """The leaderboard: accuracy only (right answers; ties by name), never speed."""
    wanted = {(q.deck_id, q.card.id) for q in drill.questions}
    seen: set[tuple] = set()
    right: Counter = Counter()
    answered: Counter = Counter()
    names = {
        r["id"]: r["name"]
        for r in store.rows(
            "SELECT l.id, l.name FROM live_members m JOIN learners l ON l.id = m.learner_id "
            "WHERE m.code = ?",
            [session.code],
        )
    }
    for r in store.rows(answers_sql(""), [session.drill_id, session.created_at]):
        key = (r["learner_id"], r["deck_id"], r["card_id"])
        if key in seen or key[1:] not in wanted:
            continue
        seen.add(key)
        answered[r["learner_id"]] += 1
        right[r["learner_id"]] += bool(r["correct"])
    rows = [Standing(names.get(lid, "?"), right[lid], answered[lid]) for lid in answered]
    return sorted(rows, key=lambda s: (-s.right, s.learner.casefold()))
