"""The schema: numbered migrations, append only. Each bumps PRAGMA user_version, all or nothing
(see Store.migrate). Raw SQL on purpose: a migration is frozen history, and its exact text (an
index's expression, a trigger's body) is what later code and tests match against."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _m1_initial(db: sqlite_utils.Database) -> None:
    statements = [
        """CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL,
            retention REAL NOT NULL DEFAULT 0.9,
            new_per_day INTEGER NOT NULL DEFAULT 20,
            time_factor REAL NOT NULL DEFAULT 1.0,
            removed_at TEXT
        )""",
        """CREATE TABLE decks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            synced_at TEXT NOT NULL
        )""",
        """CREATE TABLE cards (
            deck_id TEXT NOT NULL REFERENCES decks(id),
            card_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            data TEXT NOT NULL,
            removed_at TEXT,
            PRIMARY KEY (deck_id, card_id)
        )""",
        """CREATE TABLE card_state (
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            state INTEGER,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            first_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            suspended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (learner_id, deck_id, card_id),
            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)
        )""",
        """CREATE TABLE drills (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            decks TEXT NOT NULL,
            count INTEGER NOT NULL,
            seed TEXT NOT NULL,
            time_limit REAL,
            feedback TEXT NOT NULL DEFAULT 'now',
            count_in_study INTEGER NOT NULL DEFAULT 0,
            questions TEXT NOT NULL DEFAULT '[]'
        )""",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER,
            given TEXT,
            correct INTEGER,
            duration_ms INTEGER,
            reviewed_at TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('study', 'drill')),
            drill_id INTEGER REFERENCES drills(id),
            state_before TEXT,
            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)
        )""",
        # "What is due for this learner": the study queue and the home counts.
        "CREATE INDEX card_state_due ON card_state (learner_id, due)",
        # Reports and stats: a learner's history, a drill's answers, a card's answers.
        "CREATE INDEX reviews_learner_time ON reviews (learner_id, reviewed_at)",
        "CREATE INDEX reviews_drill ON reviews (drill_id, learner_id)",
        "CREATE INDEX reviews_card ON reviews (deck_id, card_id)",
        "CREATE INDEX cards_position ON cards (deck_id, position)",
    ]
    for sql in statements:
        db.execute(sql)


def _m2_meta(db: sqlite_utils.Database) -> None:
    # Small app-wide settings, e.g. the learner the home screen opens with.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _m3_stats_index(db: sqlite_utils.Database) -> None:
    # Stats' true retention and time spent read every review of a learner; with this index they
    # read only the index (about 10x faster on a million reviews). The expression is frozen here
    # as written: it must stay identical to quiz.insight.stats.MATURE_SQL (a test checks the plan).
    db.execute(
        "CREATE INDEX IF NOT EXISTS reviews_learner_stats ON reviews (learner_id, deck_id, rating, "
        "coalesce(CASE WHEN json_valid(state_before) THEN "
        "strftime('%s', json_extract(state_before, "
        "'$.state.due')) - strftime('%s', json_extract(state_before, '$.state.last_review')) "
        ">= 1814400 END, 0), duration_ms)"
    )


def _m4_queue_and_report_indexes(db: sqlite_utils.Database) -> None:
    # bench/RESULTS.md has the query plans before and after each.
    # "New cards started today" runs several times per answer: the index makes it a lookup.
    db.execute("CREATE INDEX card_state_first_review ON card_state (learner_id, first_review)")
    # quiz report's drill and study summaries read only these (a few times faster at 1M reviews).
    db.execute(
        "CREATE INDEX reviews_drill_answers ON reviews "
        "(learner_id, drill_id, deck_id, card_id, reviewed_at, correct) WHERE mode = 'drill'"
    )
    db.execute(
        "CREATE INDEX reviews_study_cards ON reviews (learner_id, deck_id, card_id, rating) "
        "WHERE mode = 'study'"
    )


def _m5_count_indexes(db: sqlite_utils.Database) -> None:
    # The home counts and the study screen's cards left (quiz.study.queue.DECK_COUNTS and what
    # follows it) count ranges of these instead of joining every card with its state, several times
    # faster at 100k cards (bench/RESULTS.md, bench/versus_anki.py);
    # tests/test_scheduler_counts.py checks the plans.
    # Learning cards and due reviews per learner and deck, read from the index alone. A
    # suspended card is never counted: without its rows the index is smaller, and the stats'
    # query of states reads the suspended ones from the table (quiz.insight.stats.STATES_SQL).
    db.execute(
        "CREATE INDEX card_state_queue ON card_state (learner_id, deck_id, state, due, "
        "suspended, buried_until, last_review, card_id) WHERE suspended = 0"
    )
    # Rows of cards not yet reviewed (buried or suspended before their first answer): few.
    db.execute(
        "CREATE INDEX card_state_unseen ON card_state (learner_id, last_review, deck_id, "
        "suspended, buried_until) WHERE last_review IS NULL"
    )
    # Cards removed from their decks (few): counted, and their rows taken out of the counts.
    db.execute(
        "CREATE INDEX cards_removed ON cards (deck_id, card_id) WHERE removed_at IS NOT NULL"
    )


