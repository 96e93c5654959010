"""A learner's scheduling state for one card, as the card_state table stores it."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class CardState:
    """A learner's FSRS state for one card, in the columns it is stored in."""

    state: int | None = None
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: str | None = None
    last_review: str | None = None
    first_review: str | None = None
    reps: int = 0
    lapses: int = 0
    buried_until: str | None = None
    suspended: int = 0
    leech: int = 0  # lapsed learner.leech_threshold times (migration 9)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_row(cls, row: dict | None) -> CardState:
        if not row:
            return cls()
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})
