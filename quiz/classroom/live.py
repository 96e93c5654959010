"""Live sessions: a drill paced by a host, answered by the class at the same moment.

A live session is a drill underneath (its answers are drill answers in `reviews`, so `quiz
report` shows them) plus one `live_sessions` row: the phase and question every process follows,
and `live_members`: who has joined. The host and each learner are separate processes on one
SQLite file; each change here is one Store.write() transaction, and each process notices the
others' commits by polling `changed()` (PRAGMA data_version), which costs no read of any table.

Phases: lobby -> question -> revealed -> question ... -> ended. A learner answers only the
question that is up, once, before the reveal; the checks run inside the answer's own
transaction, so two processes (or two keypresses) cannot both record one.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass

from quiz.classroom.drill import CHOICE_LABELS, Drill, Question
from quiz.store import reviews
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import iso, now_utc
from quiz.study.grading import Verdict, grade
from quiz.text import printable

PHASES = ("lobby", "question", "revealed", "ended")
LEADERBOARDS = ("off", "anonymous", "names")
CODE_DIGITS = 6  # six digits: short, read aloud easily, shown big by the presenter's Digits
CODE_RE = re.compile(r"[A-Z0-9]{3,12}")


class LiveError(Exception):
    """A live-session request that cannot be done, explained in one line."""


@dataclass(frozen=True)
class LiveSession:
    code: str
    drill_id: int
    phase: str
    question: int  # 1-based; 0 in the lobby
    questions: int
    time_limit: float | None  # seconds, before a learner's extra-time factor
    question_at: float | None
    paused_at: float | None
    leaderboard: str
    host_pid: int | None
    created_at: str

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    def elapsed(self, now: float | None = None) -> float:
        """Seconds the current question has been up, pauses left out."""
        if self.question_at is None:
            return 0.0
        end = self.paused_at if self.paused_at is not None else (now or time.time())
        return max(0.0, end - self.question_at)

    def time_left(self, factor: float = 1.0, now: float | None = None) -> float | None:
        """Seconds left for a learner with this extra-time factor (None: untimed)."""
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit * (factor or 1.0) - self.elapsed(now))


@dataclass(frozen=True)
class Room:
    """What the host shows: who is in, and how the current question was answered."""

    session: LiveSession
    joined: tuple[str, ...]
    answered: int
    right: int
    choices: tuple[tuple[str, int], ...]  # (label, how many): "A".."D", True/False, right/wrong


@dataclass(frozen=True)
class Given:
    """One learner's recorded answer to one live question."""

    number: int
    given: str
    correct: bool


@dataclass(frozen=True)
class Recorded:
    verdict: Verdict
    correct: bool
    review_id: int


# -- codes and processes ----------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def clean_code(text: str) -> str:
    """A code as typed (spaces, dashes and case ignored), or LiveError."""
    code = re.sub(r"[\s-]", "", str(text)).upper()
    if not CODE_RE.fullmatch(code):
        raise LiveError(
            f"'{printable(str(text), 20)}' is not a live session code (3-12 letters or digits)"
        )
    return code


def pid_alive(pid: int | None) -> bool:
    """Whether a process of this machine is running (a zombie, killed but not reaped, is not)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True  # no /proc (not Linux): the signal said it exists


def changed(store: Store) -> int:
    """A number that changes whenever another connection commits to the file: the cheap
    "anything new?" every poll asks before reading anything."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0]


# -- reading ----------------------------------------------------------------------------------

_SESSION_SQL = """SELECT s.*, d.time_limit, json_array_length(d.questions) AS questions
    FROM live_sessions s JOIN drills d ON d.id = s.drill_id WHERE s.code = ?"""


def load_session(store: Store, code: str) -> LiveSession | None:
    row = store.one(_SESSION_SQL, [code])
    if row is None:
        return None
    return LiveSession(
        code=row["code"],
        drill_id=row["drill_id"],
        phase=row["phase"],
        question=row["question"],
        questions=row["questions"],
        time_limit=row["time_limit"],
        question_at=row["question_at"],
        paused_at=row["paused_at"],
        leaderboard=row["leaderboard"],
        host_pid=row["host_pid"],
        created_at=row["created_at"],
    )


