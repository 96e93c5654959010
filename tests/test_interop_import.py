"""`quiz import`: CSV/TSV exports to lint-clean YAML decks, and clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.deck import read_deck_file
from quiz.interop import csv_import as ci

FIXTURES = Path(__file__).parent / "fixtures" / "interop"

# Tab-separated, with everything that goes wrong in the wild: a BOM, CRLF line ends, a header
# row, quoted fields holding quotes, commas, tabs and line breaks, a blank line, padding,
# a repeated term, accents, markup-looking text and a term that slugs to nothing.
TRICKY_TSV = (
    "\ufeffTerm\tDefinition\r\n"
    "apple\tred fruit, sweet\r\n"
    '"quote ""this"""\t"two\r\nlines, with a comma"\r\n'
    '"tab\tinside"\tstill two columns\r\n'
    "[bold]not markup[/bold]\t[@click=app.quit]no action\r\n"
    "Château d'If\tprison, island\r\n"
    "\r\n"
    "apple\tsecond apple\r\n"
    "  padded  \t  trimmed  \r\n"
    "東京\tTokyo\r\n"
).encode("utf-8")

EXPECTED = [
    ("apple", "apple", "red fruit, sweet"),
    ("quote-this", 'quote "this"', "two\nlines, with a comma"),
    ("tab-inside", "tab\tinside", "still two columns"),
    ("bold-not-markup-bold", "[bold]not markup[/bold]", "[@click=app.quit]no action"),
    ("chateau-d-if", "Château d'If", "prison, island"),
    ("apple-2", "apple", "second apple"),
    ("padded", "padded", "trimmed"),
    ("card", "東京", "Tokyo"),
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def imported(library, path: Path):
    result = read_deck_file(path, library)
    assert not result.errors, [str(p) for p in result.errors]
    return result.deck


def test_tricky_tsv_round_trip_is_lint_clean(tmp_path, library):
    src = tmp_path / "tricky.tsv"
    src.write_bytes(TRICKY_TSV)
    out = tmp_path / "decks" / "tricky-words.yaml"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "8 cards" in result.output and "skipped the header row" in result.output

    lint = run("lint", out)
    assert lint.exit_code == 0, lint.output
    assert "note: " in lint.output and "imported card: no source quote to check" in lint.output

    deck = imported(library, out)
    assert (deck.id, deck.title) == ("tricky-words", "Tricky words")
    assert [(c.id, c.prompt, c.answer) for c in deck.cards] == EXPECTED
    assert {c.type for c in deck.cards} == {"basic"}
    assert all(c.source.imported == "tricky.tsv" and c.explanation == "" for c in deck.cards)


def test_yaml_is_readable(tmp_path):
    src = tmp_path / "t.tsv"
    src.write_bytes(TRICKY_TSV)
    out = tmp_path / "t.yaml"
    assert (
        run("import", src, "-o", out, "--deck-id", "my-words", "--title", "My words").exit_code == 0
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("deck:\n  id: my-words\n  title: My words\n")
    assert "prompt: Château d'If" in text  # unicode kept, not escaped
    assert "answer: |-\n    two\n    lines, with a comma\n" in text  # line breaks as a block
    assert "imported: t.tsv" in text


def test_quizlet_export(tmp_path, library):
    out = tmp_path / "bio.yaml"
    result = run("import", FIXTURES / "quizlet.txt", "-o", out)
    assert result.exit_code == 0, result.output
    deck = imported(library, out)
    assert [(c.id, c.answer) for c in deck.cards][:2] == [
        ("photosynthesis", "how plants turn light, water and CO2 into sugar"),
        ("mitochondria", "the cell's power plant"),
    ]


def test_anki_text_export_with_header_lines(tmp_path, library):
    """#html:true turns the HTML into text; guid, notetype and deck columns are skipped;
    the tags column gives the tags."""
    out = tmp_path / "anki.yaml"
    result = run("import", FIXTURES / "anki-notes.txt", "-o", out)
    assert result.exit_code == 0, result.output
    deck = imported(library, out)
    cards = [(c.prompt, c.answer, c.tags) for c in deck.cards]
    assert cards == [
        (
            "What is ATP?",
            "the cell's energy currency\n(adenosine triphosphate)",
            ("cell", "energy"),
        ),
        ("H2O & CO2", "water & carbon dioxide", ()),
        ("tab\there", "fine", ()),
    ]


def test_semicolons_and_header(tmp_path, library):
    out = tmp_path / "de.yaml"
    result = run("import", FIXTURES / "semicolon.csv", "-o", out)
    assert result.exit_code == 0, result.output
    deck = imported(library, out)
    assert [(c.id, c.answer) for c in deck.cards] == [
        ("der-hund", "the dog"),
        ("die-katze", "the cat, a pet"),
    ]


@pytest.mark.parametrize(
    "text, sep",
    [
        ("a\tb, c\nd\te\nf\tg, h, i\n", "\t"),  # commas inside tab-separated definitions
        ('a,"b\tc"\nd,e\nf,g\n', ","),  # a tab inside a quoted comma-separated field
        ("term,definition\nx,y\n", ","),
    ],
)
def test_sniffing(text, sep):
    assert ci.parse(text.encode(), "f.txt").separator == sep


def test_ids_unique_and_kebab():
    assert ci.unique_ids(["A b", "a-b", "A  B", "", "!!", "card"]) == [
        "a-b",
        "a-b-2",
        "a-b-3",
        "card",
        "card-2",
        "card-3",
    ]
    assert ci.slug("x" * 70 + " tail") == "x" * 60
    assert ci.slug("Ünïcödé — words, 1/2") == "unicode-words-1-2"


# -- errors: one line each, with file and line, and nothing written ---------------------------


def bad(tmp_path, data: bytes, name="in.csv", *extra):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.yaml"
    result = run("import", src, "-o", out, *extra)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()
    return result.output


def test_one_column_row(tmp_path):
    out = bad(tmp_path, b"a,b\nlonely\nc,d\n")
    assert "in.csv:2: expected two columns" in out
    assert "nothing was written" in out


def test_not_utf8(tmp_path):
    out = bad(tmp_path, b"a,b\nc,d\ncaf\xe9,coffee\n")
    assert "in.csv:3: not UTF-8 text (byte 0xe9)" in out


def test_utf16_with_bom_is_read(tmp_path, library):
    src = tmp_path / "excel.txt"
    src.write_bytes("Front\tBack\r\nja\tyes\r\n".encode("utf-16"))
    out = tmp_path / "x.yaml"
    assert run("import", src, "-o", out).exit_code == 0
    assert [(c.prompt, c.answer) for c in imported(library, out).cards] == [("ja", "yes")]


def test_empty_and_too_long(tmp_path):
    out = bad(tmp_path, b"a,b\nc,\n" + b"d," + b"x" * 600 + b"\n")
    assert "in.csv:2: empty definition" in out
    assert "in.csv:3: definition is too long (600 characters; at most 500)" in out


def test_cloze_braces_in_term(tmp_path):
    assert "in.csv:1: '{{' in a term" in bad(tmp_path, b"a {{b}},c\n")


def test_control_characters_are_dropped(tmp_path, library):
    src = tmp_path / "in.csv"
    src.write_bytes(b"a,b\nc\x00\x1b[31m,d\x07\n")
    out = tmp_path / "o.yaml"
    assert run("import", src, "-o", out).exit_code == 0
    assert [(c.prompt, c.answer) for c in imported(library, out).cards] == [
        ("a", "b"),
        ("c[31m", "d"),
    ]


def test_empty_file(tmp_path):
    assert "no rows to import" in bad(tmp_path, b"\n\n")


def test_too_large(tmp_path):
    out = bad(tmp_path, b"a,b\n" * (ci.MAX_BYTES // 4 + 1))
    assert "too large to import" in out


def test_refuses_to_overwrite(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"a,b\n")
    out = tmp_path / "out.yaml"
    out.write_text("precious")
    result = run("import", src, "-o", out)
    assert result.exit_code == 1 and "already exists; pass --force" in result.output
    assert out.read_text() == "precious"
    assert run("import", src, "-o", out, "--force").exit_code == 0
    assert "id: a" in out.read_text()


def test_bad_deck_id_and_missing_file(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"a,b\n")
    result = run("import", src, "-o", tmp_path / "o.yaml", "--deck-id", "Not Kebab")
    assert result.exit_code == 2 and "must be kebab-case" in result.output
    result = run("import", tmp_path / "missing.csv", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2 and "missing.csv: no such file" in result.output
    result = run("import", tmp_path, "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2 and "is a folder" in result.output
