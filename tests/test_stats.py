"""quiz.insight.stats against a store with known reviews at known times (a fixed "now", UTC
days)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.insight import stats as st
from quiz.insight import stats_text
from quiz.store.times import iso, new_uid

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)  # a Saturday
UTC = UTC
DAY = timedelta(days=1)


def add_review(store, learner, deck, card, at, *, rating=3, ms=1000, interval=None, mode="study"):
    """One review row; `interval` (days) makes state_before a review-state card whose scheduled
    interval was that long."""
    if interval is None:
        before = {"existed": False, "state": {"state": None, "due": None, "last_review": None}}
    else:
        last = at - timedelta(days=interval)
        before = {
            "existed": True,
            "state": {
                "state": 2,
                "due": iso(last + timedelta(days=interval)),
                "last_review": iso(last),
                "stability": interval,
            },
        }
    with store.write() as db:
        db.execute(
            """INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, duration_ms,
                 reviewed_at, mode, state_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                new_uid(),
                learner.id,
                deck,
                card,
                rating,
                ms,
                iso(at),
                mode,
                None if mode == "drill" else json.dumps(before),
            ],
        )


def set_state(store, learner, deck, card, *, state=2, due=None, suspended=0, reviewed=True):
    with store.write() as db:
        db.execute(
            """INSERT OR REPLACE INTO card_state (learner_id, deck_id, card_id, state, step,
                 stability, difficulty, due, last_review, first_review, reps, lapses,
                 buried_until, suspended) VALUES (?, ?, ?, ?, 0, 5, 5, ?, ?, ?, 1, 0, NULL, ?)""",
            [
                learner.id,
                deck,
                card,
                state if reviewed else None,
                iso(due) if due else None,
                iso(NOW - DAY) if reviewed else None,
                iso(NOW - DAY) if reviewed else None,
                suspended,
            ],
        )


def card_ids(catalog, deck_id):
    return [c.id for c in catalog.by_id()[deck_id].cards]


@pytest.fixture
def known(store, learner, catalog):
    """Two decks with a known history:
    thorn-in-ties: 4 mature reviews (ratings 1, 2, 3, 4: 3 recalled; one at exactly 21 days),
      one young review (20 days), one drill answer; states: 3 review (one overdue, one beyond
      30 days), 1 learning, 1 relearning, 1 suspended, 1 buried new, 1 removed card.
    streltsov: 2 mature reviews, both Again."""
    a, b = "thorn-in-ties", "streltsov"
    ca, cb = card_ids(catalog, a), card_ids(catalog, b)
    # today (Mar 15): 3 reviews, 6 s in all
    add_review(store, learner, a, ca[0], NOW - timedelta(hours=1), rating=1, ms=1000, interval=21)
    add_review(store, learner, a, ca[1], NOW - timedelta(hours=2), rating=2, ms=2000, interval=30)
    add_review(store, learner, a, ca[2], NOW - timedelta(hours=3), rating=3, ms=3000, interval=100)
    # Mar 10: 2 reviews (4 s each)
    add_review(
        store,
        learner,
        a,
        ca[3],
        datetime(2025, 3, 10, 9, tzinfo=UTC),
        rating=4,
        ms=4000,
        interval=25,
    )
    add_review(
        store,
        learner,
        a,
        ca[4],
        datetime(2025, 3, 10, 10, tzinfo=UTC),
        rating=4,
        ms=4000,
        interval=20,
    )
    # Mar 8 (outside the last 7 days): a drill answer, no state_before
    add_review(
        store,
        learner,
        a,
        ca[5],
        datetime(2025, 3, 8, 23, 59, tzinfo=UTC),
        rating=3,
        ms=5000,
        mode="drill",
    )
    # Jan 1: the other deck, two lapses of mature cards
    for card in cb[:2]:
        add_review(
            store,
            learner,
            b,
            card,
            datetime(2025, 1, 1, 8, tzinfo=UTC),
            rating=1,
            ms=10_000,
            interval=40,
        )

    set_state(store, learner, a, ca[0], state=2, due=NOW + timedelta(hours=3))  # due today
    set_state(store, learner, a, ca[1], state=2, due=NOW - 3 * DAY)  # overdue
    set_state(store, learner, a, ca[2], state=1, due=NOW + 3 * DAY)  # learning, day 3
    set_state(store, learner, a, ca[3], state=3, due=NOW + 29 * DAY)  # relearning, last day
    set_state(store, learner, a, ca[4], state=2, due=NOW + DAY, suspended=1)  # suspended
    set_state(store, learner, a, ca[5], state=2, due=NOW + 30 * DAY)  # beyond the forecast
    set_state(store, learner, a, ca[6], reviewed=False)  # new, buried
    set_state(store, learner, a, ca[7], state=2, due=NOW + 2 * DAY)  # then removed:
    with store.write() as db:
        db.execute(
            "UPDATE cards SET removed_at = ? WHERE deck_id = ? AND card_id = ?",
            [iso(NOW), a, ca[7]],
        )
    return a, b, len(ca), len(cb)


