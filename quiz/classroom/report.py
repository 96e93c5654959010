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

import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from operator import itemgetter
from typing import NamedTuple

from quiz.store import Store
from quiz.text import printable

EASY = 0.90  # facility above: too easy to tell learners apart
HARD = 0.20  # facility below: too hard (or mis-keyed)
WEAK = 0.30  # discrimination below (and >= 0): weak
THRESHOLDS = {"easy_facility_above": EASY, "hard_facility_below": HARD,
              "weak_discrimination_below": WEAK, "negative_discrimination_below": 0.0}

_C1 = re.compile("[\x7f-\x9f]")
CSV_COLUMNS = ["drill_id", "learner", "deck", "card", "question", "given", "correct",
               "duration_ms", "answered_at"]


# ---------------------------------------------------------------------------------------------
# Statistics on plain lists.

def mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def variance(xs: list[float]) -> float | None:
    """Sample variance (n-1), as Moodle computes it; None for fewer than two values."""
    if len(xs) < 2:
        return None
    m = sum(xs) / len(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(matrix: list[list[float]]) -> float | None:
    """Rows are attempts, columns items."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    totals = [sum(row) for row in matrix]
    var_total = variance(totals)
    if not var_total:
        return None
    item_vars = sum(variance([row[i] for row in matrix]) for i in range(k))
    return k / (k - 1) * (1 - item_vars / var_total)


@dataclass(frozen=True)
class ScoreSums:
    """A drill's complete attempts reduced to integer sums: all that the mean, the SD of the
    totals and Cronbach's alpha need, since item scores are 0 or 1 (an item's variance follows
    from how often it was right). The drills table gets them without keeping each attempt's
    answers; drill_stats gets them from its matrix; both derive the figures here, so they agree
    to the last bit. The integer forms below equal the definitions above (sample variances),
    with one rounding at the end instead of one per term."""

    k: int  # questions
    n: int  # complete attempts
    total: int  # sum of the attempts' totals (questions right)
    total_sq: int  # sum of the squared totals
    item_sq: int  # sum over questions of (times right)^2

    @classmethod
    def of(cls, k: int, totals: list[int], item_right: list[int]) -> ScoreSums:
        return cls(k, len(totals), sum(totals), sum(t * t for t in totals), sum(s * s for s in item_right))

    @property
    def mean_score(self) -> float | None:
        return self.total / self.n / self.k if self.n and self.k else None

    def _spread(self) -> int:
        # n * sum of squared deviations of the totals = n * sum(T^2) - (sum T)^2
        return self.n * self.total_sq - self.total * self.total

    @property
    def sd_score(self) -> float | None:
        return math.sqrt(self._spread() / (self.n * (self.n - 1))) if self.n >= 2 else None

    @property
    def alpha(self) -> float | None:
        # sum of item variances / variance of totals = sum_i s_i (n - s_i) / spread, where
        # s_i is how often item i was right and sum_i s_i = sum T.
        spread = self._spread()
        if self.n < 2 or self.k < 2 or spread == 0:
            return None
        items = self.n * self.total - self.item_sq
        return self.k * (spread - items) / ((self.k - 1) * spread)


def flags(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    out = []
    if facility is not None and facility > EASY:
        out.append("easy")
    if facility is not None and facility < HARD:
        out.append("hard")
    if discrimination is not None and discrimination < 0:
        out.append("negative")
    elif discrimination is not None and discrimination < WEAK:
        out.append("weak")
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# What the report holds.

@dataclass(frozen=True)
class LearnerSummary:
    name: str
    uid: str
    removed: bool
    drills: int  # drills taken (at least one answer)
    drill_answers: int
    drill_correct: int
    drill_accuracy: float | None
    cards_studied: int  # distinct cards with a study review
    study_reviews: int
    retention: float | None  # share of study reviews rated Hard, Good or Easy (rating > 1)


@dataclass(frozen=True)
class ItemStats:
    number: int
    deck_id: str
    card_id: str
    type: str
    prompt: str
    answer: str
    attempts: int  # complete attempts the figures use
    facility: float | None
    sd: float | None
    discrimination: float | None
    wrong: tuple[tuple[str, int], ...]  # (wrong answer, how often); "" is a blank or time-out
    flags: tuple[str, ...]


@dataclass(frozen=True)
class AttemptScore:
    learner: str
    answered: int
    score: int


@dataclass(frozen=True)
class DrillInfo:
    """A drill as the drills table stores it, but its questions."""

    id: int
    uid: str
    created_at: str
    decks: tuple[str, ...]
    seed: str
    count: int
    time_limit: float | None
    feedback: str


@dataclass(frozen=True)
class DrillSummary(DrillInfo):
    """A drill's line in the drills table: the figures over its attempts, without the items."""

    questions: int
    attempts: int  # learners who answered at least one question
    complete: int  # learners who answered every question
    mean_score: float | None  # mean share right over complete attempts
    sd_score: float | None  # sample SD of the totals (questions right)
    alpha: float | None


