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


def chosen_db(db: Path | None) -> Path | None:
    """The subcommand's --db, else the group's (`quiz --db X learners list`), else None (then
    QUIZ_DB or the default file)."""
    if db is None:
        ctx = click.get_current_context(silent=True)
        if ctx is not None and isinstance(ctx.find_root().obj, dict):
            db = ctx.find_root().obj.get("db")
    return db


def open_db(db: Path | None):
    from quiz.store import StoreError, open_store

    try:
        return open_store(chosen_db(db))
    except StoreError as e:
        fail(str(e), 2)


# Subcommands live in quiz/commands/<name>.py (each exposing `command`) and are imported only
# when used, so `quiz lint` or `quiz --help` never pay for Textual's import.
COMMANDS = {
    "study": "Study decks with spaced repetition (opens the study screen).",
    "drill": "Run a seeded classroom drill (or --present it on a projector).",
    "report": "Teacher report: per learner and per question, as a table, CSV or JSON.",
    "learners": "Create, list, rename and remove learners.",
    "merge": "Merge results from other quiz databases (lab machines) into this one.",
    "serve": "Serve the app to browsers on this machine (textual-serve).",
    "stats": "Study statistics: reviews per day, forecast, retention, time spent.",
    "export": "Export decks (Anki .apkg, CSV) or a learner's review log.",
    "import": "Import a two-column CSV/TSV (Quizlet, Anki text) as a YAML deck.",
    "doctor": "Check the database: integrity, orphans, schema version, sizes.",
    "backup": "Copy the database safely while it is in use (SQLite backup API).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        have = [n for n in COMMANDS if _command_module(n) is not None]
        return sorted([*super().list_commands(ctx), *have])

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name)
        if found is not None or name not in COMMANDS:
            return found
        spec = _command_module(name)
        if spec is None:
            return None
        import importlib

        return importlib.import_module(f"quiz.commands.{name}_cmd").command

    def format_commands(self, ctx, formatter):
        # Short help from COMMANDS, so `quiz --help` imports no subcommand module.
        rows = [(n, COMMANDS.get(n) or self.get_command(ctx, n).get_short_help_str(60))
                for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _command_module(name: str):
    import importlib.util

    return importlib.util.find_spec(f"quiz.commands.{name}_cmd")


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
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
    from quiz.store import StoreError  # light: sqlite3 and sqlite-utils only

    try:
        cli(obj={})
    except KeyboardInterrupt:
        sys.exit(130)
    except StoreError as e:
        # A store problem found mid-command (read-only file, full disk): one line, no traceback.
        fail(str(e), 2)


if __name__ == "__main__":
    main()
