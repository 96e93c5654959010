"""Fitting a learner's FSRS parameters to their study history with fsrs's own Optimizer, and
measuring how well a set of parameters predicts that history (before and after the fit).

The Optimizer needs torch (the `optimizer` extra: `pip install 'quiz[optimizer]'`); nothing
here imports it until a fit is asked for, so the scheduler and the tests run without it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from fsrs import Card, Rating, ReviewLog, Scheduler

from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import parse_iso
from quiz.study.scheduler import usable

INSTALL_HINT = "pip install 'quiz[optimizer]'"

# fsrs's Optimizer learns from at most the first 64 reviews of each card, and scores a review only
# when it comes a day or more after the card's previous one (same-day learning steps say little
# about long-term memory); the evaluation below counts and scores exactly the same reviews.
MAX_SEQ_LEN = 64
# How much history a fit needs. fsrs's Optimizer (fsrs/optimizer.py, compute_optimal_parameters)
# silently returns its default parameters when fewer than 512 (its mini-batch) reviews are
# scored; and 21 parameters fitted to a few hundred answers mostly fit noise, which is why the
# FSRS authors advise the defaults below 1000 reviews (fsrs4anki docs/tutorial.md, "Step 3:
# Find optimal parameters": "If you have less than 1000 reviews ..., please use the default
# parameters"). Both must hold.
MIN_REVIEWS = 1000
MIN_SCORED = 512
# Predicted retrievability clipped away from 0 and 1 before taking logs, so one confident miss
# costs a large but finite loss.
EPS = 1e-7
RMSE_BINS = 20


class TooLittleHistory(Exception):
    """Not enough study reviews for a fit; the message says how many there are and are needed."""


class OptimizerMissing(Exception):
    """fsrs's Optimizer cannot run here (torch, pandas or tqdm not installed)."""


class FitFailed(Exception):
    """fsrs's Optimizer stopped with an error, or gave parameters its own Scheduler refuses."""


@dataclass(frozen=True)
class History:
    """A learner's study reviews as fsrs's Optimizer takes them."""

    logs: list[ReviewLog]
    cards: int  # card histories: a card reset to new starts a fresh one
    scored: int  # reviews a day or more after the card's previous one, within the first 64

    @property
    def reviews(self) -> int:
        return len(self.logs)


@dataclass(frozen=True)
class Fit:
    """How well a set of parameters predicts the scored reviews of a history.

    log_loss: mean binary cross-entropy, -mean(y*ln(p) + (1-y)*ln(1-p)), where p is the
        retrievability fsrs predicts just before the review (from the card's state after the
        earlier reviews, replayed with these parameters) and y is 1 when the answer was Hard, Good
        or Easy, 0 when Again: the quantity fsrs's Optimizer minimises.
    rmse: RMSE (bins), the calibration error Anki reports beside log loss: reviews grouped into
        20 equal bins of predicted p, then sqrt(sum over bins of n_b * (mean p_b - mean y_b)^2 / N).
        0.05 means the predicted chance of recall is off by about 5 points on average.
    """

    log_loss: float
    rmse: float
    reviews: int


STUDY_HISTORY = """
    SELECT deck_id, card_id, mode, rating, reviewed_at, duration_ms FROM reviews
    WHERE learner_id = ? AND (mode = 'reset' OR (mode = 'study' AND rating BETWEEN 1 AND 4))
    ORDER BY reviewed_at, id
"""


def load_history(store: Store, learner_id: int) -> History:
    """The learner's study reviews (drill and cram answers do not move the schedule, so they are
    left out), each card's history numbered as the int card id fsrs wants. A reset ('reset'
    row) ends a card's history: what follows is a new card to FSRS."""
    ids: dict[tuple[str, str], int] = {}
    logs: list[ReviewLog] = []
    next_id = 1
    for deck_id, card_id, mode, rating, reviewed_at, duration_ms in store.conn.execute(
        STUDY_HISTORY, [learner_id]
    ):
        key = (deck_id, card_id)
        if mode == "reset":
            ids.pop(key, None)
            continue
        try:
            when = parse_iso(reviewed_at)
        except (TypeError, ValueError):
            continue  # a malformed time (a merged or hand-edited file) is no evidence
        if key not in ids:
            ids[key] = next_id
            next_id += 1
        duration = duration_ms if isinstance(duration_ms, int) and duration_ms >= 0 else None
        logs.append(ReviewLog(ids[key], Rating(rating), when, duration))
    return History(logs=logs, cards=next_id - 1, scored=_scored(logs))


def _sequences(logs: Iterable[ReviewLog]) -> list[list[ReviewLog]]:
    by_card: dict[int, list[ReviewLog]] = {}
    for log in logs:
        by_card.setdefault(log.card_id, []).append(log)
    return [
        sorted(seq, key=lambda x: x.review_datetime)[:MAX_SEQ_LEN]
        for _, seq in sorted(by_card.items())
    ]


def _scored(logs: list[ReviewLog]) -> int:
    n = 0
    for seq in _sequences(logs):
        gaps = (b.review_datetime - a.review_datetime for a, b in zip(seq, seq[1:]))
        n += sum(1 for gap in gaps if gap.days > 0)
    return n