@dataclass(frozen=True)
class DrillStats(DrillSummary):
    """A drill's summary and its item analysis (the fields, in this order, are the JSON's)."""

    items: tuple[ItemStats, ...] = ()
    scores: tuple[AttemptScore, ...] = ()


@dataclass  # not frozen: a frozen __init__ sets each field through object.__setattr__, 5x slower
class AnswerRow:
    drill_id: int
    learner: str
    deck: str
    card: str
    question: int
    given: str
    correct: int
    duration_ms: int | None
    answered_at: str


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
            **vars(self.info), questions=len(self.questions), attempts=tally.attempts,
            complete=sums.n, mean_score=sums.mean_score, sd_score=sums.sd_score, alpha=sums.alpha,
        )


_DRILL_COLUMNS = "id, uid, created_at, decks, seed, count, time_limit, feedback, questions"


def _drill(row: tuple) -> _Drill:
    questions = json.loads(row[8] or "[]")
    index = {(q["deck"], q["card"]): i for i, q in enumerate(questions)}
    # An attempt whose answers are exactly these pairs, once each, is complete; _attempts
    # recognises it by comparing SQLite's JSON text of its pairs (in index order) with this.
    keys = (json.dumps(sorted(index), ensure_ascii=False, separators=(",", ":"))
            if len(index) == len(questions) else None)
    info = DrillInfo(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5], row[6], row[7])
    return _Drill(info, questions, index, keys)


def _drills(store: Store, ids: list[int] | None = None) -> dict[int, _Drill]:
    if ids is None:
        rows = store.db.execute(f"SELECT {_DRILL_COLUMNS} FROM drills")
    else:
        rows = store.db.execute(f"SELECT {_DRILL_COLUMNS} FROM drills WHERE id IN (SELECT value FROM json_each(?))",
                                [json.dumps(ids)])
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
    marks: str | None  # complete attempts: "1" right or "0" per question, in sorted (deck, card) order


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


def _attempts(store: Store, drills: dict[int, _Drill], learner_id: int | None = None) -> list[_Attempt]:
    sql, params = (_ATTEMPTS_SQL.format(and_learner="AND learner_id = ?"), [learner_id]) \
        if learner_id is not None else (_ATTEMPTS_SQL.format(and_learner=""), [])
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


def learner_summaries(store: Store, learner: str | None = None,
                      attempts: list[_Attempt] | None = None) -> list[LearnerSummary]:
    where, params = ("WHERE name = ?", [learner]) if learner else ("", [])
    people = store.db.execute(f"SELECT id, name, uid, removed_at FROM learners {where} ORDER BY name",
                              params).fetchall()
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
        out.append(LearnerSummary(
            name=name, uid=uid, removed=removed_at is not None, drills=drills,
            drill_answers=answers, drill_correct=right,
            drill_accuracy=right / answers if answers else None, cards_studied=cards,
            study_reviews=reviews, retention=passed / reviews if reviews else None,
        ))
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
    return [r[0] for r in store.db.execute("SELECT id FROM drills ORDER BY created_at DESC, id DESC")]


