"""One card's history for the current learner (`i` in the browser, and on the study screen
after the reveal): its FSRS state now, every study, cram and reset answer, and its drill answers
apart."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from quiz.study.card_actions import UnknownCard
from quiz.study.card_info import CardInfo, ReviewLine, card_info
from quiz.study.scheduler import RATINGS
from quiz.text import plain
from quiz.tui.screens.first_screen import close
from quiz.tui.widgets.card_table import interval_label
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar

REVIEW_COLUMNS = ("Date", "Kind", "Rating", "Answer given", "Right", "Time", "Interval")


def when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else "—"


def review_cells(line: ReviewLine) -> list[Text]:
    # Text cells: a DataTable reads str as markup, and the answer given is the learner's.
    right = {True: "yes", False: "no", None: "—"}[line.correct]
    given = " ".join(plain(line.given).split()) if line.given else "—"
    seconds = f"{line.duration_ms / 1000:.1f}s" if line.duration_ms is not None else "—"
    rating = RATINGS.get(line.rating, "—") if line.rating is not None else "—"
    return [
        Text(when(line.reviewed_at)),
        Text(line.mode),
        Text(rating),
        Text(given, overflow="ellipsis", no_wrap=True),
        Text(right),
        Text(seconds, justify="right"),
        Text(interval_label(line.interval_days), justify="right"),
    ]


def facts(info: CardInfo) -> Content:
    def number(value: float | None, fmt: str) -> str:
        return "—" if value is None else format(value, fmt)

    flags = [
        name
        for name, on in (
            ("leech", info.leech),
            ("suspended", info.suspended),
            ("buried", info.buried),
        )
        if on
    ]
    pairs = [
        ("State", info.state + (f" ({', '.join(flags)})" if flags else "")),
        ("Stability", number(info.stability, ".2f") + (" days" if info.stability else "")),
        ("Difficulty", number(info.difficulty, ".2f")),
        ("Recall now", "—" if info.retrievability is None else f"{info.retrievability:.0%}"),
        ("Next due", when(info.due)),
        ("Reviews", str(info.reps)),
        ("Lapses", str(info.lapses)),
    ]
    return Content("\n").join(
        [Content.assemble((f"{label:<11}", "dim"), value) for label, value in pairs]
    )


class CardInfoScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", key_display="Esc"),
        Binding("q", "close", "Back", show=False),
    ]

    def __init__(self, deck_id: str, card_id: str):
        super().__init__()
        self.deck_id = deck_id
        self.card_id = card_id
        self.info: CardInfo | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="card-info", classes="panel"):
            yield Static(id="info-head")
            yield Static(id="info-facts")
            yield Static("Reviews", classes="info-section")
            yield DataTable(id="info-reviews", cursor_type="row", zebra_stripes=True)
            yield Static("Drill answers", classes="info-section")
            yield DataTable(id="info-drills", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        app = self.app
        self.title = "quiz · Card info"
        self.sub_title = f"{self.deck_id}:{self.card_id}"
        try:
            self.info = info = card_info(
                app.store, app.learner, self.deck_id, self.card_id, app.clock()
            )
        except UnknownCard as e:
            self.query_one("#info-head", Static).update(Content(str(e)))
            return
        self.query_one("#info-head", Static).update(
            Content.assemble(
                (plain(info.deck_id), "bold"), "  ·  ", info.type, "\n", plain(info.prompt)
            )
        )
        self.query_one("#info-facts", Static).update(facts(info))
        for table_id, lines, empty in (
            ("#info-reviews", info.reviews, "No reviews yet."),
            ("#info-drills", info.drill_answers, "No drill answers."),
        ):
            table = self.query_one(table_id, DataTable)
            table.add_columns(*[Text(c) for c in REVIEW_COLUMNS])
            for line in lines:
                table.add_row(*review_cells(line))
            if not lines:
                table.display = False
                table.parent.mount(Static(empty, classes="info-empty"), after=table)
        self.query_one("#info-reviews", DataTable).focus()

    def action_close(self) -> None:
        close(self)
