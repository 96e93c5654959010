"""The study session's progress: one line of bar characters.

It looks like Textual's ProgressBar (whole cells in $primary, $success when complete, the rest
in $surface after a half-cell cap), but paints as one Content: Textual's Bar cost 2.5 ms of
each answer's frame (bench/RESULTS.md). Before the first count it shows an empty bar, where
ProgressBar would animate an indeterminate one.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

BAR, CAP = "━", "╺"


def bar_content(width: int, done: int, total: int) -> Content:
    """`done` of `total` as `width` cells, as textual.renderables.Bar draws it."""
    if width <= 0:
        return Content("")
    filled = width * min(done, total) // total if total > 0 else 0
    style = "$success" if total > 0 and done >= total else "$primary"
    if filled == 0:
        return Content.styled(BAR * width, "$surface")
    parts = [(BAR * filled, style)]
    if filled < width:
        parts.append((CAP + BAR * (width - filled - 1), "$surface"))
    return Content.assemble(*parts)


class ProgressLine(Widget):
    total: reactive[int] = reactive(0)
    progress: reactive[int] = reactive(0)

    def update(self, *, total: int, progress: int) -> None:
        self.total, self.progress = total, progress

    def render(self) -> Content:
        return bar_content(self.size.width, self.progress, self.total)