def drill_summaries(store: Store, ids: list[int], attempts: list[_Attempt] | None = None,
                    drills: dict[int, _Drill] | None = None) -> list[DrillSummary]:
    """The drills table: one line per drill (in the order of `ids`), from one pass over all
    drill answers; drill_stats computes the same figures and the items for one drill."""
    drills = _drills(store) if drills is None else drills
    attempts = _attempts(store, drills) if attempts is None else attempts
    tallies = {i: _Tally(len(drills[i].questions)) for i in ids if i in drills}
    # drill_stats reads answers joined with learners: an orphan row (damaged file) counts in neither.
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
        items.append(ItemStats(
            number=i + 1, deck_id=q["deck"], card_id=q["card"], type=card.get("type", ""),
            prompt=card.get("prompt", ""), answer=card.get("answer", ""), attempts=len(scores),
            facility=facility, sd=math.sqrt(var) if var is not None else None,
            discrimination=disc, wrong=_wrong_answers(q, card, given), flags=flags(facility, disc),
        ))
    sums = ScoreSums.of(k, totals, [sum(m[i] for m in matrix) for i in range(k)])
    scores_ = sorted(
        (AttemptScore(names[lid], len(given), sum(1 for a in given.values() if a.correct))
         for lid, given in by_learner.items()),
        key=lambda s: s.learner.casefold(),
    )
    return DrillStats(
        **vars(drill.info), questions=k, attempts=len(by_learner), complete=sums.n,
        mean_score=sums.mean_score, sd_score=sums.sd_score, alpha=sums.alpha, items=tuple(items),
        scores=tuple(scores_),
    )


def _card_rows(store: Store, questions: list[dict]) -> dict[tuple[str, str], dict]:
    pairs = json.dumps([[q["deck"], q["card"]] for q in questions])
    rows = store.db.execute(  # one primary-key lookup per question
        """SELECT c.deck_id, c.card_id, c.type, c.prompt, c.answer FROM json_each(?) q
           JOIN cards c ON c.deck_id = json_extract(q.value, '$[0]') AND c.card_id = json_extract(q.value, '$[1]')""",
        [pairs],
    )
    return {(deck, card): {"type": type_, "prompt": prompt, "answer": answer}
            for deck, card, type_, prompt, answer in rows}


def _wrong_answers(question: dict, card: dict, answers: list[_Answer]) -> tuple[tuple[str, int], ...]:
    """For mcq, every wrong choice with how often it was picked (0 included, in the order the
    learners saw them); for other types, the wrong answers given, most frequent first (top 5).
    A blank (or time-out) is counted under ""."""
    wrong = Counter((a.given or "") for a in answers if not a.correct)
    if card.get("type") == "mcq" and question.get("choices"):
        out = [(c, wrong.pop(c, 0)) for c in question["choices"] if c != card.get("answer")]
        out += sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))  # blanks, edited choices
        return tuple(out)
    return tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:5])


def answer_rows(store: Store, learner: str | None = None, drill: int | None = None) -> list[AnswerRow]:
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
    return [AnswerRow(drill.id, a.learner, a.deck_id, a.card_id, n, a.given or "", int(a.correct or 0),
                      a.duration_ms, a.reviewed_at)
            for (_, n), a in keyed]


@dataclass(frozen=True)
class FullReport:
    """Everything `quiz report --format json` writes."""

    learners: list[LearnerSummary]
    drills: list[DrillStats]
    answers: list[AnswerRow]


def full_report(store: Store, learner: str | None = None, drill_id: int | None = None) -> FullReport:
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


# ---------------------------------------------------------------------------------------------
# Output formats.

