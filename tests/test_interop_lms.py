"""LMS formats: the bundled decks exported to Moodle XML, GIFT, QTI 2.1 and Canvas QTI, read back
by code independent of the writers (ElementTree, xmlschema, regular expressions), round trips
through `quiz import`, and hostile files given to each importer."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.deck import read_deck_file
from quiz.interop import gift, moodle_xml
from quiz.interop.csv_import import unique_ids
from quiz.interop.lms_common import ImportProblems, parse_xml

QTI_DIR = Path(__file__).parent / "fixtures" / "qti"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def cards_of(catalog):
    return [(d, c) for d in catalog.decks for c in d.cards]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every bundled deck in every LMS format, through the command line."""
    where = tmp_path_factory.mktemp("lms")
    files = {
        "moodle": where / "all.xml",
        "gift": where / "all.gift",
        "qti": where / "qti.zip",
        "canvas": where / "canvas.zip",
    }
    for fmt, path in files.items():
        result = run("export", "--format", fmt, "-o", path)
        assert result.exit_code == 0, result.output
    return files


# ------------------------------------------------------------------------------ Moodle XML


def test_moodle_xml_has_a_question_per_card_and_the_right_marks(exported, catalog):
    root = ET.parse(exported["moodle"]).getroot()
    questions = root.findall("question")
    categories = [q for q in questions if q.get("type") == "category"]
    assert [c.findtext("category/text") for c in categories] == [
        f"$course$/top/{d.title}" for d in catalog.decks
    ]
    real = [q for q in questions if q.get("type") != "category"]
    cards = cards_of(catalog)
    assert len(real) == len(cards)
    kinds = {
        "mcq": "multichoice",
        "truefalse": "truefalse",
        "typed": "shortanswer",
        "cloze": "cloze",
        "basic": "essay",
    }
    for q, (_, card) in zip(real, cards):
        assert q.get("type") == kinds[card.type]
        assert q.findtext("name/text") == card.id
        full = [a for a in q.findall("answer") if a.get("fraction") == "100"]
        if card.type == "mcq":
            assert q.findtext("shuffleanswers") == "true" and q.findtext("single") == "true"
            assert len(q.findall("answer")) == len(card.choices) and len(full) == 1
            assert full[0].findtext("text") == card.answer.replace("&", "&amp;").replace(
                "<", "&lt;"
            ).replace(">", "&gt;")
        elif card.type == "truefalse":
            assert [a.findtext("text") for a in full] == [str(card.answer).lower()]
        elif card.type == "typed":
            assert [a.findtext("text") for a in full] == list(
                dict.fromkeys([card.answer, *card.accept])
            )
        elif card.type == "cloze":
            embedded = re.findall(r"\{1:SHORTANSWER:([^}]*)\}", q.findtext("questiontext/text"))
            assert len(embedded) == len(card.blanks)
            for got, alts in zip(embedded, card.blanks):
                assert got == "~".join("=" + moodle_xml.cloze_text(a) for a in alts)
        feedback = q.findtext("generalfeedback/text")
        assert card.explanation.replace('"', '"')[:40] in feedback.replace("&lt;", "<")
        assert "Source: " in feedback and card.source.quote in feedback


def test_moodle_escapes_its_own_special_characters():
    assert moodle_xml.shortanswer_text("5 * 3") == "5 \\* 3"
    assert moodle_xml.cloze_text('a}b#c~d/e"f\\g*') == 'a\\}b\\#c\\~d\\/e\\"f\\\\g\\*'
    text, lost = moodle_xml.parse_embedded(
        "x {1:SHORTANSWER:=a\\}b~=c\\~d~%0%wrong} y {1:SA:%100%\\*star#fb}"
    )
    assert (text, lost) == ("x {{a}b|c~d}} y {{*star}}".replace("a}b", "ab"), 0)


# ------------------------------------------------------------------------------ GIFT


def test_gift_has_every_card_escaped_and_reimports_lint_clean(exported, catalog, tmp_path):
    text = exported["gift"].read_text("utf-8")
    cards = cards_of(catalog)
    names = re.findall(r"(?m)^::((?:\\.|[^:\\])*)::", text)
    expected = sum(max(1, len(c.blanks)) if c.type == "cloze" else 1 for _, c in cards)
    assert len(names) == expected
    # No question spills over a blank line: every paragraph is a question, a comment or a category.
    for block in text.split("\n\n"):
        assert block.startswith(("::", "//", "$CATEGORY:")), block[:80]
    out = tmp_path / "back.yaml"
    result = run("import", exported["gift"], "-o", out)
    assert result.exit_code == 0, result.output
    lint = run("lint", out)
    assert lint.exit_code == 0 and "no problems" in lint.output, lint.output


