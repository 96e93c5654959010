"""`quiz author ARTICLE [--deck FILE]`: the authoring screen on one article."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option
from quiz.text import printable


@click.command("author")
@click.argument("article_id", metavar="ARTICLE")
@click.option(
    "--deck",
    "deck_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Deck file to add cards to (default: <library>/decks/ARTICLE.yaml; created if new).",
)
@library_option
@db_option
@click.pass_context
def command(ctx: click.Context, article_id: str, deck_path: Path | None, db: Path | None):
    """Write cards from ARTICLE (an id from `quiz articles list`): select a passage, fill the
    form, preview, save. Every saved card passes `quiz lint`; editing a card keeps its id.

    Keys: arrows pick a paragraph, Enter goes into its text (shift+arrows, [ ] by sentence,
    + - by word select the quote), ctrl+s saves, ctrl+n starts a new card, ctrl+e edits a card
    citing the paragraph, Esc leaves."""
    from quiz.content.articles import ArticlesError
    from quiz.content.library import current_library

    try:
        article = current_library().get(article_id)
    except ArticlesError as e:
        fail(str(e), 2)
    if article is None:
        fail(f"no article '{printable(article_id, 80)}' (see 'quiz articles list')", 2)
    if deck_path is not None and deck_path.exists() and not deck_path.is_file():
        fail(f"{printable(str(deck_path), 300)}: not a deck file", 2)

    from quiz.cli.launch import run as run_app
    from quiz.tui.screens.author import AuthorScreen

    obj = ctx.find_root().obj or {}
    run_app(db, obj.get("learner"), start_screen_factory=lambda: AuthorScreen(article, deck_path))
