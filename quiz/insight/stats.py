"""Study statistics for one learner: reviews per day, due forecast, true retention, card states,
time spent. Plain Python and SQL returning dataclasses; the CLI and the stats screen render them.

Days are local calendar days (or those of an explicit `tz`): day boundaries are computed in
Python, DST included, and SQL counts between them, so no per-row date arithmetic is needed.

Definitions (the same in the table, the screen and --json):
- a review is one row of `reviews` (study and drill answers alike); cram answers (custom study,
  quiz.study.cram) and reset rows (a card put back to new) are not reviews here: they are
  counted apart (crammed, resets) and never in reviews per day or retention; time spent
  includes cram answers (it was time spent);
- *mature*: the card's scheduled interval at review time (due - last_review in the review's
  `state_before`) was at least 21 days, as Anki defines mature;
- *recalled*: rating > 1 (Hard, Good or Easy; Again is a lapse);
- *true retention* of a deck: recalled mature reviews / mature reviews;
- time spent sums `duration_ms`; "last 7 days" is today and the six days before it.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import iso, now_utc

MATURE_DAYS = 21
# Whether the card was mature when reviewed. strftime('%s') gives whole seconds on every SQLite
# version (julianday's float difference can land a hair under 21). Keep this text identical to
# the stats index below: SQLite uses an expression index only for the very same expression.
# json_valid first: a damaged row (say, merged from another file) must not fail the query, nor,
# once the index exists, the insert.
MATURE_SQL = (
    "coalesce(CASE WHEN json_valid(state_before) THEN "
    "strftime('%s', json_extract(state_before, '$.state.due')) - "
    f"strftime('%s', json_extract(state_before, '$.state.last_review')) >= {MATURE_DAYS * 86400} "
    "END, 0)"
)
# Optional (a migration for the lead to adopt): with it the all-time figures read only the index,
# about 10x faster on a million reviews, instead of parsing every review's JSON.
STATS_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS reviews_learner_stats ON reviews "
    f"(learner_id, deck_id, rating, {MATURE_SQL}, duration_ms)"
)

STATE_NAMES = ("new", "learning", "review", "relearning", "suspended")
HEAT_CHARS = (" ", "░", "▒", "▓", "█")  # 0 reviews, then four levels of intensity
NO_REVIEWS = "·"  # a past day without reviews: visible, so the grid reads without colour


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class DeckRetention:
    deck_id: str
    title: str
    reviews: int  # all reviews of the deck's cards (cram and reset rows left out)
    mature: int  # reviews of mature cards
    recalled: int  # ... answered Hard, Good or Easy

    @property
    def rate(self) -> float | None:
        return self.recalled / self.mature if self.mature else None


@dataclass(frozen=True)
class StateCounts:
    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    suspended: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.relearning + self.suspended

    def __add__(self, other: StateCounts) -> StateCounts:
        return StateCounts(*(getattr(self, n) + getattr(other, n) for n in STATE_NAMES))


@dataclass(frozen=True)
class TimeSpent:
    today_ms: int = 0
    week_ms: int = 0  # today and the six days before
    total_ms: int = 0


@dataclass(frozen=True)
class Stats:
    learner: str
    now: datetime
    days: list[DayCount]  # oldest first; the heatmap window, ending today
    forecast: list[DayCount]  # today first; today's count includes overdue cards
    overdue: int
    retention: list[DeckRetention]
    states: dict[str, StateCounts]  # by deck id
    time: TimeSpent
    deck_titles: dict[str, str] = field(default_factory=dict)
    crammed: int = 0  # cram answers, all time (not reviews: they moved no schedule)
    resets: int = 0  # cards put back to new by hand, all time
    leeches: int = 0  # cards marked leeches now

    @property
    def total_states(self) -> StateCounts:
        total = StateCounts()
        for counts in self.states.values():
            total = total + counts
        return total

    @property
    def overall_retention(self) -> DeckRetention:
        return DeckRetention(
            "",
            "All decks",
            sum(r.reviews for r in self.retention),
            sum(r.mature for r in self.retention),
            sum(r.recalled for r in self.retention),
        )

    @property
    def reviews_in_window(self) -> int:
        return sum(d.count for d in self.days)

    @property
    def days_studied(self) -> int:
        return sum(1 for d in self.days if d.count)

    @property
    def streak(self) -> int:
        """Days in a row with reviews, ending today (or yesterday, if today has none yet)."""
        days = list(self.days)
        if days and days[-1].count == 0:
            days.pop()
        n = 0
        for d in reversed(days):
            if not d.count:
                break
            n += 1
        return n

    def to_dict(self) -> dict:
        """The same figures as plain JSON-able data."""
        overall = self.overall_retention
        return {
            "learner": self.learner,
            "now": iso(self.now),
            "definitions": {
                "mature": f"scheduled interval at review time >= {MATURE_DAYS} days",
                "recalled": "rating > 1 (Hard, Good or Easy)",
                "true_retention": "recalled mature reviews / mature reviews",
                "last_7_days": "today and the six days before",
            },
            "reviews_per_day": [{"date": d.day.isoformat(), "reviews": d.count} for d in self.days],
            "reviews_in_window": self.reviews_in_window,
            "days_studied": self.days_studied,
            "streak": self.streak,
            "forecast": [{"date": d.day.isoformat(), "due": d.count} for d in self.forecast],
            "overdue": self.overdue,
            "retention": {
                "overall": _retention_dict(overall),
                "decks": [_retention_dict(r) for r in self.retention],
            },
            "card_states": {
                "total": asdict(self.total_states),
                "decks": {deck: asdict(c) for deck, c in self.states.items()},
            },
            "time_spent_ms": {
                "today": self.time.today_ms,
                "last_7_days": self.time.week_ms,
                "total": self.time.total_ms,
            },
            "crammed": self.crammed,
            "resets": self.resets,
            "leeches": self.leeches,
        }


def _retention_dict(r: DeckRetention) -> dict:
    out = {
        "reviews": r.reviews,
        "mature_reviews": r.mature,
        "recalled": r.recalled,
        "true_retention": None if r.rate is None else round(r.rate, 4),
    }
    if r.deck_id:
        out = {"deck": r.deck_id, "title": r.title, **out}
    return out


# ---------------------------------------------------------------------------------------------
# Day boundaries


def local_midnight(day: date, tz: tzinfo | None = None) -> datetime:
    """The start of `day` in `tz` (default: the machine's local time, DST aware), in UTC."""
    if tz is None:
        start = datetime(day.year, day.month, day.day).astimezone()
    else:
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
    return start.astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def _bounds(first: date, days: int, tz: tzinfo | None) -> list[str]:
    """ISO timestamps of days+1 consecutive local midnights from `first`."""
    return [iso(local_midnight(first + timedelta(days=i), tz)) for i in range(days + 1)]


# ---------------------------------------------------------------------------------------------
# Queries. Each one uses an index on purpose; EXPLAIN QUERY PLAN is checked in the tests.
# Timed on 1M reviews of one learner and 100k cards (bench/RESULTS.md): about ten times
# faster with STATS_INDEX_SQL than without it (RETENTION_SQL parses every review's JSON).

# Reviews per day: one range count per day, each answered from the COVERING INDEX
# reviews_learner_time. :pairs is a JSON list of [start, end) ISO bounds.
DAY_COUNTS_SQL = """
    SELECT b.key, (SELECT count(*) FROM reviews
                   WHERE learner_id = :learner AND reviewed_at >= json_extract(b.value, '$[0]')
                     AND reviewed_at < json_extract(b.value, '$[1]'))
    FROM json_each(:pairs) b
"""

# Due counts per day, the same way on the COVERING INDEX card_state_due (suspended and removed
# cards are counted here and taken out afterwards from the two queries below).
DUE_COUNTS_SQL = """
    SELECT b.key, (SELECT count(*) FROM card_state
                   WHERE learner_id = :learner AND due >= json_extract(b.value, '$[0]')
                     AND due < json_extract(b.value, '$[1]'))
    FROM json_each(:pairs) b
"""

# Card states per deck: the cards in study from the partial index card_state_queue alone
# (COVERING INDEX), the suspended ones (few) from the table, each with its due date so it can
# leave the forecast. One query over every row read each row of the table, which measured slower
# (bench/RESULTS.md).
STATES_SQL = """
    SELECT deck_id, state, suspended, last_review IS NOT NULL, NULL, count(*)
    FROM card_state WHERE learner_id = :learner AND suspended = 0 GROUP BY 1, 2, 4
    UNION ALL
    SELECT deck_id, state, suspended, last_review IS NOT NULL, due, count(*)
    FROM card_state WHERE learner_id = :learner AND suspended != 0 GROUP BY 1, 2, 3, 4, 5
"""
# Cards per deck (SEARCH cards USING COVERING INDEX cards_position), removed ones included.
DECK_SIZES_SQL = "SELECT d.id, (SELECT count(*) FROM cards WHERE deck_id = d.id) FROM decks d"
REMOVED_CARDS_SQL = "SELECT deck_id, card_id FROM cards WHERE removed_at IS NOT NULL"

# Reviews, mature reviews by rating, and time, per deck: SEARCH reviews USING INDEX
# reviews_learner_time (learner_id=?), or the stats index alone when it exists.
RETENTION_SQL = f"""
    SELECT deck_id, rating, {MATURE_SQL} AS mature, count(*), sum(duration_ms)
    FROM reviews WHERE learner_id = ? GROUP BY deck_id, rating, mature
"""


# Cram answers and reset rows (not reviews, above): read from their own partial index, so
# taking them back out costs a few rows, not a pass over every review's mode.
NOT_REVIEWS = "mode IN ('cram', 'reset')"
EXTRA_DAY_COUNTS_SQL = f"""
    SELECT b.key, (SELECT count(*) FROM reviews INDEXED BY reviews_cram_reset
                   WHERE learner_id = :learner AND {NOT_REVIEWS}
                     AND reviewed_at >= json_extract(b.value, '$[0]')
                     AND reviewed_at < json_extract(b.value, '$[1]'))
    FROM json_each(:pairs) b
"""
EXTRA_TOTALS_SQL = f"""
    SELECT deck_id, mode, count(*) FROM reviews INDEXED BY reviews_cram_reset
    WHERE learner_id = ? AND {NOT_REVIEWS} GROUP BY deck_id, mode
"""
LEECHES_SQL = "SELECT count(*) FROM card_state WHERE learner_id = ? AND leech = 1"


def reviews_per_day(
    store: Store, learner_id: int, first: date, days: int, tz: tzinfo | None = None
) -> list[DayCount]:
    bounds = _bounds(first, days, tz)
    params = {"learner": learner_id, "pairs": json.dumps(list(zip(bounds, bounds[1:])))}
    counts = dict(store.db.execute(DAY_COUNTS_SQL, params).fetchall())
    extra = dict(store.db.execute(EXTRA_DAY_COUNTS_SQL, params).fetchall())
    return [
        DayCount(first + timedelta(days=i), counts.get(i, 0) - extra.get(i, 0)) for i in range(days)
    ]


def cram_and_resets(store: Store, learner_id: int) -> tuple[dict[str, int], int, int]:
    """Per deck, the cram and reset rows (to take out of its reviews); all cram answers; all
    resets."""
    per_deck: dict[str, int] = {}
    crammed = resets = 0
    for deck_id, mode, count in store.db.execute(EXTRA_TOTALS_SQL, [learner_id]):
        per_deck[deck_id] = per_deck.get(deck_id, 0) + count
        if mode == "cram":
            crammed += count
        else:
            resets += count
    return per_deck, crammed, resets


def _live_cards(store: Store) -> tuple[dict[str, int], list[list[str]]]:
    """Per deck: the live card count; and the (deck, card) ids of removed cards (usually none)."""
    # Counted per deck in the cards_position index, the removed ones read from the partial
    # cards_removed index: grouping the cards table read every card's row (bench/RESULTS.md).
    removed = [list(r) for r in store.db.execute(REMOVED_CARDS_SQL)]
    live = {deck_id: total for deck_id, total in store.db.execute(DECK_SIZES_SQL) if total}
    for deck_id, _card_id in removed:
        live[deck_id] -= 1
    return live, removed


def states_and_forecast(
    store: Store, learner_id: int, today: date, days: int = 30, tz: tzinfo | None = None
) -> tuple[dict[str, StateCounts], list[DayCount], int]:
    """Card counts by state per deck, and how many reviewed cards fall due on each of the next
    `days` days (today's count includes the overdue ones, also returned on their own)."""
    live, removed = _live_cards(store)
    bounds = _bounds(today, days, tz)
    pairs = json.dumps([["", bounds[0]], *zip(bounds, bounds[1:])])  # overdue, then each day
    # Due counts, suspended cards included: one COVERING INDEX card_state_due range per day
    # (a never-reviewed card has no due date, so it is never counted).
    due = dict(store.db.execute(DUE_COUNTS_SQL, {"learner": learner_id, "pairs": pairs}).fetchall())
    by_deck: dict[str, list[int]] = {d: [0, 0, 0, 0, 0] for d in live}
    skip: list[str | None] = []  # due dates of suspended and removed cards, taken back out

    def tally(rows, sign: int):
        for deck_id, state, suspended, reviewed, due_at, count in rows:
            slot = by_deck.get(deck_id)
            if slot is None:
                continue
            if suspended:
                slot[4] += sign * count
            elif reviewed:
                slot[{1: 1, 2: 2, 3: 3}.get(state, 1)] += sign * count
            # The index counts include suspended and removed cards: note their due dates
            # once each (a removed suspended card was already noted in the first pass).
            if due_at is not None and (suspended if sign > 0 else not suspended):
                skip.extend([due_at] * count)

    tally(store.db.execute(STATES_SQL, {"learner": learner_id}), +1)
    if removed:  # removed cards keep their history but leave the counts
        tally(
            store.db.execute(
                """SELECT cs.deck_id, cs.state, cs.suspended, cs.last_review IS NOT NULL, cs.due, 1
               FROM json_each(:removed) r JOIN card_state cs
                 ON cs.learner_id = :learner AND cs.deck_id = json_extract(r.value, '$[0]')
                AND cs.card_id = json_extract(r.value, '$[1]')""",
                {"learner": learner_id, "removed": json.dumps(removed)},
            ),
            -1,
        )
    counts = [due.get(0, 0) + due.get(1, 0), *(due.get(i + 1, 0) for i in range(1, days))]
    overdue = due.get(0, 0)
    for due_at in skip:
        if due_at < bounds[0]:
            overdue -= 1
            counts[0] -= 1
        elif due_at < bounds[-1]:
            counts[bisect.bisect_right(bounds, due_at) - 1] -= 1
    states = {}
    for deck_id, slot in by_deck.items():
        seen = slot[1] + slot[2] + slot[3] + slot[4]
        states[deck_id] = StateCounts(
            max(0, live[deck_id] - seen), slot[1], slot[2], slot[3], slot[4]
        )
    forecast = [DayCount(today + timedelta(days=i), counts[i]) for i in range(days)]
    return states, forecast, overdue


def retention_and_time(store: Store, learner_id: int) -> tuple[dict[str, list[int]], int]:
    """Per deck [reviews, mature reviews, recalled mature reviews], and all-time duration."""
    per_deck: dict[str, list[int]] = {}
    total_ms = 0
    # Without STATS_INDEX_SQL: SEARCH reviews USING INDEX reviews_learner_time (learner_id=?),
    # one JSON parse per review; with it, the index alone answers.
    # Cram rows have no state_before (never mature) and reset rows no rating: neither is in
    # the mature figures; the caller takes both out of the review counts.
    for deck_id, rating, mature, count, ms in store.db.execute(RETENTION_SQL, [learner_id]):
        slot = per_deck.setdefault(deck_id, [0, 0, 0])
        slot[0] += count
        if mature and rating is not None:
            slot[1] += count
            if rating > 1:
                slot[2] += count
        total_ms += ms or 0
    return per_deck, total_ms


def recent_time(
    store: Store, learner_id: int, today_start: str, week_start: str
) -> tuple[int, int]:
    row = store.db.execute(
        """SELECT sum(duration_ms) FILTER (WHERE reviewed_at >= :today), sum(duration_ms)
           FROM reviews WHERE learner_id = :learner AND reviewed_at >= :week""",
        {"learner": learner_id, "today": today_start, "week": week_start},
    ).fetchone()
    return row[0] or 0, row[1] or 0


def compute(
    store: Store,
    learner: Learner,
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    weeks: int = 26,
    forecast_days: int = 30,
) -> Stats:
    """All the figures for one learner. `weeks` sets the heatmap window: whole weeks (Monday
    first) ending with the current one, cut at today."""
    now = now or now_utc()
    today = local_date(now, tz)
    first = today - timedelta(days=today.weekday() + 7 * (max(1, weeks) - 1))
    days = reviews_per_day(store, learner.id, first, (today - first).days + 1, tz)
    states, forecast, overdue = states_and_forecast(store, learner.id, today, forecast_days, tz)
    per_deck, total_ms = retention_and_time(store, learner.id)
    extra, crammed, resets = cram_and_resets(store, learner.id)
    for deck_id, count in extra.items():
        if deck_id in per_deck:
            per_deck[deck_id][0] -= count
    today_ms, week_ms = recent_time(
        store,
        learner.id,
        iso(local_midnight(today, tz)),
        iso(local_midnight(today - timedelta(days=6), tz)),
    )
    titles = {r["id"]: r["title"] for r in store.db.query("SELECT id, title FROM decks")}
    deck_ids = sorted(
        set(per_deck) | {d for d, s in states.items() if s.total},
        key=lambda d: (titles.get(d, d).lower(), d),
    )
    retention = [DeckRetention(d, titles.get(d, d), *per_deck.get(d, [0, 0, 0])) for d in deck_ids]
    return Stats(
        learner=learner.name,
        now=now,
        days=days,
        forecast=forecast,
        overdue=overdue,
        retention=retention,
        states={d: states[d] for d in deck_ids if d in states},
        time=TimeSpent(today_ms, week_ms, total_ms),
        deck_titles=titles,
        crammed=crammed,
        resets=resets,
        leeches=store.db.execute(LEECHES_SQL, [learner.id]).fetchone()[0],
    )
