"""`quiz export`: decks to Anki (.apkg) or CSV, or a learner's review log to CSV."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, open_db
from quiz.text import printable

FORMATS = {".apkg": "apkg", ".csv": "csv"}


@click.command()
@click.argument("decks", nargs=-1)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    help="File to write (.apkg or .csv); '-' writes CSV to standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["apkg", "csv"]),
    help="Output format (default: from the output file's extension).",
)
@click.option(
    "--reviews",
    is_flag=True,
    help="Export a learner's review log (CSV, one row per review) instead of decks.",
)
@click.option("--learner", help="With --reviews: whose log (default: the learner last used).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@db_option
def command(
    decks: tuple[str, ...],
    out: str,
    fmt: str | None,
    reviews: bool,
    learner: str | None,
    force: bool,
    db: Path | None,
):
    """Export DECKS (ids of bundled decks, deck files or folders; default: all bundled decks).

    --format apkg writes an Anki package: basic, cloze and typed cards become Anki's Basic,
    Cloze and type-in-the-answer notes, mcq and truefalse become Basic notes with the choices on
    the front; the back has the explanation and the cited passage. Note ids are stable, so
    importing a re-export into Anki updates the notes instead of duplicating them.

    --format csv writes one row per card: deck, id, type, prompt, answer, choices,
    explanation, article, quote, tags (choices and tags separated by " | ").

    --reviews writes the review log of one learner (with DECKS: only those decks)."""
    fmt = fmt or FORMATS.get(Path(out).suffix.lower()) or ("csv" if out == "-" else None)
    if fmt is None:
        fail("cannot tell the format from the file name: pass --format apkg or --format csv", 2)
    if reviews and fmt != "csv":
        fail("--reviews exports CSV only", 2)
    if learner and not reviews:
        fail("--learner goes with --reviews", 2)
    if out == "-" and fmt == "apkg":
        fail("an Anki package cannot go to standard output: pass -o FILE.apkg", 2)
    target = None if out == "-" else Path(out)
    if target is not None:
        if target.is_dir():
            fail(f"{printable(out, 300)} is a folder; give a file name", 2)
        if target.exists() and not force:
            fail(f"{printable(out, 300)} already exists; pass --force to replace it", 1)
    if reviews:
        _export_reviews(decks, target, learner, db)
        return
    chosen = _load_decks(decks)
    from quiz.cli.progress_bar import Progress
    from quiz.content.articles import bundled_library

    library = bundled_library()
    total = sum(len(d.cards) for d in chosen)
    with Progress(total, "Exporting") as progress:
        if fmt == "apkg":
            from quiz.interop.anki_export import write_apkg

            try:
                summary = write_apkg(chosen, target, library, progress)
            except OSError as e:
                fail(f"cannot write {printable(out, 300)} ({e.strerror or e})", 2)
            written = summary.notes
        else:
            from quiz.interop.csv_export import write_deck_csv

            written = _write_csv(target, lambda f: write_deck_csv(chosen, f, library, progress))
    where = "standard output" if target is None else printable(out, 300)
    click.echo(f"exported {len(chosen)} decks, {written} cards to {where}", err=True)


def _load_decks(wanted: tuple[str, ...]):
    """Decks by bundled id, or from deck files/folders; refuses decks that fail lint, since
    a card with an error would silently be left out."""
    from quiz.content.catalog import load_catalog, select

    paths = [Path(w) for w in wanted if Path(w).exists()]
    ids = [w for w in wanted if not Path(w).exists()]
    catalog = load_catalog(paths) if paths else None
    decks = list(catalog.decks) if catalog else []
    problems = list(catalog.problems) if catalog else []
    unreadable = list(catalog.unreadable) if catalog else []
    if ids or not wanted:
        bundled = load_catalog()
        try:
            picked = select(bundled, ids)
        except KeyError as e:
            known = ", ".join(sorted(d.id for d in bundled.decks))
            fail(
                f"unknown deck '{printable(e.args[0], 100)}' (no such file either); "
                f"known decks: {known}",
                2,
            )
        decks += picked
        picked_paths = {d.path for d in picked}
        problems += [p for p in bundled.problems if p.path in picked_paths]
    for line in unreadable:
        click.echo(printable(line, 500), err=True)
    errors = [p for p in problems if not p.note]
    for p in errors[:20]:
        click.echo(str(p), err=True)
    if unreadable or errors:
        fail("fix the deck problems above first (see 'quiz lint'); nothing was exported", 1)
    seen: dict[str, Path] = {}
    for d in decks:
        where = Path(d.path).resolve()
        if d.id in seen and seen[d.id] != where:
            fail(
                f"two decks share the id '{printable(d.id, 100)}' ({printable(str(seen[d.id]))} "
                f"and {printable(str(where))})",
                2,
            )
        seen[d.id] = where
    unique = list({d.id: d for d in decks}.values())
    if not unique:
        fail("no decks to export", 2)
    return unique


def _write_csv(target: Path | None, write) -> int:
    if target is None:
        # csv writes \r\n itself: a text layer that translates nothing, over the raw bytes.
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            return write(stream)
        finally:
            stream.flush()
            stream.detach()
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
        )
    except OSError as e:
        fail(f"cannot write {printable(str(target), 300)} ({e.strerror or e})", 2)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = write(f)
        os.replace(tmp, target)
        return n
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        fail(f"cannot write {printable(str(target), 300)} ({e.strerror or e})", 2)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _export_reviews(
    decks: tuple[str, ...], target: Path | None, learner: str | None, db: Path | None
) -> None:
    from quiz.cli.progress_bar import Progress
    from quiz.cli.stats import existing_learner
    from quiz.interop.csv_export import count_reviews, write_reviews_csv

    store = open_db(db)
    try:
        person = existing_learner(store, learner)
        with Progress(
            count_reviews(store, person, list(decks) or None), "Exporting reviews"
        ) as progress:
            n = _write_csv(
                target, lambda f: write_reviews_csv(store, person, f, list(decks) or None, progress)
            )
    finally:
        store.close()
    where = "standard output" if target is None else printable(str(target), 300)
    click.echo(f"exported {n} reviews of {printable(person.name, 60)} to {where}", err=True)
