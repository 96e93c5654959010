"""The study screen: one card at a time, answer, reveal, grade; FSRS decides what comes next.

Data safety: a grade is committed (StudySession.answer, one transaction) before the next card
is put on screen, so a crash or a killed terminal loses nothing already answered.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from quiz.content.deck import Deck
from quiz.store.errors import StoreError
from quiz.study.grading import Verdict
from quiz.study.queue import QueueItem
from quiz.study.scheduler import RATINGS
from quiz.study.session import StudySession
from quiz.study.step import StudyStep
from quiz.tui.model import LETTERS, Result, Tally, choice_order
from quiz.tui.notices import notify_leech
from quiz.tui.widgets.card_view import CardView, ChoiceFace
from quiz.tui.widgets.fast.answer_box import AnswerBox
from quiz.tui.widgets.fast.grade_bar import GradeBar, GradeRow
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar
from quiz.tui.widgets.feedback import feedback_content
from quiz.tui.widgets.summary import SessionSummary, summary_content

SPARE_BOXES = 2


class StudyScreen(Screen):
    # Focus is placed per card: the first answer box, or nothing (keys). "" and not None: None
    # means the app's "*", which on coming back from card info or the source would focus the
    # answer box of a revealed card, and the grade keys would type into it.
    AUTO_FOCUS = ""
    # Textual repaints the whole screen when focus moves (every typed or cloze card, twice),
    # though the widgets whose looks depend on focus are restyled and repainted on their own
    # (Screen._update_focus_styles): that full repaint was a third of such a card's frame.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS: ClassVar[list[BindingType]] = [
        # Two bindings per key where its meaning changes with the phase: check_action enables
        # one, so the footer always names what the key does now.
        Binding("enter", "reveal", "Reveal"),
        Binding("enter", "accept", "Accept grade"),
        Binding("space", "reveal", "Reveal", show=False),
        Binding("space", "accept", "Accept grade", show=False),
        *[
            Binding(str(r), f"grade({r})", name, show=False, tooltip="Grade the card")
            for r, name in RATINGS.items()
        ],
        *[
            Binding(
                k, f"pick({i})", f"Choice {k}", show=False, tooltip="Answer a multiple-choice card"
            )
            for i, k in enumerate(LETTERS)
        ],
        Binding("t", "truefalse(True)", "True", show=False, tooltip="Answer a true/false card"),
        Binding("f", "truefalse(False)", "False", show=False, tooltip="Answer a true/false card"),
        Binding("s", "source", "Source"),
        Binding("i", "info", "Info", tooltip="This card's reviews and FSRS state"),
        Binding("u", "undo", "Undo"),
        Binding("minus", "bury", "Bury", key_display="-", tooltip="Hide this card until tomorrow"),
        Binding("at", "suspend", "Suspend", key_display="@", tooltip="Never show this card again"),
        Binding("escape", "leave_input", "Leave the box"),
        Binding("up", "scroll(-1)", "Scroll", show=False),
        Binding("down", "scroll(1)", "Scroll", show=False),
        Binding("pageup", "scroll(-10)", "Scroll", show=False),
        Binding("pagedown", "scroll(10)", "Scroll", show=False),
        Binding("h", "home", "Home", tooltip="From the end-of-session summary"),
        Binding("q", "back", "Back"),
        Binding("q", "quit_app", "Quit"),
    ]

    def __init__(
        self,
        decks: list[Deck],
        *,
        standalone: bool = False,
        cram: list[tuple[str, str]] | None = None,
    ):
        super().__init__()
        self.decks = decks
        self.cram = cram  # (deck, card) keys: custom study of these, the schedule untouched
        self.standalone = standalone  # opened by `quiz study`: q quits instead of going home
        self.phase = "loading"  # loading | question | revealed | done
        self.item: QueueItem | None = None
        self.card_view: CardView | None = None
        self.counted = False  # the progress bar has had its first count
        self.grade_bar = GradeBar(id="grades")
        self.summary = SessionSummary(id="summary", classes="panel")
        self.choices: list[str] = []
        self.step: StudyStep | None = None  # the card on screen, from question to grade
        self.tally = Tally()
        self.history: list[str] = []  # mirrors the session's undo stack: answer | bury | suspend

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield CardView(id="panel", classes="panel")
        # Outside the scrolling card, so the grades and their intervals stay in view even
        # when a long explanation does not fit (80x24). The bar and the summary are mounted
        # when first needed (after the first card is drawn, at the end): fewer widgets to
        # style before the first card.
        yield GradeRow(id="grade-row")
        yield KeyFooter()

    def on_mount(self) -> None:
        app = self.app
        if self.cram is not None:
            from quiz.study.cram import CramSession

            self.title = "quiz · Custom study"
            self.sub_title = "cram: answers are recorded, the schedule is untouched"
            self.session = CramSession(
                app.store, app.learner, self.decks, self.cram, clock=app.clock
            )
        else:
            self.title = "quiz · Study"
            self.session = StudySession(app.store, app.learner, self.decks, clock=app.clock)
        self.deck_titles = {d.id: d.title for d in self.decks}
        self.card_view = self.query_one(CardView)
        self.show_next()
        # Counting what is left reads the whole queue once (bench/RESULTS.md has its cost): done
        # once the first card is on screen (after the next refresh was not always late enough),
        # then kept up to date per answer.
        self.set_timer(0.1, self.update_progress)
        self.call_after_refresh(self.mount_after_first_card)

    def mount_after_first_card(self) -> None:
        self.mount_grade_bar()
        # Mounting a box as a cloze card is shown takes a second frame: have enough for
        # the bundled decks' clozes (two blanks at most) before the learner needs them.
        self.card_view.add_boxes(SPARE_BOXES)

    def mount_grade_bar(self) -> None:
        row = self.query_one("#grade-row")
        if not self.grade_bar.parent and row.is_attached:  # (not while the app is closing)
            row.mount(self.grade_bar)

    # -- showing cards ----------------------------------------------------------------------

    def show_next(self) -> None:
        item = self.session.next_item()
        if item is None:
            self.show_summary()
        else:
            self.show_item(item)

    def show_item(self, item: QueueItem) -> None:
        """Put a card in the one CardView, updated in place: the next card is on screen in
        the frame after the answer (bench/RESULTS.md)."""
        self.item = item
        self.step = None
        card = item.card
        self.choices = (
            choice_order(item.deck_id, card, item.state.reps) if card.type == "mcq" else []
        )
        self.card_view.show(
            card,
            deck_title=self.deck_titles.get(item.deck_id, item.deck_id),
            status=item.status if self.cram is None else f"custom study · {item.status}",
            choices=self.choices,
        )
        self.card_view.feedback.clear()
        self.grade_bar.display = False
        self.card_view.display = True
        self.summary.display = False
        self.phase = "question"
        if self.counted:
            self.update_progress()
        self.card_view.scroll_home(animate=False)
        inputs = self.card_view.inputs
        self.focus_and_keys(inputs[0] if inputs else None)
        self.step = StudyStep(self.session, item)  # timed from here, as the card is up

    def focus_and_keys(self, widget: Widget | None) -> None:
        """Focus `widget` (None: the screen's keys) and have the footer name what the keys do
        in the new phase. A new focus refreshes the bindings by itself, at once (and again
        after the frame): refreshing them once more cost the typed cards a third footer
        update."""
        before = self.focused
        # (No scrolling a box into view after the frame: show_item has just scrolled the card
        # home.)
        self.set_focus(widget, scroll_visible=False)
        if self.focused is before:
            self.refresh_bindings()

    def update_progress(self) -> None:
        remaining = self.session.remaining()
        if self.phase == "question":
            remaining = max(remaining, 1)  # a learning card shown ahead of time is not yet "due"
        self.card_view.set_progress(self.tally.cards, remaining)
        self.counted = True

    def show_summary(self) -> None:
        self.item = None
        self.phase = "done"
        self.update_progress()
        self.card_view.display = False
        summary = self.summary
        if not summary.parent:
            self.mount(summary, before="#grade-row")
        summary.update(
            summary_content(self.tally, self.session.due_tomorrow(), standalone=self.standalone)
        )
        summary.display = True
        self.focus_and_keys(None)

    # -- answering --------------------------------------------------------------------------

    # What the step holds, read where the screen (and its tests) look for it.
    @property
    def verdict(self) -> Verdict | None:
        return self.step.verdict if self.step else None

    @property
    def given(self):
        return self.step.given if self.step else None

    @property
    def previews(self) -> dict:
        return self.step.previews if self.step else {}

    @property
    def suggested(self) -> int:
        return self.step.suggested if self.step else 3

    def reveal(self, given) -> None:
        """Grade what was given (None: not known) and show the answer and the grade buttons."""
        card = self.item.card
        verdict = self.step.reveal(given)
        answered = given not in (None, "", [])
        picked = right = None
        if card.type == "mcq":
            picked = self.choices.index(given) if answered else None
            right = self.choices.index(card.answer)
        elif card.type == "truefalse":
            picked = None if given is None else (0 if given else 1)
            right = 0 if card.answer else 1
        self.card_view.freeze(picked, right)
        source = card.source
        article = self.app.library.get(source.article) if source and source.article else None
        self.card_view.feedback.show(
            feedback_content(
                card, verdict, answered=answered, source_title=article.title if article else None
            )
        )
        self.mount_grade_bar()  # already there unless keys came before the first frame
        self.grade_bar.show(self.step.previews, self.step.suggested)
        self.phase = "revealed"
        self.focus_and_keys(None)
        # On a short terminal the answer may fall below the fold: bring it into view.
        self.call_after_refresh(self.card_view.feedback.scroll_visible, animate=False)

    def typed_given(self):
        answers = self.card_view.typed_answers()
        if self.item.card.type == "cloze":
            return answers if any(answers) else None
        return answers[0] if answers and answers[0] else None

    def action_reveal(self) -> None:
        if self.phase == "question":
            self.reveal(self.typed_given() if self.card_view.inputs else None)

    @on(AnswerBox.Submitted, ".answer-input")
    def submitted(self, event: AnswerBox.Submitted) -> None:
        event.stop()
        if self.phase != "question":
            return
        following = self.card_view.next_empty_blank(event.box) if event.value.strip() else None
        if following is not None:  # cloze: Enter walks to the next empty blank first
            following.focus()
        else:
            self.reveal(self.typed_given())

    def action_pick(self, index: int) -> None:
        if self.phase == "question" and index < len(self.choices):
            self.reveal(self.choices[index])

    def action_truefalse(self, value: bool) -> None:
        if self.phase == "question" and self.item.card.type == "truefalse":
            self.reveal(value)

    @on(ChoiceFace.Picked)
    def clicked_choice(self, event: ChoiceFace.Picked) -> None:
        if self.item.card.type == "truefalse":
            self.action_truefalse(event.index == 0)
        else:
            self.action_pick(event.index)

    def action_accept(self) -> None:
        self.action_grade(self.step.suggested)

    @on(GradeBar.Graded)
    def clicked_grade(self, event: GradeBar.Graded) -> None:
        self.action_grade(event.rating)

    def action_grade(self, rating: int) -> None:
        if self.phase != "revealed":
            return
        try:
            graded = self.step.grade(rating)
        except StoreError as e:  # nothing advances: the learner can grade again
            self.notify(str(e), title="Not saved", severity="error", markup=False)
            return
        self.tally.add(Result(graded.rating, graded.correct, graded.duration_ms))
        self.history.append("answer")
        self.notify_leech()
        self.show_next()

    def notify_leech(self) -> None:
        leech = getattr(self.session, "last_leech", None)
        if leech is None:
            return
        notify_leech(self, self.session.learner)  # the rule the answer applied

    # -- other card actions -----------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.session.can_undo():
            self.notify("Nothing to undo in this session.")
            return
        try:
            item = self.session.undo()
        except StoreError as e:
            self.notify(str(e), title="Undo failed", severity="error", markup=False)
            return
        kind = self.history.pop() if self.history else None
        if kind == "answer":
            self.tally.drop_last()
        if item is not None:
            self.show_item(item)
        done = {"answer": "Answer undone", "bury": "Unburied", "suspend": "Unsuspended"}
        self.notify(done.get(kind, "Undone"))

    def action_bury(self) -> None:
        self._set_aside("bury", "Buried until tomorrow")

    def action_suspend(self) -> None:
        self._set_aside("suspend", "Suspended (u undoes it)")

    def _set_aside(self, kind: str, message: str) -> None:
        if self.phase not in ("question", "revealed"):
            return
        try:
            getattr(self.session, kind)(self.item)
        except StoreError as e:
            self.notify(str(e), severity="error", markup=False)
            return
        self.history.append(kind)
        self.notify(message)
        self.show_next()

    def action_source(self) -> None:
        from quiz.tui.screens.reader import open_source

        open_source(self, self.item.card if self.item else None)

    def action_info(self) -> None:
        from quiz.tui.screens.card_info import CardInfoScreen

        if self.item is not None:
            self.app.push_screen(CardInfoScreen(self.item.deck_id, self.item.card.id))

    def action_scroll(self, lines: int) -> None:
        self.card_view.scroll_relative(y=lines, animate=False)

    def action_leave_input(self) -> None:
        if isinstance(self.focused, AnswerBox):
            self.set_focus(None)

    # -- leaving ----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.leave()

    def action_quit_app(self) -> None:
        self.app.exit()

    def action_home(self) -> None:
        self.app.go_home()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        phase = self.phase
        card = self.item.card if self.item else None
        if action == "reveal":
            return phase == "question"
        if action in ("accept", "grade"):
            return phase == "revealed"
        if action == "pick":
            return phase == "question" and card.type == "mcq" and parameters[0] < len(self.choices)
        if action == "truefalse":
            return phase == "question" and card.type == "truefalse"
        if action == "source":
            return phase == "revealed" and card.source is not None and bool(card.source.article)
        if action == "info":
            return phase == "revealed"
        if action in ("bury", "suspend"):
            if self.cram is not None:
                return False  # custom study changes no card's schedule, burying included
            # While an answer box has focus these keys type into it; say so in the footer.
            return phase in ("question", "revealed") and not isinstance(self.focused, AnswerBox)
        if action == "leave_input":
            return isinstance(self.focused, AnswerBox)
        if action == "home":
            return phase == "done"
        if action == "back":
            return not self.standalone
        if action == "quit_app":
            return self.standalone
        return True
