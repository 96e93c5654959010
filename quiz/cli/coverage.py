"""`quiz coverage`: which paragraphs of each article the decks teach, and by which cards."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quiz.cli.common import fail, library_option
from quiz.text import printable


@click.command("coverage")
@click.argument("targets", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--article", "article_ids", multiple=True, metavar="ID", help="Only this article.")
@click.option("--deck", "deck_ids", multiple=True, metavar="ID", help="Only this deck's cards.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@library_option
def command(targets, article_ids, deck_ids, fmt):
    """For each article: its substantive paragraphs, how many are taught (cited by at least
    one card's quote), the cards citing each, and the paragraphs cited by two or more decks.

    TARGETS are deck files or folders (default: the bundled decks and your library's)."""
    from quiz.content.articles import ArticlesError
    from quiz.content.catalog import load_catalog, select
    from quiz.content.coverage import coverage, to_json
    from quiz.content.library import current_library

    try:
        library = current_library()
        catalog = load_catalog(list(targets) or None, library)
    except ArticlesError as e:
        fail(str(e), 2)
    try:
        decks = select(catalog, list(deck_ids))
    except KeyError as e:
        known = ", ".join(sorted(d.id for d in catalog.decks))
        fail(f"unknown deck '{printable(e.args[0], 80)}'; known decks: {known}", 2)
    for a in article_ids:
        if library.get(a) is None:
            fail(f"unknown article '{printable(a, 80)}' (see 'quiz articles list')", 2)
    articles = list(article_ids) or None
    if articles is None and deck_ids:
        articles = list(dict.fromkeys(a for d in decks for a in d.articles))
    report = coverage(library, decks, articles)
    if fmt == "json":
        click.echo(json.dumps(to_json(report), ensure_ascii=False, indent=2))
        return
    for a in report:
        click.echo(
            f"{a.article.id}: {printable(a.article.title, 80)}: "
            f"{a.covered}/{len(a.substantive)} paragraphs taught"
        )
        for item in a.shown():
            p = item.paragraph
            count = f"{len(item.cards)} card{'s' if len(item.cards) != 1 else ''}"
            mark = count if item.cards else "untaught"
            note = "" if p.substantive else "  (not body text)"
            click.echo(f"  ¶{p.index:<3} {mark:<9} {printable(' '.join(p.text.split()), 64)}{note}")
        for shared in a.shared:
            passage = " ".join(a.article.text[shared.start : shared.end].split())
            where = ", ".join(f"¶{i}" for i in shared.paragraphs)
            click.echo(f"  in {len(shared.decks)} decks ({where}): {printable(passage, 60)}")
            click.echo(f"      {', '.join(shared.cards)}")
        for key in a.unlocated:
            click.echo(f"  {key}: quote not found in the text")
