"""The teacher's report: per learner, per drill, per question (item analysis as Moodle's quiz
statistics report computes it), and the long answer table for spreadsheets.

Definitions (all figures are computed from the answers stored; nothing is cached):

- An attempt is one learner's answers to one drill; the first answer to each question counts
  (a drill started again does not ask twice, but a merge can bring a second answer).
- Item statistics use the complete attempts only (every question answered; a time-out is an
  answer, scored 0), as Moodle analyses finished attempts only. Scores are 1 (right) or 0.
- Facility index: the mean item score (shown as a percentage).
- Discrimination index: Pearson's correlation between the item score and the rest-of-test score
  (the attempt's total minus this item), across complete attempts. Undefined (None) with fewer
  than two attempts or when either score does not vary.
- Cronbach's alpha: k/(k-1) * (1 - sum of item variances / variance of totals). Variances are
  sample variances (divided by n-1), as in Moodle's code; the ratio is the same with population
  variances, so alpha and the correlations do not depend on that choice (only the SD shown does).
  Undefined with fewer than two items or attempts, or when totals do not vary.
- Flags (thresholds after Moodle's guidance on facility and discrimination): "easy" facility
  above 90%, "hard" below 20%, "negative" discrimination below 0 (the item disagrees with the
  rest of the test: check its key), "weak" discrimination from 0 up to 0.3.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from quiz.classroom.item_stats import ScoreSums, flags, mean, pearson, variance
from quiz.classroom.report_records import (
    AnswerRow,
    AttemptScore,
    DrillInfo,
    DrillStats,
    DrillSummary,
    ItemStats,
    LearnerSummary,
)
from quiz.store.connection import Store

# ---------------------------------------------------------------------------------------------
# Queries. The drill answers are read through a partial index (reviews_drill_answers): the
# literal mode = 'drill' in the WHERE is what lets SQLite use it, so keep it written out in
# every query. The study reviews are summed per card already (study_card_totals). Hot loops
# read plain tuples.


class _Answer(NamedTuple):
    """One counted drill answer, as _first_answers reads it."""

    learner_id: int
    learner: str
    deck_id: str
    card_id: str
    given: str | None
    correct: int | None
    duration_ms: int | None
    reviewed_at: str


@dataclass(frozen=True)
class _Drill:
    """A drills row, its question list parsed."""

    info: DrillInfo
    questions: list[dict]
    index: dict[tuple[str, str], int]  # (deck, card) -> position in the question list
    keys: str | None  # the sorted (deck, card) pairs as SQLite's JSON writes them; None if repeated

    @property
    def id(self) -> int:
        return self.info.id

    def summary(self, tally: _Tally) -> DrillSummary:
        sums = tally.sums()
        return DrillSummary(
            **vars(self.info),
            questions=len(self.questions),
            attempts=tally.attempts,
            complete=sums.n,
            mean_score=sums.mean_score,
            sd_score=sums.sd_score,
            alpha=sums.alpha,
        )


_DRILL_COLUMNS = "id, uid, created_at, decks, seed, count, time_limit, feedback, questions"


def _drill(row: tuple) -> _Drill:
    questions = json.loads(row[8] or "[]")
    index = {(q["deck"], q["card"]): i for i, q in enumerate(questions)}
    # An attempt whose answers are exactly these pairs, once each, is complete; _attempts
    # recognises it by comparing SQLite's JSON text of its pairs (in index order) with this.
    keys = (
        json.dumps(sorted(index), ensure_ascii=False, separators=(",", ":"))
        if len(index) == len(questions)
        else None
    )
    info = DrillInfo(
        row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5], row[6], row[7]
    )
    return _Drill(info, questions, index, keys)


def _drills(store: Store, ids: list[int] | None = None) -> dict[int, _Drill]:
    if ids is None:
        rows = store.db.execute(f"SELECT {_DRILL_COLUMNS} FROM drills")
    else:
        rows = store.db.execute(
            f"SELECT {_DRILL_COLUMNS} FROM drills WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)],
        )
    return {row[0]: _drill(row) for row in rows}


@dataclass(frozen=True)
class _Attempt:
    """One learner's counted answers (the first per question) to one drill, reduced to what the
    learners and drills tables need."""

    learner_id: int
    drill_id: int | None
    answers: int  # counted answers, to any card (the learners table counts them all)
    right: int  # of those, correct = 1
    listed: int  # counted answers to the drill's questions
    marks: (
        str | None
    )  # complete attempts: "1" right or "0" per question, in sorted (deck, card) order


@dataclass
class _Tally:
    """A drill's attempts, added up for its line in the drills table."""

    k: int
    attempts: int = 0
    marks: list[str] = field(default_factory=list)

    def add(self, attempt: _Attempt) -> None:
        if attempt.listed:
            self.attempts += 1
        if attempt.marks is not None:
            self.marks.append(attempt.marks)

    def sums(self) -> ScoreSums:
        totals = [m.count("1") for m in self.marks]
        item_right = [column.count("1") for column in zip(*self.marks)]
        return ScoreSums.of(self.k, totals, item_right)


