"""Classroom drills: a seeded set of questions that every learner given the same settings gets
in the same order (mcq choices included), and each answer recorded the moment it is given.

Accuracy is the score; the time taken is kept but never changes it. A drill is one `drills` row,
found again by a digest of its settings, so a whole class (and several lab machines, see
quiz.classroom.merge) answer under one drill id and the report can compare them. Basic (self-graded)
cards are left out: a drill scores answers objectively.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from quiz.content.card_codec import card_from_json
from quiz.content.deck import Card, Deck
from quiz.content.stored_deck import CardIndex
from quiz.store import reviews
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import iso, now_utc
from quiz.study.grading import Verdict, grade

FEEDBACK_MODES = ("now", "end")
LIVE_FEEDBACK = "live"  # a live session's drill: feedback follows the host's reveal
# How a drill's choices are labelled wherever a class sees them (presenter, live host, tally):
# the keys learners press on the drill screen, so "the answer is 2" means the key 2.
CHOICE_LABELS = "1234"


class DrillError(Exception):
    """A drill that cannot be run, explained in one line."""


@dataclass(frozen=True)
class DrillSettings:
    """What makes two drills the same drill. Deck ids are kept sorted: the order they were
    named in does not matter."""

    decks: tuple[str, ...]
    count: int
    seed: str
    time_limit: float | None = None  # seconds per question, before the learner's time factor
    feedback: str = "now"  # now: right/wrong after each answer; end: only at the end

    def __post_init__(self):
        object.__setattr__(self, "decks", tuple(sorted(set(self.decks))))
        object.__setattr__(self, "seed", str(self.seed))
        if self.time_limit is not None:
            object.__setattr__(self, "time_limit", round(float(self.time_limit), 3))
        if not self.decks:
            raise DrillError("a drill needs at least one deck")
        if self.count < 1:
            raise DrillError(f"--count must be at least 1 (got {self.count})")
        if self.time_limit is not None and self.time_limit <= 0:
            raise DrillError(f"--time must be more than 0 seconds (got {self.time_limit:g})")
        if self.feedback not in (*FEEDBACK_MODES, LIVE_FEEDBACK):
            raise DrillError(f"--feedback must be one of {', '.join(FEEDBACK_MODES)}")

    @property
    def uid(self) -> str:
        key = json.dumps(
            {
                "decks": list(self.decks),
                "count": self.count,
                "seed": self.seed,
                "time": self.time_limit,
                "feedback": self.feedback,
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(key.encode()).hexdigest()

    def rng(self) -> random.Random:
        # A str seed goes through SHA-512 (random.seed version 2): the same sequence on every
        # machine and every Python run, unlike hash(), which is salted per process.
        return random.Random(f"{self.seed}:{','.join(self.decks)}:{self.count}")


@dataclass(frozen=True)
class Question:
    number: int  # 1-based, as shown to learners and in the report
    deck_id: str
    card: Card
    choices: tuple[str, ...] = ()  # mcq: the choices in the order every learner sees them

    def to_json(self) -> dict:
        return {"deck": self.deck_id, "card": self.card.id, "choices": list(self.choices)}


@dataclass(frozen=True)
class Drill:
    id: int
    uid: str
    settings: DrillSettings
    questions: tuple[Question, ...]
    created_at: str = ""


def drill_pool(decks: list[Deck], deck_ids: tuple[str, ...]) -> list[tuple[str, Card]]:
    """The cards a drill draws from, in an order that does not depend on file order."""
    wanted = set(deck_ids)
    pool = [(d.id, c) for d in decks if d.id in wanted for c in d.cards if c.objective]
    return sorted(pool, key=lambda pair: (pair[0], pair[1].id))


def plan_questions(decks: list[Deck], settings: DrillSettings) -> list[Question]:
    """Draw and shuffle the questions, then each mcq's choices, all from one seeded RNG."""
    rng = settings.rng()
    pool = drill_pool(decks, settings.decks)
    picked = rng.sample(pool, min(settings.count, len(pool)))
    out = []
    for number, (deck_id, card) in enumerate(picked, start=1):
        choices = tuple(rng.sample(card.choices, len(card.choices))) if card.type == "mcq" else ()
        out.append(Question(number, deck_id, card, choices))
    return out


