"""Live sessions in plain Python: a host and learners on two connections to one file, the
phases, joining and rejoining, answers recorded once and only while the question is up."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tui_support import MCQ, TRUEFALSE, TYPED

from quiz.classroom import live, live_results
from quiz.classroom.drill import LIVE_FEEDBACK, DrillSettings, open_drill
from quiz.classroom.report import drill_stats
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store


@pytest.fixture
def deck(make_deck):
    return make_deck(MCQ + TRUEFALSE + TYPED, deck_id="mini")


@pytest.fixture
def two(db_path, deck):
    """The host's store and a learner's store: two connections on one file."""
    host = Store(db_path)
    sync_decks(host, [deck])
    other = Store(db_path)
    yield host, other
    host.close()
    other.close()


def start(store, deck, code="123456", time_limit=None, leaderboard="off"):
    settings = DrillSettings(("mini",), 3, code, time_limit, LIVE_FEEDBACK)
    drill = open_drill(store, [deck], settings)
    return drill, live.host_session(store, drill, code=code, leaderboard=leaderboard)


def right_answer(q):
    return q.card.answer if q.card.type != "truefalse" else q.card.answer


def test_a_session_goes_lobby_questions_reveal_end(two, deck):
    host, other = two
    drill, session = start(host, deck)
    assert session.phase == "lobby" and session.question == 0 and session.questions == 3
    ann = other.learner("ann")
    live.join(other, "123 456", ann)  # spaces as read aloud are fine
    seen = live.changed(other)
    s = live.next_question(host, session.code)
    assert live.changed(other) != seen  # the learner's poll notices the host's commit
    assert (s.phase, s.question) == ("question", 1)
    q = drill.questions[0]
    rec = live.answer(other, s.code, ann, q, right_answer(q))
    assert rec.correct
    room = live.room(host, live.load_session(host, s.code), drill)
    assert room.joined == ("ann",) and room.answered == 1 and room.right == 1
    assert live.reveal(host, s.code).phase == "revealed"
    live.next_question(host, s.code)
    live.next_question(host, s.code)
    assert live.next_question(host, s.code).phase == "ended"  # after the last question
    assert live.status(host, s.code) == {
        "code": "123456",
        "phase": "ended",
        "question": 3,
        "questions": 3,
        "joined": 1,
        "answered": 0,
    }


def test_answers_are_drill_answers_in_the_report(two, deck):
    host, other = two
    drill, s = start(host, deck)
    ann, bob = other.learner("ann"), other.learner("bob")
    for who in (ann, bob):
        live.join(other, s.code, who)
    for q in drill.questions:
        live.next_question(host, s.code)
        live.answer(other, s.code, ann, q, right_answer(q))
        live.answer(other, s.code, bob, q, None)
        live.reveal(host, s.code)
    rows = list(host.rows("SELECT mode, drill_id, learner_id, correct FROM reviews"))
    assert len(rows) == 6 and {r["mode"] for r in rows} == {"drill"}
    assert {r["drill_id"] for r in rows} == {drill.id}
    stats = drill_stats(host, drill.id)
    assert stats.attempts == 2 and [i.facility for i in stats.items] == [0.5, 0.5, 0.5]
    board = live_results.standings(host, s, drill)
    assert [(b.learner, b.right) for b in board] == [("ann", 3), ("bob", 0)]
    assert live_results.question_accuracy(host, s, drill) == [(1, 2)] * 3


def test_no_second_answer_and_none_after_the_reveal(two, deck):
    host, other = two
    drill, s = start(host, deck)
    ann = other.learner("ann")
    live.join(other, s.code, ann)
    live.next_question(host, s.code)
    q1 = drill.questions[0]
    live.answer(other, s.code, ann, q1, "nonsense")
    with pytest.raises(live.LiveError, match="already answered"):
        live.answer(other, s.code, ann, q1, right_answer(q1))
    live.reveal(host, s.code)
    bob = other.learner("bob")
    with pytest.raises(live.LiveError, match="too late"):
        live.answer(other, s.code, bob, q1, right_answer(q1))
    live.next_question(host, s.code)
    with pytest.raises(live.LiveError, match="too late"):  # an old question
        live.answer(other, s.code, bob, q1, right_answer(q1))
    assert host.scalar("SELECT count(*) FROM reviews") == 1


def test_the_tally_counts_each_choice(two, deck):
    host, other = two
    drill, s = start(host, deck)
    live.next_question(host, s.code)
    q = drill.questions[0]
    people = [other.learner(n) for n in ("a", "b", "c")]
    for who in people:
        live.join(other, s.code, who)
    if q.card.type == "mcq":
        picks = [q.choices[0], q.choices[0], q.choices[2]]
        expected = (("1", 2), ("2", 0), ("3", 1), ("4", 0))
    elif q.card.type == "truefalse":
        picks, expected = [True, True, False], (("True", 2), ("False", 1))
    else:
        picks = [q.card.answer, "x", "y"]
        expected = (("right", 1), ("wrong", 2))
    for who, pick in zip(people, picks):
        live.answer(other, s.code, who, q, pick)
    assert live.room(host, live.load_session(host, s.code), drill).choices == expected


def test_timer_pause_and_extra_time(two, deck):
    host, other = two
    drill, s = start(host, deck, time_limit=10)
    s = live.next_question(host, s.code, now=1000.0)
    assert s.time_left(now=1004.0) == 6
    s = live.toggle_pause(host, s.code, now=1004.0)
    assert s.paused and s.time_left(now=1100.0) == 6  # the clock stands still
    s = live.toggle_pause(host, s.code, now=1100.0)
    assert s.time_left(now=1102.0) == 4 and s.time_left(factor=1.5, now=1102.0) == 9
    slow = other.learner("slow")
    other.update_learner(slow.id, time_factor=1.5)
    slow = other.learner("slow")
    fast = other.learner("fast")
    q = drill.questions[0]
    # 12 s in: past the limit for `fast` (counts as no answer), within 15 s for `slow`.
    late = live.answer(other, s.code, fast, q, right_answer(q), now=1108.0)
    ok = live.answer(other, s.code, slow, q, right_answer(q), now=1108.0)
    assert not late.correct and ok.correct
    durations = [r[0] for r in host.conn.execute("SELECT duration_ms FROM reviews ORDER BY id")]
    assert durations == [10000, 12000]


def test_join_errors_and_rejoining(two, deck, tmp_path):
    host, other = two
    drill, s = start(host, deck)
    ann = other.learner("ann")
    with pytest.raises(live.LiveError, match="no live session with code 999999"):
        live.join(other, "999999", ann)
    with pytest.raises(live.LiveError, match="not a live session code"):
        live.join(other, "[red]x", ann)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live.join(other, s.code, ann, pid=sleeper.pid)  # ann's terminal
        with pytest.raises(live.LiveError, match="already in live session"):
            live.join(other, s.code, ann)  # a second terminal with the same name
    finally:
        sleeper.kill()
        sleeper.wait()
    # The seat's process is gone (killed): the same name takes it again.
    live.join(other, s.code, ann)
    live.leave(other, s.code, ann)
    assert live.joined(host, s.code) == ("ann",)  # left, still counted: answers kept
    live.end_session(host, s.code)
    with pytest.raises(live.LiveError, match="has ended"):
        live.join(other, s.code, other.learner("bob"))


def test_code_taken_and_host_resume(two, deck):
    host, other = two
    drill, s = start(host, deck)
    with pytest.raises(live.LiveError, match="already used"):
        live.host_session(host, drill, code=s.code)
    with pytest.raises(live.LiveError, match="still hosted"):
        live.resume_session(other, s.code, pid=1)  # pid 1 is always alive
    live.next_question(host, s.code)
    live.host_leaves(host, s.code)
    again = live.resume_session(other, s.code)
    assert (again.phase, again.question) == ("question", 1)
    live.end_session(other, s.code)
    with pytest.raises(live.LiveError, match="has ended"):
        live.resume_session(host, s.code)


def test_random_codes_are_six_digits(two, deck):
    host, _ = two
    settings = DrillSettings(("mini",), 3, "x", None, LIVE_FEEDBACK)
    drill = open_drill(host, [deck], settings)
    codes = {live.host_session(host, drill).code for _ in range(5)}
    assert len(codes) == 5 and all(c.isdigit() and len(c) == 6 for c in codes)
