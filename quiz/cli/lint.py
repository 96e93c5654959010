"""`quiz lint`: deck files checked like a compiler checks code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli.common import fail, library_option
from quiz.content.articles import ArticlesError
from quiz.content.catalog import clash_problem, each_deck_file
from quiz.content.deck import DeckFileError, Problem
from quiz.content.item_rules import check_deck
from quiz.content.library import current_library
from quiz.text import printable


@click.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on item-writing warnings too.")
@library_option
def command(targets: tuple[Path, ...], strict: bool):
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
    # File by file: a deck's cards are checked and dropped before the next file is read, so
    # lint of a million cards needs the memory of its biggest file. Only the problems (what is
    # printed) are kept, to print them in order after the files that could not be read.
    unreadable: list[str] = []
    problems: list[Problem] = []
    first: dict[str, Path] = {}  # the default set refuses a deck id used by two files
    decks = cards = 0
    for result in each_deck_file([t for t in targets if t.exists()] if targets else None, library):
        if isinstance(result, DeckFileError):
            unreadable.append(str(result))
            continue
        problems.extend(result.problems)
        deck = result.deck
        if deck is None:
            continue
        if not targets:
            if deck.id in first:
                problems.append(clash_problem(deck, first[deck.id]))
                continue
            first[deck.id] = deck.path
        problems.extend(check_deck(deck, library))
        decks += 1
        cards += len(deck.cards)
    for line in unreadable:
        click.echo(printable(line, 500), err=True)
    problems.sort(key=lambda p: (p.path, p.line))
    for p in problems:
        click.echo(("note: " if p.note and not p.rule else "") + str(p))
    errors = [p for p in problems if not p.note or (strict and p.rule)]
    summary = f"{decks} decks, {cards} cards"
    if missing or unreadable:
        click.echo(f"{summary}; {len(missing) + len(unreadable)} files could not be read", err=True)
        sys.exit(2)
    if errors:
        click.echo(f"{summary}; {len(errors)} problems", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)
