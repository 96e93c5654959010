"""`quiz doctor`: check a database (integrity, orphans, schema version, sizes) without changing
it."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import chosen_db, db_option, fail
from quiz.text import printable


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


@click.command("doctor")
@db_option
def command(db: Path | None):
    """Check the database: integrity, foreign keys, orphan rows, schema version, sizes.

    Changes nothing. Exit status: 0 no problems, 1 problems found, 2 the file cannot be read."""
    from quiz.paths import default_db_path
    from quiz.store.doctor import DoctorError, diagnose

    path = chosen_db(db) or default_db_path()
    try:
        diag = diagnose(path)
    except DoctorError as e:
        fail(str(e), 2)
    click.echo(printable(str(path), 1000))
    for finding in diag.findings:
        label = "ok" if finding.ok else "PROBLEM"
        click.echo(f"  {label}: {printable(finding.text, 2000)}")
    sizes = diag.sizes
    if sizes:
        extra = ", ".join(f"{k} {human(v)}" for k, v in sizes.items() if k != "file")
        click.echo(f"  size: {human(sizes.get('file', 0))}" + (f" ({extra})" if extra else ""))
    if diag.rows:
        click.echo("  rows: " + ", ".join(f"{t} {n}" for t, n in diag.rows.items()))
    problems = diag.problems
    if problems:
        fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {path}", 1)
    click.echo("no problems found")
