"""GIFT (Moodle's plain-text question format): decks to a .gift file and .gift files back into
quiz questions. Written and read by hand: GIFT is a small line format and no maintained Python
library reads or writes it.

Mapping: mcq -> `{=right ~wrong ~wrong}`, truefalse -> `{TRUE}`/`{FALSE}`, typed -> short answer
`{=answer =accepted}`, basic -> essay `{}` (the model answer opens the general feedback as
"Answer: ..."), cloze -> the missing-word form `before {=a =b} after`. GIFT has one answer block
per question, so a cloze card with several blanks becomes one question per blank, named
"ID (blank K of N)", the other blanks shown as _____ (the importer joins them back). The
explanation and citation are the general feedback (`####...`). Every `~ = # { } :` and `\\` in
text is escaped with a backslash, and a line break is written as `\\n`, because a blank line
ends a question.
"""

from __future__ import annotations

import re

from quiz.content.articles import Library
from quiz.content.deck import BLANK_RE, Card, Deck
from quiz.interop.lms_common import (
    Imported,
    ImportProblems,
    Question,
    clean,
    cloze_blank,
    decode_text,
)
from quiz.interop.lms_common import feedback as feedback_text

PLACEHOLDER = "_____"
_SPECIAL = re.compile(r"([\\~=#{}:])")
_PART = re.compile(r"^(?P<id>.+) \(blank (?P<k>\d+) of (?P<n>\d+)\)$")
_TRUE = {"t": True, "true": True, "f": False, "false": False}

# ----------------------------------------------------------------------------- writing


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", "\\n")


def _question(name: str, before: str, block: list[str], after: str = "") -> str:
    # Spaces around the block are the text's own (a missing word sits inside a sentence).
    body = "\n".join(block)
    return f"::{escape(name)}::[plain]{escape(before)}{{\n{body}\n}}{escape(after)}\n"


def card_questions(card: Card, library: Library) -> list[str]:
    fb = feedback_text(card, library)
    general = [f"####{escape(fb)}"] if fb else []
    if card.type == "mcq":
        block = [("=" if c == card.answer else "~") + escape(c) for c in card.choices]
        return [_question(card.id, card.prompt + " ", block + general)]
    if card.type == "truefalse":
        return [
            _question(card.id, card.prompt + " ", ["TRUE" if card.answer else "FALSE", *general])
        ]
    if card.type == "typed":
        forms = dict.fromkeys([str(card.answer), *card.accept])
        return [_question(card.id, card.prompt + " ", ["=" + escape(f) for f in forms] + general)]
    if card.type == "basic":
        essay_fb = "\n\n".join(p for p in (f"Answer: {card.answer}", fb) if p)
        return [_question(card.id, card.prompt + " ", [f"####{escape(essay_fb)}"])]
    # cloze: one question per blank.
    blanks = list(BLANK_RE.finditer(card.prompt))
    out = []
    for k, m in enumerate(blanks):
        before = BLANK_RE.sub(PLACEHOLDER, card.prompt[: m.start()])
        after = BLANK_RE.sub(PLACEHOLDER, card.prompt[m.end() :])
        alts = [a.strip() for a in m.group(1).split("|") if a.strip()]
        name = card.id if len(blanks) == 1 else f"{card.id} (blank {k + 1} of {len(blanks)})"
        out.append(_question(name, before, ["=" + escape(a) for a in alts] + general, after))
    return out


def question_count(decks: list[Deck]) -> int:
    """How many GIFT questions write_gift makes (a cloze card: one per blank)."""
    return sum(max(1, len(c.blanks)) if c.type == "cloze" else 1 for d in decks for c in d.cards)


def write_gift(decks: list[Deck], library: Library, progress=None) -> str:
    parts = ["// Exported by quiz: one category per deck; the feedback cites the source.\n"]
    for deck in decks:
        title = deck.title.replace("/", "//").replace("\n", " ")
        parts.append(f"// deck: {deck.id}\n$CATEGORY: $course$/top/{title}\n")
        for card in deck.cards:
            parts.extend(card_questions(card, library))
            if progress is not None:
                progress.update(1)
    return "\n".join(parts)


# ----------------------------------------------------------------------------- reading


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _chunks(text: str):
    """(first line, text) per question or $CATEGORY line; comments dropped."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if current:
                yield start, "\n".join(current)
                current = []
            continue
        if stripped.startswith("$CATEGORY:") and not current:
            yield number, stripped
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield start, "\n".join(current)


def _unescaped(text: str, chars: str) -> list[int]:
    """Positions of the characters in `chars` not preceded by a backslash escape."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            out.append(i)
        i += 1
    return out


def _split(text: str, sep: str) -> list[str]:
    parts, last = [], 0
    for i in _unescaped(text, sep[0]):
        if i >= last and text.startswith(sep, i):
            parts.append(text[last:i])
            last = i + len(sep)
    parts.append(text[last:])
    return parts


def _block(chunk: str, name: str, line: int) -> tuple[str, str, str]:
    """(text before, the answer block, text after) of one question; unbalanced braces fail."""
    braces = _unescaped(chunk, "{}")
    opens = [i for i in braces if chunk[i] == "{"]
    closes = [i for i in braces if chunk[i] == "}"]
    where = line + chunk[: braces[0]].count("\n") if braces else line
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        if not braces:
            raise _Skip("no answer block {...} (a description); skipped")
        problem = (
            "'{' is never closed"
            if len(opens) > len(closes)
            else "'}' without an opening '{'"
            if len(closes) > len(opens) or closes[0] < opens[0]
            else "more than one answer block"
        )
        raise ImportProblems([f"{name}:{where}: unbalanced braces: {problem}"])
    return chunk[: opens[0]], chunk[opens[0] + 1 : closes[0]], chunk[closes[0] + 1 :]


