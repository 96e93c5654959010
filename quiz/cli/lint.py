"""`quiz lint`: deck files checked like a compiler checks code."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import click

from quiz.cli.common import fail, library_option
from quiz.content.articles import ArticlesError
from quiz.content.catalog import clash_problem
from quiz.content.deck import deck_files
from quiz.content.library import current_library, deck_dirs
from quiz.content.lint_files import FileLint, default_workers, lint_files
from quiz.text import printable


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on item-writing warnings too.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 32),
    default=None,
    help="Lint this many files at once, each in its own process (default: one per core, at "
    "most one per file, when the files are large enough to pay for it; 1: in this process).",
)
@library_option
def command(targets: tuple[Path, ...], strict: bool, jobs: int | None):
    """Check deck files (default: the bundled decks and your library's) like a compiler would.

    Prints one line per problem, `file:line: card 'id': message`, and item-writing warnings
    (cues, duplicates, give-aways; README "Item-writing checks") in the same form. Exit status:
    0 clean or only warnings, 1 problems found (or warnings, with --strict), 2 a file could not
    be read."""
    try:
        library = current_library()
    except ArticlesError as e:
        fail(str(e), 2)
    missing = [t for t in targets if not t.exists()]
    for t in missing:
        click.echo(f"{printable(str(t))}: no such file or folder", err=True)
    # (As before: when every named target is missing, the default set is checked.)
    paths = deck_files([t for t in targets if t.exists()] or deck_dirs())
    # File by file (quiz.content.lint_files): a deck's cards are checked and dropped before
    # the next file is read, so lint of a million cards needs the memory of the few files in
    # flight, and each file's lines are printed as soon as every file before it in print order
    # (by path) is done.
    printer = _InPathOrder(paths)
    if jobs is None:
        jobs = default_workers(paths)
    first: dict[str, str] = {}  # the default set refuses a deck id used by two files
    unreadable = decks = cards = errors = 0
    for i, result in enumerate(lint_files(paths, library, jobs)):
        if result.unreadable is not None:
            click.echo(printable(result.unreadable, 500), err=True)
            unreadable += 1
        elif result.deck_id is not None:
            if not targets and result.deck_id in first:
                # Its own problems and the clash; the item-writing rules are not its concern.
                named = SimpleNamespace(id=result.deck_id, path=result.deck_path)
                clash = clash_problem(named, Path(first[result.deck_id]))
                result.without_warnings([clash])
                errors += 1
            else:
                if not targets:
                    first[result.deck_id] = result.deck_path
                decks += 1
                cards += result.cards
                errors += result.warnings if strict else 0
        errors += sum(not p.note for p in result.problems)
        printer.done(i, result)
        del result  # not held while the next file is read
    summary = f"{decks} decks, {cards} cards"
    if missing or unreadable:
        click.echo(f"{summary}; {len(missing) + unreadable} files could not be read", err=True)
        sys.exit(2)
    if errors:
        click.echo(f"{summary}; {errors} problems", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)


class _InPathOrder:
    """Prints files' lines sorted by path, as one sort of every problem by (path, line) would
    (a file named twice has its lines merged by line), holding only files that wait for an
    earlier one in that order."""

    def __init__(self, paths: list[Path]):
        names = [str(p) for p in paths]
        self.order = sorted(range(len(names)), key=lambda i: names[i])  # stable: ties in turn
        self.names = names
        self.at = 0
        self.waiting: dict[int, FileLint] = {}

    def done(self, i: int, result: FileLint) -> None:
        self.waiting[i] = result
        order, names = self.order, self.names
        while self.at < len(order):
            group = [order[self.at]]
            while self.at + len(group) < len(order) and (
                names[order[self.at + len(group)]] == names[group[0]]
            ):
                group.append(order[self.at + len(group)])
            if any(j not in self.waiting for j in group):
                return
            results = [self.waiting.pop(j) for j in group]
            self.at += len(group)
            if len(results) == 1:
                # A piece at a time: a worker's file comes packed (FileLint.pack).
                for piece in results[0].pieces():
                    click.echo(piece, nl=False)
                continue
            merged = sorted(
                (line, k, n, text)
                for k, r in enumerate(r.unpack() for r in results)
                for n, (line, text) in enumerate(zip(r.lines, r.text.splitlines(True)))
            )
            text = "".join(t for *_key, t in merged)
            if text:
                click.echo(text, nl=False)
