"""`quiz drill`: a seeded classroom drill, taken by a learner or presented on a projector."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from quiz.classroom.drill import FEEDBACK_MODES
from quiz.cli.common import db_option, fail, library_option, open_db


@click.command("drill")
@click.argument("decks", nargs=-1)
@click.option(
    "--count",
    "-n",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Number of questions.",
)
@click.option(
    "--seed",
    "-s",
    help="Seed for drawing and shuffling (default: today's date, so a "
    "class running the same command today gets the same drill).",
)
@click.option(
    "--time",
    "time_limit",
    type=click.FloatRange(0, 3600, min_open=True),
    metavar="SECONDS",
    help="Time limit per question, times each learner's extra-time factor "
    "('quiz learners set NAME --time-factor 1.5'). "
    "A time-out counts as wrong. Default: untimed.",
)
@click.option(
    "--feedback",
    type=click.Choice(FEEDBACK_MODES),
    default="now",
    show_default=True,
    help="now: right/wrong, the answer and its source after each question; "
    "end: nothing until the end.",
)
@click.option("--learner", help="Who is taking the drill (default: the last learner used).")
@click.option(
    "--count-in-study",
    is_flag=True,
    help="Also move the learner's spaced-repetition schedule (Good if right, Again if wrong).",
)
@click.option(
    "--present",
    is_flag=True,
    help="Presenter mode for a projector: big text, teacher-paced, nothing recorded.",
)
@library_option
@db_option
@click.pass_context
def command(
    ctx: click.Context,
    decks: tuple[str, ...],
    count: int,
    seed: str | None,
    time_limit: float | None,
    feedback: str,
    learner: str | None,
    count_in_study: bool,
    present: bool,
    db: Path | None,
):
    """Run a classroom drill on DECKs (ids or deck files; default: all bundled decks).

    COUNT questions are drawn and shuffled by SEED (mcq choices too), so every learner given
    the same decks, count, seed, time and feedback gets the same drill, and their answers
    land under one drill for `quiz report`. Accuracy is the score: the time taken is kept
    but never changes it. Every answer is saved the moment it is given; a drill left
    halfway continues where it stopped when run again.

    Basic (self-graded) cards are left out: a drill scores answers objectively.

    Presenter keys: space/n next question, r/Enter reveal the answer, p previous."""
    from quiz.classroom.drill import DrillError, DrillRun, DrillSettings, open_drill
    from quiz.cli.launch import load_decks, resolve_learner
    from quiz.store.learners import Learner
    from quiz.text import printable

    obj = ctx.find_root().obj or {}
    store = open_db(db)
    try:
        chosen = load_decks(store, decks)
        try:
            settings = DrillSettings(
                decks=tuple(d.id for d in chosen),
                count=count,
                seed=seed or date.today().isoformat(),
                time_limit=time_limit,
                feedback=feedback,
            )
            drill = open_drill(store, chosen, settings)
        except DrillError as e:
            fail(str(e), 2)
        click.echo(
            f"drill {drill.id}: {len(drill.questions)} questions from "
            f"{', '.join(settings.decks)}; seed {printable(settings.seed)}",
            err=True,
        )
        if len(drill.questions) < count:
            click.echo(
                f"note: only {len(drill.questions)} questions could be drawn "
                "(basic cards are left out)",
                err=True,
            )
        from quiz.tui.app import QuizApp

        if present:
            from quiz.tui.screens.presenter import PresenterScreen

            nobody = Learner(id=0, uid="", name="presenter")  # nothing is recorded
            QuizApp(
                store, nobody, chosen, start_screen_factory=lambda: PresenterScreen(drill)
            ).run()
            return
        person = resolve_learner(store, learner or obj.get("learner"))
        run = DrillRun(store, drill, person, count_in_study=count_in_study, decks=chosen)
        from quiz.tui.screens.drill import DrillScreen

        results = QuizApp(
            store, person, chosen, start_screen_factory=lambda: DrillScreen(run)
        ).run()
        if results is not None:
            click.echo(
                f"{printable(person.name)}: {results.score} of {results.total} right "
                f"({round(100 * results.accuracy)}%) in drill {drill.id}"
            )
    finally:
        store.close()