def open_drill(
    store: Store, decks: list[Deck], settings: DrillSettings, now: datetime | None = None
) -> Drill:
    """The drill for these settings: found by its uid, or planned and recorded now.

    Once recorded, the stored question list is the drill: a deck edited later (or a lab machine
    with another version of it) still gets the same questions."""
    known = {d.id for d in decks}
    missing = [d for d in settings.decks if d not in known]
    if missing:
        raise DrillError(f"unknown deck '{missing[0]}'")
    row = store.one("SELECT * FROM drills WHERE uid = ?", [settings.uid])
    if row is None:
        questions = plan_questions(decks, settings)
        if not questions:
            raise DrillError(
                "these decks have no cards a drill can score (basic cards are left out)"
            )
        with store.write() as db:
            # OR IGNORE: another learner's machine may record the same drill at the same moment.
            db.execute(
                """INSERT OR IGNORE INTO drills (uid, created_at, decks, count, seed, time_limit,
                     feedback, count_in_study, questions) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)""",
                [
                    settings.uid,
                    iso(now or now_utc()),
                    json.dumps(list(settings.decks)),
                    settings.count,
                    settings.seed,
                    settings.time_limit,
                    settings.feedback,
                    json.dumps([q.to_json() for q in questions], ensure_ascii=False),
                ],
            )
        row = store.one("SELECT * FROM drills WHERE uid = ?", [settings.uid])
    return drill_from_row(store, row, decks)


def load_drill(store: Store, drill_id: int, decks: list[Deck] = ()) -> Drill | None:
    row = store.one("SELECT * FROM drills WHERE id = ?", [drill_id])
    return drill_from_row(store, row, list(decks)) if row else None


def drill_from_row(store: Store, row: dict, decks: list[Deck]) -> Drill:
    settings = DrillSettings(
        decks=tuple(json.loads(row["decks"])),
        count=row["count"],
        seed=row["seed"],
        time_limit=row["time_limit"],
        feedback=row["feedback"],
    )
    cards = CardIndex(decks)  # lazily: stored decks keep their cards in the store
    questions = []
    for number, q in enumerate(json.loads(row["questions"]), start=1):
        card = cards.get((q["deck"], q["card"])) or stored_card(store, q["deck"], q["card"])
        if card is None:
            continue
        questions.append(Question(number, q["deck"], card, tuple(q.get("choices") or ())))
    return Drill(row["id"], row["uid"], settings, tuple(questions), row["created_at"])


def stored_card(store: Store, deck_id: str, card_id: str) -> Card | None:
    """A card as the store last saw it (for a drill whose deck has changed since)."""
    row = store.one("SELECT data FROM cards WHERE deck_id = ? AND card_id = ?", [deck_id, card_id])
    return card_from_json(row["data"]) if row else None


# ---------------------------------------------------------------------------------------------
# One learner taking one drill.


@dataclass(frozen=True)
class Answer:
    number: int
    given: str
    correct: bool
    duration_ms: int
    answered_at: str

    @property
    def timed_out(self) -> bool:
        return self.given == "" and not self.correct


