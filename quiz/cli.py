"""The `quiz` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.text import printable

DB_HELP = "SQLite file for progress (default: the user data dir; env QUIZ_DB)."


def db_option(f):
    return click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="QUIZ_DB", help=DB_HELP)(f)


def fail(message: str, code: int = 1):
    click.echo(f"quiz: {printable(message, 1000)}", err=True)
    sys.exit(code)


def open_db(db: Path | None):
    from quiz.store import StoreError, open_store

    try:
        return open_store(db)
    except StoreError as e:
        fail(str(e), 2)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--learner", help="Learner name (default: the last one used, or your login name).")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, learner: str | None):
    """quiz: study decks written from source articles, with spaced repetition.

    With no command, opens the home screen on the bundled decks."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["learner"] = learner
    if ctx.invoked_subcommand is None:
        from quiz.launch import run_home

        run_home(db, learner)


@cli.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
def lint(targets: tuple[Path, ...]):
    """Check deck files (default: the bundled decks) like a compiler would.

    Prints one line per problem, `file:line: card 'id': message`. Exit status: 0 clean,
    1 problems found, 2 a file could not be read."""
    from quiz.articles import ArticlesError, bundled_library
    from quiz.catalog import load_catalog

    try:
        library = bundled_library()
    except ArticlesError as e:
        fail(str(e), 2)
    missing = [t for t in targets if not t.exists()]
    for t in missing:
        click.echo(f"{printable(str(t))}: no such file or folder", err=True)
    catalog = load_catalog([t for t in targets if t.exists()] if targets else None, library)
    for line in catalog.unreadable:
        click.echo(printable(line, 500), err=True)
    problems = sorted(catalog.problems, key=lambda p: (p.path, p.line))
    for p in problems:
        click.echo(("note: " if p.note else "") + str(p))
    errors = [p for p in problems if not p.note]
    cards = sum(len(d.cards) for d in catalog.decks)
    summary = f"{len(catalog.decks)} decks, {cards} cards"
    if missing or catalog.unreadable:
        click.echo(f"{summary}; {len(missing) + len(catalog.unreadable)} files could not be read", err=True)
        sys.exit(2)
    if errors:
        click.echo(f"{summary}; {len(errors)} problems", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)


def main():
    try:
        cli(obj={})
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
