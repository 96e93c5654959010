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
from dataclasses import asdict, dataclass, field

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
class DrillStats:
    id: int
    uid: str
    created_at: str
    decks: tuple[str, ...]
    seed: str
    count: int
    time_limit: float | None
    feedback: str
    questions: int
    attempts: int  # learners who answered at least one question
    complete: int  # learners who answered every question
    mean_score: float | None  # mean share right over complete attempts
    sd_score: float | None  # sample SD of the totals (questions right)
    alpha: float | None
    items: tuple[ItemStats, ...]
    scores: tuple[AttemptScore, ...] = field(default=())


@dataclass(frozen=True)
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
# Queries.

def learner_id(store: Store, name: str) -> int | None:
    return store.scalar("SELECT id FROM learners WHERE name = ?", [name])


def learner_summaries(store: Store, learner: str | None = None) -> list[LearnerSummary]:
    where, params = ("WHERE l.name = ?", [learner]) if learner else ("", [])
    rows = store.db.query(
        f"""
        WITH firsts AS (
            SELECT learner_id, drill_id, correct, row_number() OVER (
                PARTITION BY learner_id, drill_id, deck_id, card_id ORDER BY reviewed_at, id) AS nth
            FROM reviews WHERE mode = 'drill'
        ), drill AS (
            SELECT learner_id, count(DISTINCT drill_id) AS drills, count(*) AS answers,
                   sum(correct = 1) AS right FROM firsts WHERE nth = 1 GROUP BY learner_id
        ), study AS (
            SELECT learner_id, count(*) AS reviews, sum(rating > 1) AS passed,
                   count(DISTINCT deck_id || char(0) || card_id) AS cards
            FROM reviews WHERE mode = 'study' GROUP BY learner_id
        )
        SELECT l.name, l.uid, l.removed_at, d.drills, d.answers, d.right, s.reviews, s.passed, s.cards
        FROM learners l LEFT JOIN drill d ON d.learner_id = l.id
        LEFT JOIN study s ON s.learner_id = l.id
        {where} ORDER BY l.name
        """,
        params,
    )
    out = []
    for r in rows:
        answers, right = r["answers"] or 0, r["right"] or 0
        reviews, passed = r["reviews"] or 0, r["passed"] or 0
        out.append(LearnerSummary(
            name=r["name"], uid=r["uid"], removed=r["removed_at"] is not None,
            drills=r["drills"] or 0, drill_answers=answers, drill_correct=right,
            drill_accuracy=right / answers if answers else None, cards_studied=r["cards"] or 0,
            study_reviews=reviews, retention=passed / reviews if reviews else None,
        ))
    return out


def drill_ids(store: Store, learner: str | None = None) -> list[int]:
    """Drills, newest first; with a learner, the drills they answered."""
    if learner:
        sql = """SELECT DISTINCT d.id, d.created_at FROM drills d JOIN reviews r ON r.drill_id = d.id
                 JOIN learners l ON l.id = r.learner_id WHERE l.name = ?
                 ORDER BY d.created_at DESC, d.id DESC"""
        return [r["id"] for r in store.db.query(sql, [learner])]
    return [r["id"] for r in store.db.query("SELECT id FROM drills ORDER BY created_at DESC, id DESC")]


def _questions(row: dict) -> list[dict]:
    return json.loads(row["questions"] or "[]")


