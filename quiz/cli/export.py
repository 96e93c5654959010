"""`quiz export`: decks to Anki (.apkg), CSV, Moodle XML, GIFT, QTI 2.1 or Canvas QTI, or a
learner's review log to CSV."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option, open_db
from quiz.text import printable

FORMATS = {".apkg": "apkg", ".csv": "csv", ".xml": "moodle", ".gift": "gift"}
LMS_FORMATS = ("moodle", "gift", "qti", "canvas")


@click.command()
@click.argument("decks", nargs=-1)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    help="File to write (.apkg, .csv, .xml, .gift, .zip); '-' writes CSV, Moodle XML or GIFT "
    "to standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["apkg", "csv", *LMS_FORMATS]),
    help="Output format (default: from the output file's extension).",
)
@click.option(
    "--reviews",
    is_flag=True,
    help="Export a learner's review log (CSV, one row per review) instead of decks.",
)
@click.option("--learner", help="With --reviews: whose log (default: the learner last used).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@library_option
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

    --format moodle (.xml) writes Moodle XML, gift (.gift) GIFT, qti (.zip) an IMS QTI 2.1
    package (gradable cards only), canvas (.zip) the QTI 1.2 package Canvas imports: one
    question per card, one category per deck, the explanation and the cited passage as the
    general feedback (see the README for which LMS takes which).

    --reviews writes the review log of one learner (with DECKS: only those decks)."""
    fmt = fmt or FORMATS.get(Path(out).suffix.lower()) or ("csv" if out == "-" else None)
    if fmt is None and Path(out).suffix.lower() == ".zip":
        fail("a .zip can be QTI 2.1 or Canvas's QTI 1.2: pass --format qti or --format canvas", 2)
    if fmt is None:
        fail(
            "cannot tell the format from the file name: pass --format (apkg, csv, moodle, gift, "
            "qti, canvas)",
            2,
        )
    if reviews and fmt != "csv":
        fail("--reviews exports CSV only", 2)
    if learner and not reviews:
        fail("--learner goes with --reviews", 2)
    if out == "-" and fmt in ("apkg", "qti", "canvas"):
        fail(f"a {fmt} package cannot go to standard output: pass -o FILE", 2)
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
    from quiz.content.library import current_library as bundled_library

    library = bundled_library()
    total = sum(len(d.cards) for d in chosen)
    if fmt in LMS_FORMATS:
        with Progress(total, "Exporting") as progress:
            data, written, note = _lms_export(fmt, chosen, library, progress)
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_atomic(target, data)
        where = "standard output" if target is None else printable(out, 300)
        decks = _decks_text(len(chosen))
        click.echo(f"exported {decks}, {written} questions to {where}{note}", err=True)
        return
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
    click.echo(f"exported {_decks_text(len(chosen))}, {written} cards to {where}", err=True)


def _lms_export(fmt: str, decks, library, progress) -> tuple[bytes, int, str]:
    """The file's bytes, how many questions it holds, and a note for the summary line."""
    cards = sum(len(d.cards) for d in decks)
    if fmt == "moodle":
        from quiz.interop.moodle_xml import write_moodle

        return write_moodle(decks, library, progress), cards, " (Moodle XML)"
    if fmt == "gift":
        from quiz.interop.gift import question_count, write_gift

        text = write_gift(decks, library, progress)
        n = question_count(decks)
        note = (
            f" (GIFT; {n - cards} more for cloze cards' extra blanks)" if n > cards else " (GIFT)"
        )
        return text.encode("utf-8"), n, note
    if fmt == "qti":
        from quiz.interop.qti import write_qti

        package = write_qti(decks, library, progress)
        if not package.items:
            fail("no gradable cards to export (QTI leaves out basic recall cards)", 1)
        note = (
            f" (QTI 2.1; left out {package.skipped} basic recall cards)"
            if package.skipped
            else " (QTI 2.1)"
        )
        return package.data, package.items, note
    from quiz.interop.canvas_qti import write_canvas

    return write_canvas(decks, library, progress), cards, " (Canvas QTI 1.2)"


def write_atomic(target: Path, data: bytes) -> None:
    """Through a temporary file in the same folder: the file appears whole or not at all."""
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
        )
    except OSError as e:
        fail(f"cannot write {printable(str(target), 300)} ({e.strerror or e})", 2)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an export is a normal file
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        fail(f"cannot write {printable(str(target), 300)} ({e.strerror or e})", 2)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _decks_text(n: int) -> str:
    return "1 deck" if n == 1 else f"{n} decks"
