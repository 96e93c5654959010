"""Moodle XML: decks to a question bank file (one category per deck) and such files back into
quiz questions.

Mapping: mcq -> multichoice (right answer fraction 100, the others 0, shuffleanswers on),
truefalse -> truefalse, typed -> shortanswer (the answer and every accepted form at 100),
cloze -> cloze (Moodle's embedded answers, {1:SHORTANSWER:=a~=b} per blank), basic -> essay
(the answer as the grader's information). The explanation and the citation are the general
feedback. Text is plain in quiz, so it is written as escaped HTML; the characters Moodle itself
gives meaning to are escaped where they would act: `*` (a wildcard in short answers) and
`} # ~ / " \\` inside embedded answers. Written with xml.etree.ElementTree; read through
lms_common.parse_xml (no DTD, no entities).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from quiz.content.articles import Library
from quiz.content.deck import BLANK_RE, Card, Deck
from quiz.interop.csv_import import clean as clean_html
from quiz.interop.lms_common import Imported, ImportProblems, Question, clean, cloze_blank
from quiz.interop.lms_common import feedback as feedback_text

CATEGORY_ROOT = "$course$/top"
_CLOZE_SPECIAL = re.compile(r'([\\}#~/"*])')
_EMBEDDED = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")


# ----------------------------------------------------------------------------- writing


def to_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def shortanswer_text(answer: str) -> str:
    """A short answer as Moodle compares it: a bare `*` is a wildcard, `\\*` a star."""
    return answer.replace("*", "\\*")


def cloze_text(answer: str) -> str:
    """One alternative inside {1:SHORTANSWER:...}: Moodle's embedded-answer escapes."""
    return _CLOZE_SPECIAL.sub(r"\\\1", answer)


def embedded_prompt(prompt: str) -> str:
    """A cloze prompt with each {{a|b}} as {1:SHORTANSWER:=a~=b}, the rest as HTML."""
    out = []
    last = 0
    for m in BLANK_RE.finditer(prompt):
        out.append(to_html(prompt[last : m.start()]))
        alts = [a.strip() for a in m.group(1).split("|") if a.strip()]
        out.append("{1:SHORTANSWER:" + "~".join("=" + to_html(cloze_text(a)) for a in alts) + "}")
        last = m.end()
    out.append(to_html(prompt[last:]))
    return "".join(out)


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag)
    if fmt is not None:
        node.set("format", fmt)
    ET.SubElement(node, "text").text = value
    return node


def _answer(parent: ET.Element, fraction: int, value: str, fmt: str | None = "html"):
    node = ET.SubElement(parent, "answer", {"fraction": str(fraction)})
    if fmt is not None:
        node.set("format", fmt)
    ET.SubElement(node, "text").text = value
    _text(node, "feedback", "", "html")


def category_path(deck: Deck) -> str:
    # Moodle splits category paths on "/" and reads "//" as a slash inside a name.
    return f"{CATEGORY_ROOT}/{deck.title.replace('/', '//')}"


def question_element(card: Card, library: Library) -> ET.Element:
    kind = {
        "mcq": "multichoice",
        "truefalse": "truefalse",
        "typed": "shortanswer",
        "cloze": "cloze",
        "basic": "essay",
    }[card.type]
    q = ET.Element("question", {"type": kind})
    _text(q, "name", card.id)
    prompt = embedded_prompt(card.prompt) if card.type == "cloze" else to_html(card.prompt)
    _text(q, "questiontext", prompt, "html")
    _text(q, "generalfeedback", to_html(feedback_text(card, library)), "html")
    ET.SubElement(q, "defaultgrade").text = "1"
    ET.SubElement(q, "penalty").text = "0.3333333" if card.type == "mcq" else "0"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = card.id[:100]
    if card.type == "mcq":
        ET.SubElement(q, "single").text = "true"
        ET.SubElement(q, "shuffleanswers").text = "true"
        ET.SubElement(q, "answernumbering").text = "abc"
        for choice in card.choices:
            _answer(q, 100 if choice == card.answer else 0, to_html(choice))
    elif card.type == "truefalse":
        _answer(q, 100 if card.answer else 0, "true", "moodle_auto_format")
        _answer(q, 0 if card.answer else 100, "false", "moodle_auto_format")
    elif card.type == "typed":
        ET.SubElement(q, "usecase").text = "0"
        forms = list(dict.fromkeys([str(card.answer), *card.accept]))
        for form in forms:
            _answer(q, 100, shortanswer_text(form), "moodle_auto_format")
    elif card.type == "basic":
        ET.SubElement(q, "responseformat").text = "editor"
        ET.SubElement(q, "responserequired").text = "1"
        ET.SubElement(q, "responsefieldlines").text = "5"
        ET.SubElement(q, "attachments").text = "0"
        ET.SubElement(q, "attachmentsrequired").text = "0"
        _text(q, "graderinfo", to_html(str(card.answer)), "html")
        _text(q, "responsetemplate", "", "html")
    if card.tags:
        tags = ET.SubElement(q, "tags")
        for tag in card.tags:
            _text(tags, "tag", tag)
    return q


def write_moodle(decks: list[Deck], library: Library, progress=None) -> bytes:
    quiz = ET.Element("quiz")
    for deck in decks:
        cat = ET.SubElement(quiz, "question", {"type": "category"})
        _text(cat, "category", category_path(deck))
        _text(cat, "info", to_html(deck.description), "html")
        for card in deck.cards:
            quiz.append(question_element(card, library))
            if progress is not None:
                progress.update(1)
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"


