"""`quiz report`: per learner and per question, as a table, a long CSV or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option, open_db
from quiz.text import printable


@click.command("report")
@click.option("--learner", help="Only this learner's figures, drills and answers.")
@click.option(
    "--drill",
    "drill_ids",
    type=int,
    metavar="ID",
    multiple=True,
    help="Only this drill (ids: see the drills table); with --gradebook, repeat for several.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="csv: one row per learner per question, for spreadsheets; json: everything.",
)
@click.option("--tui", is_flag=True, help="Open the report screen instead of printing.")
@click.option(
    "--gradebook",
    is_flag=True,
    help="A gradebook CSV for Canvas's or Moodle's grade import: one row per learner, one "
    "column per drill (accuracy in %).",
)
@click.option(
    "-o", "--output", "out", type=click.Path(path_type=Path), help="With --gradebook: the file."
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@click.option(
    "--passages",
    is_flag=True,
    help="The class's accuracy per paragraph of each article (answers to the cards citing it), "
    "weakest first; --drill ID for one drill's answers.",
)
@library_option
@db_option
def command(
    learner: str | None,
    drill_ids: tuple[int, ...],
    fmt: str,
    tui: bool,
    gradebook: bool,
    out: Path | None,
    force: bool,
    passages: bool,
    db: Path | None,
):
    """Teacher report: learners (drills taken, drill accuracy, cards studied, retention) and
    each drill's questions: facility (share right), discrimination (correlation of the
    question with the rest of the drill), how often each wrong answer was given, and
    Cronbach's alpha.

    Flags: easy (facility > 90%), hard (< 20%), negative (discrimination < 0: check the
    question), weak (discrimination < 0.3). Item statistics use learners who answered every
    question of the drill. The table shows the questions of --drill, or of the latest drill.

    --gradebook -o FILE.csv writes Canvas's gradebook layout (Student, ID, SIS User ID,
    SIS Login ID, Section, then a column per drill), which Moodle's CSV grade import also
    reads; --drill ID (repeatable) picks the drills, default all."""
    from quiz.classroom import report
    from quiz.classroom import report_format as rf

    if len(drill_ids) > 1 and not gradebook:
        fail("several --drill go with --gradebook; the report shows one drill", 2)
    if (out is not None or force) and not gradebook:
        fail("-o/--output goes with --gradebook (the other formats print)", 2)
    if gradebook and (tui or learner is not None or fmt != "table"):
        fail("--gradebook writes every learner's grades: leave out --tui, --learner, --format", 2)
    if passages and (gradebook or tui or learner is not None):
        fail("--passages reports the whole class: leave out --gradebook, --tui, --learner", 2)
    drill_id = drill_ids[0] if drill_ids else None
    store = open_db(db)
    try:
        for did in drill_ids:
            if store.scalar("SELECT 1 FROM drills WHERE id = ?", [did]) is None:
                fail(f"no drill {did} (see the drills in 'quiz report')", 1)
        if gradebook:
            _write_gradebook(store, list(drill_ids) or None, out, force)
            return
        if passages:
            _print_passages(store, drill_id, fmt)
            return
        if learner is not None and report.learner_id(store, learner) is None:
            fail(f"no learner named '{learner}' (see 'quiz learners list')", 1)
        if (
            drill_id is not None
            and store.scalar("SELECT 1 FROM drills WHERE id = ?", [drill_id]) is None
        ):
            fail(f"no drill {drill_id} (see the drills in 'quiz report')", 1)
        if tui:
            _open_screen(store, learner, drill_id)
            return
        if fmt == "csv":
            click.echo(rf.to_csv(report.answer_rows(store, learner, drill_id)), nl=False)
            return
        if fmt == "json":
            full = report.full_report(store, learner, drill_id)
            click.echo(rf.to_json(full.learners, full.drills, full.answers))
            return
        # The drills table needs one line per drill; only the drill shown gets its items.
        view = report.overview(store, learner, drill_id)
        click.echo("Learners")
        click.echo(rf.format_table(*_printable(rf.learner_table(view.learners))))
        if not view.drills:
            click.echo("\nNo drills yet (run one with 'quiz drill').")
            return
        click.echo("\nDrills")
        click.echo(rf.format_table(*_printable(rf.drill_table(view.drills))))
        shown = view.shown
        which = "" if drill_id is not None else " (the latest; --drill ID for another)"
        click.echo(
            f"\nDrill {shown.id}{which}: {shown.complete} complete attempt(s) of "
            f"{shown.questions} questions; mean {rf.pct(shown.mean_score)}, "
            f"Cronbach's alpha {rf.num(shown.alpha)}"
        )
        click.echo(rf.format_table(*_printable(rf.item_table(shown))))
        click.echo(
            "\nfacility = share right; discrimination = correlation with the rest of the drill. "
            "Flags: easy > 90%, hard < 20%, negative < 0, weak < 0.3."
        )
    finally:
        store.close()


def _print_passages(store, drill_id: int | None, fmt: str) -> None:
    import json

    from quiz.classroom import passages as pa
    from quiz.classroom.report_format import format_table, pct
    from quiz.content.articles import ArticlesError
    from quiz.content.catalog import load_catalog
    from quiz.content.coverage import coverage
    from quiz.content.library import current_library

    try:
        library = current_library()
        catalog = load_catalog(None, library)
    except ArticlesError as e:
        fail(str(e), 2)
    rows = pa.passage_accuracy(store, coverage(library, catalog.decks), drill_id)
    if fmt == "json":
        click.echo(json.dumps({"passages": [pa.as_dict(r) for r in rows]}, ensure_ascii=False))
        return
    if fmt == "csv":
        click.echo(pa.to_csv(rows), nl=False)
        return
    if not rows:
        click.echo("No answers yet to cards citing a passage.")
        return
    head = ["article", "¶", "accuracy", "answers", "learners", "cards", "passage"]
    body = [
        [
            printable(r.article, 40),
            str(r.paragraph),
            pct(r.accuracy),
            str(r.answers),
            str(r.learners),
            str(r.cards),
            printable(" ".join(r.text.split()), 56),
        ]
        for r in rows
    ]
    click.echo(format_table(head, body))


def _write_gradebook(store, drill_ids: list[int] | None, out: Path | None, force: bool) -> None:
    from quiz.classroom.gradebook import gradebook, to_csv
    from quiz.cli.export import write_atomic

    book = gradebook(store, drill_ids)
    text = to_csv(book)
    if out is None or str(out) == "-":
        click.echo(text, nl=False)
        return
    if out.is_dir():
        fail(f"{printable(str(out), 300)} is a folder; give a file name", 2)
    if out.exists() and not force:
        fail(f"{printable(str(out), 300)} already exists; pass --force to replace it", 1)
    write_atomic(out, text.encode("utf-8"))
    click.echo(
        f"wrote {printable(str(out), 300)}: {len(book.rows)} learners, "
        f"{len(book.columns)} drills (Canvas gradebook layout; Moodle: map SIS Login ID "
        "to username)",
        err=True,
    )


def _printable(table: tuple[list[str], list[list[str]]]) -> tuple[list[str], list[list[str]]]:
    head, rows = table
    return head, [[printable(cell, 80) for cell in row] for row in rows]


def _open_screen(store, learner: str | None, drill_id: int | None) -> None:
    from quiz.store.learners import Learner
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.report import ReportScreen

    teacher = Learner(id=0, uid="", name="report")  # reading only: no learner is created
    QuizApp(
        store,
        teacher,
        [],
        start_screen_factory=lambda: ReportScreen(store, learner=learner, drill_id=drill_id),
    ).run()
