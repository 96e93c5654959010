"""A learner's FSRS parameters: the ones `quiz optimize` fitted and stored when they are usable,
fsrs's own defaults otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from fsrs import Scheduler

from quiz.store.learners import Learner


def usable(parameters: Sequence[float] | None) -> tuple[float, ...] | None:
    """The parameters as fsrs takes them, or None when fsrs would refuse them (wrong count, a
    value outside its bounds, NaN): a merged or hand-edited file may hold anything."""
    if parameters is None:
        return None
    try:
        return Scheduler(parameters=tuple(parameters)).parameters
    except (ValueError, TypeError):
        return None


def scheduler_for(learner: Learner) -> Scheduler:
    """The scheduler for this learner's next cards: their retention, their fitted parameters if
    they have usable ones. Bad stored parameters fall back to the defaults, never a crash."""
    fitted = usable(learner.fsrs_params)
    if fitted is None:
        return Scheduler(desired_retention=learner.retention)
    return Scheduler(parameters=fitted, desired_retention=learner.retention)
