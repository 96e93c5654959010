"""The four grades after the reveal, each with the interval it would give, and which one Enter
accepts; drawn by one widget.

It was four Buttons and a Static in a row: at each reveal the five were laid out and painted,
and the suggested button's variant changed, which restyled it (bench/RESULTS.md). Here the
buttons are three lines the bar builds, with the look of Textual's default Button (its theme
colours: a raised face, the suggested grade in the primary colour, a darker face under the
mouse). A click on a grade grades the card. None is focusable: Enter belongs to the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from quiz.study.scheduler import RATINGS, Preview
from quiz.tui.widgets.fast.one_layout import OneLayout

GAP = 1  # cells after each button
MIN_BUTTON = 12


class GradeRow(OneLayout, Widget):
    """Where the grade bar sits, docked above the footer."""

    DEFAULT_CSS = "GradeRow { height: auto; }"


def hint_content(suggested: int) -> Content:
    return Content.assemble(("Enter", "bold"), f" = {RATINGS[suggested]}")


def button_label(rating: int, interval: str, width: int) -> Content:
    """`3 Good  10m` in `width` cells if it fits; else with one space before the interval;
    else cut with an ellipsis (a narrow terminal)."""
    for gap in ("  ", " "):
        label = Content.assemble(
            (f"{rating} ", "dim"), RATINGS[rating], (f"{gap}{interval}", "bold")
        )
        if label.cell_length <= width:
            return label
    return label.truncate(max(width, 1), ellipsis=True)


def button_spans(width: int, hint_width: int, count: int) -> list[tuple[int, int]]:
    """(start, width) of each button in a bar `width` cells wide, after which the hint takes
    `hint_width`: the room left shared out evenly (as `width: 1fr` would), a gap after each."""
    room = max(width - hint_width - GAP * count, MIN_BUTTON * count)
    spans, x = [], 0
    for i in range(count):
        size = room * (i + 1) // count - room * i // count
        spans.append((x, size))
        x += size + GAP
    return spans


class GradeBar(OneLayout, Widget):
    DEFAULT_CSS = """
    GradeBar {
        height: 3;
        pointer: pointer;
        & > .grade-bar--face { background: $surface; color: $button-foreground; }
        & > .grade-bar--face-top { color: $surface-lighten-1; }
        & > .grade-bar--face-bottom { color: $surface-darken-1; }
        & > .grade-bar--face-hover { background: $surface-darken-1; color: $surface; }
        & > .grade-bar--suggested { background: $primary; color: $button-color-foreground; }
        & > .grade-bar--suggested-top { color: $primary-lighten-3; }
        & > .grade-bar--suggested-bottom { color: $primary-darken-3; }
        & > .grade-bar--suggested-hover { background: $primary-darken-2; color: $primary; }
        & > .grade-bar--hint { color: $text-muted; }
    }
    """
    # (-hover: its background is the face's, its colour the top edge's, as Button's :hover)
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grade-bar--face",
        "grade-bar--face-top",
        "grade-bar--face-bottom",
        "grade-bar--face-hover",
        "grade-bar--suggested",
        "grade-bar--suggested-top",
        "grade-bar--suggested-bottom",
        "grade-bar--suggested-hover",
        "grade-bar--hint",
    }

    class Graded(Message):
        def __init__(self, rating: int):
            super().__init__()
            self.rating = rating

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.intervals: dict[int, str] = {r: "" for r in RATINGS}
        self.suggested = 3
        self.hovered: int | None = None  # the rating under the mouse
        self._lines: tuple[tuple, list[Strip], list[tuple[int, int]]] | None = None

    def show(self, previews: dict[int, Preview], suggested: int) -> None:
        self.intervals = {r: previews[r].interval if r in previews else "" for r in RATINGS}
        self.suggested = suggested
        self._changed()
        self.display = True

    def _changed(self) -> None:
        self._lines = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # a new theme: colours read again when next drawn

    def get_content_height(self, container, viewport, width: int) -> int:
        return 3

    # -- the mouse ----------------------------------------------------------------------------

    def rating_at(self, x: int) -> int | None:
        """The grade whose button is under content column `x`."""
        for rating, (start, size) in zip(RATINGS, self._draw()[1]):
            if start <= x < start + size:
                return rating
        return None

    def _content_x(self, event: events.MouseEvent) -> int:
        return event.x - self.styles.gutter.left

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hovered = self.rating_at(self._content_x(event))
        if hovered != self.hovered:
            self.hovered = hovered
            self._changed()

    def on_leave(self, _event: events.Leave) -> None:
        if self.hovered is not None:
            self.hovered = None
            self._changed()

    def on_click(self, event: events.Click) -> None:
        rating = self.rating_at(self._content_x(event))
        if rating is not None:
            event.stop()
            self.post_message(self.Graded(rating))

    # -- drawing ------------------------------------------------------------------------------

    def _face(self, rating: int) -> tuple[Style, RichStyle, RichStyle]:
        """(the label's base style, top edge, bottom edge) of one button."""
        kind = "suggested" if rating == self.suggested else "face"
        base = self.background_colors[1]
        face = self.get_component_styles(f"grade-bar--{kind}")
        top = self.get_component_styles(f"grade-bar--{kind}-top").color
        background = face.background
        if rating == self.hovered:
            hover = self.get_component_styles(f"grade-bar--{kind}-hover")
            background, top = hover.background, hover.color
        background = base + background
        bottom = self.get_component_styles(f"grade-bar--{kind}-bottom").color
        label = Style(background=background, foreground=background + face.color, bold=True)
        edge = background.rich_color
        return (
            label,
            RichStyle(color=(background + top).rich_color, bgcolor=edge),
            RichStyle(color=(background + bottom).rich_color, bgcolor=edge),
        )

    def _draw(self) -> tuple[list[Strip], list[tuple[int, int]]]:
        width = self.content_region.width
        key = (width, self.suggested, self.hovered, tuple(self.intervals.values()))
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1:]
        gap = RichStyle(bgcolor=self.background_colors[1].rich_color)
        hint = hint_content(self.suggested)
        spans = button_spans(width, hint.cell_length, len(RATINGS))
        rows: list[list[Segment]] = [[], [], []]
        for rating, (_start, size) in zip(RATINGS, spans):
            label_style, top, bottom = self._face(rating)
            label = button_label(rating, self.intervals[rating], size - 2)  # (Button's line-pad)
            left = (size - label.cell_length) // 2
            right = size - label.cell_length - left
            blank = label_style.rich_style
            rows[0] += [Segment("▔" * size, top), Segment(" " * GAP, gap)]
            rows[1] += [
                Segment(" " * left, blank),
                *label.render_segments(label_style),
                Segment(" " * right, blank),
                Segment(" " * GAP, gap),
            ]
            rows[2] += [Segment("▁" * size, bottom), Segment(" " * GAP, gap)]
        hint_style = Style.from_rich_style(self.get_component_rich_style("grade-bar--hint"))
        rows[1] += hint.render_segments(hint_style)
        lines = [Strip(row).adjust_cell_length(width, gap).crop(0, width) for row in rows]
        self._lines = (key, lines, spans)
        return lines, spans

    def render_line(self, y: int) -> Strip:
        lines = self._draw()[0]
        return lines[y] if 0 <= y < len(lines) else Strip.blank(self.content_region.width)
