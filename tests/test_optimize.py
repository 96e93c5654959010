"""`quiz optimize`: too little history and the missing extra refused in one line; the fit (by a
stand-in for fsrs's Optimizer, so no torch) scored before and after, stored, reset; the study
scheduler using stored parameters, and falling back to the defaults on bad ones."""

from __future__ import annotations

import math
import random
import sys
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
from click.testing import CliRunner
from fsrs import Card, Rating, Scheduler

from quiz.cli.main import cli
from quiz.cli.progress_bar import Progress
from quiz.store import reviews
from quiz.store.times import iso
from quiz.study import optimizer
from quiz.study.scheduler import scheduler_for, usable
from quiz.study.session import StudySession

START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
DEFAULTS = Scheduler().parameters
# A learner who forgets much faster than FSRS's defaults assume: every initial stability a
# quarter, and recall stability growing more slowly.
FORGETFUL = (*(w / 4 for w in DEFAULTS[:4]), *DEFAULTS[4:8], 1.2, *DEFAULTS[9:])


def quiz(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def one_line_failure(result, code=1):
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info  # no traceback
    assert result.output.count("\n") == 1 and result.output.startswith("quiz: ")
    return result.output


def cards(catalog, n):
    return [(d.id, c.id) for d in catalog.decks for c in d.cards][:n]


def simulate(store, learner, catalog, *, n_cards=60, per_card=20, parameters=FORGETFUL, seed=3):
    """Study reviews of a learner whose memory follows `parameters`: each review recalled with
    the probability those parameters predict, scheduled by them at 90% retention."""
    rng = random.Random(seed)
    truth = Scheduler(parameters=parameters, enable_fuzzing=False)
    rows = []
    for i, (deck_id, card_id) in enumerate(cards(catalog, n_cards)):
        card, now = Card(card_id=i + 1, due=START), START + timedelta(hours=i)
        for _ in range(per_card):
            p = truth.get_card_retrievability(card, now) if card.last_review else 1.0
            rating = Rating.Good if rng.random() < p else Rating.Again
            rows.append(
                reviews.Review(
                    learner.id,
                    deck_id,
                    card_id,
                    mode="study",
                    reviewed_at=iso(now),
                    rating=int(rating),
                    duration_ms=rng.randint(2000, 9000),
                )
            )
            card, _ = truth.review_card(card, rating, now)
            now = max(card.due, now + timedelta(minutes=1))
    with store.write() as db:
        for row in rows:
            reviews.add_review(db, row)
    return rows


class FakeOptimizer:
    """fsrs's Optimizer as quiz uses it: built from the ReviewLogs, asked for parameters."""

    returns = FORGETFUL
    seen: ClassVar[list] = []

    def __init__(self, review_logs):
        FakeOptimizer.seen = list(review_logs)

    def compute_optimal_parameters(self, verbose=False):
        return list(self.returns)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(optimizer, "load_optimizer", lambda: FakeOptimizer)
    FakeOptimizer.returns = FORGETFUL
    return FakeOptimizer


# -- refusals --------------------------------------------------------------------------------


def test_a_new_learner_is_refused_with_the_threshold(db_path, store, learner):
    line = one_line_failure(quiz(db_path, "optimize", "--learner", "ann"))
    assert "0 reviews" in line and "1,000" in line and "512" in line


def test_a_short_history_is_refused(db_path, store, learner, catalog, fake):
    simulate(store, learner, catalog, n_cards=30, per_card=20)  # 600 reviews
    line = one_line_failure(quiz(db_path, "optimize", "--learner", "ann"))
    assert "600 reviews" in line
    assert store.learner("ann").fsrs_params is None


def test_an_unknown_learner_is_one_line(db_path, store):
    one_line_failure(quiz(db_path, "optimize", "--learner", "nobody"))


def test_the_missing_extra_is_one_line_naming_it(db_path, store, learner, catalog, monkeypatch):
    simulate(store, learner, catalog)
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    line = one_line_failure(quiz(db_path, "optimize", "--learner", "ann"))
    assert "pip install 'quiz[optimizer]'" in line
    assert store.learner("ann").fsrs_params is None


# -- the fit ---------------------------------------------------------------------------------


def test_fit_is_scored_stored_and_reported(db_path, store, learner, catalog, fake):
    rows = simulate(store, learner, catalog)
    result = quiz(db_path, "optimize", "--learner", "ann")
    assert result.exit_code == 0, result.output
    assert store.learner("ann").fsrs_params == pytest.approx(FORGETFUL)
    lines = result.output.splitlines()
    assert lines[0].startswith(f"learner 'ann': {len(rows):,} study reviews of 60 cards")
    current, fitted = lines[2].split(), lines[3].split()
    assert current[:2] == ["current", "(FSRS"] and fitted[0] == "fitted"
    before, after = [float(x) for x in current[-2:]], [float(x) for x in fitted[-2:]]
    assert after[0] < before[0]  # log loss: the truth fits its own history better
    assert after[1] < before[1]  # and so does its calibration
    assert lines[4] == "fitted parameters: " + ", ".join(f"{w:.4f}" for w in FORGETFUL)
    assert "stored the fitted parameters" in lines[5]
    assert len(fake.seen) == len(rows) and {log.card_id for log in fake.seen} == set(range(1, 61))
    listing = quiz(db_path, "learners", "list").output.splitlines()
    assert listing[2].split()[-1] == "fitted"


def test_a_worse_fit_is_not_stored(db_path, store, learner, catalog, fake):
    simulate(store, learner, catalog, parameters=DEFAULTS)
    fake.returns = FORGETFUL  # wrong for this learner
    result = quiz(db_path, "optimize", "--learner", "ann")
    assert result.exit_code == 0, result.output
    assert "kept the current parameters" in result.output
    assert store.learner("ann").fsrs_params is None


def test_a_failing_fit_is_one_line(db_path, store, learner, catalog, fake):
    simulate(store, learner, catalog)
    fake.returns = (float("nan"),) * 21  # nothing fsrs's Scheduler would take
    assert "refuses" in one_line_failure(quiz(db_path, "optimize", "--learner", "ann"))
    fake.returns = None  # the optimizer itself raising (list(None): TypeError)
    assert "failed" in one_line_failure(quiz(db_path, "optimize", "--learner", "ann"))
    assert store.learner("ann").fsrs_params is None


def test_refit_starts_from_the_stored_parameters(db_path, store, learner, catalog, fake):
    simulate(store, learner, catalog)
    assert quiz(db_path, "optimize", "--learner", "ann").exit_code == 0
    again = quiz(db_path, "optimize", "--learner", "ann")  # the same fit: nothing better
    assert "current (fitted earlier)" in again.output and "kept" in again.output


def test_reset_goes_back_to_the_defaults(db_path, store, learner):
    store.update_learner(learner.id, fsrs_params=FORGETFUL)
    result = quiz(db_path, "optimize", "--learner", "ann", "--reset")
    assert result.exit_code == 0 and "back to the defaults" in result.output
    assert store.learner("ann").fsrs_params is None
    assert quiz(db_path, "learners", "list").output.splitlines()[2].split()[-1] == "defaults"


def test_history_is_study_answers_only_and_a_reset_starts_a_new_card(store, learner, catalog):
    (deck_id, card_id), (deck2, card2) = cards(catalog, 2)
    day = timedelta(days=1)

    def row(mode, t, rating=3, card=(deck_id, card_id)):
        return reviews.Review(learner.id, *card, mode=mode, reviewed_at=iso(START + t * day),
                              rating=rating, duration_ms=1000)  # fmt: skip

    with store.write() as db:
        for r in [
            row("study", 0),
            row("study", 2),
            row("drill", 3, rating=None),
            row("cram", 4),
            row("reset", 5, rating=None),
            row("study", 6, rating=1),
            row("study", 1, card=(deck2, card2)),
        ]:
            reviews.add_review(db, r)
    history = optimizer.load_history(store, learner.id)
    got = [(log.card_id, log.rating, (log.review_datetime - START).days) for log in history.logs]
    assert got == [
        (1, Rating.Good, 0),
        (2, Rating.Good, 1),
        (1, Rating.Good, 2),
        (3, Rating.Again, 6),
    ]  # fmt: skip
    assert history.cards == 3 and history.scored == 1  # only day 2 follows a review of its card
    assert all(log.review_datetime.tzinfo is UTC for log in history.logs)


def test_log_loss_and_rmse_follow_their_formulas():
    # One card: Good on day 0, forgotten (Again) on day 10. The one scored review predicts
    # R = (1 + factor * 10 / S0(Good)) ** -decay.
    logs = [
        optimizer.ReviewLog(1, Rating.Good, START, None),
        optimizer.ReviewLog(1, Rating.Again, START + timedelta(days=10), None),
    ]
    history = optimizer.History(logs=logs, cards=1, scored=1)
    decay = DEFAULTS[20]
    factor = 0.9 ** (1 / -decay) - 1
    p = (1 + factor * 10 / DEFAULTS[2]) ** -decay
    fit = optimizer.evaluate(history, DEFAULTS)
    assert fit.reviews == 1
    assert fit.log_loss == pytest.approx(-math.log(1 - p))
    assert fit.rmse == pytest.approx(p)


def test_progress_is_shown_while_scoring(store, learner, catalog, fake, capsys):
    simulate(store, learner, catalog)
    optimizer.optimize(
        store,
        learner,
        progress=lambda total, label: Progress(total, label, enabled=True, delay=0),
    )
    err = capsys.readouterr().err
    assert "scoring the current parameters" in err and "scoring the fitted parameters" in err


# -- the scheduler uses them -----------------------------------------------------------------

EASY_SLOW = (*DEFAULTS[:3], 60.0, *DEFAULTS[4:])  # an Easy first answer: 60 days, not 8


def easy_interval(store, learner, catalog) -> timedelta:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    s = StudySession(store, learner, [catalog.by_id()["thorn-in-ties"]], clock=lambda: now)
    item = s.next_item()
    return datetime.fromisoformat(s.previews(item)[4].state.due) - now


def test_stored_parameters_change_the_intervals(store, learner, catalog):
    default = easy_interval(store, learner, catalog)
    store.update_learner(learner.id, fsrs_params=EASY_SLOW)
    fitted = easy_interval(store, store.learner("ann"), catalog)
    assert default < timedelta(days=12) and fitted > timedelta(days=50)


@pytest.mark.parametrize(
    "bad",
    [
        DEFAULTS[:19],  # an older FSRS's 19 parameters
        (*DEFAULTS[:20], 5.0),  # decay out of bounds
        (*DEFAULTS[:3], math.nan, *DEFAULTS[4:]),
        (),
    ],
)
def test_bad_stored_parameters_fall_back_to_the_defaults(store, learner, catalog, bad):
    store.update_learner(learner.id, fsrs_params=bad)
    ann = store.learner("ann")
    assert usable(ann.fsrs_params) is None
    assert scheduler_for(ann).parameters == DEFAULTS
    assert easy_interval(store, ann, catalog) < timedelta(days=12)
    listing = CliRunner().invoke(cli, ["--db", str(store.path), "learners", "list"]).output
    assert listing.splitlines()[2].split()[-1] == "unusable"


def test_a_hand_edited_row_falls_back_too(db_path, store, learner):
    store.conn.execute("UPDATE learners SET fsrs_params = '[1, \"x\"]' WHERE id = ?", [learner.id])
    store.conn.commit()
    assert scheduler_for(store.learner("ann")).parameters == DEFAULTS
    assert quiz(db_path, "learners", "list").output.splitlines()[2].split()[-1] == "defaults"


def test_the_real_optimizer_takes_our_review_logs(store, learner, catalog):
    # Only where the optimizer extra is installed (never in CI: torch is too big for the lock):
    # fsrs's own Optimizer accepts the history as built here and fits bounded parameters.
    pytest.importorskip("torch")
    simulate(store, learner, catalog, n_cards=60, per_card=17)
    outcome = optimizer.optimize(store, learner)
    assert usable(outcome.parameters) is not None and outcome.after.reviews > 512
    # Our log loss is the loss fsrs's Optimizer minimises (its own, private, batch loss).
    from fsrs.optimizer import Optimizer

    if hasattr(Optimizer, "_compute_batch_loss"):
        theirs = Optimizer(outcome.history.logs)._compute_batch_loss(parameters=list(DEFAULTS))
        assert outcome.before.log_loss == pytest.approx(theirs)
