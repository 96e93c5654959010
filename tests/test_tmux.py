"""The installed `quiz` in a real terminal (tmux): answers typed at the keyboard land in the
database, one row each, and a killed process keeps every answer already given."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
import uuid

import pytest

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")
QUIZ = shutil.which("quiz")
if TMUX is None or QUIZ is None:
    pytest.skip(
        f"needs tmux and an installed quiz on PATH (tmux: {TMUX}, quiz: {QUIZ})",
        allow_module_level=True,
    )

DEADLINE = 15.0


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], check=True, capture_output=True, text=True).stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, deadline: float = DEADLINE) -> str:
    """Poll the pane until `text` shows (no fixed sleeps: as fast as the app is)."""
    end = time.monotonic() + deadline
    shown = ""
    while time.monotonic() < end:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not appear within {deadline}s; the screen was:\n{shown}")


def count_reviews(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


@pytest.fixture
def session(tmp_path):
    name = f"quiz-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "tmux.db"
    # exec: the pane's process is quiz itself, so the test can kill it by the pane's pid.
    command = f"exec {QUIZ} study --db {db} --learner tess"
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
    try:
        yield name, db
    finally:
        subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True, check=False)


def answer(name: str, n: int) -> None:
    """Reveal (Enter, nothing given) and grade Good (3), n times, waiting on the screen."""
    for i in range(1, n + 1):
        wait_for(name, f"{i - 1} answered")
        tmux("send-keys", "-t", name, "Enter")
        wait_for(name, "Enter = ")  # the grade buttons are up
        tmux("send-keys", "-t", name, "3")
    wait_for(name, f"{n} answered")


def alive(name: str) -> bool:
    found = subprocess.run([TMUX, "has-session", "-t", name], capture_output=True, check=False)
    return found.returncode == 0


def test_five_answers_five_rows(session):
    name, db = session
    answer(name, 5)
    tmux("send-keys", "-t", name, "q")
    end = time.monotonic() + DEADLINE
    while alive(name) and time.monotonic() < end:  # q quits `quiz study`; the pane closes
        time.sleep(0.05)
    assert not alive(name)
    assert count_reviews(db) == 5


def test_killed_process_keeps_every_answer(session):
    name, db = session
    answer(name, 3)
    pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
    os.kill(pid, signal.SIGKILL)
    assert count_reviews(db) == 3
