"""A study session's learner as the store has them now, and the scheduler their settings make.

While a study screen is open, `quiz optimize` (another process) may store fitted parameters,
and `quiz learners set` or the settings screen may change the desired retention, the leech rule
or the daily limits: the session takes them up from the next card on. The learner's row is read
again before each card is scheduled: a primary-key lookup of a few microseconds, which also sees
writes made on the session's own connection (the settings screen shares it), where PRAGMA
data_version would not. The learner and the scheduler are rebuilt only when the row changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fsrs import Scheduler

from quiz.store.learners import Learner, learner_from_row, learner_row
from quiz.study.scheduler import scheduler_for


@dataclass
class LearnerNow:
    learner: Learner
    scheduler: Scheduler = field(init=False)
    _row: dict | None = field(default=None, init=False)

    def __post_init__(self):
        self.scheduler = scheduler_for(self.learner)

    def refresh(self, conn) -> Learner | None:
        """Read the learner's row again; if the learner changed, take the change up and return
        the learner as they were before (None: nothing changed). A learner whose row is gone
        (purged meanwhile) keeps the settings last read."""
        row = learner_row(conn, self.learner.id)
        if row is None or row == self._row:
            return None
        self._row = row
        learner = learner_from_row(row)
        before = self.learner
        if learner == before:
            return None
        if (learner.fsrs_params, learner.retention) != (before.fsrs_params, before.retention):
            # Bad stored parameters fall back to fsrs's defaults (scheduler_for), never a crash.
            self.scheduler = scheduler_for(learner)
        self.learner = learner
        return before


def as_stored(store, learner: Learner) -> Learner:
    """The learner as their row says now, for a one-off figure (card info's recall, a
    paragraph's mastery) made with the scheduler a session would use; the learner given if
    the row is gone."""
    return store.learner_by_id(learner.id) or learner
