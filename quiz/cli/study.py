"""`quiz study [DECK...]`: straight to the study screen."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import db_option, library_option


@click.command("study")
@click.argument("decks", nargs=-1)
@click.option("--learner", help="Learner name (created if new; default: the last one used).")
@library_option
@db_option
@click.pass_context
def command(ctx: click.Context, decks: tuple[str, ...], learner: str | None, db: Path | None):
    """Study DECKs (ids or deck files; default: all bundled decks) with spaced repetition.

    Every answer is saved the moment it is graded. Keys: Enter reveals, 1-4 grade, u undo,
    ? shows them all."""
    from quiz.cli.launch import run_study

    obj = ctx.obj or {}
    run_study(db, learner or obj.get("learner"), decks)