def to_csv(rows: list[AnswerRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    cells: dict[str, str] = {}  # names and answers repeat: make each one printable once

    def cell(text: str) -> str:
        out = cells.get(text)
        if out is None:
            out = cells[text] = _cell(text)
        return out

    for r in rows:
        writer.writerow([r.drill_id, cell(r.learner), r.deck, r.card, r.question, cell(r.given),
                         r.correct, r.duration_ms, r.answered_at])
    return buf.getvalue()


def _cell(text: str) -> str:
    # Names and answers are untrusted text. Control characters are shown escaped (the CSV may
    # be printed to a terminal), and a cell a spreadsheet would run as a formula (=, +, -, @)
    # gets a leading apostrophe (OWASP's advice on CSV injection).
    text = printable(text, 100_000)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_json(learners: list[LearnerSummary], drills: list[DrillStats], answers: list[AnswerRow]) -> str:
    # The text json.dumps(doc, ensure_ascii=False, indent=2) gives, built faster (see _dumps);
    # the answers are flat records of plain values, so they skip the checks.
    parts = {
        "thresholds": _dumps(THRESHOLDS, 1),
        "learners": _dumps([_plain(x) for x in learners], 1),
        "drills": _dumps([_plain(d) for d in drills], 1),
        "answers": _dumps_records([vars(a) for a in answers], 1),
    }
    text = "{\n" + ",\n".join(f'  "{key}": {value}' for key, value in parts.items()) + "\n}"
    # json leaves DEL and the C1 controls (U+0080-U+009F, e.g. CSI) raw; as \u escapes they
    # are still the same JSON strings but can no longer act on a terminal. (isascii() is free,
    # the scan of 40 MB is not.)
    if text.isascii() and "\x7f" not in text:
        return text
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value):
    """dataclasses.asdict for our frozen records, without its deep copies (0.8 s on 200 drills)."""
    if type(value) in _SCALARS:
        return value
    if is_dataclass(value):
        names = _FIELDS.get(type(value)) or _FIELDS.setdefault(type(value), tuple(f.name for f in fields(value)))
        return {name: _plain(getattr(value, name)) for name in names}
    return [_plain(v) for v in value]  # tuples and lists


_encode_str = json.encoder.encode_basestring  # what json.dumps(s, ensure_ascii=False) uses (in C)


def _scalar(value) -> str:
    return _encode_str(value) if type(value) is str else json.dumps(value)


def _dumps(value, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), character for character, for str keys
    and plain values, but fast: indent= makes json use its pure-Python encoder (8 s for the
    report's 150,000 answers). A container of plain values goes through the C encoder in one
    call, with its indentation passed as the item separator."""
    if type(value) in _SCALARS:
        return _scalar(value)
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
    values = value.values() if isinstance(value, dict) else value
    if all(type(v) in _SCALARS for v in values):
        flat = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
        return flat[0] + inner + flat[1:-1] + pad + flat[-1]
    if isinstance(value, dict):
        parts = [_encode_str(k) + ": " + _dumps(v, depth + 1) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(parts) + pad + "}"
    if all(type(v) is dict and v and _SCALARS.issuperset(map(type, v.values())) for v in value):
        return _dumps_records(value, depth)
    return "[" + inner + ("," + inner).join(_dumps(v, depth + 1) for v in value) + pad + "]"


def _dumps_records(records: list[dict], depth: int) -> str:
    """_dumps of a list of non-empty dicts of plain values, in one call of the C encoder: the
    records' indentation is the separator, then the seams between records ("},<newline>
    <indent>{") get the list's. A newline inside a JSON string is escaped, so no value can
    contain a seam."""
    if not records:
        return "[]"
    pad, outer, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1), "\n" + "  " * (depth + 2)
    flat = json.dumps(records, ensure_ascii=False, separators=("," + inner, ": "), check_circular=False)
    body = flat.replace("}," + inner + "{", outer + "}," + outer + "{" + inner)  # 40 MB: copy it once
    return "".join(("[", outer, "{", inner, body[2:-2], outer, "}", pad, "]"))


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def learner_table(learners: list[LearnerSummary]) -> tuple[list[str], list[list[str]]]:
    head = ["learner", "drills", "drill answers", "drill accuracy", "cards studied", "reviews", "retention"]
    rows = [[s.name + (" (removed)" if s.removed else ""), str(s.drills), str(s.drill_answers),
             pct(s.drill_accuracy), str(s.cards_studied), str(s.study_reviews), pct(s.retention)]
            for s in learners]
    return head, rows


def drill_table(drills: list[DrillSummary]) -> tuple[list[str], list[list[str]]]:
    head = ["drill", "created", "decks", "seed", "questions", "learners", "complete", "mean", "alpha"]
    rows = [[str(d.id), d.created_at[:16].replace("T", " "), ",".join(d.decks), d.seed,
             str(d.questions), str(d.attempts), str(d.complete), pct(d.mean_score), num(d.alpha)]
            for d in drills]
    return head, rows


def item_table(stats: DrillStats) -> tuple[list[str], list[list[str]]]:
    head = ["#", "deck", "card", "type", "n", "facility", "discrimination", "flags", "wrong answers"]
    rows = [[str(i.number), i.deck_id, i.card_id, i.type, str(i.attempts), pct(i.facility),
             num(i.discrimination), " ".join(i.flags), wrong_text(i.wrong)]
            for i in stats.items]
    return head, rows


def wrong_text(wrong: tuple[tuple[str, int], ...], limit: int = 40) -> str:
    parts = []
    for text, n in wrong:
        label = text if text else "(blank)"
        if len(label) > limit:
            label = label[: limit - 1] + "…"
        parts.append(f"{label}: {n}")
    return "; ".join(parts)


def format_table(head: list[str], rows: list[list[str]]) -> str:
    """A plain text table; callers make cells printable first."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)
