"""IMS QTI 2.1 content package: imsmanifest.xml, one assessmentItem per gradable card
(items/*.xml) and an assessmentTest (assessment.xml) with one section per deck. Valid against the
QTI 2.1 and IMS Content Packaging 1.1 schemas (the tests check it with xmlschema).

Mapping: mcq -> choiceInteraction (shuffled, one choice), truefalse -> choiceInteraction with
True/False, typed -> textEntryInteraction whose mapping scores every accepted form 1
(case-insensitive), cloze -> one textEntryInteraction per blank inside the sentence. Basic cards
are recall cards no tool can mark, so they are left out (the export says how many). The
explanation and citation are a modalFeedback shown after every response. Response processing is
written out rather than by template URI, so players that cannot fetch templates still score.
Written with xml.etree.ElementTree.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from quiz.content.articles import Library
from quiz.content.deck import BLANK_RE, Card, Deck
from quiz.interop.lms_common import feedback as feedback_text

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"


@dataclass(frozen=True)
class Package:
    data: bytes
    items: int
    skipped: int  # basic cards, which cannot be marked


def identifier(*parts: str) -> str:
    """An NCName from ids (kebab-case ids can start with a digit; NCNames cannot)."""
    return "q-" + ".".join(re.sub(r"[^A-Za-z0-9_.-]", "-", p) for p in parts)


def _q(tag: str) -> str:
    # Unqualified names with xmlns set on the root: ElementTree's default_namespace option
    # refuses unqualified attributes, and QTI's attributes are all unqualified.
    return tag


def _sub(parent: ET.Element, tag: str, attrs: dict | None = None, text: str | None = None):
    node = ET.SubElement(parent, _q(tag), attrs or {})
    if text is not None:
        node.text = text
    return node


def _paragraphs(parent: ET.Element, text: str) -> None:
    for para in text.split("\n\n"):
        if para.strip():
            _sub(parent, "p", text=para.strip())


def _string_response(item: ET.Element, ident: str, forms: list[str]) -> None:
    decl = _sub(
        item,
        "responseDeclaration",
        {"identifier": ident, "cardinality": "single", "baseType": "string"},
    )
    correct = _sub(decl, "correctResponse")
    _sub(correct, "value", text=forms[0])
    mapping = _sub(decl, "mapping", {"defaultValue": "0", "lowerBound": "0", "upperBound": "1"})
    for form in dict.fromkeys(forms):
        _sub(mapping, "mapEntry", {"mapKey": form, "mappedValue": "1", "caseSensitive": "false"})


def _set(parent: ET.Element, outcome: str, base: str, value: str) -> None:
    node = _sub(parent, "setOutcomeValue", {"identifier": outcome})
    _sub(node, "baseValue", {"baseType": base}, value)


def assessment_item(deck: Deck, card: Card, library: Library) -> ET.Element:
    item = ET.Element(
        _q("assessmentItem"),
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{NS} {QTI_XSD}",
            "identifier": identifier(deck.id, card.id),
            "title": card.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    choice_ids: list[tuple[str, str]] = []
    blanks = [alts for alts in card.blanks if alts] if card.type == "cloze" else []
    if card.type in ("mcq", "truefalse"):
        if card.type == "mcq":
            choice_ids = [(f"C{i + 1}", c) for i, c in enumerate(card.choices)]
            right = next(i for i, c in choice_ids if c == card.answer)
        else:
            choice_ids = [("TRUE", "True"), ("FALSE", "False")]
            right = "TRUE" if card.answer else "FALSE"
        decl = _sub(
            item,
            "responseDeclaration",
            {"identifier": "RESPONSE", "cardinality": "single", "baseType": "identifier"},
        )
        _sub(_sub(decl, "correctResponse"), "value", text=right)
    elif card.type == "typed":
        _string_response(item, "RESPONSE", [str(card.answer), *card.accept])
    else:
        for k, alts in enumerate(blanks, 1):
            _string_response(item, f"RESPONSE_{k}", alts)
    score = _sub(
        item,
        "outcomeDeclaration",
        {"identifier": "SCORE", "cardinality": "single", "baseType": "float"},
    )
    _sub(_sub(score, "defaultValue"), "value", text="0")
    if blanks:
        _sub(
            item,
            "outcomeDeclaration",
            {"identifier": "MAXSCORE", "cardinality": "single", "baseType": "float"},
        )
    _sub(
        item,
        "outcomeDeclaration",
        {"identifier": "FEEDBACK", "cardinality": "single", "baseType": "identifier"},
    )
    body = _sub(item, "itemBody")
    if choice_ids:
        interaction = _sub(
            body,
            "choiceInteraction",
            {
                "responseIdentifier": "RESPONSE",
                "shuffle": "true" if card.type == "mcq" else "false",
                "maxChoices": "1",
            },
        )
        _sub(interaction, "prompt", text=card.prompt)
        for ident, text in choice_ids:
            _sub(interaction, "simpleChoice", {"identifier": ident}, text)
    elif card.type == "typed":
        _paragraphs(body, card.prompt)
        para = _sub(body, "p")
        _sub(
            para, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "30"}
        )
    else:
        para = _sub(body, "p")
        para.text = ""
        last: ET.Element | None = None
        pos = 0
        for k, m in enumerate(BLANK_RE.finditer(card.prompt), 1):
            before = card.prompt[pos : m.start()]
            if last is None:
                para.text += before
            else:
                last.tail = (last.tail or "") + before
            last = _sub(
                para,
                "textEntryInteraction",
                {"responseIdentifier": f"RESPONSE_{k}", "expectedLength": "20"},
            )
            pos = m.end()
        if last is not None:
            last.tail = card.prompt[pos:]
    processing = _sub(item, "responseProcessing")
    if choice_ids:
        cond = _sub(processing, "responseCondition")
        when = _sub(cond, "responseIf")
        match = _sub(when, "match")
        _sub(match, "variable", {"identifier": "RESPONSE"})
        _sub(match, "correct", {"identifier": "RESPONSE"})
        _set(when, "SCORE", "float", "1")
        _set(_sub(cond, "responseElse"), "SCORE", "float", "0")
    else:
        ids = (
            ["RESPONSE"]
            if card.type == "typed"
            else [f"RESPONSE_{k}" for k in range(1, len(blanks) + 1)]
        )
        node = _sub(processing, "setOutcomeValue", {"identifier": "SCORE"})
        total = _sub(node, "sum")
        for ident in ids:
            _sub(total, "mapResponse", {"identifier": ident})
        if blanks:
            _set(processing, "MAXSCORE", "float", str(len(blanks)))
    fb = feedback_text(card, library)
    if fb:
        _set(processing, "FEEDBACK", "identifier", "EXPLANATION")
        modal = _sub(
            item,
            "modalFeedback",
            {
                "outcomeIdentifier": "FEEDBACK",
                "identifier": "EXPLANATION",
                "showHide": "show",
                "title": "Explanation",
            },
        )
        _paragraphs(modal, fb)
    return item


def assessment_test(decks: list[Deck], hrefs: dict[str, list[tuple[str, str]]]) -> ET.Element:
    test = ET.Element(
        _q("assessmentTest"),
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{NS} {QTI_XSD}",
            "identifier": identifier("test", *[d.id for d in decks])[:200],
            "title": decks[0].title if len(decks) == 1 else f"{len(decks)} quiz decks",
        },
    )
    part = _sub(
        test,
        "testPart",
        {"identifier": "part-1", "navigationMode": "linear", "submissionMode": "individual"},
    )
    for deck in decks:
        if not hrefs[deck.id]:
            continue
        section = _sub(
            part,
            "assessmentSection",
            {"identifier": identifier("section", deck.id), "title": deck.title, "visible": "true"},
        )
        for ident, href in hrefs[deck.id]:
            _sub(section, "assessmentItemRef", {"identifier": ident, "href": href})
    return test


def manifest(test_href: str, items: list[tuple[str, str]]) -> ET.Element:
    root = ET.Element(
        "manifest",
        {
            "identifier": "quiz-qti-package",
            "xmlns": CP,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{CP} {CP_XSD}",
        },
    )
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = "QTIv2.1 Package"
    ET.SubElement(meta, "schemaversion").text = "1.0.0"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    if items:
        test = ET.SubElement(
            resources,
            "resource",
            {"identifier": "test", "type": "imsqti_test_xmlv2p1", "href": test_href},
        )
        ET.SubElement(test, "file", {"href": test_href})
        for ident, _ in items:
            ET.SubElement(test, "dependency", {"identifierref": ident})
    for ident, href in items:
        res = ET.SubElement(
            resources,
            "resource",
            {"identifier": ident, "type": "imsqti_item_xmlv2p1", "href": href},
        )
        ET.SubElement(res, "file", {"href": href})
    return root


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_qti(decks: list[Deck], library: Library, progress=None) -> Package:
    hrefs: dict[str, list[tuple[str, str]]] = {}
    files: list[tuple[str, bytes]] = []
    skipped = 0
    for deck in decks:
        hrefs[deck.id] = []
        for card in deck.cards:
            if progress is not None:
                progress.update(1)
            if not card.objective:
                skipped += 1
                continue
            ident = identifier(deck.id, card.id)
            href = f"items/{deck.id}/{card.id}.xml"
            files.append((href, _xml(assessment_item(deck, card, library))))
            hrefs[deck.id].append((ident, href))
    items = [pair for d in decks for pair in hrefs[d.id]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", _xml(manifest("assessment.xml", items)))
        if items:
            zf.writestr("assessment.xml", _xml(assessment_test(decks, hrefs)))
        for href, data in files:
            zf.writestr(href, data)
    return Package(buffer.getvalue(), len(items), skipped)
