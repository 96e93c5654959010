"""Face: one widget drawing several lines of text, built for the width it is given.

Each widget Textual lays out and paints costs about a millisecond per frame when its text
changes (bench/RESULTS.md), so the study card draws its lines (progress, where the card comes
from, the prompt, the choices, the hint) in two Faces rather than a row of Statics. Spacing
that CSS margins gave becomes blank lines, dropped on short terminals (the screen's -short
class): `compact` is passed to the drawing function.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.widget import Widget

from quiz.tui.widgets.fast.one_layout import OneLayout

Draw = Callable[[int, bool], Content]  # (width, compact) -> what to show

# What CSS `color: $text-muted` gives, for Content spans: $text-muted is an "auto" colour,
# which a span draws at full strength (white), where "$text 60%" is blended as CSS blends it.
MUTED = "$text 60%"


class Face(OneLayout, Widget):
    DEFAULT_CSS = "Face { height: auto; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._draw: Draw | None = None
        self._drawn: tuple[tuple[int, bool], Content, int] | None = None

    def show(self, draw: Draw | None) -> None:
        """Draw with `draw` from now on (None: nothing), on the next frame."""
        self._draw = draw
        self.redraw()

    def redraw(self) -> None:
        self._drawn = None
        self.refresh(layout=True)

    @property
    def compact(self) -> bool:
        return self.is_attached and self.screen.has_class("-short")

    def _drawing(self, width: int) -> tuple[Content, int]:
        key = (width, self.compact)
        if self._drawn is None or self._drawn[0] != key:
            drawn = (
                self._draw(width, key[1]) if self._draw is not None and width > 0 else Content("")
            )
            # Its height is kept too: the layout asks several times a frame, and each time
            # the text would be wrapped again.
            self._drawn = (key, drawn, drawn.get_height(self.styles, width) if width > 0 else 0)
        return self._drawn[1:]

    def content(self, width: int) -> Content:
        return self._drawing(width)[0]

    def get_content_height(self, container, viewport, width: int) -> int:
        # Built for this width: the layout asks before the widget has its new size.
        return self._drawing(width)[1]

    def render(self) -> Content:
        return self.content(self.size.width)
