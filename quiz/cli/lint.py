"""`quiz lint`: deck files checked like a compiler checks code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quiz.cli.common import fail, library_option
from quiz.content.articles import ArticlesError
from quiz.content.catalog import load_catalog
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
    catalog = load_catalog([t for t in targets if t.exists()] if targets else None, library)
    for line in catalog.unreadable:
        click.echo(printable(line, 500), err=True)
    warnings = [w for deck in catalog.decks for w in check_deck(deck, library)]
    problems = sorted(catalog.problems + warnings, key=lambda p: (p.path, p.line))
    for p in problems:
        click.echo(("note: " if p.note and not p.rule else "") + str(p))
    errors = [p for p in problems if not p.note or (strict and p.rule)]
    cards = sum(len(d.cards) for d in catalog.decks)
    summary = f"{len(catalog.decks)} decks, {cards} cards"
    if missing or catalog.unreadable:
        click.echo(
            f"{summary}; {len(missing) + len(catalog.unreadable)} files could not be read", err=True
        )
        sys.exit(2)
    if errors:
        click.echo(f"{summary}; {len(errors)} problems", err=True)
        sys.exit(1)
    click.echo(f"{summary}: no problems", err=True)
