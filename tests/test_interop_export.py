"""`quiz export`: decks to CSV and Anki packages, review logs to CSV."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.interop import anki_export as ax
from quiz.interop.csv_export import DECK_COLUMNS, REVIEW_COLUMNS, safe_cell

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
SAMPLE = FIXTURES / "sample-deck.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# -- decks as CSV -------------------------------------------------------------------------------


def test_deck_csv(tmp_path):
    out = tmp_path / "sample.csv"
    result = run("export", SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert list(rows[0]) == DECK_COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 5 and {r["deck"] for r in rows} == {"interop-sample"}
    basic = by_id["basic-card"]
    assert basic["prompt"].endswith(
        "<b>not bold</b> & [bold]not markup[/bold]"
    )  # CSV is plain text
    assert basic["explanation"] == "Line one.\nLine two with <script>alert(1)</script>."
    assert basic["tags"] == "territory | two words"
    assert basic["article"] == "thorn-in-ties" and basic["quote"].startswith("what the Japanese")
    assert (
        by_id["mcq-card"]["choices"]
        == "Northern Territories | Southern Kurils | Kuril Chain | Sakhalin"
    )
    assert by_id["truefalse-card"]["answer"] == "False"
    assert by_id["cloze-card"]["answer"] == "Northern Territories / Southern Kurils"


def test_csv_to_stdout_and_bundled_ids():
    result = run("export", "thorn-in-ties", "-o", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == DECK_COLUMNS and len(rows) > 10
    assert {r[0] for r in rows[1:]} == {"thorn-in-ties"}


def test_formula_cells_are_defused():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-5") == "-5" and safe_cell("+1.5") == "+1.5"
    assert safe_cell("plain") == "plain" and safe_cell(None) == ""


def test_export_errors(tmp_path):
    result = run("export", "no-such-deck", "-o", tmp_path / "x.csv")
    assert result.exit_code == 2 and "unknown deck 'no-such-deck'" in result.output
    result = run("export", SAMPLE, "-o", tmp_path / "x.txt")
    assert result.exit_code == 2 and "--format" in result.output
    existing = tmp_path / "keep.csv"
    existing.write_text("precious")
    result = run("export", SAMPLE, "-o", existing)
    assert result.exit_code == 1 and "pass --force" in result.output
    assert existing.read_text() == "precious"
    assert run("export", SAMPLE, "-o", existing, "--force").exit_code == 0


def test_deck_with_errors_is_refused(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SAMPLE.read_text().replace("answer: Northern Territories\n", "answer: Nowhere\n")
    )
    result = run("export", broken, "-o", tmp_path / "b.csv")
    assert result.exit_code == 1
    assert "answer not among choices" in result.output and "nothing was exported" in result.output
    assert not (tmp_path / "b.csv").exists()


# -- review log ---------------------------------------------------------------------------------


def test_review_log(store, learner, db_path, tmp_path):
    from test_stats import NOW, add_review

    add_review(store, learner, "thorn-in-ties", "miller-reasons-author", NOW, rating=3, ms=1500)
    add_review(
        store,
        learner,
        "streltsov",
        store.scalar("SELECT card_id FROM cards WHERE deck_id = 'streltsov' LIMIT 1"),
        NOW,
        rating=1,
        ms=2500,
    )
    with store.write() as db:
        db.execute("UPDATE reviews SET given = '=cmd|x', correct = 0 WHERE rating = 1")
    out = tmp_path / "log.csv"
    result = run("export", "--reviews", "--learner", "ann", "--db", db_path, "-o", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert list(rows[0]) == REVIEW_COLUMNS and len(rows) == 2
    assert {r["learner"] for r in rows} == {"ann"}
    again = next(r for r in rows if r["rating"] == "1")
    assert again["rating_name"] == "Again" and again["correct"] == "false"
    assert again["given"] == "'=cmd|x" and again["duration_ms"] == "2500"
    only = tmp_path / "only.csv"
    assert (
        run(
            "export", "--reviews", "streltsov", "--learner", "ann", "--db", db_path, "-o", only
        ).exit_code
        == 0
    )
    assert [r["deck"] for r in read_csv(only)] == ["streltsov"]


def test_review_log_unknown_learner(store, db_path, tmp_path):
    result = run(
        "export", "--reviews", "--learner", "zed", "--db", db_path, "-o", tmp_path / "l.csv"
    )
    assert result.exit_code == 1 and "no learner named 'zed'" in result.output


# -- Anki ---------------------------------------------------------------------------------------


def test_stable_ids():
    assert ax.stable_id("deck", "a") == ax.stable_id("deck", "a") != ax.stable_id("deck", "b")
    assert 1 << 30 <= ax.stable_id("deck", "a") < 1 << 31
    assert ax.note_guid("d", "c") == ax.note_guid("d", "c") != ax.note_guid("d", "c2")


def test_cloze_and_escaping():
    text = ax.cloze_text("<x> {{a::b|alt}} and {{c}} {not} a::b")
    assert text == "&lt;x&gt; {{c1::a&#58;&#58;b}} and {{c1::c}} &#123;not&#125; a::b"


def test_apkg_contents_without_anki(tmp_path):
    """The package itself: one note per card with stable guids, whatever Anki does with it."""
    out = tmp_path / "sample.apkg"
    result = run("export", SAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(tmp_path / "c.anki2")
    guids = {g for (g,) in con.execute("SELECT guid FROM notes")}
    con.close()
    assert guids == {
        ax.note_guid("interop-sample", c)
        for c in ("basic-card", "typed-card", "mcq-card", "truefalse-card", "cloze-card")
    }


ANKI_REASON = "the optional 'anki' package (Anki's own Python library) is not installed"


def open_in_anki(tmp_path, *packages):
    """Import packages into a fresh Anki collection, as Anki's File > Import does."""
    pytest.importorskip("anki", reason=ANKI_REASON)
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(tmp_path / "collection.anki2"))
    logs = []
    for package in packages:
        logs.append(
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(package), options=ImportAnkiPackageOptions()
                )
            ).log
        )
    return col, logs


