"""`quiz report --gradebook`: one row per learner, one column per drill, accuracy in percent,
in Canvas's gradebook layout (which Moodle's CSV grade import also reads)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from tui_support import MCQ, TRUEFALSE, TYPED

from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.classroom.gradebook import IDENTITY, gradebook
from quiz.cli.main import cli
from quiz.content.deck_sync import sync_decks

RIGHT = {
    "mcq-russian-name": "Southern Kurils",
    "tf-japanese-name": False,
    "typed-name": "Northern Territories",
}
WRONG = {"mcq-russian-name": "Sakhalin", "tf-japanese-name": True, "typed-name": "Hokkaido"}


@pytest.fixture
def drills(store, make_deck):
    deck = make_deck(MCQ + TRUEFALSE + TYPED)
    sync_decks(store, [deck])
    first = open_drill(store, [deck], DrillSettings(("mini",), 3, "s1"))
    second = open_drill(store, [deck], DrillSettings(("mini",), 3, "s2"))
    for drill, answers in (
        (first, {"ann": 3, "bob": 1, "=cmd": 0}),
        (second, {"ann": 2}),
    ):
        for name, n_right in answers.items():
            run = DrillRun(store, drill, store.learner(name))
            for i, q in enumerate(drill.questions):
                run.answer(q, (RIGHT if i < n_right else WRONG)[q.card.id], 1000)
    # bob answers only one question of the second drill, rightly: 1 of 3.
    DrillRun(store, second, store.learner("bob")).answer(
        second.questions[0], RIGHT[second.questions[0].card.id], 1000
    )
    return first, second


def test_one_row_per_learner_one_column_per_drill(store, drills):
    first, second = drills
    book = gradebook(store)
    assert [c.drill_id for c in book.columns] == [first.id, second.id]
    scores = {r.learner: r.scores for r in book.rows}
    assert scores == {
        "=cmd": (0.0, None),  # took no part in the second drill: empty, not 0
        "ann": (100.0, 66.7),
        "bob": (33.3, 33.3),
    }
    only = gradebook(store, [second.id])
    assert [r.learner for r in only.rows] == ["ann", "bob"]


def test_csv_in_canvas_layout_through_the_cli(store, drills, tmp_path):
    first, second = drills
    out = tmp_path / "grades.csv"
    args = [
        "--db",
        str(store.path),
        "report",
        "--gradebook",
        "--drill",
        str(second.id),
        "--drill",
        str(first.id),
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0][:5] == IDENTITY == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[0][5].startswith(f"quiz drill {first.id} (mini, ")
    assert rows[1:] == [
        ["'=cmd", "", "", "'=cmd", "", "0", ""],  # a formula-looking name is quoted
        ["ann", "", "", "ann", "", "100", "66.7"],
        ["bob", "", "", "bob", "", "33.3", "33.3"],
    ]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and "--force" in again.output


def test_gradebook_errors_are_one_line(store, drills):
    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(store.path), "report", *args])

    assert run("--gradebook", "--drill", "999").exit_code == 1
    assert run("--drill", "1", "--drill", "2").exit_code == 2
    assert run("-o", "x.csv").exit_code == 2
    shown = run("--gradebook")
    assert shown.exit_code == 0 and shown.output.startswith("Student,ID,")
