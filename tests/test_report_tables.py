"""The report's tables from aggregates (one pass over the answers) against the per-drill
computation and against a plain recount of the stored reviews; the fast JSON writer against
json.dumps; and the query plans that make them fast."""

from __future__ import annotations

import json
import random
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from quiz.classroom import report as rp
from quiz.classroom import report_format, report_records
from quiz.classroom.drill import DrillSettings, open_drill
from quiz.cli.main import cli
from quiz.cli.report import _printable
from quiz.store.times import iso, new_uid

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
NAMES = ("ann", "bob", "cy", "dee", "eve", "fay", "gus", "Hal", "hal")


def record(store, drill_id, learner, deck_id, card_id, correct, at, given="x"):
    with store.write() as db:
        db.execute(
            """INSERT INTO reviews (uid, learner_id, deck_id, card_id, given, correct, duration_ms,
                 reviewed_at, mode, drill_id) VALUES (?, ?, ?, ?, ?, ?, 900, ?, 'drill', ?)""",
            [new_uid(), learner.id, deck_id, card_id, given, int(correct), iso(at), drill_id],
        )


@pytest.fixture
def classroom(store, catalog):
    """Four drills: three answered by nine learners (some stop early), one by nobody; plus the
    awkward cases: repeated answers (later, and at the same instant), an answer to a card the
    drill does not ask, study reviews."""
    decks = [d.id for d in catalog.decks]
    drills = [
        open_drill(store, catalog.decks, DrillSettings((decks[i],), count, f"seed{i}"))
        for i, count in enumerate((6, 4, 5, 3))
    ]
    rng = random.Random(11)
    at = T0
    people = {name: store.learner(name) for name in NAMES}
    for drill in drills[:3]:
        for person in people.values():
            stop = (
                len(drill.questions)
                if rng.random() < 0.7
                else rng.randrange(1, len(drill.questions))
            )
            for q in drill.questions[:stop]:
                at += timedelta(seconds=7)
                record(
                    store,
                    drill.id,
                    person,
                    q.deck_id,
                    q.card.id,
                    rng.random() < 0.6,
                    at,
                    given=rng.choice(["a", "b", ""]),
                )
    first, second = drills[0], drills[1]
    q0, q1 = first.questions[0], first.questions[1]
    # A merged second answer, later: does not count.
    record(store, first.id, people["ann"], q0.deck_id, q0.card.id, True, at + timedelta(days=1))
    # Two answers at the same instant, right then wrong: the first stored (lower id) counts,
    # although the index lists the wrong one first (it sorts by correct before id).
    tie, zed, q = at + timedelta(days=2), store.learner("zed"), second.questions[0]
    record(store, second.id, zed, q.deck_id, q.card.id, True, tie)
    record(store, second.id, zed, q.deck_id, q.card.id, False, tie)
    # An answer to a card this drill does not ask (a lab machine's other deck version).
    asked = {(q.deck_id, q.card.id) for q in first.questions}
    deck = next(d for d in catalog.decks if d.id == q1.deck_id)
    other = next(c for c in deck.cards if (deck.id, c.id) not in asked)
    record(store, first.id, people["bob"], deck.id, other.id, True, at + timedelta(days=3))
    # As many answers as questions, yet incomplete: one repeated, or one to an unasked card.
    ivy, jo = store.learner("ivy"), store.learner("jo")
    for q in first.questions[:-1]:
        record(store, first.id, ivy, q.deck_id, q.card.id, True, at + timedelta(days=4))
        record(store, first.id, jo, q.deck_id, q.card.id, True, at + timedelta(days=4))
    record(store, first.id, ivy, q0.deck_id, q0.card.id, False, at + timedelta(days=5))
    record(store, first.id, jo, deck.id, other.id, True, at + timedelta(days=5))
    # bob also studies: two cards, three reviews.
    with store.write() as db:
        for card, rating in ((q0.card.id, 1), (q0.card.id, 3), (q1.card.id, 4)):
            db.execute(
                """INSERT INTO reviews
                     (uid, learner_id, deck_id, card_id, rating, reviewed_at, mode)
                   VALUES (?, ?, ?, ?, ?, ?, 'study')""",
                [new_uid(), people["bob"].id, q0.deck_id, card, rating, iso(at)],
            )
    return drills


def as_summary(stats: report_records.DrillStats) -> report_records.DrillSummary:
    return report_records.DrillSummary(
        **{f.name: getattr(stats, f.name) for f in fields(report_records.DrillSummary)}
    )


