"""Report figures against values computed by hand on a small class, and the three formats."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner
from tui_support import MCQ, TRUEFALSE, TYPED

from quiz.classroom import item_stats
from quiz.classroom import report as rp
from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.cli.main import cli
from quiz.content.deck_sync import sync_decks
from quiz.study.session import StudySession

# Who got which question right (1) or wrong (0), by card; E's name is a spreadsheet formula.
#
#              mcq  tf  typed   total
#   ann         1    1    1       3
#   bob         1    1    0       2
#   cy          1    0    1       2
#   dee         0    1    0       1
#   =sum(1)     0    0    0       0
#   fay         1    -    -       (answered one question only: not a complete attempt)
#
# Facility: mcq 3/5 = 0.6, tf 3/5 = 0.6, typed 2/5 = 0.4.
# Discrimination = Pearson r(item, total - item) over the five complete attempts:
#   mcq:   x = 1 1 1 0 0 (mean .6), rest = 2 1 1 1 0 (mean 1)
#          sxy = .4*1 + .4*0 + .4*0 + (-.6)*0 + (-.6)*(-1) = 1.0; sxx = 1.2; syy = 2
#          r = 1 / sqrt(2.4) = 0.645497
#   tf:    x = 1 1 0 1 0, rest = 2 1 2 0 0 (mean 1)
#          sxy = .4*1 + .4*0 + (-.6)*1 + .4*(-1) + (-.6)*(-1) = 0          -> r = 0 ("weak")
#   typed: x = 1 0 1 0 0 (mean .4), rest = 2 2 1 1 0 (mean 1.2)
#          sxy = .6*.8 - .4*.8 + .6*(-.2) - .4*(-.2) - .4*(-1.2) = .6; sxx = 1.2; syy = 2.8
#          r = .6 / sqrt(3.36) = 0.327327
# Cronbach's alpha: item variances (n-1 = 4): each 1.2/4 = .3, sum .9;
#   totals 3 2 2 1 0: mean 1.6, squares of deviations 5.2, variance 5.2/4 = 1.3
#   alpha = 3/2 * (1 - .9/1.3) = 0.461538
MATRIX = {
    "ann": (1, 1, 1),
    "bob": (1, 1, 0),
    "cy": (1, 0, 1),
    "dee": (0, 1, 0),
    "=sum(1)": (0, 0, 0),
}
CARDS = ("mcq-russian-name", "tf-japanese-name", "typed-name")
RIGHT = {
    "mcq-russian-name": "Southern Kurils",
    "tf-japanese-name": False,
    "typed-name": "Northern Territories",
}
WRONG = {"mcq-russian-name": "Sakhalin", "tf-japanese-name": True, "typed-name": "Hokkaido"}


@pytest.fixture
def klass(store, make_deck):
    deck = make_deck(MCQ + TRUEFALSE + TYPED)
    sync_decks(store, [deck])
    drill = open_drill(store, [deck], DrillSettings(("mini",), 3, "s1"))
    by_card = {q.card.id: q for q in drill.questions}
    for name, row in MATRIX.items():
        run = DrillRun(store, drill, store.learner(name))
        for card_id, right in zip(CARDS, row):
            run.answer(by_card[card_id], (RIGHT if right else WRONG)[card_id], 4000)
    fay = DrillRun(store, drill, store.learner("fay"))
    fay.answer(by_card["mcq-russian-name"], RIGHT["mcq-russian-name"], 1000)
    # A later second answer by ann (say, merged from another machine) does not count.
    DrillRun(store, drill, store.learner("ann")).answer(by_card["mcq-russian-name"], "Hokkaido", 1)
    # ann also studies: Good, Again, Good -> retention 2/3 over 3 cards.
    session = StudySession(store, store.learner("ann"), [deck])
    for rating in (3, 1, 3):
        item = session.next_item()
        session.answer(
            item, session.previews(item)[rating], given=None, correct=None, duration_ms=1
        )
    return drill


def item(stats, card_id):
    return next(i for i in stats.items if i.card_id == card_id)


def test_item_statistics_match_hand_computed_values(store, klass):
    stats = rp.drill_stats(store, klass.id)
    assert stats.attempts == 6 and stats.complete == 5 and stats.questions == 3
    mcq, tf, typed = (item(stats, c) for c in CARDS)
    assert [mcq.facility, tf.facility, typed.facility] == pytest.approx([0.6, 0.6, 0.4])
    assert mcq.discrimination == pytest.approx(0.645497, abs=1e-6)
    assert tf.discrimination == pytest.approx(0.0, abs=1e-12)
    assert typed.discrimination == pytest.approx(0.327327, abs=1e-6)
    assert stats.alpha == pytest.approx(0.461538, abs=1e-6)
    assert stats.mean_score == pytest.approx(1.6 / 3)
    assert stats.sd_score == pytest.approx(math.sqrt(1.3))
    assert mcq.sd == pytest.approx(math.sqrt(0.3))
    assert (mcq.flags, tf.flags, typed.flags) == ((), ("weak",), ())
    # Wrong choices of the mcq, every one listed in the order learners saw them.
    shown = next(q.choices for q in klass.questions if q.card.type == "mcq")
    assert [w for w, _ in mcq.wrong] == [c for c in shown if c != "Southern Kurils"]
    assert dict(mcq.wrong) == {"Sakhalin": 2, "Northern Territories": 0, "Hokkaido": 0}
    assert dict(typed.wrong) == {"Hokkaido": 3}
    assert {s.learner: s.score for s in stats.scores}["fay"] == 1


def test_learner_summaries(store, klass):
    people = {s.name: s for s in rp.learner_summaries(store)}
    ann = people["ann"]
    assert (ann.drills, ann.drill_answers, ann.drill_correct) == (1, 3, 3)  # the first answers
    assert ann.drill_accuracy == 1.0
    assert (ann.cards_studied, ann.study_reviews) == (3, 3)
    assert ann.retention == pytest.approx(2 / 3)
    assert people["dee"].drill_accuracy == pytest.approx(1 / 3) and people["dee"].retention is None
    assert [s.name for s in rp.learner_summaries(store, "bob")] == ["bob"]


@pytest.mark.parametrize(
    "facility, discrimination, expected",
    [
        (0.95, 0.5, ("easy",)),
        (0.1, None, ("hard",)),
        (0.5, -0.2, ("negative",)),
        (0.5, 0.29, ("weak",)),
        (0.5, 0.3, ()),
        (None, None, ()),
        (0.19, -0.01, ("hard", "negative")),
    ],
)
def test_flag_thresholds(facility, discrimination, expected):
    assert item_stats.flags(facility, discrimination) == expected


def test_undefined_statistics_are_none():
    assert item_stats.pearson([1, 1, 1], [0, 1, 2]) is None  # an item everyone got right
    assert item_stats.pearson([1], [2]) is None
    assert item_stats.cronbach_alpha([[1, 0]]) is None  # one attempt
    assert item_stats.cronbach_alpha([[1, 1], [0, 0], [1, 1]]) == pytest.approx(1.0)


def report(store, *args):
    result = CliRunner().invoke(cli, ["--db", str(store.path), "report", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_is_long_one_row_per_learner_per_question(store, klass):
    rows = list(csv.reader(io.StringIO(report(store, "--format", "csv"))))
    assert rows[0] == [
        "drill_id",
        "learner",
        "deck",
        "card",
        "question",
        "given",
        "correct",
        "duration_ms",
        "answered_at",
    ]
    body = rows[1:]
    assert len(body) == 5 * 3 + 1
    numbers = {q.card.id: str(q.number) for q in klass.questions}
    ann = [r for r in body if r[1] == "ann"]
    assert sorted((r[3], r[4], r[6]) for r in ann) == sorted((c, numbers[c], "1") for c in CARDS)
    assert all(r[0] == str(klass.id) and r[2] == "mini" and r[7] == "4000" for r in ann)
    assert {r[1] for r in body} >= {"'=sum(1)"}  # not a live formula in a spreadsheet
    only_bob = list(csv.reader(io.StringIO(report(store, "--format", "csv", "--learner", "bob"))))
    assert len(only_bob) == 4 and {r[1] for r in only_bob[1:]} == {"bob"}


def test_json_has_everything(store, klass):
    doc = json.loads(report(store, "--format", "json"))
    assert doc["thresholds"]["weak_discrimination_below"] == 0.3
    (drill,) = doc["drills"]
    assert drill["alpha"] == pytest.approx(0.461538, abs=1e-6) and len(drill["items"]) == 3
    assert {x["name"] for x in doc["learners"]} == set(MATRIX) | {"fay"}
    assert len(doc["answers"]) == 16


def test_table_shows_learners_drills_and_items(store, klass):
    out = report(store)
    assert "Learners" in out and "Drills" in out and "alpha 0.46" in out
    line = next(x for x in out.splitlines() if "tf-japanese-name" in x)
    assert "60%" in line and "0.00" in line and "weak" in line
    assert "Sakhalin: 2" in out


def test_unknown_learner_or_drill_is_a_one_line_error(store, klass):
    result = CliRunner().invoke(cli, ["--db", str(store.path), "report", "--drill", "99"])
    assert (
        result.exit_code == 1
        and result.output.strip() == "quiz: no drill 99 (see the drills in 'quiz report')"
    )
    result = CliRunner().invoke(cli, ["report", "--db", str(store.path), "--learner", "zed"])
    assert result.exit_code == 1 and "no learner named 'zed'" in result.output


async def test_report_screen_shows_the_same(store, klass):
    from textual.widgets import DataTable

    from quiz.store.learners import Learner
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.report import ReportScreen

    app = QuizApp(
        store, Learner(0, "", "teacher"), [], start_screen_factory=lambda: ReportScreen(store)
    )
    async with app.run_test(size=(140, 50)) as pilot:
        screen = app.screen
        learners = screen.query_one("#report-learners", DataTable)
        assert learners.row_count == 6
        names = {str(learners.get_row_at(i)[0]) for i in range(6)}
        assert "=sum(1)" in names
        items = screen.query_one("#report-items", DataTable)
        assert items.row_count == 3
        cells = [[str(c) for c in items.get_row_at(i)] for i in range(3)]
        tf = next(r for r in cells if "tf-japanese-name" in r)
        assert "60%" in tf and "0.00" in tf and "weak" in tf
        assert "0.46" in str(screen.query_one("#report-drill-title").content)
        await pilot.press("q")


def test_score_sums_agree_with_the_textbook_definitions():
    """ScoreSums (integer sums, what the drills table keeps) gives the mean, SD and alpha the
    definitions above give from the whole 0/1 matrix."""
    import random

    rng = random.Random(7)
    for _ in range(200):
        n, k = rng.randint(0, 6), rng.randint(1, 5)
        matrix = [[rng.randint(0, 1) for _ in range(k)] for _ in range(n)]
        totals = [sum(row) for row in matrix]
        sums = item_stats.ScoreSums.of(k, totals, [sum(row[i] for row in matrix) for i in range(k)])
        mean = item_stats.mean(totals)
        assert sums.mean_score == (pytest.approx(mean / k) if mean is not None else None)
        var = item_stats.variance(totals)
        assert sums.sd_score == (pytest.approx(math.sqrt(var)) if var is not None else None)
        alpha = item_stats.cronbach_alpha(matrix) if matrix else None
        assert sums.alpha == (pytest.approx(alpha) if alpha is not None else None)
