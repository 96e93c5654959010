"""Authoring: write cards from an article, the quote selected from its text (verbatim by
construction), checked as `quiz lint` checks it, previewed as the study screen shows it, and
saved into the deck file with its comments and order kept (quiz.content.deck_writer)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from quiz.content.articles import Article
from quiz.content.coverage import coverage
from quiz.content.deck import CARD_TYPES, Card, Deck, Source, read_deck_file
from quiz.content.deck_writer import CardDraft, DeckWriteError, save_card
from quiz.content.paragraphs import article_paragraphs
from quiz.text import plain
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.card_view import CardView
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar

_SENTENCE = re.compile(r"[^.!?]*[.!?]+[\"'”’)]*\s*|[^.!?]+$")
_NEXT_WORD = re.compile(r"\s*\S+")


def split_list(text: str) -> tuple[str, ...]:
    """Choices, accepted answers and tags are typed on one line, separated by '|'."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


class Passage(TextArea):
    """The paragraph, read-only: select the quote with shift+arrows, the mouse, or by sentence
    and word."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "sentence(1)", "Next sentence", key_display="]"),
        Binding("left_square_bracket", "sentence(-1)", "Previous sentence", key_display="["),
        Binding("plus,equals_sign", "grow(1)", "Extend a word", key_display="+"),
        Binding("minus", "grow(-1)", "Shrink a word", key_display="-"),
    ]

    def offsets(self) -> tuple[int, int]:
        start, end = sorted((self.selection.start, self.selection.end))
        doc = self.document
        return _offset(doc.text, start), _offset(doc.text, end)

    def select_offsets(self, start: int, end: int) -> None:
        from textual.widgets.text_area import Selection

        text = self.document.text
        self.selection = Selection(_location(text, start), _location(text, end))

    def action_sentence(self, step: int) -> None:
        text = self.document.text
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
        if not spans:
            return
        start, end = self.offsets()
        if step > 0:
            nxt = next((s for s in spans if s[0] >= end), None) if start != end else None
            nxt = nxt or next((s for s in spans if s[1] > start), spans[-1])
        else:
            nxt = next((s for s in reversed(spans) if s[1] <= start), spans[0])
        self.select_offsets(nxt[0], len(text[: nxt[1]].rstrip()))

    def action_grow(self, step: int) -> None:
        """Extend the selection by the next word, or shrink it by its last word."""
        text = self.document.text
        start, end = self.offsets()
        if step > 0:
            if start == end:
                start += len(text[start:]) - len(text[start:].lstrip())
            m = _NEXT_WORD.match(text, end if end > start else start)
            if m is not None:
                self.select_offsets(start, m.end())
        else:
            chosen = text[start:end].rstrip()
            cut = max(chosen.rfind(" "), chosen.rfind("\n"))
            self.select_offsets(start, start + len(chosen[:cut].rstrip()) if cut > 0 else start)


def _offset(text: str, location: tuple[int, int]) -> int:
    row, col = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + col


def _location(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


class AuthorScreen(Screen):
    CSS_PATH = "author.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save card"),
        Binding("ctrl+n", "new_card", "New card"),
        Binding("ctrl+e", "edit_next", "Edit a card here"),
        Binding("ctrl+r", "preview", "Preview"),
        Binding("escape", "close", "Back", key_display="Esc"),
    ]

    def __init__(
        self, article: Article, deck_path: Path | None = None, *, edit_card: str | None = None
    ):
        super().__init__()
        self.article = article
        self.edit_card = edit_card  # a card of the deck to open in the form (from the browser)
        self.deck_path = deck_path  # None: the library's deck for this article (on mount)
        self.deck_id = ""
        self.deck_title = article.title
        self.paras = article_paragraphs(article)
        self.editing: str | None = None  # the id of the card being edited (never changes)
        self.deck: Deck | None = None
        self.cards_by_para: dict[int, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="author"):
            with Vertical(id="author-article"):
                yield OptionList(id="author-paras")
                yield Passage(id="author-passage", read_only=True, soft_wrap=True)
            with VerticalScroll(id="author-form"):
                yield Label("Type")
                yield Select(
                    [(t, t) for t in CARD_TYPES], value="typed", allow_blank=False, id="f-type"
                )
                yield Input(placeholder="card id (kebab-case)", id="f-id")
                yield Input(placeholder="prompt (cloze: {{blanks}} in it)", id="f-prompt")
                yield Input(placeholder="answer (truefalse: true or false)", id="f-answer")
                yield Input(placeholder="accepted variants, separated by |", id="f-accept")
                yield Input(placeholder="choices (mcq), separated by |", id="f-choices")
                yield Input(placeholder="explanation", id="f-explanation")
                yield Input(placeholder="tags, separated by |", id="f-tags")
                yield Static(id="author-quote")
                yield Static(id="author-errors")
                yield CardView(id="author-preview", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        ensure_css(self)
        self.deck_path, self.deck_id, self.deck_title = deck_target(
            self.article, self.app.decks, self.deck_path
        )
        self.title = "quiz · Write cards"
        self.sub_title = f"{self.article.title} → {self.deck_path.name}"
        self.call_after_refresh(self.start)

    def start(self) -> None:
        self.query_one("#author-form").can_focus = False  # Tab goes field to field
        self.reload()
        card, first = self.card_to_edit()
        paras = self.query_one("#author-paras", OptionList)
        paras.focus()
        if self.paras:
            paras.highlighted = first
        self.show_paragraph(first)
        if card is not None:
            self.edit(card)
        self.action_preview()

    def card_to_edit(self) -> tuple[Card | None, int]:
        """The card asked for (edit_card) and the index of the paragraph its quote is in."""
        if self.edit_card is None:
            return None, 0
        card = (
            next((c for c in self.deck.cards if c.id == self.edit_card), None)
            if self.deck
            else None
        )
        if card is None:
            self.notify(f"No card '{self.edit_card}' in {self.deck_path}", markup=False)
            return None, 0
        quote = card.source.quote if card.source else None
        span = self.app.library.locate(self.article.id, quote) if quote else None
        at = next((i for i, p in enumerate(self.paras) if span and p.start <= span[0] < p.end), 0)
        return card, at

    # -- the article -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the deck file again (after a save) and recount each paragraph's cards."""
        self.deck = None
        if self.deck_path.exists():
            try:
                self.deck = read_deck_file(self.deck_path, self.app.library).deck
            except Exception:  # unreadable: counted as empty; save reports the real problem
                self.deck = None
        others = [d for d in self.app.decks if Path(d.path) != self.deck_path]
        decks = [*others, *([self.deck] if self.deck else [])]
        (report,) = coverage(self.app.library, decks, [self.article.id])
        self.cards_by_para = {i.paragraph.index: i.cards for i in report.items}
        paras = self.query_one("#author-paras", OptionList)
        keep = paras.highlighted
        paras.clear_options()
        paras.add_options([self.para_option(p) for p in self.paras])
        if keep is not None:
            paras.highlighted = keep

    def para_option(self, p) -> Option:
        cards = self.cards_by_para.get(p.index, [])
        if cards:
            mark = Content.styled(f"¶{p.index:<3} taught {len(cards)}  ", "green")
        elif p.substantive:
            mark = Content.styled(f"¶{p.index:<3} not taught  ", "yellow")
        else:
            mark = Content.styled(f"¶{p.index:<3} (furniture) ", "dim")
        words = " ".join(p.text.split())
        return Option(mark + Content(plain(words[:70] + ("…" if len(words) > 70 else ""))))

    @on(OptionList.OptionHighlighted, "#author-paras")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_paragraph(event.option_index)

    @on(OptionList.OptionSelected, "#author-paras")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one(Passage).focus()

    def show_paragraph(self, index: int) -> None:
        if not self.paras or getattr(self, "para", None) is self.paras[index]:
            # (Shown already: the highlight's message comes after start() showed it, and
            # loading the text again would drop the quote selected for a card being edited.)
            return
        self.para = self.paras[index]
        passage = self.query_one(Passage)
        passage.load_text(self.para.text)
        self.update_quote()

    @on(TextArea.SelectionChanged)
    def update_quote(self) -> None:
        quote = self.quote()
        shown = Content.styled("Quote: ", "bold") + (
            Content(plain(quote))
            if quote
            else Content.styled("select a passage in the text", "dim")
        )
        self.query_one("#author-quote", Static).update(shown)

    def quote(self) -> str:
        passage = self.query_one(Passage)
        start, end = passage.offsets()
        return self.para.text[start:end].strip() if start != end else ""

    # -- the form --------------------------------------------------------------------------

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def draft(self) -> CardDraft:
        ctype = self.query_one("#f-type", Select).value
        answer: str | bool | None = self.value("answer")
        if ctype == "truefalse":
            answer = {"true": True, "false": False}.get(answer.lower(), answer)
        return CardDraft(
            id=self.editing or self.value("id"),
            type=str(ctype),
            prompt=self.value("prompt"),
            article=self.article.id,
            quote=self.quote() or self.editing_quote,
            answer=answer,
            explanation=self.value("explanation"),
            accept=split_list(self.value("accept")),
            choices=split_list(self.value("choices")),
            tags=split_list(self.value("tags")),
        )

    editing_quote = ""  # the edited card's quote, kept unless a new passage is selected

    @on(Input.Changed)
    @on(Select.Changed)
    def action_preview(self) -> None:
        d = self.draft()
        card = Card(
            id=d.id or "new-card",
            type=d.type,
            prompt=d.prompt or "(prompt)",
            answer=d.answer if d.type != "cloze" else None,
            explanation=d.explanation,
            accept=d.accept,
            choices=d.choices,
            source=Source(d.article, d.quote),
        )
        view = self.query_one(CardView)
        view.show(card, deck_title=self.deck_title, status="preview", choices=list(card.choices))
        for box in view.inputs:  # a picture of the card: its answer boxes take no keys here
            box.can_focus = False

    def action_save(self) -> None:
        errors = self.query_one("#author-errors", Static)
        draft = self.draft()
        if not draft.quote:
            errors.update(Content.styled("Select the passage the card is about first.", "red"))
            return
        try:
            problems = save_card(
                self.deck_path, draft, self.app.library, deck_id=self.deck_id, title=self.deck_title
            )
        except DeckWriteError as e:
            errors.update(Content.styled(str(e), "red"))
            return
        if problems:
            lines = [f"{p.message}" for p in problems]
            errors.update(Content.styled("\n".join(lines), "red"))
            return
        errors.update(Content(""))
        verb = "Updated" if self.editing else "Saved"
        self.notify(f"{verb} card '{draft.id}' in {self.deck_path}", markup=False)
        self.reload()
        self.action_new_card()

    def action_new_card(self) -> None:
        self.editing = None
        self.editing_quote = ""
        for name in ("id", "prompt", "answer", "accept", "choices", "explanation", "tags"):
            self.query_one(f"#f-{name}", Input).value = ""
        self.query_one("#f-id", Input).disabled = False
        self.query_one("#author-errors", Static).update(Content(""))

    def action_edit_next(self) -> None:
        """Fill the form with the next card of this deck citing the current paragraph."""
        keys = [
            k
            for k in self.cards_by_para.get(self.para.index, [])
            if k.startswith(f"{self.deck_id}:")
        ]
        if not keys or self.deck is None:
            self.notify("No card of this deck cites this paragraph.", markup=False)
            return
        ids = [k.split(":", 1)[1] for k in keys]
        after = ids.index(self.editing) + 1 if self.editing in ids else 0
        card = next(c for c in self.deck.cards if c.id == ids[after % len(ids)])
        self.edit(card)

    def edit(self, card: Card) -> None:
        self.action_new_card()
        self.editing = card.id
        self.editing_quote = card.source.quote if card.source and card.source.quote else ""
        self.query_one("#f-type", Select).value = card.type
        fields = {
            "id": card.id,
            "prompt": card.prompt,
            "answer": ""
            if card.type == "cloze"
            else str(card.answer).lower()
            if card.type == "truefalse"
            else str(card.answer),
            "accept": " | ".join(card.accept),
            "choices": " | ".join(card.choices),
            "explanation": card.explanation,
            "tags": " | ".join(card.tags),
        }
        for name, value in fields.items():
            self.query_one(f"#f-{name}", Input).value = value
        self.query_one("#f-id", Input).disabled = True  # progress is keyed on the id
        span = self.app.library.locate(self.article.id, self.editing_quote)
        if span and self.para.start <= span[0] and span[1] <= self.para.end:
            self.query_one(Passage).select_offsets(
                span[0] - self.para.start, span[1] - self.para.start
            )

    def action_close(self) -> None:
        close(self)