def require_session(store: Store, code: str) -> LiveSession:
    code = clean_code(code)
    session = load_session(store, code)
    if session is None:
        raise LiveError(f"no live session with code {code} (check the code on the projector)")
    return session


def joined(store: Store, code: str) -> tuple[str, ...]:
    return tuple(
        r["name"]
        for r in store.rows(
            """SELECT l.name FROM live_members m JOIN learners l ON l.id = m.learner_id
               WHERE m.code = ? ORDER BY m.joined_at, l.name""",
            [code],
        )
    )


def answers_sql(where: str) -> str:
    # A session's answers: its drill's answers given since the session was made (the same
    # drill may have been run before, self-paced or live).
    return f"""SELECT r.learner_id, r.deck_id, r.card_id, r.given, r.correct FROM reviews r
        WHERE r.drill_id = ? AND r.mode = 'drill' AND r.reviewed_at >= ? {where}
        ORDER BY r.reviewed_at, r.id"""


def question_answers(store: Store, session: LiveSession, q: Question) -> list[dict]:
    """The first answer of each learner to this question in this session."""
    rows = store.rows(
        answers_sql("AND r.deck_id = ? AND r.card_id = ?"),
        [session.drill_id, session.created_at, q.deck_id, q.card.id],
    )
    first: dict[int, dict] = {}
    for r in rows:
        first.setdefault(r["learner_id"], r)
    return list(first.values())


def tally(q: Question, answers: list[dict]) -> tuple[tuple[str, int], ...]:
    """How the room answered: per choice letter (mcq), True/False, or right/wrong."""
    counts = Counter(a["given"] or "" for a in answers)
    if q.card.type == "mcq":
        return tuple((CHOICE_LABELS[i], counts.get(c, 0)) for i, c in enumerate(q.choices))
    if q.card.type == "truefalse":
        return (("True", counts.get("True", 0)), ("False", counts.get("False", 0)))
    right = sum(1 for a in answers if a["correct"])
    return (("right", right), ("wrong", len(answers) - right))


def room(store: Store, session: LiveSession, drill: Drill) -> Room:
    people = joined(store, session.code)
    if session.question < 1 or session.question > len(drill.questions):
        return Room(session, people, 0, 0, ())
    q = drill.questions[session.question - 1]
    answers = question_answers(store, session, q)
    right = sum(1 for a in answers if a["correct"])
    return Room(session, people, len(answers), right, tally(q, answers))


def my_answer(store: Store, session: LiveSession, learner: Learner, q: Question) -> Given | None:
    row = store.one(
        answers_sql("AND r.learner_id = ? AND r.deck_id = ? AND r.card_id = ?"),
        [session.drill_id, session.created_at, learner.id, q.deck_id, q.card.id],
    )
    if row is None:
        return None
    return Given(q.number, row["given"] or "", bool(row["correct"]))


def status(store: Store, code: str) -> dict:
    """`quiz live status CODE --format json`."""
    session = require_session(store, code)
    people = joined(store, session.code)
    answered = 0
    if session.phase in ("question", "revealed"):
        q = _question_key(store, session)
        if q is not None:
            answered = store.scalar(
                """SELECT count(DISTINCT learner_id) FROM reviews WHERE drill_id = ?
                   AND mode = 'drill' AND reviewed_at >= ? AND deck_id = ? AND card_id = ?""",
                [session.drill_id, session.created_at, *q],
            )
    return {
        "code": session.code,
        "phase": session.phase,
        "question": session.question,
        "questions": session.questions,
        "joined": len(people),
        "answered": answered,
    }