def _m6_study_card_totals(db: sqlite_utils.Database) -> None:
    # Per learner and card, how many study reviews and how many passed, kept by triggers as
    # reviews come and go: the report's learner lines (quiz.classroom.report.learner_summaries)
    # read these rows instead of grouping every study review each time (the report's overview
    # at the large bench size, about three times faster: bench/RESULTS.md). INSERT OR IGNORE
    # of a review already there fires nothing.
    db.execute("""CREATE TABLE study_card_totals (
        learner_id INTEGER NOT NULL, deck_id TEXT NOT NULL, card_id TEXT NOT NULL,
        reviews INTEGER NOT NULL, passed INTEGER NOT NULL,
        PRIMARY KEY (learner_id, deck_id, card_id)) WITHOUT ROWID""")
    db.execute("""INSERT INTO study_card_totals
        SELECT learner_id, deck_id, card_id, count(*), count(*) FILTER (WHERE rating > 1)
        FROM reviews WHERE mode = 'study' GROUP BY learner_id, deck_id, card_id""")
    passed = "(coalesce({row}.rating, 0) > 1)"  # (a review may lack a rating: not passed)
    add = f"""INSERT INTO study_card_totals VALUES (NEW.learner_id, NEW.deck_id, NEW.card_id, 1,
                  {passed.format(row="NEW")})
              ON CONFLICT DO UPDATE SET reviews = reviews + 1,
                  passed = passed + {passed.format(row="NEW")};"""
    take = f"""UPDATE study_card_totals SET reviews = reviews - 1,
                   passed = passed - {passed.format(row="OLD")}
               WHERE learner_id = OLD.learner_id AND deck_id = OLD.deck_id
                 AND card_id = OLD.card_id;
               DELETE FROM study_card_totals WHERE learner_id = OLD.learner_id
                 AND deck_id = OLD.deck_id AND card_id = OLD.card_id AND reviews <= 0;"""
    db.execute(
        f"CREATE TRIGGER study_card_totals_add AFTER INSERT ON reviews "
        f"WHEN NEW.mode = 'study' BEGIN {add} END"
    )
    db.execute(
        f"CREATE TRIGGER study_card_totals_take AFTER DELETE ON reviews "
        f"WHEN OLD.mode = 'study' BEGIN {take} END"
    )
    # Nothing updates reviews today; should anything ever, the totals follow.
    db.execute(
        f"CREATE TRIGGER study_card_totals_move_out AFTER UPDATE ON reviews "
        f"WHEN OLD.mode = 'study' BEGIN {take} END"
    )
    db.execute(
        f"CREATE TRIGGER study_card_totals_move_in AFTER UPDATE ON reviews "
        f"WHEN NEW.mode = 'study' BEGIN {add} END"
    )
    # Its one reader was that grouping: one index fewer to write at every answer.
    db.execute("DROP INDEX IF EXISTS reviews_study_cards")


def _m7_passage_siblings(db: sqlite_utils.Database) -> None:
    # Passage siblings (quiz.study.siblings): cards citing overlapping spans of one article, in
    # any deck, are siblings; answering one buries the others until tomorrow, per learner (on by
    # default). Each card's span is located once, when its deck is synced, so the answer ->
    # next card path only reads an index range of card_passages.
    db.execute("ALTER TABLE learners ADD COLUMN bury_siblings INTEGER NOT NULL DEFAULT 1")
    db.execute("""CREATE TABLE card_passages (
        deck_id TEXT NOT NULL, card_id TEXT NOT NULL, article TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        PRIMARY KEY (deck_id, card_id)) WITHOUT ROWID""")
    db.execute('CREATE INDEX card_passages_span ON card_passages (article, start, "end")')
    # The decks synced before this have no spans yet: the next sync of each rewrites it.
    db.execute("UPDATE decks SET content_hash = ''")


