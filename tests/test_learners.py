"""`quiz learners`: add, list, rename, set, remove (history kept) and purge (confirmed twice)."""

from __future__ import annotations

from click.testing import CliRunner

from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.cli.main import cli
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store


def quiz(db, *args, input=None):
    return CliRunner().invoke(cli, ["--db", str(db), "learners", *args], input=input)


def test_add_list_rename_set(db_path):
    assert quiz(db_path, "add", "Ann").output == "added learner 'Ann'\n"
    duplicate = quiz(db_path, "add", "ann")
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    assert quiz(db_path, "add", "bob").exit_code == 0
    assert quiz(db_path, "rename", "bob", "Robert").exit_code == 0
    clash = quiz(db_path, "rename", "Robert", "ANN")
    assert clash.exit_code == 1 and "already named 'Ann'" in clash.output
    assert quiz(db_path, "rename", "ann", "ANN").exit_code == 0  # a change of case is fine
    out = quiz(
        db_path,
        "set",
        "robert",
        "--time-factor",
        "1.5",
        "--retention",
        "0.85",
        "--new-per-day",
        "5",
    )
    assert out.exit_code == 0 and "time factor 1.5" in out.output
    with Store(db_path) as s:
        robert = s.learner("Robert", create=False)
        assert (robert.time_factor, robert.retention, robert.new_per_day) == (1.5, 0.85, 5)
    listing = quiz(db_path, "list").output.splitlines()
    assert listing[0].split()[:3] == ["learner", "time", "factor"]
    assert [line.split()[0] for line in listing[2:]] == ["ANN", "Robert"]
    assert quiz(db_path, "set", "robert", "--time-factor", "0.5").exit_code == 2  # extra time only
    assert quiz(db_path, "set", "robert").exit_code == 2
    assert quiz(db_path, "set", "nobody", "--time-factor", "2").output.startswith(
        "quiz: no learner named"
    )


def test_names_are_checked_and_printed_safely(db_path):
    assert quiz(db_path, "add", "   ").exit_code == 2
    assert quiz(db_path, "add", "x" * 61).exit_code == 2
    assert quiz(db_path, "add", "evil\x1b[2J").exit_code == 2
    assert quiz(db_path, "add", "[bold]mallory").output == "added learner '[bold]mallory'\n"
    with Store(db_path) as s:  # a name that reached the store some other way
        s.learner("tab\x1bname")
    assert "tab\\x1bname" in quiz(db_path, "list").output


def answered(db_path, name):
    with Store(db_path) as s:
        from quiz.content.catalog import load_catalog

        decks = load_catalog().decks
        sync_decks(s, decks)
        drill = open_drill(s, decks, DrillSettings(("timeline",), 2, "1"))
        run = DrillRun(s, drill, s.learner(name))
        for q in drill.questions:
            run.answer(q, "x", 10)


def test_remove_keeps_history_and_asks_first(db_path):
    answered(db_path, "cy")
    declined = quiz(db_path, "remove", "cy", input="n\n")
    assert declined.exit_code == 1 and "Remove learner 'cy'?" in declined.output
    assert quiz(db_path, "remove", "cy", input="y\n").exit_code == 0
    with Store(db_path) as s:
        assert s.learner("cy", create=False).removed_at is not None
        assert s.scalar("SELECT count(*) FROM reviews") == 2
    assert "cy" not in quiz(db_path, "list").output
    assert "cy (removed)" in quiz(db_path, "list", "--all").output
    assert quiz(db_path, "add", "cy").output == "restored learner 'cy'\n"


def test_purge_asks_twice_and_deletes_everything(db_path):
    answered(db_path, "dee")
    once = quiz(db_path, "remove", "dee", "--purge", input="y\nn\n")
    assert once.exit_code == 1
    assert "ALL their history: 2 answers" in once.output and "cannot be undone" in once.output
    with Store(db_path) as s:
        assert s.scalar("SELECT count(*) FROM reviews") == 2
    done = quiz(db_path, "remove", "dee", "--purge", "--yes")
    assert done.exit_code == 0 and "with 2 answers" in done.output
    with Store(db_path) as s:
        assert s.learner("dee", create=False) is None
        assert s.scalar("SELECT count(*) FROM reviews") == 0


def test_set_the_review_limit_and_leech_settings(db_path):
    assert quiz(db_path, "add", "ann").exit_code == 0
    out = quiz(
        db_path,
        "set",
        "ann",
        "--reviews-per-day",
        "50",
        "--leech-threshold",
        "4",
        "--leech-action",
        "tag",
    )
    assert out.exit_code == 0, out.output
    assert "reviews per day 50" in out.output and "leech action tag" in out.output
    with Store(db_path) as s:
        ann = s.learner("ann", create=False)
        assert (ann.reviews_per_day, ann.leech_threshold, ann.leech_action) == (50, 4, "tag")
    assert "4 tag" in quiz(db_path, "list").output
    for bad in (
        ["--reviews-per-day", "-1"],
        ["--leech-threshold", "0"],
        ["--leech-action", "delete"],
        ["--reviews-per-day", "lots"],
    ):
        result = quiz(db_path, "set", "ann", *bad)
        assert result.exit_code == 2 and "Traceback" not in result.output
    with Store(db_path) as s:
        assert s.learner("ann", create=False).leech_threshold == 4
