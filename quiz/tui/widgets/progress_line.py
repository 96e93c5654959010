"""The study session's progress: a bar and "n answered · m to go", as one line of Content.

The bar looks like Textual's ProgressBar (whole cells in $primary, $success when complete, the
rest in $surface after a half-cell cap), but is drawn in the card's Face: Textual's Bar, and each
widget more, cost time in each answer's frame (bench/RESULTS.md has the figures). Before the
first count it shows an empty bar, where ProgressBar would animate an indeterminate one.
"""

from __future__ import annotations

from textual.content import Content

from quiz.tui.widgets.face import MUTED

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


def progress_content(width: int, done: int, remaining: int | None) -> Content:
    """The bar and the count after it; `remaining` None: not counted yet (an empty bar)."""
    if remaining is None:
        return bar_content(width, 0, 0)
    text = f"{done} answered · {remaining} to go"
    bar_width = width - len(text) - 2
    if bar_width < 4:  # too narrow for both: the count says more
        return Content.styled(text, MUTED)
    return Content.assemble(
        bar_content(bar_width, done, max(done + remaining, 1)), "  ", (text, MUTED)
    )
