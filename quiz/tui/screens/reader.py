"""The article behind a card, scrolled to the quoted passage, which is highlighted; `m` shows
how well the learner knows each paragraph (quiz.study.mastery)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz.content.articles import Article
from quiz.content.paragraphs import article_paragraphs
from quiz.study.mastery import ParagraphMastery
from quiz.text import plain
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar

HIGHLIGHT = "reverse bold"


def paragraph_content(offset: int, text: str, span: tuple[int, int] | None) -> tuple[Content, bool]:
    """The paragraph with the part of `span` that falls inside it highlighted."""
    content = Content(plain(text))
    if span is None:
        return content, False
    start, end = max(span[0], offset) - offset, min(span[1], offset + len(text)) - offset
    if start >= end:
        return content, False
    # plain() only drops control characters, which never occur inside a located quote, so
    # offsets before the quote may shift by the (rare) control characters removed before it.
    shift = len(text[:start]) - len(plain(text[:start]))
    return content.stylize(HIGHLIGHT, start - shift, end - shift), True


LEGEND = Content.assemble(
    ("What you know here: ", "bold"),
    ("known", "$success"),
    " · ",
    ("shaky", "$warning"),
    " · ",
    ("not yet", "$error"),
    " · ",
    ("untaught", "$text-muted"),
)


def mastery_label(m: ParagraphMastery) -> str:
    if m.level == "untaught":
        return "▌ untaught"
    recall = f", recall {m.recall:.0%}" if m.recall is not None else ""
    return f"▌ {m.level} · {m.studied} of {m.cards} cards studied{recall}"


class ReaderScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the card", key_display="Esc"),
        Binding("q", "close", "Back to the card"),
        Binding("n", "next_mark", "To the quote"),
        Binding("m", "mastery", "Mastery"),
    ]

    def __init__(
        self,
        article: Article,
        span: tuple[int, int] | None,
        mastery: list[ParagraphMastery] | None = None,
    ):
        super().__init__()
        self.article = article
        self.span = span
        # Worked out before the screen opens (one query): the toggle then only flips a class,
        # so it shows within a frame even on the longest article.
        self.mastery = {m.paragraph.index: m for m in mastery or []}
        self.showing_mastery = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        a = self.article
        byline = " · ".join(plain(x) for x in (a.author, a.publication, a.date) if x)
        with VerticalScroll(id="reader"):
            yield Static(Content.styled(plain(a.title), "bold"), classes="reader-title")
            if byline:
                yield Static(Content.styled(byline, "dim"), classes="reader-byline")
            if self.span is None:
                yield Static(
                    Content.styled("(The quoted passage was not found in this text.)", "italic"),
                    classes="reader-byline",
                )
            if self.mastery:
                yield Static(LEGEND, classes="reader-legend")
            for p in article_paragraphs(a):
                content, marked = paragraph_content(p.start, p.text, self.span)
                level = self.mastery.get(p.index)
                if level and level.level == "untaught" and not p.substantive:
                    level = None  # a headline or a byline: nothing to teach, nothing to mark
                level_class = f" -m-{level.level.replace(' ', '-')}" if level else ""
                if level:
                    yield Static(mastery_label(level), classes="reader-mastery" + level_class)
                yield Static(content, classes="reader-para" + (" -quote" if marked else ""))
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "quiz · Source"
        self.sub_title = self.article.title
        self.query_one("#reader", VerticalScroll).focus()
        self.call_after_refresh(self.action_next_mark)

    def action_next_mark(self) -> None:
        marked = self.query(".-quote")
        if marked:
            scroll = self.query_one("#reader", VerticalScroll)
            scroll.scroll_to_center(marked.first(), animate=False)

    def action_mastery(self) -> None:
        if not self.mastery:
            self.notify("No learner's progress to show for this article.")
            return
        # Only the labels change (display, not a class on an ancestor): a class would make
        # Textual style every paragraph again, which costs a frame on a long article.
        self.showing_mastery = not self.showing_mastery
        for widget in self.query(".reader-legend, .reader-mastery"):
            widget.display = self.showing_mastery

    def action_close(self) -> None:
        self.dismiss()


def open_source(screen: Screen, card) -> None:
    """Open the article `card` cites at its quote, with the learner's mastery by paragraph (the
    study screen's s and the browser's s), or say the card has none."""
    from quiz.study.mastery import paragraph_mastery

    app = screen.app
    source = card.source if card is not None else None
    article = app.library.get(source.article) if source and source.article else None
    if article is None:
        screen.notify("This card has no source article.")
        return
    span = app.library.locate(article.id, source.quote)
    mastery = paragraph_mastery(app.store, app.learner, article, app.clock())
    app.push_screen(ReaderScreen(article, span, mastery))
