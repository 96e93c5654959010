"""`quiz lint`: deck files checked like a compiler checks code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli.common import fail
from quiz.content.articles import ArticlesError, bundled_library
from quiz.content.catalog import each_deck_file
from quiz.content.deck import DeckFileError
from quiz.text import printable


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
def command(targets: tuple[Path, ...]):
    """Check deck files (default: the bundled decks) like a compiler would.

    Prints one line per problem, `file:line: card 'id': message`. Exit status: 0 clean,
    1 problems found, 2 a file could not be read."""
    try:
        library = bundled_library()
    except ArticlesError as e:
        fail(str(e), 2)
    missing = [t for t in targets if not t.exists()]
    for t in missing:
        click.echo(f"{printable(str(t))}: no such file or folder", err=True)
    # File by file: a deck's cards are checked and dropped before the next file is read, so
    # lint of a million cards needs the memory of its biggest file. Only the problems (what is
    # printed) are kept, to print them in order after the files that could not be read.
    unreadable: list[str] = []
    problems: list[tuple[str, int, int, str]] = []
    errors = decks = cards = 0
    for result in each_deck_file([t for t in targets if t.exists()] if targets else None, library):
        if isinstance(result, DeckFileError):
            unreadable.append(str(result))
            continue
        for p in result.problems:
            problems.append((p.path, p.line, len(problems), ("note: " if p.note else "") + str(p)))
            errors += not p.note
        if result.deck is not None:
            decks += 1
            cards += len(result.deck.cards)
    for line in unreadable:
        click.echo(printable(line, 500), err=True)
    problems.sort()
    for *_where, text in problems:
        click.echo(text)
    summary = f"{decks} decks, {cards} cards"
    if missing or unreadable:
        click.echo(f"{summary}; {len(missing) + len(unreadable)} files could not be read", err=True)
        sys.exit(2)
    if errors:
        click.echo(f"{summary}; {errors} problems", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)