def _first_answers(store: Store, drill_id: int, learner: str | None = None) -> list[dict]:
    """The counted answers of a drill: the first per learner and question."""
    extra, params = ("AND l.name = ?", [drill_id, learner]) if learner else ("", [drill_id])
    rows = store.db.query(
        f"""SELECT r.id, r.learner_id, l.name AS learner, r.deck_id, r.card_id, r.given,
                   r.correct, r.duration_ms, r.reviewed_at
            FROM reviews r JOIN learners l ON l.id = r.learner_id
            WHERE r.drill_id = ? AND r.mode = 'drill' {extra}
            ORDER BY r.reviewed_at, r.id""",
        params,
    )
    seen, out = set(), []
    for r in rows:
        key = (r["learner_id"], r["deck_id"], r["card_id"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def drill_stats(store: Store, drill_id: int) -> DrillStats | None:
    row = store._one("SELECT * FROM drills WHERE id = ?", [drill_id])
    if row is None:
        return None
    questions = _questions(row)
    k = len(questions)
    index = {(q["deck"], q["card"]): i for i, q in enumerate(questions)}
    by_learner: dict[int, dict[int, dict]] = {}
    names: dict[int, str] = {}
    for a in _first_answers(store, drill_id):
        i = index.get((a["deck_id"], a["card_id"]))
        if i is None:
            continue
        by_learner.setdefault(a["learner_id"], {})[i] = a
        names[a["learner_id"]] = a["learner"]
    complete = [lid for lid, answers in by_learner.items() if len(answers) == k]
    matrix = [[1.0 if by_learner[lid][i]["correct"] else 0.0 for i in range(k)] for lid in complete]
    totals = [sum(row_) for row_ in matrix]
    cards = _card_rows(store, questions)
    items = []
    for i, q in enumerate(questions):
        scores = [m[i] for m in matrix]
        rest = [t - s for t, s in zip(totals, scores)]
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
    var_total = variance(totals)
    scores_ = sorted(
        (AttemptScore(names[lid], len(ans), sum(1 for a in ans.values() if a["correct"]))
         for lid, ans in by_learner.items()),
        key=lambda s: s.learner.casefold(),
    )
    return DrillStats(
        id=row["id"], uid=row["uid"], created_at=row["created_at"],
        decks=tuple(json.loads(row["decks"])), seed=row["seed"], count=row["count"],
        time_limit=row["time_limit"], feedback=row["feedback"], questions=k,
        attempts=len(by_learner), complete=len(complete),
        mean_score=mean(totals) / k if totals and k else None,
        sd_score=math.sqrt(var_total) if var_total is not None else None,
        alpha=cronbach_alpha(matrix) if matrix else None, items=tuple(items), scores=tuple(scores_),
    )


def _card_rows(store: Store, questions: list[dict]) -> dict[tuple[str, str], dict]:
    pairs = json.dumps([[q["deck"], q["card"]] for q in questions])
    rows = store.db.query(  # one primary-key lookup per question
        """SELECT c.deck_id, c.card_id, c.type, c.prompt, c.answer FROM json_each(?) q
           JOIN cards c ON c.deck_id = json_extract(q.value, '$[0]') AND c.card_id = json_extract(q.value, '$[1]')""",
        [pairs],
    )
    return {(r["deck_id"], r["card_id"]): r for r in rows}


def _wrong_answers(question: dict, card: dict, answers: list[dict]) -> tuple[tuple[str, int], ...]:
    """For mcq, every wrong choice with how often it was picked (0 included, in the order the
    learners saw them); for other types, the wrong answers given, most frequent first (top 5).
    A blank (or time-out) is counted under ""."""
    wrong = Counter((a["given"] or "") for a in answers if not a["correct"])
    if card.get("type") == "mcq" and question.get("choices"):
        out = [(c, wrong.pop(c, 0)) for c in question["choices"] if c != card.get("answer")]
        out += sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))  # blanks, edited choices
        return tuple(out)
    return tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:5])


def answer_rows(store: Store, learner: str | None = None, drill: int | None = None) -> list[AnswerRow]:
    """One row per learner per question (the counted, first answer), for the long CSV."""
    ids = [drill] if drill is not None else sorted(drill_ids(store, learner))
    out = []
    for drill_id in ids:
        row = store._one("SELECT questions FROM drills WHERE id = ?", [drill_id])
        if row is None:
            continue
        number = {(q["deck"], q["card"]): i for i, q in enumerate(_questions(row), start=1)}
        answers = [a for a in _first_answers(store, drill_id, learner)
                   if (a["deck_id"], a["card_id"]) in number]
        answers.sort(key=lambda a: (a["learner"].casefold(), number[(a["deck_id"], a["card_id"])]))
        out.extend(
            AnswerRow(drill_id, a["learner"], a["deck_id"], a["card_id"],
                      number[(a["deck_id"], a["card_id"])], a["given"] or "", int(a["correct"] or 0),
                      a["duration_ms"], a["reviewed_at"])
            for a in answers
        )
    return out


# ---------------------------------------------------------------------------------------------
# Output formats.

def to_csv(rows: list[AnswerRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.drill_id, _cell(r.learner), r.deck, r.card, r.question, _cell(r.given),
                         r.correct, r.duration_ms, r.answered_at])
    return buf.getvalue()


def _cell(text: str) -> str:
    # Names and answers are untrusted text. Control characters are shown escaped (the CSV may
    # be printed to a terminal), and a cell a spreadsheet would run as a formula (=, +, -, @)
    # gets a leading apostrophe (OWASP's advice on CSV injection).
    text = printable(text, 100_000)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_json(learners: list[LearnerSummary], drills: list[DrillStats], answers: list[AnswerRow]) -> str:
    doc = {
        "thresholds": THRESHOLDS,
        "learners": [asdict(x) for x in learners],
        "drills": [asdict(d) for d in drills],
        "answers": [vars(a) for a in answers],  # flat: vars() is much cheaper than asdict()
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    # json leaves DEL and the C1 controls (U+0080-U+009F, e.g. CSI) raw; as \u escapes they
    # are still the same JSON strings but can no longer act on a terminal.
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


def drill_table(drills: list[DrillStats]) -> tuple[list[str], list[list[str]]]:
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