# Per learner and drill, in the partial index's order (no sort): the answers' (deck, card) pairs
# and right/wrong marks in the same row order. Most attempts are one answer per question; those
# are taken from here as they are, the rest are read again (_attempt_exactly).
_ATTEMPTS_SQL = """
    SELECT learner_id, drill_id, count(*), sum(correct = 1),
           json_group_array(json_array(deck_id, card_id)),
           group_concat(CASE WHEN correct THEN '1' ELSE '0' END, '')
    FROM reviews WHERE mode = 'drill' {and_learner}
    GROUP BY learner_id, drill_id"""


def _attempts(
    store: Store, drills: dict[int, _Drill], learner_id: int | None = None
) -> list[_Attempt]:
    sql, params = (
        (_ATTEMPTS_SQL.format(and_learner="AND learner_id = ?"), [learner_id])
        if learner_id is not None
        else (_ATTEMPTS_SQL.format(and_learner=""), [])
    )
    out = []
    for lid, did, n, right, keys, marks in store.db.execute(sql, params).fetchall():
        drill = drills.get(did)
        if drill is not None and drill.keys is not None and keys == drill.keys:
            out.append(_Attempt(lid, did, n, right or 0, n, marks))
        else:  # repeated answers, unanswered or unlisted questions, odd ids: count them exactly
            out.append(_attempt_exactly(store, lid, did, drill))
    return out


def _attempt_exactly(store: Store, lid: int, did: int | None, drill: _Drill | None) -> _Attempt:
    # ORDER BY the partial index's columns: without it SQLite picks reviews_learner_time and
    # reads all of the learner's reviews (200 ms instead of 0.1 ms).
    rows = store.db.execute(
        """SELECT deck_id, card_id, reviewed_at, id, correct FROM reviews
           WHERE mode = 'drill' AND learner_id = ? AND drill_id IS ?
           ORDER BY deck_id, card_id, reviewed_at""",
        [lid, did],
    )
    firsts: dict[tuple[str, str], tuple[tuple[str, int], int | None]] = {}
    for deck, card, at, rid, correct in rows:
        if (deck, card) not in firsts or (at, rid) < firsts[(deck, card)][0]:
            firsts[(deck, card)] = ((at, rid), correct)
    right = sum(1 for _, c in firsts.values() if c == 1)
    index = drill.index if drill is not None else {}
    listed = sum(1 for key in firsts if key in index)
    marks = None
    if drill is not None and 0 < listed == len(drill.questions) == len(index):
        marks = "".join("1" if firsts[key][1] else "0" for key in sorted(index))
    return _Attempt(lid, did, len(firsts), right, listed, marks)


def learner_id(store: Store, name: str) -> int | None:
    return store.scalar("SELECT id FROM learners WHERE name = ?", [name])


# One learner's study reviews from their per-card totals (store migration 6, kept by triggers):
# one row per card studied.
_STUDY_SQL = """
    SELECT count(*), sum(reviews), sum(passed) FROM study_card_totals WHERE learner_id = ?"""


def learner_summaries(
    store: Store, learner: str | None = None, attempts: list[_Attempt] | None = None
) -> list[LearnerSummary]:
    where, params = ("WHERE name = ?", [learner]) if learner else ("", [])
    people = store.db.execute(
        f"SELECT id, name, uid, removed_at FROM learners {where} ORDER BY name", params
    ).fetchall()
    if attempts is None:
        only = people[0][0] if learner and people else None
        attempts = _attempts(store, _drills(store), only) if people else []
    drill = {lid: [0, 0, 0] for lid, *_ in people}  # drills, answers, right
    for a in attempts:
        if a.learner_id in drill:
            totals = drill[a.learner_id]
            totals[0] += a.drill_id is not None
            totals[1] += a.answers
            totals[2] += a.right
    out = []
    for lid, name, uid, removed_at in people:
        drills, answers, right = drill[lid]
        cards, reviews, passed = store.db.execute(_STUDY_SQL, [lid]).fetchone()
        reviews, passed = reviews or 0, passed or 0
        out.append(
            LearnerSummary(
                name=name,
                uid=uid,
                removed=removed_at is not None,
                drills=drills,
                drill_answers=answers,
                drill_correct=right,
                drill_accuracy=right / answers if answers else None,
                cards_studied=cards,
                study_reviews=reviews,
                retention=passed / reviews if reviews else None,
            )
        )
    return out