def _m8_live_sessions(db: sqlite_utils.Database) -> None:
    # Live classroom sessions (quiz.classroom.live): the answers are a drill's rows in reviews;
    # these hold only what the host and the learners' processes share while it runs: the
    # session's phase and question, and who is in it (the process that holds each seat, so a
    # learner killed can rejoin and a second process with the same name is refused).
    db["live_sessions"].create(
        {
            "code": str,
            "drill_id": int,
            "phase": str,  # lobby | question | revealed | ended
            "question": int,  # 1-based; 0 in the lobby
            "question_at": float,  # epoch seconds the question went up (moved on by a pause)
            "paused_at": float,  # epoch seconds the clock was paused; NULL while it runs
            "leaderboard": str,  # off | anonymous | names
            "host_pid": int,  # the host process, NULL once it has left
            "created_at": str,
            "started_at": str,
            "ended_at": str,
        },
        pk="code",
        not_null={"drill_id", "phase", "question", "leaderboard", "created_at"},
        defaults={"phase": "lobby", "question": 0, "leaderboard": "off"},
        foreign_keys=[("drill_id", "drills", "id")],
    )
    db["live_members"].create(
        {"code": str, "learner_id": int, "pid": int, "joined_at": str, "left_at": str},
        pk=("code", "learner_id"),
        not_null={"code", "learner_id", "joined_at"},
        foreign_keys=[("code", "live_sessions", "code"), ("learner_id", "learners", "id")],
    )
    db["live_sessions"].create_index(["drill_id"], index_name="live_sessions_drill")
    # A learner's PIN for switching to them in a served browser tab (quiz.store.pins): a KDF
    # hash, never the PIN.
    db["learners"].add_column("pin_hash", str)


REVIEW_MODES = ("study", "drill", "cram", "reset")


def _m9_cards_controls(db: sqlite_utils.Database) -> None:
    # The controls Anki users expect (the card browser, leeches, settings, custom study):
    # per learner, reviews a day, the leech threshold and action (Anki's defaults: 8 lapses,
    # suspend), and FSRS parameters fitted by `quiz optimize` (JSON; NULL = fsrs's defaults).
    db.execute("ALTER TABLE learners ADD COLUMN reviews_per_day INTEGER NOT NULL DEFAULT 200")
    db.execute("ALTER TABLE learners ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 8")
    db.execute(
        "ALTER TABLE learners ADD COLUMN leech_action TEXT NOT NULL DEFAULT 'suspend' "
        "CHECK (leech_action IN ('suspend', 'tag'))"
    )
    db.execute("ALTER TABLE learners ADD COLUMN fsrs_params TEXT")
    db.execute("ALTER TABLE card_state ADD COLUMN leech INTEGER NOT NULL DEFAULT 0")
    # Two more kinds of review row: 'cram' (custom study: recorded, the FSRS state untouched)
    # and 'reset' (a card put back to new by hand: the history is kept and this row says when).
    # SQLite cannot change a CHECK in place, so reviews is rebuilt (its documented 12-step
    # way); its indexes and triggers are read back from the schema and made again as they were.
    extras = [
        sql
        for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'reviews' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
    ]
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'reviews' AND type = 'trigger'"
    ).fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    modes = ", ".join(f"'{m}'" for m in REVIEW_MODES)
    db.execute(f"""CREATE TABLE reviews_new (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            learner_id INTEGER NOT NULL REFERENCES learners(id),
            deck_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER,
            given TEXT,
            correct INTEGER,
            duration_ms INTEGER,
            reviewed_at TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ({modes})),
            drill_id INTEGER REFERENCES drills(id),
            state_before TEXT,
            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)
        )""")
    db.execute("INSERT INTO reviews_new SELECT * FROM reviews")
    db.execute("DROP TABLE reviews")
    db.execute("ALTER TABLE reviews_new RENAME TO reviews")
    for sql in extras:
        db.execute(sql)


def _m10_cram_reset_leech_indexes(db: sqlite_utils.Database) -> None:
    # Stats keep cram answers and reset rows apart from study reviews (quiz.insight.stats): they
    # are counted from this partial index, which holds only them (few), instead of reading the
    # mode of every review of a learner (a million rows at the bench's large size). And the
    # leeches a learner has, counted from the rows marked, not every card_state row.
    db.execute(
        "CREATE INDEX reviews_cram_reset ON reviews (learner_id, mode, reviewed_at, deck_id) "
        "WHERE mode IN ('cram', 'reset')"
    )
    db.execute("CREATE INDEX card_state_leech ON card_state (learner_id, deck_id) WHERE leech = 1")


MIGRATIONS = [
    _m1_initial,
    _m2_meta,
    _m3_stats_index,
    _m4_queue_and_report_indexes,
    _m5_count_indexes,
    _m6_study_card_totals,
    _m7_passage_siblings,
    _m8_live_sessions,
    _m9_cards_controls,
    _m10_cram_reset_leech_indexes,
]
SCHEMA_VERSION = len(MIGRATIONS)
