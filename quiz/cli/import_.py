"""`quiz import`: a two-column CSV/TSV (Quizlet, Anki text export, a spreadsheet), a GIFT, Moodle
XML or Aiken file, as a YAML deck."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import click

from quiz.cli.common import fail
from quiz.text import printable


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="The deck file to write, e.g. decks/french-verbs.yaml.",
)
@click.option("--deck-id", help="Deck id (kebab-case; default: from the output file name).")
@click.option("--title", help="Deck title (default: from the output file name).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "gift", "moodle", "aiken"]),
    help="Input format (default: .gift is GIFT, .xml Moodle XML, a .txt with 'ANSWER: X' lines "
    "Aiken, anything else CSV/TSV).",
)
def command(
    source: Path, out: Path, deck_id: str | None, title: str | None, force: bool, fmt: str | None
):
    """Import a "term, definition" file as a deck of basic cards, or an LMS question file.

    CSV/TSV: tab-, comma- or semicolon-separated text (sniffed; Anki's "#separator:" header is
    honoured), with or without a header row, quoted fields, a BOM and CRLF line ends. Card ids
    come from the terms.

    GIFT (.gift), Moodle XML (.xml) and Aiken (.txt): multiple choice, true/false, short answer,
    cloze (Moodle) or missing-word (GIFT) and essay questions become mcq, truefalse, typed,
    cloze and basic cards; other question types are skipped with a note. Card ids come from the
    question names; a "Source: <title>: “quote”" line in the feedback (as quiz exports write it)
    that cites a bundled article gives the card that source back.

    Every other card cites the file as its source (`source: {imported: FILE}`). Nothing is
    written unless the whole file imports cleanly."""
    from quiz.cli.progress_bar import Progress
    from quiz.content.articles import ArticlesError
    from quiz.content.library import current_library as bundled_library
    from quiz.interop import csv_import as ci

    name = source.name
    shown = printable(str(source), 300)
    data = _read(source, shown)
    fmt = fmt or _sniff_format(source, data)
    if fmt != "csv":
        _import_lms(fmt, data, name, shown, out, deck_id, title, force)
        return
    if deck_id is not None and (problem := ci.check_deck_id(deck_id)):
        fail(printable(problem, 300), 2)
    deck_id = deck_id or ci.default_deck_id(out)
    title = (title if title is not None else ci.default_title(out)).strip()
    if not title or len(title) > 200:
        fail("--title must be 1 to 200 characters", 2)
    if out.is_dir():
        fail(f"{printable(str(out), 300)} is a folder; give a file name such as {deck_id}.yaml", 2)
    if out.exists() and not force:
        fail(f"{printable(str(out), 300)} already exists; pass --force to replace it", 1)
    try:
        parsed = ci.parse(data, shown)
    except ci.ImportProblems as e:
        _report(e.lines)
    doc = ci.deck_document(parsed, deck_id, title, name)
    try:
        library = bundled_library()
    except ArticlesError as e:
        fail(str(e), 2)
    # Check the result as `quiz lint` will; map any problem back to the input line.
    with Progress(2 * len(parsed.rows), "Importing") as progress:
        head, chunks = ci.dump_yaml(doc, progress)
        errors = ci.check_yaml(head, chunks, str(out), library, progress, total=len(parsed.rows))
    if errors:
        lines_by_id = {c["id"]: r.line for c, r in zip(doc["cards"], parsed.rows)}
        _report([f"{shown}:{lines_by_id.get(p.card_id, 1)}: {p.message}" for p in errors])
    text = head + "".join(chunks)
    _write(out, text)
    extras = f"; ignored {parsed.extra_columns} extra column(s)" if parsed.extra_columns else ""
    header = "; skipped the header row" if parsed.header else ""
    sep = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(
        parsed.separator, repr(parsed.separator)
    )
    click.echo(
        f"wrote {printable(str(out), 300)}: deck '{deck_id}', {len(parsed.rows)} cards "
        f"({sep}-separated{header}{extras})",
        err=True,
    )
    click.echo(f"check it with: quiz lint {printable(str(out), 300)}", err=True)


def _sniff_format(source: Path, data: bytes) -> str:
    from quiz.interop.aiken import looks_like_aiken

    suffix = source.suffix.lower()
    if suffix == ".gift":
        return "gift"
    if suffix == ".xml":
        return "moodle"
    if suffix == ".txt" and looks_like_aiken(data):
        return "aiken"
    return "csv"


def _import_lms(
    fmt: str,
    data: bytes,
    name: str,
    shown: str,
    out: Path,
    deck_id: str | None,
    title: str | None,
    force: bool,
) -> None:
    from quiz.cli.progress_bar import Progress
    from quiz.content.articles import ArticlesError, bundled_library
    from quiz.interop import csv_import as ci
    from quiz.interop import lms_common

    if deck_id is not None and (problem := ci.check_deck_id(deck_id)):
        fail(printable(problem, 300), 2)
    deck_id = deck_id or ci.default_deck_id(out)
    if out.is_dir():
        fail(f"{printable(str(out), 300)} is a folder; give a file name such as {deck_id}.yaml", 2)
    if out.exists() and not force:
        fail(f"{printable(str(out), 300)} already exists; pass --force to replace it", 1)
    reader = _reader(fmt)
    try:
        imported = reader(data, shown)
    except ci.ImportProblems as e:
        _report(e.lines)
    title = (title if title is not None else imported.title or ci.default_title(out)).strip()
    if not title or len(title) > 200:
        fail("--title must be 1 to 200 characters", 2)
    try:
        library = bundled_library()
    except ArticlesError as e:
        fail(str(e), 2)
    doc = lms_common.deck_document(imported, deck_id, title, name, library)
    count = len(doc["cards"])
    with Progress(2 * count, "Importing") as progress:
        head, chunks = ci.dump_yaml(doc, progress)
        errors = ci.check_yaml(head, chunks, str(out), library, progress, total=count)
    if errors:
        lines_by_id = {c["id"]: q.line for c, q in zip(doc["cards"], imported.questions)}
        _report([f"{shown}:{lines_by_id.get(p.card_id, 1)}: {p.message}" for p in errors])
    for line in imported.skipped[: ci.MAX_SHOWN]:
        click.echo(printable(line, 500), err=True)
    if len(imported.skipped) > ci.MAX_SHOWN:
        click.echo(f"... and {len(imported.skipped) - ci.MAX_SHOWN} more skipped", err=True)
    _write(out, head + "".join(chunks))
    cited = sum(1 for c in doc["cards"] if "article" in c["source"])
    skipped = f", skipped {len(imported.skipped)}" if imported.skipped else ""
    sources = f"; {cited} kept their cited source" if cited else ""
    click.echo(
        f"wrote {printable(str(out), 300)}: deck '{deck_id}', {count} cards "
        f"({fmt}{skipped}{sources})",
        err=True,
    )
    click.echo(f"check it with: quiz lint {printable(str(out), 300)}", err=True)


def _reader(fmt: str):
    if fmt == "gift":
        from quiz.interop.gift import read_gift

        return read_gift
    if fmt == "moodle":
        from quiz.interop.moodle_xml import read_moodle

        return read_moodle
    from quiz.interop.aiken import read_aiken

    return read_aiken


def _read(source: Path, shown: str) -> bytes:
    from quiz.interop.csv_import import MAX_BYTES

    try:
        mode = os.stat(source).st_mode
        if stat.S_ISDIR(mode):
            fail(f"{shown}: is a folder, not a file", 2)
        if not stat.S_ISREG(mode):
            fail(f"{shown}: not a regular file", 2)
        with open(source, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        fail(f"{shown}: no such file", 2)
    except OSError as e:
        fail(f"{shown}: cannot read ({e.strerror or e})", 2)
    if len(data) > MAX_BYTES:
        fail(f"{shown}: too large to import (over {MAX_BYTES // (1024 * 1024)} MB)", 1)
    return data


def _report(lines: list[str]) -> None:
    from quiz.interop.csv_import import MAX_SHOWN

    for line in lines[:MAX_SHOWN]:
        click.echo(printable(line, 500), err=True)
    if len(lines) > MAX_SHOWN:
        click.echo(f"... and {len(lines) - MAX_SHOWN} more problems", err=True)
    click.echo("nothing was written", err=True)
    sys.exit(1)


def _write(out: Path, text: str) -> None:
    """Through a temporary file in the same folder: the deck appears whole or not at all."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        fail(f"cannot write {printable(str(out), 300)} ({e.strerror or e})", 2)
