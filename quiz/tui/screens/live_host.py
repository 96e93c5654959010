"""The host's projector in a live session: the join code and who has joined, then each question
drawn as presenter mode draws it (this screen is a PresenterScreen) with the live count of
answers and the time left, the reveal with how the room answered, and at the end the class's
accuracy per question, the report's item statistics and, if asked for, the leaderboard.

Learners' answers arrive by polling the store: a timer asks SQLite's data_version (nothing is
read unless another process has committed), so the UI never blocks on the class.
"""

from __future__ import annotations

import math
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Static

from quiz.classroom import live, live_results
from quiz.classroom.drill import Drill
from quiz.store.errors import StoreError
from quiz.tui.screens.drill_results import prompt_text
from quiz.tui.screens.first_screen import close
from quiz.tui.screens.presenter import PresenterScreen

POLL_SECONDS = 0.1


def tally_text(choices: tuple[tuple[str, int], ...]) -> str:
    """'A 3 · B 9 · C 1 · D 2'."""
    return " · ".join(f"{label} {n}" for label, n in choices)


def tally_bars(choices: tuple[tuple[str, int], ...], width: int = 40) -> Content:
    """The room's choices as a bar chart, one line per choice."""
    most = max((n for _label, n in choices), default=0) or 1
    lines = [
        Content.assemble(
            (f"{label:>5} ", "bold"),
            ("█" * math.ceil(width * n / most) if n else "", "$accent"),
            f" {n}",
        )
        for label, n in choices
    ]
    return Content("\n").join(lines)