def notes_by_guid(col) -> dict:
    return {n.guid: n for n in (col.get_note(nid) for nid in col.find_notes(""))}


def test_anki_opens_the_package(tmp_path):
    out = tmp_path / "sample.apkg"
    assert run("export", SAMPLE, "-o", out).exit_code == 0
    col, [log] = open_in_anki(tmp_path, out)
    try:
        assert len(log.new) == 5
        notes = notes_by_guid(col)
        note = {
            cid: notes[ax.note_guid("interop-sample", cid)]
            for cid in ("basic-card", "typed-card", "mcq-card", "truefalse-card", "cloze-card")
        }
        types = {cid: n.note_type()["name"] for cid, n in note.items()}
        assert types == {
            "basic-card": "Basic (genanki)",
            "mcq-card": "Basic (genanki)",
            "truefalse-card": "Basic (genanki)",
            "cloze-card": "Cloze (genanki)",
            "typed-card": ax.TYPED_MODEL_NAME,
        }
        basic = note["basic-card"]
        assert basic["Front"] == (
            "What do the Japanese call the islands? &lt;b&gt;not bold&lt;/b&gt; "
            "&amp; [bold]not markup[/bold]"
        )
        assert basic["Back"].startswith("The Northern Territories<br><br>")
        assert "Line one.<br>Line two with &lt;script&gt;" in basic["Back"]
        assert "— <i>The Thorn in Japan-Russia Ties</i>" in basic["Back"]
        assert sorted(basic.tags) == ["territory", "two_words"]
        typed = note["typed-card"]
        assert typed["Back"] == "The Southern Kurils"  # Anki compares typed text with this field
        assert "Also accepted: Southern Kurils / Kurils" in typed["Extra"]
        mcq = note["mcq-card"]
        assert mcq["Front"].count("<li>") == 4 and "Sakhalin" in mcq["Front"]
        assert ". Northern Territories</b>" in mcq["Back"] and mcq.tags == ["names"]
        assert "True or false?" in note["truefalse-card"]["Front"]
        assert note["truefalse-card"]["Back"].startswith("<b>False</b>")
        cloze = note["cloze-card"]
        assert (
            "{{c1::Northern Territories}}" in cloze["Text"]
            and "{{c1::Southern Kurils}}" in cloze["Text"]
        )
        assert "Also accepted: the Northern Territories" in cloze["Back Extra"]
        assert col.card_count() == 5  # all blanks are c1: one Anki card per quiz card
        deck_names = {d.name for d in col.decks.all_names_and_ids()}
        assert "Interop sample: every card type" in deck_names
    finally:
        col.close()


def test_reexport_updates_instead_of_duplicating(tmp_path, monkeypatch):
    import genanki.package

    first = tmp_path / "v1.apkg"
    assert run("export", SAMPLE, "-o", first).exit_code == 0
    edited = tmp_path / "sample-deck.yaml"
    edited.write_text(
        SAMPLE.read_text().replace(
            "explanation: The Russian name.", "explanation: The Russian name, edited."
        )
    )
    second = tmp_path / "v2.apkg"
    # Anki updates a note only when the package's copy is newer, to the second; a real
    # re-export comes later than the first one, so date this one a minute on.
    later = genanki.package.time.time() + 60
    monkeypatch.setattr(genanki.package.time, "time", lambda: later)
    assert run("export", edited, "-o", second).exit_code == 0
    monkeypatch.undo()
    col, [log1, log2] = open_in_anki(tmp_path, first, second)
    try:
        assert len(log1.new) == 5 and len(log2.new) == 0 and len(log2.updated) == 5
        assert len(col.find_notes("")) == 5
        typed = notes_by_guid(col)[ax.note_guid("interop-sample", "typed-card")]
        assert "The Russian name, edited." in typed["Extra"]
    finally:
        col.close()


def test_bundled_decks_round_trip(tmp_path, catalog):
    out = tmp_path / "all.apkg"
    result = run("export", "-o", out)
    assert result.exit_code == 0, result.output
    col, [log] = open_in_anki(tmp_path, out)
    try:
        want = {ax.note_guid(d.id, c.id) for d in catalog.decks for c in d.cards}
        assert set(notes_by_guid(col)) == want
        assert len(log.new) == len(want)
    finally:
        col.close()