def drill_ids(store: Store, learner: str | None = None) -> list[int]:
    """Drills, newest first; with a learner, the drills they answered."""
    if learner:
        # The subquery's ORDER BY makes SQLite walk reviews_drill_answers (2 ms) rather than
        # all of the learner's reviews through reviews_learner_time (150 ms).
        sql = """SELECT id FROM drills WHERE id IN (
                     SELECT r.drill_id FROM reviews r JOIN learners l ON l.id = r.learner_id
                     WHERE r.mode = 'drill' AND l.name = ? ORDER BY r.drill_id)
                 ORDER BY created_at DESC, id DESC"""
        return [r[0] for r in store.db.execute(sql, [learner])]
    return [
        r[0] for r in store.db.execute("SELECT id FROM drills ORDER BY created_at DESC, id DESC")
    ]


def drill_summaries(
    store: Store,
    ids: list[int],
    attempts: list[_Attempt] | None = None,
    drills: dict[int, _Drill] | None = None,
) -> list[DrillSummary]:
    """The drills table: one line per drill (in the order of `ids`), from one pass over all
    drill answers; drill_stats computes the same figures and the items for one drill."""
    drills = _drills(store) if drills is None else drills
    attempts = _attempts(store, drills) if attempts is None else attempts
    tallies = {i: _Tally(len(drills[i].questions)) for i in ids if i in drills}
    # drill_stats reads answers joined with learners: an orphan row (damaged file) counts in
    # neither.
    known = {row[0] for row in store.db.execute("SELECT id FROM learners")}
    for a in attempts:
        if a.drill_id in tallies and a.learner_id in known:
            tallies[a.drill_id].add(a)
    return [drills[i].summary(tallies[i]) for i in ids if i in tallies]


@dataclass(frozen=True)
class Overview:
    """What `quiz report` shows as tables: a line per learner and per drill, and the questions
    of one drill (the one asked for, else the latest)."""

    learners: list[LearnerSummary]
    drills: list[DrillSummary]
    shown: DrillStats | None


def overview(store: Store, learner: str | None = None, drill_id: int | None = None) -> Overview:
    drills = _drills(store)
    attempts = _attempts(store, drills)  # one pass serves both tables
    ids = [drill_id] if drill_id is not None else drill_ids(store, learner)
    return Overview(
        learners=learner_summaries(store, learner, attempts),
        drills=drill_summaries(store, ids, attempts, drills),
        shown=_drill_stats(store, drills[ids[0]]) if ids and ids[0] in drills else None,
    )


def _first_answers(store: Store, drill_id: int, learner: str | None = None) -> list[_Answer]:
    """The counted answers of a drill: the first per learner and question."""
    extra, params = ("AND l.name = ?", [drill_id, learner]) if learner else ("", [drill_id])
    rows = store.db.execute(
        f"""SELECT r.learner_id, l.name, r.deck_id, r.card_id, r.given, r.correct, r.duration_ms,
                   r.reviewed_at
            FROM reviews r JOIN learners l ON l.id = r.learner_id
            WHERE r.drill_id = ? AND r.mode = 'drill' {extra}
            ORDER BY r.reviewed_at, r.id""",
        params,
    )
    seen, out = set(), []
    for a in map(_Answer._make, rows):
        key = (a.learner_id, a.deck_id, a.card_id)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def drill_stats(store: Store, drill_id: int) -> DrillStats | None:
    drill = _drills(store, [drill_id]).get(drill_id)
    return _drill_stats(store, drill) if drill is not None else None


def _drill_stats(store: Store, drill: _Drill, answers: list[_Answer] | None = None) -> DrillStats:
    if answers is None:
        answers = _first_answers(store, drill.id)
    questions, k = drill.questions, len(drill.questions)
    by_learner: dict[int, dict[int, _Answer]] = {}
    names: dict[int, str] = {}
    for a in answers:
        i = drill.index.get((a.deck_id, a.card_id))
        if i is None:
            continue
        by_learner.setdefault(a.learner_id, {})[i] = a
        names[a.learner_id] = a.learner
    complete = [lid for lid, given in by_learner.items() if len(given) == k]
    matrix = [[1 if by_learner[lid][i].correct else 0 for i in range(k)] for lid in complete]
    totals = [sum(row) for row in matrix]
    cards = _card_rows(store, questions)
    items = []
    for i, q in enumerate(questions):
        scores = [float(m[i]) for m in matrix]
        rest = [float(t) - s for t, s in zip(totals, scores)]
        facility = mean(scores)
        var = variance(scores)
        disc = pearson(scores, rest)
        card = cards.get((q["deck"], q["card"]), {})
        given = [by_learner[lid][i] for lid in complete]
        items.append(
            ItemStats(
                number=i + 1,
                deck_id=q["deck"],
                card_id=q["card"],
                type=card.get("type", ""),
                prompt=card.get("prompt", ""),
                answer=card.get("answer", ""),
                attempts=len(scores),
                facility=facility,
                sd=math.sqrt(var) if var is not None else None,
                discrimination=disc,
                wrong=_wrong_answers(q, card, given),
                flags=flags(facility, disc),
            )
        )
    sums = ScoreSums.of(k, totals, [sum(m[i] for m in matrix) for i in range(k)])
    scores_ = sorted(
        (
            AttemptScore(names[lid], len(given), sum(1 for a in given.values() if a.correct))
            for lid, given in by_learner.items()
        ),
        key=lambda s: s.learner.casefold(),
    )
    return DrillStats(
        **vars(drill.info),
        questions=k,
        attempts=len(by_learner),
        complete=sums.n,
        mean_score=sums.mean_score,
        sd_score=sums.sd_score,
        alpha=sums.alpha,
        items=tuple(items),
        scores=tuple(scores_),
    )


