"""The QTI 1.2 package Canvas imports ("QTI .zip file" in Canvas's content import): one quiz
holding every card of the decks. The layout follows text2qti (a maintained writer of Canvas
QTI): imsmanifest.xml, <quiz>/assessment_meta.xml (Canvas's quiz settings) and <quiz>/<quiz>.xml
(the questestinterop). text2qti itself is not used as a library because its input is its own
Markdown dialect (deck text would be read as Markdown, `$...$` as LaTeX to render), it can run
code blocks, and it has no fill-in-multiple-blanks questions; so the same XML is written here
with xml.etree.ElementTree.

Mapping: mcq -> multiple_choice_question, truefalse -> true_false_question, typed ->
short_answer_question (every accepted form is a right answer), cloze ->
fill_in_multiple_blanks_question (blanks as [blank1], [blank2] in the text), basic ->
essay_question (graded by hand). The explanation and citation are the general feedback.
"""

from __future__ import annotations

import hashlib
import html
import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import date

from quiz.content.articles import Library
from quiz.content.deck import BLANK_RE, Card, Deck
from quiz.interop.lms_common import feedback as feedback_text

NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TYPES = {
    "mcq": "multiple_choice_question",
    "truefalse": "true_false_question",
    "typed": "short_answer_question",
    "cloze": "fill_in_multiple_blanks_question",
    "basic": "essay_question",
}


def ident(*parts: str) -> str:
    """A stable identifier (Canvas keeps it to match a re-import)."""
    return "quiz_" + hashlib.sha1("/".join(parts).encode()).hexdigest()[:24]


def to_html(text: str) -> str:
    paras = [p for p in text.split("\n\n") if p.strip()]
    return "".join(
        f"<p>{html.escape(p.strip(), quote=False)}</p>".replace("\n", "<br>") for p in paras
    )


def _mattext(parent: ET.Element, text: str, kind: str = "text/html") -> None:
    material = ET.SubElement(parent, "material")
    node = ET.SubElement(material, "mattext", {"texttype": kind})
    node.text = text


def _metadata(item: ET.Element, fields: dict[str, str]) -> None:
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _condition(
    parent: ET.Element,
    respident: str | None,
    values: list[str],
    score: str | None,
    *,
    action: str = "Set",
    stop: bool = True,
    feedback: str | None = None,
) -> None:
    cond = ET.SubElement(parent, "respcondition", {"continue": "No" if stop else "Yes"})
    var = ET.SubElement(cond, "conditionvar")
    if respident is None:
        ET.SubElement(var, "other")
    for value in values:
        ET.SubElement(var, "varequal", {"respident": respident or ""}).text = value
    if score is not None:
        ET.SubElement(cond, "setvar", {"action": action, "varname": "SCORE"}).text = score
    if feedback is not None:
        ET.SubElement(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback})


def item_element(deck: Deck, card: Card, library: Library) -> ET.Element:
    item_id = ident(deck.id, card.id)
    item = ET.Element("item", {"ident": item_id, "title": card.id})
    answer_ids: list[str] = []
    presentation = ET.Element("presentation")
    blanks = card.blanks if card.type == "cloze" else []
    if card.type == "cloze":
        counter = iter(range(1, len(blanks) + 1))
        text = BLANK_RE.sub(lambda m: f"[blank{next(counter)}]", card.prompt)
    else:
        text = card.prompt
    _mattext(presentation, to_html(text))
    choices: list[tuple[str, str]] = []
    if card.type in ("mcq", "truefalse"):
        options = card.choices if card.type == "mcq" else ("True", "False")
        choices = [(ident(deck.id, card.id, str(i)), c) for i, c in enumerate(options)]
        answer_ids = [c for c, _ in choices]
        lid = ET.SubElement(
            presentation, "response_lid", {"ident": "response1", "rcardinality": "Single"}
        )
        render = ET.SubElement(lid, "render_choice")
        for cid, label in choices:
            _mattext(
                ET.SubElement(render, "response_label", {"ident": cid}),
                html.escape(label, quote=False),
            )
    elif card.type == "cloze":
        for k, alts in enumerate(blanks, 1):
            lid = ET.SubElement(presentation, "response_lid", {"ident": f"response_blank{k}"})
            _mattext(lid, f"blank{k}", "text/plain")
            render = ET.SubElement(lid, "render_choice")
            for i, alt in enumerate(alts):
                aid = ident(deck.id, card.id, str(k), str(i))
                answer_ids.append(aid)
                _mattext(ET.SubElement(render, "response_label", {"ident": aid}), alt, "text/plain")
    else:
        fib = ET.SubElement(
            ET.SubElement(
                presentation, "response_str", {"ident": "response1", "rcardinality": "Single"}
            ),
            "render_fib",
        )
        ET.SubElement(fib, "response_label", {"ident": "answer1", "rshuffle": "No"})
    _metadata(
        item,
        {
            "question_type": TYPES[card.type],
            "points_possible": "1.0",
            "original_answer_ids": ",".join(answer_ids),
            "assessment_question_identifierref": ident("ref", deck.id, card.id),
        },
    )
    item.append(presentation)
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    fb = feedback_text(card, library)
    if fb:
        _condition(processing, None, [], None, stop=False, feedback="general_fb")
    if card.type == "mcq":
        right = next(cid for cid, label in choices if label == card.answer)
        _condition(processing, "response1", [right], "100")
    elif card.type == "truefalse":
        _condition(processing, "response1", [choices[0 if card.answer else 1][0]], "100")
    elif card.type == "typed":
        forms = list(dict.fromkeys([str(card.answer), *card.accept]))
        _condition(processing, "response1", forms, "100")
    elif card.type == "cloze":
        share = f"{100 / len(blanks):.2f}"
        for k, alts in enumerate(blanks, 1):
            for i in range(len(alts)):
                _condition(
                    processing,
                    f"response_blank{k}",
                    [ident(deck.id, card.id, str(k), str(i))],
                    share,
                    action="Add",
                    stop=False,
                )
    else:
        _condition(processing, None, [], None)
    if fb:
        feedback = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
        _mattext(ET.SubElement(feedback, "flow_mat"), to_html(fb))
    return item


