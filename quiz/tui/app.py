"""QuizApp: owns the store handle and the learner, and opens the first screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from quiz.content.articles import Library
from quiz.content.deck import Deck
from quiz.content.library import current_library
from quiz.store.connection import Store
from quiz.store.learners import Learner
from quiz.store.times import now_utc
from quiz.tui.idle_gc import CHECK_EVERY, IdleCollector

CHECKPOINT_CEILING = 200  # answers (about 3,000 WAL pages) before a checkpoint runs regardless


class QuizApp(App):
    CSS_PATH = "quiz.tcss"
    TITLE = "quiz"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Keys", key_display="?")
    ]
    # Screens get -short below 30 rows: quiz.tcss tightens the spacing so 80x24 fits a card.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]

    learner: reactive[Learner] = reactive(None, init=False, always_update=False)

    def __init__(
        self,
        store: Store,
        learner: Learner,
        decks: list[Deck],
        start: str = "home",
        start_screen_factory: Callable[[], Screen] | None = None,
        *,
        library: Library | None = None,
        clock: Callable[[], datetime] = now_utc,
        after_first_frame: Callable[[], None] | None = None,
    ):
        super().__init__()
        self.store = store
        self.decks = list(decks)
        self.library = library or current_library()
        self.clock = clock  # fixed in tests, so intervals and counts are reproducible
        self.start = start
        self.start_screen_factory = start_screen_factory
        # Work that need not delay the first card (the deck cache's writes, quiz.cli.launch).
        self.after_first_frame = after_first_frame
        self.collector = IdleCollector()
        self.set_reactive(QuizApp.learner, learner)
        self.sub_title = learner.name

    def get_default_screen(self) -> Screen:
        from quiz.tui.served import first_screen, served

        self.served = served()  # a tab of `quiz serve`: a learner, behind the class password
        return first_screen(self, self._first_screen) if self.served else self._first_screen()

    def _first_screen(self) -> Screen:
        if self.start_screen_factory is not None:
            return self.start_screen_factory()
        if self.start == "study":
            from quiz.tui.screens.study import StudyScreen

            # Alone, not over the home screen: the first card is drawn sooner without a home
            # screen built (and its counts taken) underneath; `h` opens home over it.
            return StudyScreen(self.decks, standalone=True)
        from quiz.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_ready(self) -> None:
        # Full garbage collections and WAL checkpoints wait for a quiet moment
        # (quiz/tui/idle_gc.py, Store.defer_checkpoints): they were the slow tail of
        # answer -> next card.
        self.collector.start()
        self.store.defer_checkpoints()
        self.set_interval(CHECK_EVERY, self.tidy)
        if self.after_first_frame is not None:  # Ready comes once the first frame is drawn
            self.call_after_refresh(self.after_first_frame)

    def tidy(self) -> None:
        self.collector.tick()
        # A bound on the WAL even if the keys never stop (a class drilling in one terminal).
        if self.collector.quiet() or self.store.unsaved_writes >= CHECKPOINT_CEILING:
            self.store.checkpoint()

    def on_unmount(self) -> None:
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.input_seen()
        await super().on_event(event)

    def watch_learner(self, learner: Learner) -> None:
        self.sub_title = learner.name

    def switch_learner(self, name: str) -> Learner:
        """Make `name` the learner (quiz.store.learners.use_learner: created if new, remembered;
        raises LearnerRemoved for a removed one)."""
        from quiz.store.learners import use_learner

        self.learner = use_learner(self.store, name)
        return self.learner

    def leave(self) -> None:
        """Close the current screen: back to the one below, or quit if it is the first."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        else:
            self.exit()

    def go_home(self) -> None:
        from quiz.tui.screens.home import HomeScreen

        if not any(isinstance(s, HomeScreen) for s in self.screen_stack):
            self.push_screen(HomeScreen())  # over a finished `quiz study`; q on home quits
            return
        while not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen, binding_rows

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        rows = binding_rows(self, screen, self)
        name = (screen.title or self.title or "").rpartition("·")[2].strip() or "this screen"
        self.push_screen(HelpScreen(name, rows))