def _question_key(store: Store, session: LiveSession) -> tuple[str, str] | None:
    row = store.one(
        """SELECT json_extract(questions, '$[' || ? || '].deck') AS deck,
                  json_extract(questions, '$[' || ? || '].card') AS card
           FROM drills WHERE id = ?""",
        [session.question - 1, session.question - 1, session.drill_id],
    )
    return (row["deck"], row["card"]) if row and row["deck"] else None


# -- the host ---------------------------------------------------------------------------------


def host_session(
    store: Store,
    drill: Drill,
    *,
    code: str | None = None,
    leaderboard: str = "off",
    pid: int | None = None,
) -> LiveSession:
    """A new session in the lobby for this drill, under `code` or a fresh random one."""
    if leaderboard not in LEADERBOARDS:
        raise LiveError(f"--leaderboard must be one of {', '.join(LEADERBOARDS)}")
    wanted = clean_code(code) if code else None
    for _attempt in range(20):
        candidate = wanted or new_code()
        with store.write() as db:
            taken = db.execute("SELECT 1 FROM live_sessions WHERE code = ?", [candidate]).fetchone()
            if taken is None:
                db.execute(
                    """INSERT INTO live_sessions (code, drill_id, phase, question, leaderboard,
                         host_pid, created_at) VALUES (?, ?, 'lobby', 0, ?, ?, ?)""",
                    [candidate, drill.id, leaderboard, pid or os.getpid(), iso(now_utc())],
                )
                return load_session(store, candidate)
        if wanted:
            raise LiveError(
                f"code {wanted} is already used by another session "
                f"(resume it with --resume {wanted}, or pick another code)"
            )
    raise LiveError("could not find a free session code; try --code")


def resume_session(store: Store, code: str, *, pid: int | None = None) -> LiveSession:
    """Take the host's seat again (after the host was closed or killed)."""
    session = require_session(store, code)
    if session.phase == "ended":
        raise LiveError(f"live session {session.code} has ended (see `quiz report`)")
    me = pid or os.getpid()
    with store.write() as db:
        holder = db.execute(
            "SELECT host_pid FROM live_sessions WHERE code = ?", [session.code]
        ).fetchone()[0]
        if holder and holder != me and pid_alive(holder):
            raise LiveError(f"live session {session.code} is still hosted by process {holder}")
        db.execute("UPDATE live_sessions SET host_pid = ? WHERE code = ?", [me, session.code])
    return load_session(store, session.code)


def _move(store: Store, code: str, allowed: tuple[str, ...], sets: str, params=()) -> LiveSession:
    with store.write() as db:
        phase = db.execute("SELECT phase FROM live_sessions WHERE code = ?", [code]).fetchone()
        if phase is None:
            raise LiveError(f"no live session with code {code}")
        if phase[0] not in allowed:
            raise LiveError(f"live session {code} is {phase[0]}")
        db.execute(f"UPDATE live_sessions SET {sets} WHERE code = ?", [*params, code])
    return load_session(store, code)


def next_question(store: Store, code: str, now: float | None = None) -> LiveSession:
    """Lobby -> question 1; a question (revealed or not) -> the next; the last -> ended."""
    session = require_session(store, code)
    if session.question >= session.questions and session.phase != "lobby":
        return end_session(store, code)
    stamp = now or time.time()
    return _move(
        store,
        session.code,
        ("lobby", "question", "revealed"),
        "phase = 'question', question = question + 1, question_at = ?, paused_at = NULL, "
        "started_at = coalesce(started_at, ?)",
        [stamp, iso(now_utc())],
    )


def reveal(store: Store, code: str) -> LiveSession:
    return _move(store, clean_code(code), ("question",), "phase = 'revealed'")


def toggle_pause(store: Store, code: str, now: float | None = None) -> LiveSession:
    """Stop the clock, or start it again where it stopped."""
    session = require_session(store, code)
    stamp = now or time.time()
    if session.paused:
        sets = "question_at = question_at + (? - paused_at), paused_at = NULL"
    else:
        sets = "paused_at = ?"
    return _move(store, session.code, ("question",), sets, [stamp])