class _Skip(Exception):
    pass


def _answers(block: str) -> list[tuple[str, str]]:
    """(marker '=' or '~', text) per answer; a '%100%' weight counts as right."""
    marks = [i for i in _unescaped(block, "=~")]
    out = []
    for j, i in enumerate(marks):
        end = marks[j + 1] if j + 1 < len(marks) else len(block)
        body = _split(block[i + 1 : end], "#")[0].strip()
        weight = re.match(r"%(-?[\d.]+)%", body)
        mark = block[i]
        if weight:
            body = body[weight.end() :].strip()
            mark = "=" if float(weight.group(1)) >= 100 else "~"
        out.append((mark, clean(unescape(body))))
    return out


def _parse(chunk: str, name: str, line: int) -> Question:
    title = ""
    text = chunk.strip()
    if text.startswith("::"):
        ends = [i for i in _unescaped(text, ":") if i > 1 and text.startswith("::", i)]
        if not ends:
            raise ImportProblems([f"{name}:{line}: '::' title is never closed"])
        title, text = text[2 : ends[0]], text[ends[0] + 2 :]
    text = re.sub(r"^\s*\[(html|moodle|plain|markdown)\]", "", text)
    before, block, after = _block(text, name, line)
    parts = _split(block, "####")
    general = clean(unescape(parts[1])) if len(parts) > 1 else ""
    body = parts[0].strip()
    common = dict(name=clean(unescape(title)), feedback=general, line=line)
    prompt = clean(unescape(before))
    tail = clean(unescape(after))
    # Raw sides for a missing word: "in {=1956}." must come back as "in {{1956}}.".
    raw_before, raw_after = unescape(before).lstrip(), unescape(after).rstrip()
    if "->" in body:
        raise _Skip("matching questions have no quiz equivalent; skipped")
    if body.startswith("#"):
        raise _Skip("numerical questions have no quiz equivalent; skipped")
    head = _split(body, "#")[0].strip().lower()
    if head in _TRUE:
        return Question(type="truefalse", prompt=prompt, answer=_TRUE[head], **common)
    if not body:
        answer, _, rest = general.partition("\n\n")
        if answer.startswith("Answer: "):
            return Question(
                type="basic",
                prompt=prompt,
                answer=answer[8:].strip(),
                **{**common, "feedback": rest.strip()},
            )
        return Question(
            type="basic", prompt=prompt, answer="(no model answer in the file)", **common
        )
    answers = _answers(body)
    right = [t for m, t in answers if m == "=" and t]
    if not answers or not right:
        raise ImportProblems([f"{name}:{line}: answer block without a right answer (=...)"])
    if all(m == "=" for m, _ in answers):
        if tail:
            cloze = clean(raw_before + cloze_blank(right) + raw_after)
            return Question(type="cloze", prompt=cloze, **common)
        return Question(
            type="typed", prompt=prompt, answer=right[0], accept=tuple(right[1:]), **common
        )
    if len(right) != 1:
        raise _Skip("multiple-answer question has no quiz equivalent; skipped")
    shown = f"{prompt} {PLACEHOLDER} {tail}".strip() if tail else prompt
    return Question(
        type="mcq", prompt=shown, answer=right[0], choices=tuple(t for _, t in answers), **common
    )


def _join_parts(questions: list[Question]) -> list[Question]:
    """Cloze cards exported one question per blank, joined back into one card."""
    out: list[Question] = []
    i = 0
    while i < len(questions):
        q = questions[i]
        m = _PART.match(q.name)
        if m and q.type == "cloze" and m.group("k") == "1":
            n = int(m.group("n"))
            group = questions[i : i + n]
            names = [f"{m.group('id')} (blank {k} of {n})" for k in range(1, n + 1)]
            if [g.name for g in group] == names and all(g.type == "cloze" for g in group):
                prompt = q.prompt
                for g in group[1:]:
                    blank = BLANK_RE.search(g.prompt)
                    if PLACEHOLDER not in prompt or blank is None:
                        break
                    prompt = prompt.replace(PLACEHOLDER, blank.group(0), 1)
                else:
                    out.append(Question(**{**vars(q), "name": m.group("id"), "prompt": prompt}))
                    i += n
                    continue
        out.append(q)
        i += 1
    return out


def read_gift(data: bytes, name: str) -> Imported:
    text = decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    skipped: list[str] = []
    title = None
    for line, chunk in _chunks(text):
        if chunk.startswith("$CATEGORY:"):
            leaf = [p for p in chunk[10:].strip().replace("//", "\0").split("/") if p][-1:]
            title = title or (leaf[0].replace("\0", "/").strip() if leaf else None)
            continue
        try:
            questions.append(_parse(chunk, name, line))
        except _Skip as e:
            skipped.append(f"{name}:{line}: {e}")
    if not questions:
        raise ImportProblems(skipped[:1] or [f"{name}:1: no GIFT questions found"])
    return Imported(_join_parts(questions), skipped, title)
