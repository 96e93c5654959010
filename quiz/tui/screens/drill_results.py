"""The end of a drill: the score, every question with its right answer and source, and what to
review. Also the building blocks the drill and presenter screens use to show an answer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz.classroom.drill import Answer, Question, Results
from quiz.content.articles import Library
from quiz.tui.model import cloze_display, elapsed_text
from quiz.tui.widgets.fast.key_footer import KeyFooter


def prompt_text(question: Question) -> str:
    card = question.card
    return cloze_display(card.prompt) if card.type == "cloze" else card.prompt


def source_content(question: Question, library: Library) -> Content:
    """The explanation and the cited passage, all plain text. `library` is the app's (QuizApp
    library=), where the article titles come from."""
    card = question.card
    parts = []
    if card.explanation:
        parts.append(Content(card.explanation))
    src = card.source
    if src is not None and src.quote:
        article = library.get(src.article) if src.article else None
        where = article.title if article is not None else (src.article or "")
        parts.append(
            Content.assemble(
                ("Source: ", "bold"),
                ("“" + src.quote + "”", "italic"),
                ("  — " + where if where else "", "dim"),
            )
        )
    elif src is not None and src.imported:
        parts.append(Content.assemble(("Source: ", "bold"), (src.imported, "dim")))
    return Content("\n").join(parts)


def verdict_content(question: Question, answer: Answer | None) -> Content:
    """✓/✗, what was given and the right answer."""
    expected = question.card.answer_text()
    if answer is None:
        return Content.assemble(
            ("– not answered", "bold $warning"), "  Answer: ", (expected, "bold")
        )
    if answer.correct:
        return Content.assemble(("✓ Right", "bold $success"), "  ", (expected, "bold"))
    given = "(time ran out)" if answer.timed_out else answer.given
    return Content.assemble(
        ("✗ Wrong", "bold $error"), "  You: ", given, "   Answer: ", (expected, "bold")
    )


class DrillResultsScreen(Screen[None]):
    """Shown once the last question is answered (or when a finished drill is opened again)."""

    CSS_PATH = "classroom.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not Enter: a learner still pressing Enter for "next question" would skip the results.
        Binding("escape,q", "close", "Done"),
    ]

    def __init__(self, results: Results, *, learner: str = "", note: str = ""):
        super().__init__()
        self.results = results
        self.learner = learner
        self.note = note

    def compose(self) -> ComposeResult:
        r = self.results
        with VerticalScroll(id="results"):
            yield Static(
                Content.assemble(
                    ("Score ", "bold"),
                    (f"{r.score} / {r.total}", "bold $accent"),
                    f"   ({round(100 * r.accuracy)}%)",
                    ("   " + self.learner, "dim") if self.learner else "",
                ),
                id="results-score",
            )
            if self.note:
                yield Static(Content(self.note), id="results-note")
            spent = sum(a.duration_ms for a in r.answers.values())
            yield Static(
                Content(f"Time spent: {elapsed_text(spent)} (time never changes the score)"),
                classes="results-hint",
            )
            review = r.to_review()
            if review:
                lines = [Content.styled("What to review", "bold")]
                for item in review:
                    tags = f" (tags: {', '.join(item.tags)})" if item.tags else ""
                    lines.append(Content(f"• {item.deck_id}: {item.missed} missed{tags}"))
                yield Static(Content("\n").join(lines), id="results-review")
            else:
                yield Static(
                    Content.styled("Nothing missed: well done.", "bold $success"),
                    id="results-review",
                )
            for q in r.questions:
                answer = r.answers.get(q.number)
                yield Static(
                    Content.assemble((f"{q.number}. ", "bold"), prompt_text(q)),
                    classes="results-prompt",
                )
                yield Static(verdict_content(q, answer), classes="results-verdict")
                yield Static(source_content(q, self.app.library), classes="results-source")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#results").focus()  # arrows and page keys scroll the questions

    def action_close(self) -> None:
        self.dismiss(None)