def assessment(decks: list[Deck], library: Library, quiz_id: str, title: str, progress=None):
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
        },
    )
    test = ET.SubElement(root, "assessment", {"ident": quiz_id, "title": title})
    meta = ET.SubElement(ET.SubElement(test, "qtimetadata"), "qtimetadatafield")
    ET.SubElement(meta, "fieldlabel").text = "cc_maxattempts"
    ET.SubElement(meta, "fieldentry").text = "1"
    section = ET.SubElement(test, "section", {"ident": "root_section"})
    for deck in decks:
        for card in deck.cards:
            section.append(item_element(deck, card, library))
            if progress is not None:
                progress.update(1)
    return root


def assessment_meta(quiz_id: str, title: str, description: str, points: int) -> ET.Element:
    root = ET.Element(
        "quiz",
        {
            "identifier": quiz_id,
            "xmlns": CANVAS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{CANVAS} https://canvas.instructure.com/xsd/cccv1p0.xsd",
        },
    )
    for tag, value in (
        ("title", title),
        ("description", description),
        ("shuffle_answers", "true"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "assignment"),
        ("points_possible", f"{points:.1f}"),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ):
        ET.SubElement(root, tag).text = value
    return root


def manifest(quiz_id: str, title: str) -> ET.Element:
    meta_id = f"{quiz_id}_meta"
    root = ET.Element(
        "manifest", {"identifier": f"{quiz_id}_manifest", "xmlns": CC, "xmlns:xsi": XSI}
    )
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    quiz = ET.SubElement(resources, "resource", {"identifier": quiz_id, "type": "imsqti_xmlv1p2"})
    ET.SubElement(quiz, "file", {"href": f"{quiz_id}/{quiz_id}.xml"})
    ET.SubElement(quiz, "dependency", {"identifierref": meta_id})
    meta = ET.SubElement(
        resources,
        "resource",
        {
            "identifier": meta_id,
            "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            "href": f"{quiz_id}/assessment_meta.xml",
        },
    )
    ET.SubElement(meta, "file", {"href": f"{quiz_id}/assessment_meta.xml"})
    return root


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_canvas(decks: list[Deck], library: Library, progress=None) -> bytes:
    quiz_id = ident("quiz", *[d.id for d in decks])
    title = decks[0].title if len(decks) == 1 else f"quiz: {', '.join(d.title for d in decks)}"
    title = title[:250]
    description = (
        f"Exported by quiz on {date.today().isoformat()}; every question cites its source."
    )
    points = sum(len(d.cards) for d in decks)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", _xml(manifest(quiz_id, title)))
        zf.writestr(zipfile.ZipInfo("non_cc_assessments/"), b"")
        zf.writestr(
            f"{quiz_id}/assessment_meta.xml",
            _xml(assessment_meta(quiz_id, title, description, points)),
        )
        zf.writestr(
            f"{quiz_id}/{quiz_id}.xml", _xml(assessment(decks, library, quiz_id, title, progress))
        )
    return buffer.getvalue()