def test_reviews_per_day(store, learner, known):
    figures = st.compute(store, learner, now=NOW, tz=UTC, weeks=2)
    assert figures.days[0].day == date(2025, 3, 3)  # the Monday of last week
    assert figures.days[-1].day == date(2025, 3, 15)
    by_day = {d.day: d.count for d in figures.days}
    assert by_day[date(2025, 3, 15)] == 3
    assert by_day[date(2025, 3, 10)] == 2
    assert by_day[date(2025, 3, 8)] == 1
    assert figures.reviews_in_window == 6
    assert figures.days_studied == 3
    assert figures.streak == 1


def test_day_boundaries_follow_the_time_zone(store, learner, catalog):
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        ny = zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this machine")
    card = card_ids(catalog, "thorn-in-ties")[0]
    # 03:30 UTC on Mar 10 is 23:30 on Mar 9 in New York (EDT began on Mar 9, UTC-4).
    add_review(store, learner, "thorn-in-ties", card, datetime(2025, 3, 10, 3, 30, tzinfo=UTC))
    add_review(store, learner, "thorn-in-ties", card, datetime(2025, 3, 10, 4, 30, tzinfo=UTC))
    by_day = {d.day: d.count for d in st.compute(store, learner, now=NOW, tz=ny, weeks=2).days}
    assert by_day[date(2025, 3, 9)] == 1
    assert by_day[date(2025, 3, 10)] == 1


def test_forecast(store, learner, known):
    figures = st.compute(store, learner, now=NOW, tz=UTC)
    counts = [d.count for d in figures.forecast]
    assert len(counts) == 30 and figures.forecast[0].day == date(2025, 3, 15)
    assert figures.overdue == 1
    assert counts[0] == 2  # due later today + the overdue card
    assert counts[3] == 1 and counts[29] == 1
    assert sum(counts) == 4  # not the suspended, the removed, nor the one due in 30 days


def test_true_retention(store, learner, known):
    a, b, _, _ = known
    figures = st.compute(store, learner, now=NOW, tz=UTC)
    by_deck = {r.deck_id: r for r in figures.retention}
    assert (by_deck[a].reviews, by_deck[a].mature, by_deck[a].recalled) == (6, 4, 3)
    assert by_deck[a].rate == pytest.approx(0.75)
    assert (by_deck[b].reviews, by_deck[b].mature, by_deck[b].recalled) == (2, 2, 0)
    assert by_deck[b].rate == 0
    overall = figures.overall_retention
    assert (overall.mature, overall.recalled) == (6, 3)
    assert by_deck[a].title == "The Thorn in Japan-Russia Ties"


def test_card_states(store, learner, known):
    a, b, size_a, size_b = known
    figures = st.compute(store, learner, now=NOW, tz=UTC)
    s = figures.states[a]
    live = size_a - 1  # one card removed
    assert (s.learning, s.review, s.relearning, s.suspended) == (1, 3, 1, 1)
    assert s.new == live - 6
    assert s.total == live
    assert figures.states[b] == st.StateCounts(new=size_b)
    assert figures.total_states.suspended == 1


def test_time_spent(store, learner, known):
    figures = st.compute(store, learner, now=NOW, tz=UTC)
    assert figures.time == st.TimeSpent(today_ms=6000, week_ms=14000, total_ms=39000)


def test_empty_learner(store):
    figures = st.compute(store, store.learner("nobody"), now=NOW, tz=UTC)
    assert figures.reviews_in_window == 0 and figures.streak == 0
    assert figures.retention and all(r.reviews == 0 and r.rate is None for r in figures.retention)
    assert figures.time == st.TimeSpent()
    assert figures.overall_retention.rate is None
    assert all(d.count == 0 for d in figures.forecast)
    assert "\n".join(stats_text.summary_lines(figures))  # renders without dividing by zero