class LiveHostScreen(PresenterScreen, inherit_bindings=False):
    CSS_PATH: ClassVar[list[str]] = ["classroom.tcss", "live.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "next", "Start / next", key_display="Space"),
        Binding("r", "reveal", "Reveal"),
        Binding("p", "pause", "Pause timer"),
        Binding("e", "end", "End session"),
        Binding("q,escape", "quit_host", "Close (resumable)"),
    ]

    def __init__(self, drill: Drill, session: live.LiveSession):
        super().__init__(drill)
        self.session = session
        self.shown_question = 0  # the question drawn, 0 before the first
        self.revealed_drawn = False
        self.seen_version: int | None = None
        self.room: live.Room | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="live-lobby"):
            yield Static("Join the live drill", id="live-join-title")
            yield Digits("", id="live-code-digits")
            yield Static(id="live-code")
            yield Static(id="live-joined")
        with VerticalScroll(id="live-end"):
            yield Static(id="live-end-body")
        yield from super().compose()

    async def on_mount(self, event: events.Mount) -> None:
        # Textual would run the base screen's on_mount after this one: this one replaces it.
        event.prevent_default()
        await super().on_mount()
        present = self.query_one("#present")
        await present.mount(Static(id="live-count"), after="#present-head")
        await present.mount(Static(id="live-tally"), after="#present-choices")
        self.set_interval(POLL_SECONDS, self.poll)
        await self.draw()

    # -- polling and drawing -----------------------------------------------------------------

    async def poll(self) -> None:
        version = live.changed(self.app.store)
        if version != self.seen_version:
            self.seen_version = version
            await self.draw()
        else:
            self._tick()

    async def draw(self) -> None:
        """Read the session and the room (cheap: a few indexed rows) and show them."""
        store = self.app.store
        fresh = live.load_session(store, self.session.code)
        if fresh is not None:
            self.session = fresh
        s = self.session
        self.room = live.room(store, s, self.drill)
        lobby, end = self.query_one("#live-lobby"), self.query_one("#live-end")
        present = self.query_one("#present")
        lobby.display = s.phase == "lobby"
        end.display = s.phase == "ended"
        present.display = s.phase in ("question", "revealed")
        if s.phase == "lobby":
            self._draw_lobby()
        elif s.phase == "ended":
            self._draw_end()
        else:
            await self._draw_question()
        self.refresh_bindings()

    def _draw_lobby(self) -> None:
        code = self.session.code
        digits = self.query_one("#live-code-digits", Digits)
        digits.display = code.isdigit()
        digits.update(f"{code[:3]} {code[3:]}" if len(code) == 6 else code)
        self.query_one("#live-code", Static).update(
            Content.assemble(
                ("Code ", "dim"),
                (code, "bold"),
                ("   quiz live join ", "dim"),
                (code, "bold"),
                ("   (or Join a live drill, j, on the home screen)", "dim"),
            )
        )
        names = self.room.joined if self.room else ()
        head = Content.styled(f"{len(names)} joined", "bold")
        body = (
            Content(", ".join(names)) if names else Content.styled("waiting for learners…", "dim")
        )
        hint = Content.styled("Space starts the first question", "dim")
        self.query_one("#live-joined", Static).update(Content("\n").join([head, body, hint]))

    async def _draw_question(self) -> None:
        s = self.session
        if s.question != self.shown_question:
            self.index = s.question - 1
            self.shown_question = s.question
            self.revealed_drawn = False
            await self._show()
        room = self.room
        count = Content.assemble(
            (f"{room.answered} of {len(room.joined)} answered", "bold"),
            ("   paused", "bold $warning") if s.paused else "",
        )
        self.query_one("#live-count", Static).update(count)
        tally = self.query_one("#live-tally", Static)
        if s.phase == "revealed":
            if not self.revealed_drawn:
                self.revealed_drawn = True
                super().action_reveal()
            right = f"   {room.right} of {room.answered} right" if room.answered else ""
            tally.update(
                Content.assemble(
                    (tally_text(room.choices), "bold"),
                    (right, "dim"),
                    "\n",
                    tally_bars(room.choices),
                )
            )
        tally.display = s.phase == "revealed"
        self._tick()

    def _tick(self) -> None:
        left = self.session.time_left()
        clock = self.query_one("#present-clock", Digits)
        if left is not None and self.session.phase == "question":
            clock.update(str(math.ceil(left)))

    def _draw_end(self) -> None:
        from quiz.classroom.report import drill_stats

        store, s = self.app.store, self.session
        lines = [Content.styled(f"Session {s.code} ended", "bold"), Content("")]
        lines.append(Content.styled("Class accuracy per question", "bold"))
        accuracy = live_results.question_accuracy(store, s, self.drill)
        stats = drill_stats(store, self.drill.id)
        items = {i.number: i for i in stats.items} if stats else {}
        for q, (right, answered) in zip(self.drill.questions, accuracy):
            pct = f"{round(100 * right / answered)}%" if answered else "–"
            item = items.get(q.number)
            extra = ""
            if item is not None and item.discrimination is not None:
                extra = f"   discrimination {item.discrimination:+.2f}"
            if item is not None and item.flags:
                extra += "   " + ", ".join(item.flags)
            lines.append(
                Content.assemble(
                    (f"{q.number:>3}. ", "bold"),
                    (f"{pct:>4}", "bold"),
                    f"  {right} of {answered} right  ",
                    (prompt_text(q)[:60], "dim"),
                    (extra, "dim"),
                )
            )
        board = live_results.standings(store, s, self.drill)
        if s.leaderboard != "off" and board:
            lines += [Content(""), Content.styled("Leaderboard (accuracy only)", "bold")]
            for rank, row in enumerate(board[:10], start=1):
                who = row.learner if s.leaderboard == "names" else f"learner {rank}"
                lines.append(
                    Content(f"{rank:>3}. {row.right} of {len(self.drill.questions)}  {who}")
                )
        lines += [Content(""), Content.styled("quiz report has every answer. q closes.", "dim")]
        self.query_one("#live-end-body", Static).update(Content("\n").join(lines))

    # -- the host's keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        phase = self.session.phase
        if action == "next":
            return phase in ("lobby", "question", "revealed")
        if action == "reveal":
            return phase == "question"
        if action == "pause":
            return phase == "question" and self.session.time_limit is not None
        if action == "end":
            return phase != "ended"
        return True

    async def _act(self, step) -> None:
        try:
            self.session = step(self.app.store, self.session.code)
        except (live.LiveError, StoreError) as e:
            self.notify(str(e), severity="warning", markup=False)
        await self.draw()

    async def action_next(self) -> None:
        await self._act(live.next_question)

    async def action_reveal(self) -> None:
        await self._act(live.reveal)

    async def action_pause(self) -> None:
        await self._act(live.toggle_pause)

    async def action_end(self) -> None:
        await self._act(live.end_session)

    def action_quit_host(self) -> None:
        if self.session.phase != "ended":
            live.host_leaves(self.app.store, self.session.code)
        close(self)
