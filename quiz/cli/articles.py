"""`quiz articles`: the user's own articles (add, list, show, remove) beside the bundled ones."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quiz.cli.common import fail, library_option
from quiz.text import printable


def _date(ctx, param, value):
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


@click.group("articles")
@library_option
def command():
    """Your own articles: add a text, Markdown or HTML file; list, show and remove them.

    Added articles live in the library folder (--library, QUIZ_LIBRARY, default
    <user data dir>/library) as plain text, one paragraph per block, and decks in its decks/
    folder cite them exactly as bundled decks cite the bundled articles."""


@command.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--id", "article_id", help="Article id (default: a slug of the title).")
@click.option("--title", help="Title (default: from the page or the first line).")
@click.option("--author", help="Author (default: from the page).")
@click.option("--publication", help="Publication (default: the page's site name).")
@click.option("--date", callback=_date, metavar="YYYY-MM-DD", help="Date (default: from the page).")
@library_option
def add(path: Path, article_id, title, author, publication, date):
    """Add PATH (.txt, .md, .html/.htm) to your library."""
    from quiz.content.article_import import ImportRefused
    from quiz.content.articles import ArticlesError
    from quiz.content.library import add_article, user_library
    from quiz.content.paragraphs import paragraphs

    lib = user_library()
    try:
        added = add_article(
            lib,
            path,
            article_id=article_id,
            title=title,
            author=author,
            publication=publication,
            date=date,
        )
    except (ImportRefused, ArticlesError) as e:
        fail(str(e), 2)
    except OSError as e:
        fail(f"cannot write to the library {lib.root} ({e.strerror or e})", 2)
    a = added.article
    if not added.new:
        click.echo(f"already in the library as '{a.id}' (nothing changed)", err=True)
        return
    count = len(paragraphs(a.text))
    click.echo(f"added '{a.id}': {printable(a.title, 120)} ({count} paragraphs)")
    for label, value in (("author", a.author), ("publication", a.publication), ("date", a.date)):
        click.echo(f"  {label}: {printable(value, 200) if value else '(not found)'}")
    click.echo(f"  stored in {lib.article_path(a)}; cite it as  source: {{article: {a.id}}}")


def _rows() -> list[dict]:
    from quiz.content.articles import ArticlesError
    from quiz.content.library import current_library, origin
    from quiz.content.paragraphs import paragraphs

    try:
        library = current_library()
    except ArticlesError as e:
        fail(str(e), 2)
    return [
        {
            "id": a.id,
            "title": a.title,
            "author": a.author,
            "publication": a.publication,
            "date": a.date,
            "source": origin(a.id),
            "paragraphs": len(paragraphs(a.text)),
        }
        for a in library.articles.values()
    ]


@command.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@library_option
def list_(fmt: str):
    """Every article, bundled and yours."""
    rows = _rows()
    if fmt == "json":
        click.echo(json.dumps({"articles": rows}, ensure_ascii=False, indent=2))
        return
    head = ("id", "title", "author", "publication", "date", "source", "paras")
    table = [
        (
            printable(r["id"], 40),
            printable(r["title"], 48),
            printable(r["author"] or "-", 24),
            printable(r["publication"] or "-", 24),
            printable(r["date"] or "-", 10),
            r["source"],
            str(r["paragraphs"]),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
    for line in [head, *table]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())


@command.command("show")
@click.argument("article_id")
@library_option
def show(article_id: str):
    """The stored text of an article."""
    from quiz.content.articles import ArticlesError
    from quiz.content.library import current_library

    try:
        article = current_library().get(article_id)
    except ArticlesError as e:
        fail(str(e), 2)
    if article is None:
        fail(f"no article '{printable(article_id, 80)}' (see 'quiz articles list')", 1)
    click.echo(printable_text(article.text), nl=False)


def printable_text(text: str) -> str:
    """Text for the terminal with its newlines kept and escape sequences made visible."""
    return "\n".join(printable(line, 100_000) for line in text.split("\n"))


@command.command("remove")
@click.argument("article_id")
@library_option
def remove(article_id: str):
    """Remove one of your articles (refused while a deck cites it)."""
    from quiz.content.articles import ArticlesError
    from quiz.content.catalog import load_catalog
    from quiz.content.library import origin, remove_article, user_library

    shown = printable(article_id, 80)
    if origin(article_id) == "bundled":
        fail(f"'{shown}' is a bundled article and cannot be removed", 1)
    lib = user_library()
    try:
        catalog = load_catalog()
    except ArticlesError as e:
        fail(str(e), 2)
    citing = sorted(
        f"{d.id} ({d.path})"
        for d in catalog.decks
        if article_id in d.articles
        or any(c.source is not None and c.source.article == article_id for c in d.cards)
    )
    if citing:
        fail(f"article '{shown}' is cited by {len(citing)} deck(s): {', '.join(citing)}", 1)
    try:
        remove_article(lib, article_id)
    except ArticlesError as e:
        fail(str(e), 1)
    except OSError as e:
        fail(f"cannot write to the library {lib.root} ({e.strerror or e})", 2)
    click.echo(f"removed '{shown}'")