def test_queries_use_the_indexes(store, learner):
    """EXPLAIN QUERY PLAN: the per-day counts read only reviews_learner_time, the forecast only
    card_state_due, and nothing scans a whole table of reviews."""

    def plan(sql, params):
        return " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))

    days = plan(st.DAY_COUNTS_SQL, {"learner": 1, "pairs": "[]"})
    assert "COVERING INDEX reviews_learner_time" in days
    due = plan(st.DUE_COUNTS_SQL, {"learner": 1, "pairs": "[]"})
    assert "COVERING INDEX card_state_due" in due
    states = plan(st.STATES_SQL, {"learner": 1})
    assert "SEARCH card_state USING COVERING INDEX card_state_queue" in states
    sizes = plan(st.DECK_SIZES_SQL, [])
    assert "COVERING INDEX cards_position" in sizes and "SCAN cards" not in sizes
    assert "USING INDEX cards_removed" in plan(st.REMOVED_CARDS_SQL, [])
    retention = plan(st.RETENTION_SQL, [1])
    assert "SEARCH reviews USING" in retention and "SCAN reviews" not in retention
    store.db.execute(st.STATS_INDEX_SQL)  # the optional index: then the index alone answers
    assert "reviews_learner_stats" in plan(st.RETENTION_SQL, [1])


def test_heatmap_reads_without_colour():
    days = [
        st.DayCount(date(2025, 3, 3) + timedelta(days=i), n)
        for i, n in enumerate([0, 1, 2, 3, 4, 8, 0, 0, 16, 0, 0, 0, 0])
    ]
    lines = stats_text.heatmap_lines(days)
    assert lines[0].startswith("    Mar")
    grid = {line[:3]: line[4:] for line in lines[1:8]}
    assert grid["Mon"] == "· ·"  # Mar 3 and Mar 10: no reviews
    assert grid["Tue"] == "░ █"  # 1 and 16 (the busiest day)
    assert grid["Sat"] == "▒ ·"  # 8, then today (Mar 15) with none
    assert grid["Sun"] == "·"  # Mar 16 is in the future: blank
    assert "· none" in lines[-1] and "█ 13+" in lines[-1]


def test_cli_json(store, learner, known, db_path):
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path), "--learner", "ann", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["learner"] == "ann"
    decks = {d["deck"]: d for d in data["retention"]["decks"]}
    assert decks["thorn-in-ties"]["true_retention"] == 0.75
    assert decks["thorn-in-ties"]["mature_reviews"] == 4
    assert data["time_spent_ms"]["total"] == 39000
    assert data["card_states"]["total"]["suspended"] == 1
    assert len(data["forecast"]) == 30
    assert set(data["definitions"]) >= {"mature", "recalled"}


def test_cli_text(store, learner, known, db_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--learner", "ann"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Reviews per day" in out and "· none" in out
    assert "Due in the next 30 days" in out and "█" in out
    assert "75.0%" in out and "0.0%" in out
    assert "\x1b[" not in out  # no colour codes: readable as plain text


def test_cli_unknown_learner(store, db_path):
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path), "--learner", "[bold]zed"])
    assert result.exit_code == 1
    assert "no learner named '[bold]zed'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "ms, text",
    [
        (0, "0m"),
        (400, "1s"),
        (6000, "6s"),
        (59_000, "59s"),
        (60_000, "1m"),
        (3_599_000, "1h 00m"),
        (5_400_000, "1h 30m"),
    ],
)
def test_time_spent_text(ms, text):
    assert stats_text.time_spent_text(ms) == text


@pytest.mark.parametrize("with_index", [False, True])
def test_damaged_state_before_is_not_mature(store, learner, catalog, with_index):
    """A review whose state_before is not JSON (say, merged from a damaged file) counts as a
    review, never as mature, and breaks neither the query nor (with the index) the insert."""
    if with_index:
        store.db.execute(st.STATS_INDEX_SQL)
    card = card_ids(catalog, "thorn-in-ties")[0]
    add_review(store, learner, "thorn-in-ties", card, NOW, interval=30)
    with store.write() as db:
        db.execute("UPDATE reviews SET state_before = '{not json'")
    add_review(store, learner, "thorn-in-ties", card, NOW, interval=30)
    with store.write() as db:
        db.execute(
            "UPDATE reviews SET state_before = '[1, 2' WHERE id = (SELECT max(id) FROM reviews)"
        )
    r = {x.deck_id: x for x in st.compute(store, learner, now=NOW, tz=UTC).retention}[
        "thorn-in-ties"
    ]
    assert (r.reviews, r.mature) == (2, 0)


def test_migration_index_matches_the_stats_query(store):
    """Migration 3 freezes the index expression; it must stay the one stats queries use."""
    made = store.scalar("SELECT sql FROM sqlite_master WHERE name = 'reviews_learner_stats'")
    assert made == st.STATS_INDEX_SQL.replace("IF NOT EXISTS ", "")
