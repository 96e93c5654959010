"""What every command shares: the --db option, opening the store, and failing in one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from quiz.text import printable

DB_HELP = "SQLite file for progress (default: the user data dir; env QUIZ_DB)."


def db_option(f):
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="QUIZ_DB",
        help=DB_HELP,
    )(f)


LIBRARY_HELP = (
    "Folder of your own articles and decks (default: <user data dir>/library; env QUIZ_LIBRARY)."
)


def _set_library(ctx, param, value):
    # One setting for the whole run, the app and its subprocesses (quiz serve) included:
    # quiz.paths.library_dir() reads it wherever decks or articles are looked up.
    if value is not None:
        os.environ["QUIZ_LIBRARY"] = str(value)
    return value


def library_option(f):
    return click.option(
        "--library",
        type=click.Path(file_okay=False, path_type=Path),
        callback=_set_library,
        expose_value=False,
        is_eager=True,
        help=LIBRARY_HELP,
    )(f)


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
    from quiz.store.connection import StoreError, open_store

    try:
        return open_store(chosen_db(db))
    except StoreError as e:
        fail(str(e), 2)