def test_gift_escapes(tmp_path):
    assert gift.escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    assert gift.unescape(gift.escape("a~b=c#d{e}f:g\\h\ni")) == "a~b=c#d{e}f:g\\h\ni"


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["moodle", "gift"])
def test_round_trip_keeps_type_prompt_answers_choices(exported, catalog, library, tmp_path, fmt):
    out = tmp_path / f"{fmt}.yaml"
    result = run("import", exported[fmt], "-o", out)
    assert result.exit_code == 0, result.output
    deck = read_deck_file(out, library).deck
    cards = [c for _, c in cards_of(catalog)]
    assert len(deck.cards) == len(cards)
    # All decks land in one deck: an id two decks share gets a -2.
    ids = unique_ids([c.id for c in cards])
    for got, want, want_id in zip(deck.cards, cards, ids):
        assert got.id == want_id
        assert (got.type, got.prompt, got.answer, got.choices, got.accept) == (
            want.type,
            want.prompt,
            want.answer,
            want.choices,
            want.accept,
        )
        assert got.explanation == want.explanation
        # The citation came back as a verified source, not just "imported".
        assert (got.source.article, got.source.quote) == (want.source.article, want.source.quote)


def test_tricky_text_survives_both_formats(make_deck, library, tmp_path):
    deck = make_deck(
        """
  - id: tricky
    type: typed
    prompt: "Braces {x}, tildes ~ = # : and <b>tags</b> & \\\\ backslash *star*?"
    answer: "a*b {c} ~d"
    accept: ["=e#f:g"]
    explanation: "Two\\n\\nparagraphs & <i>more</i>"
    source: {imported: hand.csv}
"""
    )
    for name, data in (
        ("t.xml", moodle_xml.write_moodle([deck], library)),
        ("t.gift", gift.write_gift([deck], library).encode()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        out = tmp_path / f"{name}.yaml"
        result = run("import", path, "-o", out)
        assert result.exit_code == 0, result.output
        card = read_deck_file(out, library).deck.cards[0]
        want = deck.cards[0]
        assert (card.prompt, card.answer, card.accept) == (want.prompt, want.answer, want.accept)
        assert card.explanation == want.explanation
        assert card.source.imported == name


def test_aiken_import(tmp_path, library):
    src = tmp_path / "quiz.txt"
    src.write_text(
        "What do the Russians call the islands?\nA. The Southern Kurils\nB) Sakhalin\n"
        "C. Hokkaido\nANSWER: A\n\nWhich year?\nA. 1956\nB. 1855\nC. 1945\nANSWER: B\n"
    )
    out = tmp_path / "aiken.yaml"
    result = run("import", src, "-o", out)
    assert result.exit_code == 0, result.output
    deck = read_deck_file(out, library).deck
    assert [(c.type, c.answer, c.choices) for c in deck.cards] == [
        ("mcq", "The Southern Kurils", ("The Southern Kurils", "Sakhalin", "Hokkaido")),
        ("mcq", "1855", ("1956", "1855", "1945")),
    ]
    assert deck.cards[0].source.imported == "quiz.txt"


# ------------------------------------------------------------------------------ QTI 2.1


@pytest.fixture(scope="module")
def qti_schemas():
    xmlschema = pytest.importorskip("xmlschema")
    return (
        xmlschema.XMLSchema(str(QTI_DIR / "qtiv2p1" / "imsqti_v2p1.xsd")),
        xmlschema.XMLSchema(str(QTI_DIR / "imscp_v1p1.xsd")),
    )


def test_qti_package_is_valid_and_complete(exported, catalog, qti_schemas):
    qti, cp = qti_schemas
    zf = zipfile.ZipFile(exported["qti"])
    manifest = zf.read("imsmanifest.xml")
    cp.validate(manifest.decode())
    resources = ET.fromstring(manifest).findall(f"{CP}resources/{CP}resource")
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    gradable = [(d, c) for d, c in cards_of(catalog) if c.type != "basic"]
    assert len(items) == len(gradable) and len(tests) == 1
    qti.validate(zf.read(tests[0].get("href")).decode())
    for res, (_, card) in zip(items, gradable):
        data = zf.read(res.get("href"))
        qti.validate(data.decode())
        item = ET.fromstring(data)
        decls = item.findall(f"{QTI}responseDeclaration")
        values = [d.findtext(f"{QTI}correctResponse/{QTI}value") for d in decls]
        if card.type == "mcq":
            choices = item.findall(f".//{QTI}simpleChoice")
            right = [c.text for c in choices if c.get("identifier") == values[0]]
            assert right == [card.answer] and len(choices) == len(card.choices)
        elif card.type == "truefalse":
            assert values == ["TRUE" if card.answer else "FALSE"]
        elif card.type == "typed":
            keys = [e.get("mapKey") for e in decls[0].findall(f"{QTI}mapping/{QTI}mapEntry")]
            assert values == [card.answer] and keys == list(
                dict.fromkeys([card.answer, *card.accept])
            )
        else:
            assert values == [alts[0] for alts in card.blanks]
        feedback = "".join(item.find(f"{QTI}modalFeedback").itertext())
        assert card.source.quote in feedback


def test_the_validator_does_catch_a_broken_item(qti_schemas):
    qti, _ = qti_schemas
    broken = (
        '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x" '
        'title="x" adaptive="false" timeDependent="false"><itemBody><choiceInteraction/>'
        "</itemBody></assessmentItem>"
    )
    assert not qti.is_valid(broken)


# ------------------------------------------------------------------------------ Canvas


def test_canvas_package_has_every_card_in_its_canvas_type(exported, catalog):
    zf = zipfile.ZipFile(exported["canvas"])
    manifest = ET.fromstring(zf.read("imsmanifest.xml"))
    ns = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
    hrefs = [f.get("href") for f in manifest.iter(f"{ns}file")]
    assert any(h.endswith("assessment_meta.xml") for h in hrefs) and len(hrefs) == 2
    quiz_file = next(h for h in hrefs if not h.endswith("assessment_meta.xml"))
    root = ET.fromstring(zf.read(quiz_file))
    q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
    items = list(root.iter(f"{q}item"))
    cards = cards_of(catalog)
    assert len(items) == len(cards)
    types = {
        "mcq": "multiple_choice_question",
        "truefalse": "true_false_question",
        "typed": "short_answer_question",
        "cloze": "fill_in_multiple_blanks_question",
        "basic": "essay_question",
    }
    for item, (_, card) in zip(items, cards):
        fields = {
            f.findtext(f"{q}fieldlabel"): f.findtext(f"{q}fieldentry")
            for f in item.iter(f"{q}qtimetadatafield")
        }
        assert fields["question_type"] == types[card.type]
        scored = [c for c in item.iter(f"{q}respcondition") if c.find(f"{q}setvar") is not None]
        if card.type in ("mcq", "truefalse"):
            right = scored[0].findtext(f"{q}conditionvar/{q}varequal")
            label = next(r for r in item.iter(f"{q}response_label") if r.get("ident") == right)
            assert "".join(label.itertext()).strip() == (
                card.answer if card.type == "mcq" else str(card.answer)
            ).replace("&", "&amp;")
        if card.type == "cloze":
            assert len(list(item.iter(f"{q}response_lid"))) == len(card.blanks)
        assert card.source.quote in "".join(item.find(f"{q}itemfeedback").itertext())


# ------------------------------------------------------------------------------ hostile input

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<quiz><question type="essay"><name><text>&lol3;</text></name></question></quiz>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz><question>&x;</question></quiz>"""
GOOD = b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="essay"><name><text>a</text>'


@pytest.mark.parametrize(
    "name, data, where",
    [
        ("cut.xml", GOOD + b"</name>\n<questiontext>", ":"),
        ("laughs.xml", BILLION_LAUGHS, ":1:"),
        ("xxe.xml", EXTERNAL, ":1:"),
        ("latin1.xml", b'<?xml version="1.0"?>\n<quiz>caf\xe9</quiz>', ":2:"),
        ("notquiz.xml", b"<html><body/></html>", ":1:"),
        ("braces.gift", b"::a:: What is 2+2? {=4 ~5\n\n::b:: Next {=x}", ":1:"),
        ("closing.gift", b"::a:: What } is this {=4}", ":1:"),
        ("latin1.gift", b"::a:: Caf\xe9? {=yes}", ":1:"),
        ("bad.txt", b"Question?\nA. one\nB. two\nANSWER: D\n", ":4:"),
        ("empty.gift", b"// nothing but a comment\n", ":1:"),
    ],
)
def test_hostile_files_give_one_clear_line_and_write_nothing(tmp_path, name, data, where):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.yaml"
    result = run("import", src, "-o", out)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith(str(src) + where), result.output
    assert lines[-1] == "nothing was written"
    assert len(lines) == 2 and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_entities_are_refused_before_expansion():
    # The parser refuses the DOCTYPE itself: nothing is expanded, whatever its size.
    with pytest.raises(ImportProblems) as e:
        parse_xml(BILLION_LAUGHS.replace(b"lol3;</text>", b"lol3;" * 10000 + b"</text>"), "f.xml")
    assert "DOCTYPE" in e.value.lines[0]


def test_export_zip_needs_a_format_and_a_package_cannot_go_to_stdout(tmp_path):
    result = run("export", "-o", tmp_path / "x.zip")
    assert result.exit_code == 2 and "--format qti" in result.output
    result = run("export", "--format", "qti", "-o", "-")
    assert result.exit_code == 2 and not (tmp_path / "x.zip").exists()


def test_gift_to_stdout_is_the_same_text(tmp_path, library, catalog):
    result = CliRunner().invoke(cli, ["export", "thorn-in-ties", "--format", "gift", "-o", "-"])
    assert result.exit_code == 0
    deck = next(d for d in catalog.decks if d.id == "thorn-in-ties")
    assert result.stdout_bytes == gift.write_gift([deck], library).encode()
    assert io.BytesIO(result.stdout_bytes).read(2) == b"//"