def _card_rows(store: Store, questions: list[dict]) -> dict[tuple[str, str], dict]:
    pairs = json.dumps([[q["deck"], q["card"]] for q in questions])
    rows = store.db.execute(  # one primary-key lookup per question
        """SELECT c.deck_id, c.card_id, c.type, c.prompt, c.answer FROM json_each(?) q
           JOIN cards c ON c.deck_id = json_extract(q.value, '$[0]')
            AND c.card_id = json_extract(q.value, '$[1]')""",
        [pairs],
    )
    return {
        (deck, card): {"type": type_, "prompt": prompt, "answer": answer}
        for deck, card, type_, prompt, answer in rows
    }


def _wrong_answers(
    question: dict, card: dict, answers: list[_Answer]
) -> tuple[tuple[str, int], ...]:
    """For mcq, every wrong choice with how often it was picked (0 included, in the order the
    learners saw them); for other types, the wrong answers given, most frequent first (top 5).
    A blank (or time-out) is counted under ""."""
    wrong = Counter((a.given or "") for a in answers if not a.correct)
    if card.get("type") == "mcq" and question.get("choices"):
        out = [(c, wrong.pop(c, 0)) for c in question["choices"] if c != card.get("answer")]
        out += sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))  # blanks, edited choices
        return tuple(out)
    return tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:5])


def answer_rows(
    store: Store, learner: str | None = None, drill: int | None = None
) -> list[AnswerRow]:
    """One row per learner per question (the counted, first answer), for the long CSV."""
    ids = [drill] if drill is not None else sorted(drill_ids(store, learner))
    drills = _drills(store, ids)
    out = []
    for drill_id in ids:
        if drill_id in drills:
            out += _answer_rows(drills[drill_id], _first_answers(store, drill_id, learner))
    return out


def _answer_rows(drill: _Drill, answers: list[_Answer]) -> list[AnswerRow]:
    """The drill's rows of the long table: by learner (case-insensitively), then question."""
    number = {key: i + 1 for key, i in drill.index.items()}
    folded: dict[str, str] = {}
    keyed = []
    for a in answers:
        n = number.get((a.deck_id, a.card_id))
        if n is not None:
            name = folded.get(a.learner) or folded.setdefault(a.learner, a.learner.casefold())
            keyed.append(((name, n), a))
    keyed.sort(key=itemgetter(0))  # stable: equal keys keep the answers' order
    return [
        AnswerRow(
            drill.id,
            a.learner,
            a.deck_id,
            a.card_id,
            n,
            a.given or "",
            int(a.correct or 0),
            a.duration_ms,
            a.reviewed_at,
        )
        for (_, n), a in keyed
    ]


@dataclass(frozen=True)
class FullReport:
    """Everything `quiz report --format json` writes."""

    learners: list[LearnerSummary]
    drills: list[DrillStats]
    answers: list[AnswerRow]


def full_report(
    store: Store, learner: str | None = None, drill_id: int | None = None
) -> FullReport:
    """Learners, every drill with its items, and the answers: each drill's answers are read once
    for both its item analysis and its rows."""
    ids = [drill_id] if drill_id is not None else drill_ids(store, learner)
    drills = _drills(store, ids)
    lid = learner_id(store, learner) if learner else None
    stats, rows = {}, {}
    for i in ids:
        if i in drills:
            answers = _first_answers(store, i)
            stats[i] = _drill_stats(store, drills[i], answers)
            # The learner's id, not the name: names compare without case in the store.
            mine = [a for a in answers if a.learner_id == lid] if learner else answers
            rows[i] = _answer_rows(drills[i], mine)
    return FullReport(
        learners=learner_summaries(store, learner),
        drills=[stats[i] for i in ids if i in stats],
        answers=[r for i in sorted(rows) for r in rows[i]],
    )
