"""`quiz live`: host a teacher-paced session, join it from any terminal, ask how it stands."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, open_db

LEADERBOARDS = ("off", "anonymous", "names")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def command():
    """Live classroom sessions: the host's projector shows each question and the class's
    answers as they arrive; learners join with the session's code from their own terminal (or
    a browser tab through `quiz serve`). Everything is a drill underneath: `quiz report` shows
    the answers."""


@command.command("host")
@click.argument("decks", nargs=-1)
@click.option("--count", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--seed", "-s", help="Seed for drawing and shuffling (default: the session code).")
@click.option(
    "--time",
    "time_limit",
    type=click.FloatRange(0, 3600, min_open=True),
    metavar="SECONDS",
    help="Time per question (each learner's extra-time factor applies). Default: untimed.",
)
@click.option("--code", help="The join code (default: six random digits).")
@click.option(
    "--leaderboard",
    type=click.Choice(LEADERBOARDS),
    default="off",
    show_default=True,
    help="At the end: accuracy only, never speed; anonymous shows scores without names.",
)
@click.option("--resume", metavar="CODE", help="Host again a session whose host was closed.")
@db_option
def host(
    decks: tuple[str, ...],
    count: int,
    seed: str | None,
    time_limit: float | None,
    code: str | None,
    leaderboard: str,
    resume: str | None,
    db: Path | None,
):
    """Host a live session on DECKs (default: all bundled decks).

    Keys: Space starts / next question, r reveals, p pauses the timer, e ends, q closes
    (the session stays: `--resume CODE` takes it up again at the same question)."""
    from quiz.classroom import live
    from quiz.classroom.drill import (
        LIVE_FEEDBACK,
        DrillError,
        DrillSettings,
        load_drill,
        open_drill,
    )
    from quiz.cli.launch import load_decks

    store = open_db(db)
    try:
        chosen = load_decks(store, decks)
        try:
            if resume:
                session = live.resume_session(store, resume)
                drill = load_drill(store, session.drill_id, chosen)
            else:
                wanted = live.clean_code(code) if code else live.new_code()
                settings = DrillSettings(
                    decks=tuple(d.id for d in chosen),
                    count=count,
                    seed=seed or wanted,
                    time_limit=time_limit,
                    feedback=LIVE_FEEDBACK,
                )
                drill = open_drill(store, chosen, settings)
                session = live.host_session(store, drill, code=wanted, leaderboard=leaderboard)
        except (DrillError, live.LiveError) as e:
            fail(str(e), 2)
        click.echo(
            f"live session {session.code}: {len(drill.questions)} questions (drill {drill.id}); "
            f"learners join with: quiz live join {session.code}",
            err=True,
        )
        from quiz.store.learners import Learner
        from quiz.tui.app import QuizApp
        from quiz.tui.screens.live_host import LiveHostScreen

        nobody = Learner(id=0, uid="", name="host")  # the host answers nothing
        QuizApp(
            store, nobody, chosen, start_screen_factory=lambda: LiveHostScreen(drill, session)
        ).run()
        final = live.load_session(store, session.code)
        if final is not None and final.phase != "ended":
            click.echo(
                f"session {session.code} left open; take it up again with "
                f"quiz live host --resume {session.code}",
                err=True,
            )
    finally:
        store.close()


@command.command("join")
@click.argument("code")
@click.option("--learner", help="Who is answering (default: the last learner used).")
@db_option
@click.pass_context
def join(ctx: click.Context, code: str, learner: str | None, db: Path | None):
    """Join the live session CODE (shown on the host's screen)."""
    from quiz.classroom import live
    from quiz.cli.launch import resolve_learner

    obj = ctx.find_root().obj or {}
    store = open_db(db)
    try:
        person = resolve_learner(store, learner or obj.get("learner"))
        try:
            session = live.join(store, code, person)
        except live.LiveError as e:
            fail(str(e), 1)
        from quiz.tui.app import QuizApp
        from quiz.tui.screens.live_join import LiveJoinScreen

        try:
            QuizApp(
                store,
                person,
                [],
                start_screen_factory=lambda: LiveJoinScreen(store, person, session.code),
            ).run()
        finally:
            live.leave(store, session.code, person)
    finally:
        store.close()


@command.command("status")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@db_option
def status(code: str, fmt: str, db: Path | None):
    """How the session CODE stands: phase, question, who joined, how many answered."""
    from quiz.classroom import live

    store = open_db(db)
    try:
        try:
            info = live.status(store, code)
        except live.LiveError as e:
            fail(str(e), 1)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(info))
        return
    click.echo(
        f"{info['code']}: {info['phase']}, question {info['question']} of {info['questions']}, "
        f"{info['joined']} joined, {info['answered']} answered"
    )
