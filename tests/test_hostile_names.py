"""Untrusted text in a database (learner names, given answers: a merged lab file can hold
anything) is printed escaped by every CLI command that shows it: no raw escape sequence reaches
the terminal, markup stays literal, and nothing crashes.

The names are written straight into the store, as a merged or hand-edited file could hold them,
so this does not depend on `quiz learners add` refusing them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.study.session import StudySession

QUIZ = str(Path(sys.executable).with_name("quiz"))
NAMES = [
    "evil\x1b[2J\x1b]0;pwned\x07",
    "[bold]Bob[/bold] [@click=app.quit]x[/]",
    "[/oops]",
    "tab\there\x9bq",
]
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline aside


@pytest.fixture
def hostile_db(tmp_path, catalog) -> Path:
    path = tmp_path / "quiz.db"
    with Store(path) as store:
        sync_decks(store, catalog.decks)
        drill = open_drill(
            store, catalog.decks, DrillSettings(decks=(catalog.decks[0].id,), count=3, seed="s")
        )
        for name in NAMES:
            learner = store.learner(name)
            run = DrillRun(store, drill, learner)
            for question in drill.questions:
                run.answer(question, "\x1b[31mred\x1b[0m [b]answer[/b]", duration_ms=1000)
            session = StudySession(store, learner, catalog.decks[:1])
            item = session.next_item()
            session.answer(
                item, session.previews(item)[3], given="\x1b[2J", correct=True, duration_ms=5
            )
        store.set_meta("learner", NAMES[0])
    return path


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([QUIZ, *args], capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


CASES = [
    ("learners", ["learners", "list"]),
    ("report", ["report"]),
    ("report", ["report", "--learner", NAMES[0]]),
    (
        "report",
        ["report", "--format", "json"],
    ),  # json.dumps leaves C1 controls raw: escaped by report
    ("report", ["report", "--format", "csv"]),
    ("stats", ["stats", "--learner", NAMES[0]]),
    ("stats", ["stats", "--learner", NAMES[1]]),
    ("stats", ["stats", "--learner", NAMES[0], "--json"]),
    ("doctor", ["doctor"]),
]


@pytest.mark.parametrize("name, args", CASES, ids=[" ".join(a)[:30] for _, a in CASES])
def test_cli_output_escapes_hostile_text(hostile_db, name, args):
    code, out, err = run(*args, "--db", str(hostile_db))
    assert "Traceback" not in err
    assert code in (0, 1), out + err
    assert not RAW.search(out), repr([line for line in out.splitlines() if RAW.search(line)][:3])
    assert not RAW.search(err), repr(err)


def test_learner_names_show_escaped_and_literal(hostile_db):
    code, out, _err = run("learners", "list", "--db", str(hostile_db))
    assert code == 0
    assert "\\x1b[2J" in out  # visible, not executed
    assert "[bold]Bob[/bold] [@click=app.quit]x[/]" in out  # markup shown as typed


def test_lint_prints_hostile_paths_and_ids_escaped(tmp_path):
    """quiz lint: covered file by file in test_hostile_decks.py; here a whole folder at once."""
    deck = tmp_path / "evil\x1b[31m.yaml"
    deck.write_text('deck:\n  id: x\n  title: "\x1b[2J"\ncards:\n  - id: "\x1b[2J"\n')
    code, out, err = run("lint", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert not RAW.search(out + err)
    assert "evil\\x1b[31m.yaml" in out
