"""A live session as a class runs it: a host and two learners, each `quiz` in its own tmux
pane on one store; a learner killed and rejoined, the host killed (-9) and resumed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import uuid

import pytest
from test_tmux import QUIZ, tmux, wait_for

pytestmark = pytest.mark.tmux


def status(db, code="515151") -> dict:
    out = subprocess.run(
        [QUIZ, "--db", str(db), "live", "status", code, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def pane_pid(target: str) -> int:
    return int(tmux("list-panes", "-t", target, "-F", "#{pane_pid}").split()[0])


def kill(target: str) -> None:
    pid = pane_pid(target)
    os.kill(pid, signal.SIGKILL)


@pytest.fixture
def room(tmp_path):
    name = f"quiz-live-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "live.db"
    host = f"exec {QUIZ} --db {db} live host timeline --count 3 --code 515151"
    tmux("new-session", "-d", "-s", name, "-x", "110", "-y", "36", "-n", "host", host)
    # A killed pane stays (to be respawned) instead of closing its window.
    tmux("set-option", "-w", "-t", f"{name}:host", "remain-on-exit", "on")
    wait_for(f"{name}:host", "Space starts")
    for who in ("ann", "bob"):
        tmux("new-window", "-d", "-t", name, "-n", who, _join(db, who))
        tmux("set-option", "-w", "-t", f"{name}:{who}", "remain-on-exit", "on")
    yield name, db
    tmux("kill-session", "-t", name)


def _join(db, who: str) -> str:
    return f"exec {QUIZ} --db {db} live join 515151 --learner {who}"


def test_host_and_two_learners_with_a_kill_each(room):
    name, db = room
    for who in ("ann", "bob"):
        wait_for(f"{name}:{who}", "Waiting for the host")
    wait_for(f"{name}:host", "2 joined")
    tmux("send-keys", "-t", f"{name}:host", "Space")
    for who in ("ann", "bob"):
        wait_for(f"{name}:{who}", "Question 1 of 3")
    # Question 1 (a cloze): ann answers both blanks.
    for keys in ("Soviet Union", "Enter", "relations", "Enter"):
        tmux("send-keys", "-t", f"{name}:ann", keys)
        wait_for(f"{name}:ann", "Question 1")
    wait_for(f"{name}:host", "1 of 2 answered")
    # bob is killed mid-question and comes back at the same question.
    kill(f"{name}:bob")
    tmux("respawn-window", "-k", "-t", f"{name}:bob", _join(db, "bob"))
    wait_for(f"{name}:bob", "Question 1 of 3")
    # The host is killed (-9) and resumed at the same question, answers kept.
    kill(f"{name}:host")
    assert status(db)["question"] == 1 and status(db)["answered"] == 1
    tmux(
        "respawn-window",
        "-k",
        "-t",
        f"{name}:host",
        f"exec {QUIZ} --db {db} live host --resume 515151",
    )
    wait_for(f"{name}:host", "1 of 2 answered")
    tmux("send-keys", "-t", f"{name}:host", "r")
    wait_for(f"{name}:ann", "Right")
    wait_for(f"{name}:bob", "not answered")
    tmux("send-keys", "-t", f"{name}:host", "e")
    wait_for(f"{name}:host", "ended")
    wait_for(f"{name}:ann", "The session has ended")
    assert status(db) == {
        "code": "515151",
        "phase": "ended",
        "question": 1,
        "questions": 3,
        "joined": 2,
        "answered": 0,
    }
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT mode, correct FROM reviews").fetchall()
    assert rows == [("drill", 1)]


def test_wrong_code_is_one_line(tmp_path):
    r = subprocess.run(
        [QUIZ, "--db", str(tmp_path / "x.db"), "live", "join", "123456", "--learner", "a"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "quiz: no live session with code 123456 (check the code on the projector)"
    ]
