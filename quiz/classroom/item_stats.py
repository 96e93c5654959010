"""Item statistics on plain lists: facility, discrimination, Cronbach's alpha and the flags,
as Moodle's quiz statistics report computes them (definitions in quiz.classroom.report)."""

from __future__ import annotations

import math
from dataclasses import dataclass

EASY = 0.90  # facility above: too easy to tell learners apart
HARD = 0.20  # facility below: too hard (or mis-keyed)
WEAK = 0.30  # discrimination below (and >= 0): weak
THRESHOLDS = {
    "easy_facility_above": EASY,
    "hard_facility_below": HARD,
    "weak_discrimination_below": WEAK,
    "negative_discrimination_below": 0.0,
}


def mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def variance(xs: list[float]) -> float | None:
    """Sample variance (n-1), as Moodle computes it; None for fewer than two values."""
    if len(xs) < 2:
        return None
    m = sum(xs) / len(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(matrix: list[list[float]]) -> float | None:
    """Rows are attempts, columns items."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    totals = [sum(row) for row in matrix]
    var_total = variance(totals)
    if not var_total:
        return None
    item_vars = sum(variance([row[i] for row in matrix]) for i in range(k))
    return k / (k - 1) * (1 - item_vars / var_total)


@dataclass(frozen=True)
class ScoreSums:
    """A drill's complete attempts reduced to integer sums: all that the mean, the SD of the
    totals and Cronbach's alpha need, since item scores are 0 or 1 (an item's variance follows
    from how often it was right). The drills table gets them without keeping each attempt's
    answers; drill_stats gets them from its matrix; both derive the figures here, so they agree
    to the last bit. The integer forms below equal the definitions above (sample variances),
    with one rounding at the end instead of one per term."""

    k: int  # questions
    n: int  # complete attempts
    total: int  # sum of the attempts' totals (questions right)
    total_sq: int  # sum of the squared totals
    item_sq: int  # sum over questions of (times right)^2

    @classmethod
    def of(cls, k: int, totals: list[int], item_right: list[int]) -> ScoreSums:
        return cls(
            k, len(totals), sum(totals), sum(t * t for t in totals), sum(s * s for s in item_right)
        )

    @property
    def mean_score(self) -> float | None:
        return self.total / self.n / self.k if self.n and self.k else None

    def _spread(self) -> int:
        # n * sum of squared deviations of the totals = n * sum(T^2) - (sum T)^2
        return self.n * self.total_sq - self.total * self.total

    @property
    def sd_score(self) -> float | None:
        return math.sqrt(self._spread() / (self.n * (self.n - 1))) if self.n >= 2 else None

    @property
    def alpha(self) -> float | None:
        # sum of item variances / variance of totals = sum_i s_i (n - s_i) / spread, where
        # s_i is how often item i was right and sum_i s_i = sum T.
        spread = self._spread()
        if self.n < 2 or self.k < 2 or spread == 0:
            return None
        items = self.n * self.total - self.item_sq
        return self.k * (spread - items) / ((self.k - 1) * spread)


def flags(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    out = []
    if facility is not None and facility > EASY:
        out.append("easy")
    if facility is not None and facility < HARD:
        out.append("hard")
    if discrimination is not None and discrimination < 0:
        out.append("negative")
    elif discrimination is not None and discrimination < WEAK:
        out.append("weak")
    return tuple(out)
