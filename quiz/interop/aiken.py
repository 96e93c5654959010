"""Aiken (Moodle's simplest import format): multiple-choice questions as plain text, read into
quiz mcq questions. Read by hand: a line format with no maintained library.

    What do the Russians call the disputed islands?
    A. The Southern Kurils
    B) The Northern Territories
    C. Sakhalin
    ANSWER: A

The question is one line; each choice starts with a capital letter and "." or ")"; the ANSWER
line names the right letter and ends the question. Aiken has no feedback or titles.
"""

from __future__ import annotations

import re

from quiz.interop.lms_common import Imported, ImportProblems, Question, clean, decode_text

_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def looks_like_aiken(data: bytes) -> bool:
    """Whether a .txt file is Aiken (an ANSWER: X line) rather than a term/definition list."""
    return re.search(rb"(?m)^ANSWER:[ \t]*[A-Z][ \t]*\r?$", data[: 1 << 20]) is not None


def read_aiken(data: bytes, name: str) -> Imported:
    text = decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    prompt: str | None = None
    start = 0
    choices: list[tuple[str, str]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        choice = _CHOICE.match(line)
        if answer:
            if prompt is None or not choices:
                raise ImportProblems([f"{name}:{number}: ANSWER line without a question"])
            letters = dict(choices)
            if answer.group(1) not in letters:
                raise ImportProblems(
                    [f"{name}:{number}: ANSWER {answer.group(1)} is not one of the choices"]
                )
            questions.append(
                Question(
                    name="",
                    type="mcq",
                    prompt=prompt,
                    answer=letters[answer.group(1)],
                    choices=tuple(t for _, t in choices),
                    line=start,
                )
            )
            prompt, choices = None, []
        elif prompt is not None and choice:
            choices.append((choice.group(1), clean(choice.group(2))))
        elif prompt is None:
            prompt, start = clean(line), number
        else:
            raise ImportProblems(
                [f"{name}:{number}: expected a choice ('A. ...') or 'ANSWER: X' after the question"]
            )
    if prompt is not None:
        raise ImportProblems([f"{name}:{start}: question without an 'ANSWER: X' line"])
    if not questions:
        raise ImportProblems([f"{name}:1: no Aiken questions found"])
    return Imported(questions)
