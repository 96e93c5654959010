"""AnswerBox: the one-line box a typed or cloze answer is written in.

It looks and edits like Textual's Input (the same tall border, theme colours and keys), but it
draws itself: its border, its focus and its cursor are lines it builds, not CSS states. Focusing
an Input restyles it and its four component classes, resets its validation classes and restarts
its cursor timer; on every typed or cloze card that was the slowest part of answer -> next card
(bench/RESULTS.md). Here focus only repaints three lines, and the cursor does not blink.

What is typed is kept as plain text and drawn as Segments: it is never parsed as markup.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from quiz.tui.widgets.fast.one_layout import OneLayout

PAD = 3  # cells before the text: the border's and two of padding, as Input has
MAX_LENGTH = 500
# Where a word starts, for the word moves and deletes (as Input).
_WORD_START = re.compile(r"(?<=\W)\w|^\w")


def typed_line(text: str) -> str:
    """`text` as one line of printable characters: a paste's tabs become spaces and control
    characters go (they would move the terminal's cursor)."""
    return "".join(c for c in text.replace("\t", " ") if c.isprintable())


class AnswerBox(OneLayout, Widget, can_focus=True):
    DEFAULT_CSS = """
    AnswerBox {
        background: $surface;
        color: $foreground;
        width: 100%;
        height: 3;
        pointer: text;
        & > .answer-box--border { color: $border-blurred; }
        & > .answer-box--border-focus { color: $border; }
        & > .answer-box--focus-tint { color: $foreground 5%; }
        & > .answer-box--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        & > .answer-box--placeholder { color: $text-disabled; }
        &:ansi > .answer-box--cursor { background: ansi_white; color: ansi_black; }
        &:ansi > .answer-box--placeholder { text-style: dim; color: ansi_default; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "answer-box--border",
        "answer-box--border-focus",
        "answer-box--focus-tint",
        "answer-box--cursor",
        "answer-box--placeholder",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "cursor_left", "Move cursor left", show=False),
        Binding("right", "cursor_right", "Move cursor right", show=False),
        Binding("ctrl+left", "cursor_left_word", "Move cursor left a word", show=False),
        Binding("ctrl+right", "cursor_right_word", "Move cursor right a word", show=False),
        Binding("home,ctrl+a", "home", "Go to start", show=False),
        Binding("end,ctrl+e", "end", "Go to end", show=False),
        Binding("backspace", "delete_left", "Delete character left", show=False),
        Binding("delete,ctrl+d", "delete_right", "Delete character right", show=False),
        Binding("ctrl+w", "delete_left_word", "Delete left to start of word", show=False),
        Binding("ctrl+f", "delete_right_word", "Delete right to start of word", show=False),
        Binding("ctrl+u", "delete_left_all", "Delete all to the left", show=False),
        Binding("ctrl+k", "delete_right_all", "Delete all to the right", show=False),
        Binding("enter", "submit", "Submit", show=False),
    ]

    class Submitted(Message):
        """Enter in the box."""

        def __init__(self, box: AnswerBox, value: str):
            super().__init__()
            self.box = box
            self.value = value

        @property
        def control(self) -> AnswerBox:
            return self.box

    def __init__(self, placeholder: str = "", *, max_length: int = MAX_LENGTH, **kwargs):
        super().__init__(**kwargs)
        self._value = ""
        self._placeholder = placeholder
        self._cursor = 0
        self._first = 0  # the first character in view, when the text is wider than the box
        self.max_length = max_length
        self._lines: tuple[tuple, list[Strip]] | None = None

    # -- state ----------------------------------------------------------------------------

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        value = typed_line(value)[: self.max_length]
        if value != self._value:
            self._value = value
            self._first = 0
            self._cursor = len(value)
            self._changed()
        else:
            self.cursor_position = len(value)

    @property
    def placeholder(self) -> str:
        return self._placeholder

    @placeholder.setter
    def placeholder(self, placeholder: str) -> None:
        if placeholder != self._placeholder:
            self._placeholder = placeholder
            if not self._value:
                self._changed()

    @property
    def cursor_position(self) -> int:
        return self._cursor

    @cursor_position.setter
    def cursor_position(self, position: int) -> None:
        position = max(0, min(position, len(self._value)))
        if position != self._cursor:
            self._cursor = position
            self._changed()

    def _changed(self) -> None:
        self._lines = None
        self.refresh()

    def _edit(self, value: str, cursor: int) -> None:
        self._value = value
        self._cursor = cursor
        self._changed()

    def insert(self, text: str) -> None:
        """`text` at the cursor, as much of it as fits in max_length."""
        room = self.max_length - len(self._value)
        text = typed_line(text)[: max(room, 0)]
        if text:
            at = self._cursor
            self._edit(self._value[:at] + text + self._value[at:], at + len(text))

    # -- Textual hooks ------------------------------------------------------------------------

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Drawn, not styled: no CSS state to recompute (Widget's watcher restyles the node).
        self._changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # a new theme: the colours are read again when next drawn

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Printable keys are typed, even where the screen binds them (q, s, t, f, 1-4 ...).
        return character is not None and character.isprintable()

    def _on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self.insert(event.character)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        lines = event.text.splitlines()
        if lines:
            self.insert(lines[0])

    def _on_mouse_down(self, event: events.MouseDown) -> None:
        if self.focusable:
            self.cursor_position = self._index_at(event.x - PAD)

    def get_content_height(self, container, viewport, width: int) -> int:
        return 3

    # -- actions ------------------------------------------------------------------------------

    def action_cursor_left(self) -> None:
        self.cursor_position -= 1

    def action_cursor_right(self) -> None:
        self.cursor_position += 1

    def action_home(self) -> None:
        self.cursor_position = 0

    def action_end(self) -> None:
        self.cursor_position = len(self._value)

    def _word_left(self) -> int:
        starts = [m.start() for m in _WORD_START.finditer(self._value[: self._cursor])]
        return starts[-1] if starts else 0

    def _word_right(self) -> int:
        rest = self._value[self._cursor :]
        hit = _WORD_START.search(rest, 1) if rest else None
        return self._cursor + hit.start() if hit else len(self._value)

    def action_cursor_left_word(self) -> None:
        self.cursor_position = self._word_left()

    def action_cursor_right_word(self) -> None:
        self.cursor_position = self._word_right()

    def action_delete_left(self) -> None:
        at = self._cursor
        if at:
            self._edit(self._value[: at - 1] + self._value[at:], at - 1)

    def action_delete_right(self) -> None:
        at = self._cursor
        if at < len(self._value):
            self._edit(self._value[:at] + self._value[at + 1 :], at)

    def action_delete_left_word(self) -> None:
        start = self._word_left()
        if start < self._cursor:
            self._edit(self._value[:start] + self._value[self._cursor :], start)

    def action_delete_right_word(self) -> None:
        end = self._word_right()
        if end > self._cursor:
            self._edit(self._value[: self._cursor] + self._value[end:], self._cursor)

    def action_delete_left_all(self) -> None:
        if self._cursor:
            self._edit(self._value[self._cursor :], 0)

    def action_delete_right_all(self) -> None:
        if self._cursor < len(self._value):
            self._edit(self._value[: self._cursor], self._cursor)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self._value))

    # -- drawing ------------------------------------------------------------------------------

    def _room(self) -> int:
        """Cells for the text and the cursor: the content width (Input draws one more, for
        the cursor after the last character, but its padding covers that cell)."""
        return max(self.size.width - 2 * PAD, 1)

    def _scroll_to_cursor(self, room: int) -> None:
        value, cursor = self._value, self._cursor
        first = min(self._first, cursor)
        cursor_cells = get_character_cell_size(value[cursor]) if cursor < len(value) else 1
        while first < cursor and cell_len(value[first:cursor]) + cursor_cells > room:
            first += 1
        # After a delete, show more from the left when the rest fits.
        while first > 0 and cell_len(value[first - 1 :]) + 1 <= room:
            first -= 1
        self._first = first

    def _index_at(self, cells: int) -> int:
        """The character under the cell `cells` from where the text starts."""
        x, index = 0, self._first
        for char in self._value[self._first :]:
            width = get_character_cell_size(char)
            if x + width > cells:
                break
            x += width
            index += 1
        return min(index, len(self._value))

    def _styles(self) -> tuple[RichStyle, ...]:
        """(text, cursor, placeholder, border inside, border outside, border edge)."""
        base, background = self.background_colors
        focused = self.has_focus
        if focused:
            tint = self.get_component_styles("answer-box--focus-tint").color
            background = base + self.styles.background.tint(tint)
        border = (
            base
            + self.get_component_styles(
                "answer-box--border-focus" if focused else "answer-box--border"
            ).color
        )
        text = RichStyle(
            color=(background + self.styles.color).rich_color, bgcolor=background.rich_color
        )
        # On the focused box's tinted background, as Input draws it (its component style is
        # blended over the untinted one).
        placeholder = (
            text
            + self.get_component_rich_style("answer-box--placeholder")
            + RichStyle(bgcolor=background.rich_color)
        )
        styles = self.get_component_styles("answer-box--placeholder")
        color = styles.color
        if color.ansi is None:
            if styles.auto_color:  # as DOMNode.rich_style: contrast with what is under it
                color = background.get_contrast_text(color.a)
            placeholder += RichStyle(color=(background + color).rich_color)
        cursor = text + self.get_component_rich_style("answer-box--cursor")
        inside = RichStyle(color=border.rich_color, bgcolor=background.rich_color)
        outside = RichStyle(color=border.rich_color, bgcolor=base.rich_color)
        edge = RichStyle(color=border.rich_color, bgcolor=base.rich_color, reverse=True)
        return text, cursor, placeholder, inside, outside, edge

    def _text_segments(
        self, room: int, text: RichStyle, cursor: RichStyle, placeholder: RichStyle
    ) -> list[Segment]:
        focused = self.has_focus
        if not self._value:
            shown = self._placeholder or " "
            fitted = _fit(shown, room)
            if not focused:
                return [Segment(fitted, placeholder if self._placeholder else text)]
            # The cursor over the placeholder's first cell keeps its text style (dim in ANSI).
            return [Segment(fitted[:1], placeholder + cursor), Segment(fitted[1:], placeholder)]
        self._scroll_to_cursor(room)
        visible = _fit(self._value[self._first :] + " ", room)
        if not focused:
            return [Segment(visible, text)]
        at = self._cursor - self._first
        return [
            Segment(visible[:at], text),
            Segment(visible[at : at + 1], cursor),
            Segment(visible[at + 1 :], text),
        ]

    def _draw(self) -> list[Strip]:
        width = self.size.width
        key = (width, self._value, self._cursor, self._placeholder, self.has_focus)
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1]
        text, cursor, placeholder, inside, outside, edge = self._styles()
        inner = max(width - 2, 0)
        room = self._room()
        middle = [
            Segment(" " * (PAD - 1), text),
            *self._text_segments(room, text, cursor, placeholder),
        ]
        middle_strip = Strip(middle).adjust_cell_length(inner, text)
        lines = [
            Strip([Segment("▊", edge), Segment("▔" * inner, inside), Segment("▎", outside)]),
            Strip([Segment("▊", edge), *middle_strip, Segment("▎", outside)]),
            Strip([Segment("▊", edge), Segment("▁" * inner, inside), Segment("▎", outside)]),
        ]
        lines = [line.crop(0, width) for line in lines]
        self._lines = (key, lines)
        return lines

    def render_line(self, y: int) -> Strip:
        lines = self._draw()
        return lines[y] if 0 <= y < len(lines) else Strip.blank(self.size.width)


def _fit(text: str, cells: int) -> str:
    """The start of `text` that fits in `cells`, padded with spaces to fill them exactly."""
    taken, used = [], 0
    for char in text:
        width = get_character_cell_size(char)
        if used + width > cells:
            break
        taken.append(char)
        used += width
    return "".join(taken) + " " * (cells - used)