def check_enough(history: History) -> None:
    if history.reviews >= MIN_REVIEWS and history.scored >= MIN_SCORED:
        return
    raise TooLittleHistory(
        f"too little study history to fit FSRS parameters: {history.reviews:,} reviews "
        f"({history.scored:,} a day or more after the card's previous one); a fit needs "
        f"{MIN_REVIEWS:,} reviews and {MIN_SCORED:,} such (with fewer, 21 parameters fit "
        "noise, and FSRS's authors advise its defaults)"
    )


def evaluate(
    history: History,
    parameters: Sequence[float],
    progress: Callable[[int], None] | None = None,
) -> Fit:
    """Log loss and RMSE (bins) of `parameters` on the history (see Fit): each card's reviews are
    replayed through fsrs's Scheduler, and each scored review compares the retrievability
    predicted just before it with the answer. `progress(n)` is told of each card done."""
    scheduler = Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    predicted: list[tuple[float, int]] = []
    for seq in _sequences(history.logs):
        card = Card(card_id=seq[0].card_id, due=seq[0].review_datetime)
        for log in seq:
            if card.last_review is not None and (log.review_datetime - card.last_review).days > 0:
                p = scheduler.get_card_retrievability(card, log.review_datetime)
                predicted.append((p, 0 if log.rating == Rating.Again else 1))
            card, _ = scheduler.review_card(card, log.rating, log.review_datetime)
        if progress is not None:
            progress(1)
    return _fit(predicted)


def _fit(predicted: list[tuple[float, int]]) -> Fit:
    if not predicted:
        return Fit(log_loss=math.nan, rmse=math.nan, reviews=0)
    loss = 0.0
    bins: dict[int, list[float]] = {}  # bin -> [count, sum of p, sum of y]
    for p, y in predicted:
        q = min(1 - EPS, max(EPS, p))
        loss -= math.log(q) if y else math.log(1 - q)
        b = bins.setdefault(min(RMSE_BINS - 1, int(p * RMSE_BINS)), [0, 0.0, 0.0])
        b[0] += 1
        b[1] += p
        b[2] += y
    n = len(predicted)
    square = sum(c * (sp / c - sy / c) ** 2 for c, sp, sy in bins.values())
    return Fit(log_loss=loss / n, rmse=math.sqrt(square / n), reviews=n)


def load_optimizer() -> Callable[[list[ReviewLog]], object]:
    """fsrs's Optimizer class, or OptimizerMissing when its extra is not installed. (fsrs
    defines a stand-in Optimizer that raises ImportError when torch is missing, so the import
    itself succeeding proves nothing: torch is imported here to find out.)"""
    try:
        import torch  # noqa: F401
        from fsrs.optimizer import Optimizer
    except ImportError:
        raise OptimizerMissing(
            f"fitting FSRS parameters needs the optimizer extra (torch): {INSTALL_HINT}"
        ) from None
    return Optimizer


def fit_parameters(
    history: History,
    make_optimizer: Callable[[list[ReviewLog]], object] | None = None,
    *,
    verbose: bool = False,
) -> tuple[float, ...]:
    """fsrs's Optimizer run on the history: the fitted parameters, as fsrs will take them.
    `make_optimizer` is fsrs's Optimizer class (or a stand-in with the same two calls)."""
    check_enough(history)
    make = make_optimizer or load_optimizer()
    try:
        fitted = tuple(
            float(x) for x in make(history.logs).compute_optimal_parameters(verbose=verbose)
        )
    except Exception as e:  # the third party's failure on this history: one line, not a trace
        raise FitFailed(f"fsrs's Optimizer failed on this history: {type(e).__name__}: {e}")
    if usable(fitted) is None:
        raise FitFailed("fsrs's Optimizer returned parameters its Scheduler refuses")
    return fitted


def default_parameters() -> tuple[float, ...]:
    return Scheduler().parameters


@dataclass(frozen=True)
class Outcome:
    history: History
    before: Fit  # the learner's current parameters (fitted earlier, or fsrs's defaults)
    after: Fit  # the parameters just fitted
    parameters: tuple[float, ...]  # just fitted
    had_fitted: bool  # the learner already had usable fitted parameters
    stored: bool  # the fitted ones replaced the current ones


def optimize(
    store: Store,
    learner: Learner,
    *,
    make_optimizer: Callable[[list[ReviewLog]], object] | None = None,
    progress: Callable[[int, str], AbstractContextManager] | None = None,
    verbose: bool = False,
) -> Outcome:
    """Fit the learner's parameters to their study history, score the current and the fitted
    ones on it, and store the fitted ones if they predict it better (a fit that predicts worse
    would only make the schedule worse). Raises TooLittleHistory, then OptimizerMissing, before
    any long work; FitFailed if the fit itself fails. `progress(total, label)` is a context
    manager whose update(n) counts cards scored (quiz.cli.progress_bar.Progress); `verbose` lets
    fsrs's Optimizer show its own."""
    history = load_history(store, learner.id)
    check_enough(history)
    make = make_optimizer or load_optimizer()
    current = usable(learner.fsrs_params)
    before = _scored_with(history, current or default_parameters(), progress, "current")
    fitted = fit_parameters(history, make, verbose=verbose)
    after = _scored_with(history, fitted, progress, "fitted")
    stored = after.log_loss < before.log_loss
    if stored:
        store.update_learner(learner.id, fsrs_params=fitted)
    return Outcome(history, before, after, fitted, current is not None, stored)


def _scored_with(history, parameters, progress, which: str) -> Fit:
    if progress is None:
        return evaluate(history, parameters)
    with progress(history.cards, f"scoring the {which} parameters") as bar:
        return evaluate(history, parameters, bar.update)