def deck_target(article: Article, decks: list[Deck], path: Path | None) -> tuple[Path, str, str]:
    """(file, deck id, title) cards are saved to: the file given, or by default the library's
    deck named after the article (a new id if a bundled deck has the article's)."""
    if path is None:
        from quiz.content.library import user_library

        path = user_library().decks_dir / f"{article.id}.yaml"
    resolved = path.resolve()
    deck = next((d for d in decks if Path(d.path).resolve() == resolved), None)
    if deck is not None:
        return path, deck.id, deck.title
    if path.exists():  # a deck file the app did not load (it has problems): its own header
        try:
            import yaml

            head = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("deck") or {}
            return path, str(head.get("id") or path.stem), str(head.get("title") or article.title)
        except Exception:
            pass
    taken = {d.id for d in decks}
    stem = path.stem if path.stem and path.stem != article.id else article.id
    deck_id = stem if stem not in taken else f"my-{stem}"
    return path, deck_id, article.title


class ArticlePicker(ModalScreen):
    CSS_PATH = "author.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back", key_display="Esc")
    ]

    def __init__(self, articles: list[Article]):
        super().__init__()
        self.articles = articles

    def compose(self) -> ComposeResult:
        with Vertical(id="article-picker", classes="panel"):
            yield Label("Write cards from which article?")
            yield OptionList(
                *[Option(Content(plain(a.title)), id=a.id) for a in self.articles], id="picker"
            )

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        app = self.app
        app.pop_screen()
        app.push_screen(AuthorScreen(app.library.get(event.option.id)))


def from_home(app) -> Screen:
    """Home's way in: pick an article, then write cards from it."""
    return ArticlePicker(list(app.library.articles.values()))
