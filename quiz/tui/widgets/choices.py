"""Lettered choices (mcq a-d, true/false t/f) as lines of Content, for the card's Face.

Each line carries its choice's index in its style's meta: a click anywhere on a row says which
choice it was (`choice_at`), with no widget per choice. Rows are padded to the width, so a
row's background (hover, the marks after the reveal) spans it as a widget's would. Deck text is
Content, never markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from quiz.tui.widgets.face import MUTED

KEY_STYLE = "bold reverse"
HOVER = "on $boost"
MARKED = {  # how a row looks after the reveal
    "right": "bold $text-success on $success 15%",
    "wrong": "strike $text-error on $error 15%",
    "other": MUTED,
}


def choice_lines(
    keys: str,
    texts: list[str],
    width: int,
    *,
    marks: list[str] | None = None,
    hovered: int | None = None,
) -> list[Content]:
    """Each choice as ` k  text`, wrapped to `width` and padded to it. `marks`: a key of
    MARKED per choice (after the reveal); `hovered`: the row under the mouse."""
    inner = max(width - 2, 1)  # a cell of air on each side, as padding gave
    lines: list[Content] = []
    for i, (key, text) in enumerate(zip(keys, texts)):
        row = Content.assemble((f" {key} ", KEY_STYLE), "  ", text)
        style = MARKED[marks[i]] if marks else (HOVER if i == hovered else "")
        meta = Style.from_meta({"choice": i})
        for part in row.wrap(inner):
            line = part.pad_left(1).pad_right(max(width - 1 - part.cell_length, 0))
            if style:
                line = line.stylize_before(style)
            lines.append(line.stylize_before(meta))
    return lines


def choice_at(style) -> int | None:
    """The choice a mouse event's style points at (its meta), if any."""
    index = style.meta.get("choice")
    return index if isinstance(index, int) else None
