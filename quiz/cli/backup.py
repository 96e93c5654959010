"""`quiz backup`: a consistent copy of the database while it is in use (SQLite backup API)."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import chosen_db, db_option, fail
from quiz.text import printable


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new file (default: <db>.<date-time>.bak beside the database). "
    "An existing file is never overwritten.",
)
@db_option
def command(output: Path | None, db: Path | None):
    """Copy the database safely, even while others are studying (SQLite backup API)."""
    from quiz.paths import default_db_path
    from quiz.store.doctor import BackupError, DoctorError, backup, default_backup_path

    path = chosen_db(db) or default_db_path()
    target = output or default_backup_path(path)
    try:
        done = backup(path, target)
    except (BackupError, DoctorError) as e:
        fail(str(e), 1)
    size = done.stat().st_size
    click.echo(
        f"backed up {printable(str(path), 1000)} to {printable(str(done), 1000)} ({size:,} bytes)"
    )
