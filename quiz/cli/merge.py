"""`quiz merge OTHER.db...`: bring lab machines' answers into this database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli.common import db_option, open_db


@click.command("merge")
@click.argument(
    "others", nargs=-1, required=True, metavar="OTHER.db...", type=click.Path(path_type=Path)
)
@db_option
def command(others: tuple[Path, ...], db: Path | None):
    """Merge the learners, drills and answers of OTHER quiz databases into this one.

    Learners match by name, drills and answers by their ids: nothing is duplicated, and
    merging the same file again adds nothing. Cards and decks the answers refer to are
    copied when missing here. The other files are opened read-only and never changed; each
    is merged in one transaction (all of it or nothing). Exit status 1 if a file could not
    be merged."""
    from quiz.classroom.merge import MergeError, merge_file
    from quiz.store.errors import StoreError
    from quiz.text import printable

    store = open_db(db)
    failed = 0
    try:
        for path in others:
            name = printable(str(path), 300)
            click.echo(f"merging {name} ...", err=True)
            progress = _Progress(name)
            try:
                result = merge_file(store, path, progress=progress)
            except (MergeError, StoreError) as e:
                click.echo(f"quiz: {printable(str(e), 500)}", err=True)
                failed += 1
                continue
            finally:
                progress.end()
            click.echo(f"{name}: {result.summary()}")
    finally:
        store.close()
    if failed:
        click.echo(f"{failed} of {len(others)} files could not be merged", err=True)
        sys.exit(1)


class _Progress:
    """A line on stderr rewritten as answers are copied, for files big enough to wait for."""

    def __init__(self, name: str):
        self.name = name
        self.shown = False
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if total >= 10_000 and self.tty:
            click.echo(f"\r  {done}/{total} answers", err=True, nl=False)
            self.shown = True

    def end(self) -> None:
        if self.shown:
            click.echo("", err=True)