def test_drills_table_equals_drill_stats(store, classroom):
    ids = rp.drill_ids(store)
    summaries = rp.drill_summaries(store, ids)
    assert [s.id for s in summaries] == ids and len(ids) == 4
    stats = [rp.drill_stats(store, i) for i in ids]
    assert summaries == [as_summary(s) for s in stats]  # every figure, to the last bit
    assert report_format.drill_table(summaries) == report_format.drill_table(stats)
    # The fixture exercises what it should: incomplete attempts, defined and undefined alphas.
    assert any(s.complete < s.attempts for s in summaries)
    assert any(s.alpha is not None for s in summaries)
    assert any(s.attempts == 0 and s.mean_score is None for s in summaries)
    # zed's tie: the right answer (stored first) counts.
    second = rp.drill_stats(store, classroom[1].id)
    assert {s.learner: s.score for s in second.scores}["zed"] == 1
    first = rp.drill_stats(store, classroom[0].id)
    k = first.questions
    assert {s.learner: s.answered for s in first.scores if s.learner in ("ivy", "jo")} == {
        "ivy": k - 1,
        "jo": k - 1,
    }


def recount(store):
    """Learner figures the slow, obvious way: every review, in Python."""
    rows = store.db.execute(
        "SELECT learner_id, drill_id, deck_id, card_id, correct, rating, mode, reviewed_at, id "
        "FROM reviews"
    ).fetchall()
    firsts, study = {}, {}
    for lid, did, deck, card, correct, rating, mode, at, rid in rows:
        if mode == "drill":
            key = (lid, did, deck, card)
            if key not in firsts or (at, rid) < firsts[key][0]:
                firsts[key] = ((at, rid), correct)
        else:
            study.setdefault(lid, []).append((deck, card, rating))
    out = {}
    for lid, name in store.db.execute("SELECT id, name FROM learners"):
        mine = {k: v for k, v in firsts.items() if k[0] == lid}
        reviews = study.get(lid, [])
        out[name] = (
            len({k[1] for k in mine}),
            len(mine),
            sum(1 for _, c in mine.values() if c == 1),
            len({(d, c) for d, c, _ in reviews}),
            len(reviews),
            sum(1 for *_, r in reviews if r > 1),
        )
    return out


def test_learners_table_matches_a_recount(store, classroom):
    expected = recount(store)
    got = {
        s.name: (
            s.drills,
            s.drill_answers,
            s.drill_correct,
            s.cards_studied,
            s.study_reviews,
            round(s.retention * s.study_reviews) if s.retention is not None else 0,
        )
        for s in rp.learner_summaries(store)
    }
    assert got == expected
    assert expected["bob"][3:] == (2, 3, 2)
    assert [s.name for s in rp.learner_summaries(store, "Hal")] == ["Hal"]


def shown(table) -> str:
    return report_format.format_table(
        *_printable(table)
    )  # as the command prints it (long cells cut)


def test_report_command_shows_the_drill_stats_figures(store, classroom):
    out = CliRunner().invoke(cli, ["--db", str(store.path), "report"]).output
    stats = [rp.drill_stats(store, i) for i in rp.drill_ids(store)]
    assert shown(report_format.drill_table(stats)) in out
    assert shown(report_format.item_table(stats[0])) in out  # the latest drill's items
    picked = (
        CliRunner()
        .invoke(cli, ["--db", str(store.path), "report", "--drill", str(classroom[0].id)])
        .output
    )
    assert shown(report_format.item_table(rp.drill_stats(store, classroom[0].id))) in picked


def test_overview_items_are_the_shown_drills(store, classroom):
    report = rp.overview(store, drill_id=classroom[2].id)
    assert [d.id for d in report.drills] == [classroom[2].id]
    assert report.shown == rp.drill_stats(store, classroom[2].id)
    by_learner = rp.overview(store, learner="zed")
    assert [d.id for d in by_learner.drills] == [classroom[1].id]
    assert [s.name for s in by_learner.learners] == ["zed"]


def test_json_text_is_what_json_dumps_writes(store, classroom):
    full = rp.full_report(store)
    text = report_format.to_json(full.learners, full.drills, full.answers)
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2)
    odd = {
        "a": [],
        "b": {},
        "c": [{"x": 1}, {"y": [1, 2.5, None, True]}],
        "d": ("t", '\n"é'),
        "e": [[], [{}], [{"k": "v\u2028"}, {"k": "}\n  {"}]],
        "f": {"g": {"h": [False]}},
    }
    assert report_format._dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    records = [{"a": 1, "b": "},\n      {"}, {"a": 2, "b": None}]
    assert (
        json.dumps({"k": records}, indent=2)
        == '{\n  "k": ' + report_format._dumps_records(records, 1) + "\n}"
    )
    assert report_format._dumps_records([], 1) == "[]"


