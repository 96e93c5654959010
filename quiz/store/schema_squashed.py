"""The schema a NEW database is created with, in one go: what MIGRATIONS[:SQUASHED_VERSION]
leave, statement for statement (a squashed migration, as Django has them). An empty file takes
this instead of running every migration: the migrations import sqlite-utils and run one
savepoint each, which was a sixth of the first-ever start (bench/RESULTS.md). A database that
already has a version still goes through the migrations from there.

Never edit these by hand: tests/test_schema_squashed.py checks that a file made from them and
one made by the migrations have the same sqlite_master (every table, index and trigger, the
SQL text itself) and user_version; that test's module regenerates this one after a migration
is appended (or leave it: the migrations after SQUASHED_VERSION run on top of it)."""

from __future__ import annotations

SQUASHED_VERSION = 10

STATEMENTS = (
    (
        "CREATE TABLE learners (\n"
        "            id INTEGER PRIMARY KEY,\n"
        "            uid TEXT NOT NULL UNIQUE,\n"
        "            name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
        "            created_at TEXT NOT NULL,\n"
        "            retention REAL NOT NULL DEFAULT 0.9,\n"
        "            new_per_day INTEGER NOT NULL DEFAULT 20,\n"
        "            time_factor REAL NOT NULL DEFAULT 1.0,\n"
        "            removed_at TEXT\n"
        '        , bury_siblings INTEGER NOT NULL DEFAULT 1, "pin_hash" TEXT, '
        "reviews_per_day INTEGER NOT NULL DEFAULT 200, leech_threshold INTEGER NOT NULL "
        "DEFAULT 8, leech_action TEXT NOT NULL DEFAULT 'suspend' CHECK (leech_action IN "
        "('suspend', 'tag')), fsrs_params TEXT)"
    ),
    (
        "CREATE TABLE decks (\n"
        "            id TEXT PRIMARY KEY,\n"
        "            title TEXT NOT NULL,\n"
        "            description TEXT NOT NULL DEFAULT '',\n"
        "            path TEXT NOT NULL DEFAULT '',\n"
        "            content_hash TEXT NOT NULL DEFAULT '',\n"
        "            synced_at TEXT NOT NULL\n"
        "        )"
    ),
    (
        "CREATE TABLE cards (\n"
        "            deck_id TEXT NOT NULL REFERENCES decks(id),\n"
        "            card_id TEXT NOT NULL,\n"
        "            position INTEGER NOT NULL,\n"
        "            type TEXT NOT NULL,\n"
        "            prompt TEXT NOT NULL,\n"
        "            answer TEXT NOT NULL,\n"
        "            data TEXT NOT NULL,\n"
        "            removed_at TEXT,\n"
        "            PRIMARY KEY (deck_id, card_id)\n"
        "        )"
    ),
    (
        "CREATE TABLE card_state (\n"
        "            learner_id INTEGER NOT NULL REFERENCES learners(id),\n"
        "            deck_id TEXT NOT NULL,\n"
        "            card_id TEXT NOT NULL,\n"
        "            state INTEGER,\n"
        "            step INTEGER,\n"
        "            stability REAL,\n"
        "            difficulty REAL,\n"
        "            due TEXT,\n"
        "            last_review TEXT,\n"
        "            first_review TEXT,\n"
        "            reps INTEGER NOT NULL DEFAULT 0,\n"
        "            lapses INTEGER NOT NULL DEFAULT 0,\n"
        "            buried_until TEXT,\n"
        "            suspended INTEGER NOT NULL DEFAULT 0, leech INTEGER NOT NULL "
        "DEFAULT 0,\n"
        "            PRIMARY KEY (learner_id, deck_id, card_id),\n"
        "            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)\n"
        "        )"
    ),
    (
        "CREATE TABLE drills (\n"
        "            id INTEGER PRIMARY KEY,\n"
        "            uid TEXT NOT NULL UNIQUE,\n"
        "            created_at TEXT NOT NULL,\n"
        "            decks TEXT NOT NULL,\n"
        "            count INTEGER NOT NULL,\n"
        "            seed TEXT NOT NULL,\n"
        "            time_limit REAL,\n"
        "            feedback TEXT NOT NULL DEFAULT 'now',\n"
        "            count_in_study INTEGER NOT NULL DEFAULT 0,\n"
        "            questions TEXT NOT NULL DEFAULT '[]'\n"
        "        )"
    ),
    ("CREATE INDEX card_state_due ON card_state (learner_id, due)"),
    ("CREATE INDEX cards_position ON cards (deck_id, position)"),
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    ("CREATE INDEX card_state_first_review ON card_state (learner_id, first_review)"),
    (
        "CREATE INDEX card_state_queue ON card_state (learner_id, deck_id, state, due, "
        "suspended, buried_until, last_review, card_id) WHERE suspended = 0"
    ),
    (
        "CREATE INDEX card_state_unseen ON card_state (learner_id, last_review, deck_id, "
        "suspended, buried_until) WHERE last_review IS NULL"
    ),
    ("CREATE INDEX cards_removed ON cards (deck_id, card_id) WHERE removed_at IS NOT NULL"),
    (
        "CREATE TABLE study_card_totals (\n"
        "        learner_id INTEGER NOT NULL, deck_id TEXT NOT NULL, card_id TEXT NOT "
        "NULL,\n"
        "        reviews INTEGER NOT NULL, passed INTEGER NOT NULL,\n"
        "        PRIMARY KEY (learner_id, deck_id, card_id)) WITHOUT ROWID"
    ),
    (
        "CREATE TABLE card_passages (\n"
        "        deck_id TEXT NOT NULL, card_id TEXT NOT NULL, article TEXT NOT NULL,\n"
        '        start INTEGER NOT NULL, "end" INTEGER NOT NULL,\n'
        "        PRIMARY KEY (deck_id, card_id)) WITHOUT ROWID"
    ),
    ('CREATE INDEX card_passages_span ON card_passages (article, start, "end")'),
    (
        'CREATE TABLE "live_sessions" (\n'
        '   "code" TEXT PRIMARY KEY,\n'
        '   "drill_id" INTEGER NOT NULL REFERENCES "drills"("id"),\n'
        "   \"phase\" TEXT NOT NULL DEFAULT 'lobby',\n"
        '   "question" INTEGER NOT NULL DEFAULT 0,\n'
        '   "question_at" REAL,\n'
        '   "paused_at" REAL,\n'
        "   \"leaderboard\" TEXT NOT NULL DEFAULT 'off',\n"
        '   "host_pid" INTEGER,\n'
        '   "created_at" TEXT NOT NULL,\n'
        '   "started_at" TEXT,\n'
        '   "ended_at" TEXT\n'
        ")"
    ),
    (
        'CREATE TABLE "live_members" (\n'
        '   "code" TEXT NOT NULL REFERENCES "live_sessions"("code"),\n'
        '   "learner_id" INTEGER NOT NULL REFERENCES "learners"("id"),\n'
        '   "pid" INTEGER,\n'
        '   "joined_at" TEXT NOT NULL,\n'
        '   "left_at" TEXT,\n'
        '   PRIMARY KEY ("code", "learner_id")\n'
        ")"
    ),
    ('CREATE INDEX "live_sessions_drill"\n    ON "live_sessions" ("drill_id")'),
    (
        'CREATE TABLE "reviews" (\n'
        "            id INTEGER PRIMARY KEY,\n"
        "            uid TEXT NOT NULL UNIQUE,\n"
        "            learner_id INTEGER NOT NULL REFERENCES learners(id),\n"
        "            deck_id TEXT NOT NULL,\n"
        "            card_id TEXT NOT NULL,\n"
        "            rating INTEGER,\n"
        "            given TEXT,\n"
        "            correct INTEGER,\n"
        "            duration_ms INTEGER,\n"
        "            reviewed_at TEXT NOT NULL,\n"
        "            mode TEXT NOT NULL CHECK (mode IN ('study', 'drill', 'cram', "
        "'reset')),\n"
        "            drill_id INTEGER REFERENCES drills(id),\n"
        "            state_before TEXT,\n"
        "            FOREIGN KEY (deck_id, card_id) REFERENCES cards(deck_id, card_id)\n"
        "        )"
    ),
    ("CREATE INDEX reviews_card ON reviews (deck_id, card_id)"),
    ("CREATE INDEX reviews_drill ON reviews (drill_id, learner_id)"),
    (
        "CREATE INDEX reviews_drill_answers ON reviews (learner_id, drill_id, deck_id, "
        "card_id, reviewed_at, correct) WHERE mode = 'drill'"
    ),
    (
        "CREATE INDEX reviews_learner_stats ON reviews (learner_id, deck_id, rating, "
        "coalesce(CASE WHEN json_valid(state_before) THEN strftime('%s', "
        "json_extract(state_before, '$.state.due')) - strftime('%s', "
        "json_extract(state_before, '$.state.last_review')) >= 1814400 END, 0), "
        "duration_ms)"
    ),
    ("CREATE INDEX reviews_learner_time ON reviews (learner_id, reviewed_at)"),
    (
        "CREATE TRIGGER study_card_totals_add AFTER INSERT ON reviews WHEN NEW.mode = "
        "'study' BEGIN INSERT INTO study_card_totals VALUES (NEW.learner_id, "
        "NEW.deck_id, NEW.card_id, 1,\n"
        "                  (coalesce(NEW.rating, 0) > 1))\n"
        "              ON CONFLICT DO UPDATE SET reviews = reviews + 1,\n"
        "                  passed = passed + (coalesce(NEW.rating, 0) > 1); END"
    ),
    (
        "CREATE TRIGGER study_card_totals_move_in AFTER UPDATE ON reviews WHEN NEW.mode "
        "= 'study' BEGIN INSERT INTO study_card_totals VALUES (NEW.learner_id, "
        "NEW.deck_id, NEW.card_id, 1,\n"
        "                  (coalesce(NEW.rating, 0) > 1))\n"
        "              ON CONFLICT DO UPDATE SET reviews = reviews + 1,\n"
        "                  passed = passed + (coalesce(NEW.rating, 0) > 1); END"
    ),
    (
        "CREATE TRIGGER study_card_totals_move_out AFTER UPDATE ON reviews WHEN OLD.mode "
        "= 'study' BEGIN UPDATE study_card_totals SET reviews = reviews - 1,\n"
        "                   passed = passed - (coalesce(OLD.rating, 0) > 1)\n"
        "               WHERE learner_id = OLD.learner_id AND deck_id = OLD.deck_id\n"
        "                 AND card_id = OLD.card_id;\n"
        "               DELETE FROM study_card_totals WHERE learner_id = OLD.learner_id\n"
        "                 AND deck_id = OLD.deck_id AND card_id = OLD.card_id AND "
        "reviews <= 0; END"
    ),
    (
        "CREATE TRIGGER study_card_totals_take AFTER DELETE ON reviews WHEN OLD.mode = "
        "'study' BEGIN UPDATE study_card_totals SET reviews = reviews - 1,\n"
        "                   passed = passed - (coalesce(OLD.rating, 0) > 1)\n"
        "               WHERE learner_id = OLD.learner_id AND deck_id = OLD.deck_id\n"
        "                 AND card_id = OLD.card_id;\n"
        "               DELETE FROM study_card_totals WHERE learner_id = OLD.learner_id\n"
        "                 AND deck_id = OLD.deck_id AND card_id = OLD.card_id AND "
        "reviews <= 0; END"
    ),
    (
        "CREATE INDEX reviews_cram_reset ON reviews (learner_id, mode, reviewed_at, "
        "deck_id) WHERE mode IN ('cram', 'reset')"
    ),
    ("CREATE INDEX card_state_leech ON card_state (learner_id, deck_id) WHERE leech = 1"),
)