# ----------------------------------------------------------------------------- reading


def _field(node: ET.Element, tag: str) -> str:
    """The <text> of a child such as questiontext, as plain text (HTML formats unwrapped)."""
    child = node.find(tag)
    if child is None:
        return ""
    text = child.findtext("text") or ""
    if child.get("format", "html") in ("html", "moodle_auto_format"):
        return clean_html(text, as_html=True)
    return clean(text)


def _answers(node: ET.Element) -> list[tuple[float, str, ET.Element]]:
    out = []
    for a in node.findall("answer"):
        try:
            fraction = float(a.get("fraction", "0"))
        except ValueError:
            fraction = 0.0
        raw = a.findtext("text") or ""
        fmt = a.get("format", "moodle_auto_format")
        text = clean_html(raw, as_html=True) if fmt == "html" else clean(html.unescape(raw))
        out.append((fraction, text, a))
    return out


def _unescape_embedded(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_embedded(text: str) -> tuple[str, int]:
    """A Moodle cloze question text as a quiz cloze prompt, and how many sub-questions had no
    right answer (those become plain text)."""
    lost = 0

    def blank(m: re.Match) -> str:
        nonlocal lost
        alts = []
        for part in re.split(r"(?<!\\)~", m.group(3)):
            right = re.match(r"\s*(?:=|%100%)(.*)", part, re.S)
            if right:
                value = re.split(r"(?<!\\)#", right.group(1))[0]
                alts.append(_unescape_embedded(value).replace("\\*", "*").strip())
        if not alts:
            lost += 1
            return "_____"
        return cloze_blank(alts)

    return _EMBEDDED.sub(blank, text), lost


def _lines(data: bytes) -> list[int]:
    """The line of each <question element, in document order (ElementTree keeps no lines)."""
    return [data[: m.start()].count(b"\n") + 1 for m in re.finditer(rb"<question[\s>/]", data)]


def read_moodle(data: bytes, name: str) -> Imported:
    root = _root(data, name)
    lines = _lines(data)
    questions: list[Question] = []
    skipped: list[str] = []
    title = None
    for i, q in enumerate(root.iter("question")):
        line = lines[i] if i < len(lines) else 1
        kind = q.get("type", "")
        if kind == "category":
            path = q.findtext("category/text") or ""
            leaf = [p for p in path.replace("//", "\0").split("/") if p][-1:]
            title = title or (leaf[0].replace("\0", "/").strip() if leaf else None)
            continue
        got = _question(q, kind, line)
        if isinstance(got, str):
            skipped.append(f"{name}:{line}: {got}")
        else:
            questions.append(got)
    if not questions:
        raise ImportProblems(skipped[:1] or [f"{name}:1: no questions quiz can use"])
    return Imported(questions, skipped, title)


def _root(data: bytes, name: str) -> ET.Element:
    from quiz.interop.lms_common import parse_xml

    root = parse_xml(data, name)
    if root.tag != "quiz":
        raise ImportProblems([f"{name}:1: not a Moodle XML file (the root is not <quiz>)"])
    return root


def _question(q: ET.Element, kind: str, line: int) -> Question | str:
    name = clean(q.findtext("name/text") or "")
    prompt = _field(q, "questiontext")
    fb = _field(q, "generalfeedback")
    tags = tuple(clean(t) for t in (x.text or "" for x in q.findall("tags/tag/text")) if t)
    common = dict(name=name, feedback=fb, tags=tags, line=line)
    if kind == "cloze":
        raw = q.findtext("questiontext/text") or ""
        body, lost = parse_embedded(clean_html(raw, as_html=True))
        if lost or "{{" not in body:
            return "cloze question with a sub-question quiz cannot grade (no right answer)"
        return Question(type="cloze", prompt=body, **common)
    if not prompt:
        return f"{kind} question without text"
    answers = _answers(q)
    right = [text for fraction, text, _ in answers if fraction >= 100 and text]
    if kind == "multichoice":
        if (q.findtext("single") or "true").strip().lower() not in ("true", "1"):
            return "multiple-answer multichoice has no quiz equivalent; skipped"
        if len(right) != 1:
            return "multichoice without exactly one answer at 100%; skipped"
        choices = tuple(text for _, text, _ in answers)
        return Question(type="mcq", prompt=prompt, answer=right[0], choices=choices, **common)
    if kind == "truefalse":
        if not right or right[0].lower() not in ("true", "false"):
            return "truefalse question without a right answer; skipped"
        return Question(
            type="truefalse", prompt=prompt, answer=right[0].lower() == "true", **common
        )
    if kind == "shortanswer":
        forms = [_unescape_star(t) for t in right]
        if not forms:
            return "shortanswer without an answer at 100%; skipped"
        return Question(
            type="typed", prompt=prompt, answer=forms[0], accept=tuple(forms[1:]), **common
        )
    if kind == "essay":
        model = _field(q, "graderinfo") or "(no model answer in the file)"
        return Question(type="basic", prompt=prompt, answer=model, **common)
    return f"question type '{kind[:40]}' has no quiz equivalent; skipped"


def _unescape_star(text: str) -> str:
    return text.replace("\\*", "*")