@pytest.mark.parametrize(
    "sql, params, index",
    [
        (rp._ATTEMPTS_SQL.format(and_learner=""), [], "reviews_drill_answers"),
        (rp._ATTEMPTS_SQL.format(and_learner="AND learner_id = ?"), [1], "reviews_drill_answers"),
        (rp._STUDY_SQL, [1], "study_card_totals USING PRIMARY KEY (learner_id=?)"),
    ],
)
def test_summary_queries_read_only_their_indexes(store, sql, params, index):
    plan = " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert index in plan and "TEMP B-TREE" not in plan, plan


async def test_report_screen_computes_items_for_the_drill_under_the_cursor(store, classroom):
    from textual.widgets import DataTable

    from quiz.store.learners import Learner
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.report import ReportScreen

    app = QuizApp(
        store, Learner(0, "", "teacher"), [], start_screen_factory=lambda: ReportScreen(store)
    )
    async with app.run_test(size=(160, 60)) as pilot:
        screen = app.screen
        ids = rp.drill_ids(store)
        assert set(screen.items) == {ids[0]}  # only the latest drill's items, up front
        items = screen.query_one("#report-items", DataTable)
        await pilot.press("down")
        await pilot.pause()
        assert set(screen.items) == {ids[0], ids[1]}
        expected = report_format.item_table(rp.drill_stats(store, ids[1]))[1]
        assert [[str(c) for c in items.get_row_at(i)] for i in range(items.row_count)] == expected
        assert f"Drill {ids[1]}:" in str(screen.query_one("#report-drill-title").content)
        await pilot.press("q")


def test_a_learner_named_in_another_case_gets_the_same_answers_in_every_format(store, classroom):
    """Names compare without case in the store ('Hal' and 'hal' are one learner): the JSON
    report filters by the learner's id, as the CSV does, not by the name's spelling."""
    rows = rp.answer_rows(store, "HAL")
    assert rows and rp.full_report(store, "HAL").answers == rows


STUDY_BY_CARD = """SELECT learner_id, deck_id, card_id, count(*), count(*) FILTER (WHERE rating > 1)
                   FROM reviews WHERE mode = 'study' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""


def test_study_card_totals_follow_every_review_written_undone_or_changed(store):
    """The per-card totals the report reads (store migration 6, triggers) always equal the
    study reviews grouped by card: after inserts, duplicates ignored, deletes, updates."""
    import random

    rng = random.Random(7)
    ann, bob = store.learner("ann"), store.learner("bob")
    cards = store.db.execute("SELECT deck_id, card_id FROM cards LIMIT 6").fetchall()
    ids = []
    for i in range(400):
        action = rng.random()
        with store.write() as db:
            if action < 0.6 or not ids:
                uid = f"u{rng.randrange(300)}"  # repeats: INSERT OR IGNORE adds nothing
                cur = db.execute(
                    "INSERT OR IGNORE INTO reviews (uid, learner_id, deck_id, card_id, rating, "
                    "given, correct, duration_ms, reviewed_at, mode) VALUES (?, ?, ?, ?, ?, '', "
                    "1, 1000, '2026-01-01T00:00:00.000000Z', ?)",
                    [
                        uid,
                        rng.choice([ann.id, bob.id]),
                        *rng.choice(cards),
                        rng.choice([1, 2, 3, 4, None]),
                        rng.choice(["study", "study", "drill"]),
                    ],
                )
                if cur.rowcount:
                    ids.append(cur.lastrowid)
            elif action < 0.85:
                db.execute("DELETE FROM reviews WHERE id = ?", [ids.pop(rng.randrange(len(ids)))])
            else:
                db.execute(
                    "UPDATE reviews SET rating = ?, deck_id = ?, card_id = ?, mode = ? "
                    "WHERE id = ?",
                    [
                        rng.randint(1, 4),
                        *rng.choice(cards),
                        rng.choice(["study", "drill"]),
                        rng.choice(ids),
                    ],
                )
        totals = store.db.execute("SELECT * FROM study_card_totals ORDER BY 1, 2, 3").fetchall()
        assert totals == store.db.execute(STUDY_BY_CARD).fetchall(), i
