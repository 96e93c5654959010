"""Knowing when something is on screen: a hook on the frames Textual renders.

Textual renders a frame in the compositor's update (which does the real layout and rendering
work even headless) and hands it to the app to display. A hook there gives the moment each frame
is ready; a predicate on the app decides whether the frame shows what we wait for. Headless, the
frame is then dropped instead of written to a terminal, which costs the same for the bare app
and for quiz. The hooks (on Textual's private parts) are in quiz/tui/textual_internals.py.
"""

from __future__ import annotations

import asyncio
import time

from quiz.tui.textual_internals import count_all_layouts, on_frame


class FrameWatch:
    """Calls `predicate(app)` after each rendered frame; `wait()` returns the time (perf_counter)
    of the first frame for which it held.

    Only frames laid out after `expect()` count: a new card or paragraph changes the layout,
    and a frame painted before that layout (Textual repaints, for instance, when focus moves)
    would show the new text in the old boxes, so it is not yet the new card on screen."""

    def __init__(self, app):
        self.app = app
        self.predicate = None
        self.hit_at: float | None = None
        self.hit_cpu: float | None = None  # process_time() then: CPU spent, not waiting
        self.event = asyncio.Event()
        self.frames = 0
        self.reflows_at = 0
        self.layouts = count_all_layouts()
        on_frame(app, self._frame)

    def _frame(self) -> None:
        self.frames += 1
        if self.predicate is not None and self.hit_at is None and self.layouts() > self.reflows_at:
            try:
                ok = self.predicate(self.app)
            except Exception:  # the DOM in flux: not this frame
                ok = False
            if ok:
                self.hit_at = time.perf_counter()
                self.hit_cpu = time.process_time()
                self.event.set()

    def expect(self, predicate) -> None:
        self.predicate = predicate
        self.reflows_at = self.layouts()
        self.hit_at = self.hit_cpu = None
        self.event = asyncio.Event()

    async def wait(self, timeout: float = 120.0) -> float:
        await asyncio.wait_for(self.event.wait(), timeout)
        return self.hit_at


def laid_out(widget) -> bool:
    return widget is not None and widget.is_mounted and widget.size.area > 0


def card_shown(app, previous=None) -> bool:
    """The study screen shows a card (another queue item than `previous`: the screen keeps one
    card view and updates it in place), laid out and waiting for an answer."""
    screen = app.screen
    item = getattr(screen, "item", None)
    return (
        getattr(screen, "phase", None) == "question"
        and item is not None
        and item is not previous
        and laid_out(getattr(screen, "card_view", None))
    )