def end_session(store: Store, code: str) -> LiveSession:
    return _move(
        store,
        clean_code(code),
        ("lobby", "question", "revealed"),
        "phase = 'ended', ended_at = ?, host_pid = NULL",
        [iso(now_utc())],
    )


def host_leaves(store: Store, code: str, pid: int | None = None) -> None:
    """The host closed without ending: the session stays, for `--resume`."""
    with store.write() as db:
        db.execute(
            "UPDATE live_sessions SET host_pid = NULL WHERE code = ? AND host_pid = ?",
            [code, pid or os.getpid()],
        )


# -- learners ---------------------------------------------------------------------------------


def join(store: Store, code: str, learner: Learner, *, pid: int | None = None) -> LiveSession:
    """Take a seat in the session (again, after quitting or being killed: answers kept)."""
    session = require_session(store, code)
    if session.phase == "ended":
        raise LiveError(f"live session {session.code} has ended")
    me = pid or os.getpid()
    with store.write() as db:
        row = db.execute(
            "SELECT pid FROM live_members WHERE code = ? AND learner_id = ?",
            [session.code, learner.id],
        ).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO live_members (code, learner_id, pid, joined_at) VALUES (?, ?, ?, ?)",
                [session.code, learner.id, me, iso(now_utc())],
            )
        else:
            if row[0] and row[0] != me and pid_alive(row[0]):
                raise LiveError(
                    f"'{printable(learner.name, 60)}' is already in live session "
                    f"{session.code}; join with another name (--learner NAME)"
                )
            db.execute(
                "UPDATE live_members SET pid = ?, left_at = NULL WHERE code = ? AND learner_id = ?",
                [me, session.code, learner.id],
            )
    return session


def leave(store: Store, code: str, learner: Learner) -> None:
    """A learner closed the screen: their seat is free to take again; answers stay."""
    with store.write() as db:
        db.execute(
            "UPDATE live_members SET pid = NULL, left_at = ? WHERE code = ? AND learner_id = ?",
            [iso(now_utc()), code, learner.id],
        )


def answer(
    store: Store,
    code: str,
    learner: Learner,
    q: Question,
    given: str | bool | None,
    now: float | None = None,
) -> Recorded:
    """Grade and record one answer in its own transaction, only if this question is up and
    not yet revealed, and the learner has not answered it. Past the learner's time (the
    limit times their factor) it counts as no answer. Speed never changes the grade."""
    stamp = now or time.time()
    with store.write() as db:
        row = store.one(_SESSION_SQL, [code])
        if row is None:
            raise LiveError(f"no live session with code {code}")
        if row["phase"] != "question" or row["question"] != q.number:
            raise LiveError("too late: the host has moved on from this question")
        created = row["created_at"]
        already = db.execute(
            """SELECT 1 FROM reviews WHERE drill_id = ? AND learner_id = ? AND mode = 'drill'
               AND deck_id = ? AND card_id = ? AND reviewed_at >= ?""",
            [row["drill_id"], learner.id, q.deck_id, q.card.id, created],
        ).fetchone()
        if already:
            raise LiveError("you have already answered this question")
        paused = row["paused_at"]
        elapsed = max(
            0.0, (paused if paused is not None else stamp) - (row["question_at"] or stamp)
        )
        limit = row["time_limit"]
        if limit is not None:
            limit *= learner.time_factor or 1.0
            if elapsed > limit:
                given, elapsed = None, limit
        verdict = grade(q.card, given)
        correct = bool(verdict.correct)
        review_id = reviews.add_review(
            db,
            reviews.Review(
                learner.id,
                q.deck_id,
                q.card.id,
                mode="drill",
                reviewed_at=iso(now_utc()),
                given=verdict.given,
                correct=correct,
                duration_ms=round(1000 * elapsed),
                drill_id=row["drill_id"],
            ),
        )
    return Recorded(verdict, correct, review_id)
