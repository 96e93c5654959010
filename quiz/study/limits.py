"""Two of a learner's study settings as rules: the daily review limit (reviews_per_day, Anki's
maximum reviews/day) and leeches (leech_threshold, leech_action). StudySession applies them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fsrs import State

from quiz.store.card_state import CardState

REVIEW = State.Review.value
# A study answer to a card that was in review when answered: what the daily review limit
# counts (learning and new cards do not). A range of reviews_learner_time: one day's rows.
REVIEWS_DONE = """SELECT count(*) FROM reviews WHERE learner_id = ? AND reviewed_at >= ?
    AND mode = 'study' AND json_extract(state_before, '$.state.state') = ?
    AND json_extract(state_before, '$.state.last_review') IS NOT NULL"""


@dataclass
class ReviewsDone:
    """Answers to review cards since the start of a local day, counted once and then kept by
    the session's own answers; counted again when the day changes or another connection
    writes (PRAGMA data_version), so next_item pays one PRAGMA for the limit, not a query."""

    day_start: str
    data_version: int
    count: int

    @classmethod
    def read(cls, conn, learner_id: int, day_start: str) -> ReviewsDone:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        count = conn.execute(REVIEWS_DONE, [learner_id, day_start, REVIEW]).fetchone()[0]
        return cls(day_start, version, count)

    def holds(self, conn, day_start: str) -> bool:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return self.day_start == day_start and self.data_version == version

    def answered(self, before: CardState, day_start: str) -> None:
        if before.state == REVIEW and before.last_review is not None:
            if day_start == self.day_start:
                self.count += 1


def with_leech(learner, before: CardState, after: CardState) -> CardState:
    """The state an answer writes: `after`, or, when its lapse brings the card's lapses to the
    learner's leech threshold, `after` marked a leech (and suspended, unless the learner only
    wants leeches marked). A card already marked is not marked again."""
    if after.lapses <= before.lapses or before.leech:
        return after
    if after.lapses < learner.leech_threshold:
        return after
    suspend = learner.leech_action == "suspend"
    return replace(after, leech=1, suspended=1 if suspend else after.suspended)


def leech_notice(learner) -> str:
    """What a learner is told when an answer has just made a card a leech, by their rule."""
    done = (
        "It was suspended: find it in the browser (b on home) to bring it back."
        if learner.leech_action == "suspend"
        else "It was tagged a leech and stays in your reviews."
    )
    return f"This card has lapsed {learner.leech_threshold} times: it is a leech. {done}"
