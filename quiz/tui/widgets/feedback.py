"""What the learner sees after the reveal: the verdict, the right answer, their answer with its
differences marked, the explanation and the source quote. Built as Content, never markup."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from quiz.content.deck import Card
from quiz.study.grading import Verdict, diff_marks
from quiz.text import plain
from quiz.tui.model import cloze_revealed
from quiz.tui.widgets.fast.one_layout import OneLayout

RIGHT = "bold $text-success"
WRONG = "bold $text-error"
MARKS = {"same": "", "wrong": "$text-error strike", "missing": "$text-success underline"}


def verdict_line(card: Card, verdict: Verdict, answered: bool) -> Content:
    if not card.objective:
        return Content.styled("Compare with what you recalled, then grade yourself.", "italic")
    if not answered:
        return Content.styled("✗ Not answered", WRONG)
    if verdict.correct and verdict.close:
        return Content.assemble(("✓ Right", RIGHT), ("  (one typo forgiven)", "dim"))
    if verdict.correct:
        return Content.styled("✓ Right", RIGHT)
    return Content.styled("✗ Not right", WRONG)


def answer_content(card: Card) -> Content:
    if card.type == "cloze":
        return Content.assemble(
            *[
                (plain(text), "bold underline" if is_answer else "")
                for text, is_answer in cloze_revealed(card)
            ]
        )
    return Content.styled(plain(card.answer_text()), "bold")


def given_content(card: Card, verdict: Verdict) -> Content:
    """The learner's answer; for typed text, what went astray marked letter by letter."""
    given = plain(verdict.given)
    if card.type in ("typed", "cloze") and not (verdict.correct and not verdict.close):
        marks = diff_marks(verdict.given, verdict.expected)
        same = sum(len(text) for kind, text in marks if kind == "same")
        # Letter-level marks help with a near miss; an answer sharing little with the right
        # one would come out as confetti, so it is simply struck through.
        if same * 2 >= max(len(verdict.given), len(verdict.expected)):
            return Content.assemble(*[(plain(text), MARKS[kind]) for kind, text in marks])
    if verdict.correct is False:
        return Content.styled(given, "$text-error strike")
    return Content(given)


def feedback_content(
    card: Card, verdict: Verdict, *, answered: bool, source_title: str | None
) -> Content:
    def label(text: str) -> tuple[str, str]:
        return f"{text:<8}", "dim"

    lines = [verdict_line(card, verdict, answered), Content("")]
    lines.append(Content.assemble(label("Answer"), answer_content(card)))
    if answered and card.objective:
        lines.append(Content.assemble(label("You"), given_content(card, verdict)))
    if card.explanation:
        lines += [Content(""), Content(plain(card.explanation))]
    source = card.source
    if source is not None and source.quote:
        title = plain(source_title or source.article or "")
        lines += [
            Content(""),
            Content.styled(title, "bold $text-accent"),
            Content.styled(f"“{plain(source.quote).strip()}”", "italic"),
        ]
    elif source is not None and source.imported:
        lines += [Content(""), Content.assemble(label("From"), plain(source.imported))]
    return Content("\n").join(lines)


class Feedback(OneLayout, Static):
    def show(self, content: Content) -> None:
        self.update(content)
        self.display = True

    def clear(self) -> None:
        self.update("")
        self.display = False