@dataclass(frozen=True)
class Review:
    """Where a learner should look again: a deck, how many of its questions were missed, and
    the tags of those questions, most frequent first."""

    deck_id: str
    missed: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    questions: tuple[Question, ...]
    answers: dict[int, Answer]

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def score(self) -> int:
        return sum(a.correct for a in self.answers.values())

    @property
    def complete(self) -> bool:
        return all(q.number in self.answers for q in self.questions)

    @property
    def accuracy(self) -> float:
        return self.score / self.total if self.total else 0.0

    def missed(self) -> list[Question]:
        return [
            q
            for q in self.questions
            if q.number not in self.answers or not self.answers[q.number].correct
        ]

    def to_review(self) -> list[Review]:
        by_deck: dict[str, list[Question]] = {}
        for q in self.missed():
            by_deck.setdefault(q.deck_id, []).append(q)
        out = []
        for deck_id, qs in by_deck.items():
            tags = Counter(t for q in qs for t in q.card.tags)
            ranked = tuple(t for t, _n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(Review(deck_id, len(qs), ranked))
        return sorted(out, key=lambda r: (-r.missed, r.deck_id))


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    answer: Answer
    review_id: int


@dataclass
class DrillRun:
    """A learner taking a drill. Questions already answered (a drill interrupted and started
    again) are not asked twice: the first answer to a question is the one that counts."""

    store: Store
    drill: Drill
    learner: Learner
    count_in_study: bool = (
        False  # also move the learner's FSRS schedule (Good if right, Again if wrong)
    )
    decks: list[Deck] = field(default_factory=list)
    clock: callable = now_utc

    def __post_init__(self):
        self._session = None
        if self.count_in_study:
            from quiz.study.session import StudySession

            self._session = StudySession(self.store, self.learner, self.decks, clock=self.clock)

    @property
    def last_leech(self) -> tuple[str, str] | None:
        """The card (deck, id) the last answer made a leech: only a drill that counts in study
        moves schedules, so only it can."""
        return self._session.last_leech if self._session is not None else None

    @property
    def current_learner(self) -> Learner:
        """The learner as the last answer's leech rule saw them (stored settings, not the run's
        copy from when the drill began)."""
        return self._session.learner if self._session is not None else self.learner

    @property
    def time_limit(self) -> float | None:
        """Seconds per question for this learner: the drill's limit times their extra-time
        factor."""
        base = self.drill.settings.time_limit
        return None if base is None else base * (self.learner.time_factor or 1.0)

    @property
    def feedback(self) -> str:
        return self.drill.settings.feedback

    def answers(self) -> dict[int, Answer]:
        number = {(q.deck_id, q.card.id): q.number for q in self.drill.questions}
        out: dict[int, Answer] = {}
        rows = self.store.db.query(
            """SELECT deck_id, card_id, given, correct, duration_ms, reviewed_at FROM reviews
               WHERE drill_id = ? AND learner_id = ? AND mode = 'drill' ORDER BY reviewed_at, id""",
            [self.drill.id, self.learner.id],
        )
        for r in rows:
            n = number.get((r["deck_id"], r["card_id"]))
            if n is not None and n not in out:
                out[n] = Answer(
                    n, r["given"] or "", bool(r["correct"]), r["duration_ms"] or 0, r["reviewed_at"]
                )
        return out

    def remaining(self) -> list[Question]:
        done = self.answers()
        return [q for q in self.drill.questions if q.number not in done]

    def answer(self, question: Question, given: str | bool | None, duration_ms: int) -> Outcome:
        """Grade and record one answer, in its own transaction. None or "" is a blank answer
        (or a time-out): wrong."""
        verdict = grade(question.card, given)
        correct = bool(verdict.correct)  # basic cards never reach a drill; blank is wrong
        now = self.clock()
        if self._session is not None:
            review_id = self._session.record_drill_answer(
                question.deck_id,
                question.card,
                drill_id=self.drill.id,
                given=verdict.given,
                correct=correct,
                duration_ms=duration_ms,
                now=now,
            )
        else:
            review = reviews.Review(
                self.learner.id,
                question.deck_id,
                question.card.id,
                mode="drill",
                reviewed_at=iso(now),
                given=verdict.given,
                correct=correct,
                duration_ms=duration_ms,
                drill_id=self.drill.id,
            )
            with self.store.write() as db:
                review_id = reviews.add_review(db, review)
        answer = Answer(question.number, verdict.given, correct, duration_ms, iso(now))
        return Outcome(verdict, answer, review_id)

    def time_out(self, question: Question, duration_ms: int) -> Outcome:
        return self.answer(question, "", duration_ms)

    def submit(self, question: Question, given: str | bool | None, elapsed: float) -> Outcome:
        """What the learner gave `elapsed` seconds after the question appeared (None: the
        countdown ran out). Past this learner's time limit it counts as no answer and the time
        is capped at the limit: a time-out is wrong, and speed never changes the score."""
        limit = self.time_limit
        if limit is not None and elapsed > limit:
            given, elapsed = None, limit
        duration_ms = round(1000 * elapsed)
        if given is None:
            return self.time_out(question, duration_ms)
        return self.answer(question, given, duration_ms)

    def results(self) -> Results:
        return Results(self.drill.questions, self.answers())
