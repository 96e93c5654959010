"""The screen's keys in one line at the bottom, drawn by one widget.

Textual's Footer is a container with a widget per key. On the study screen the keys change with
every card (Enter: Reveal, then Accept grade; letters leave the footer while an answer box has
focus), and laying out and painting those ten widgets was a measurable part of each answer ->
next card (bench/RESULTS.md). Here the keys are one line of Content, redrawn only when what it shows
changes, with Footer's look (its theme colours). A click on a key presses it, the key under the
mouse is highlighted and its tooltip shown, and the command palette key sits on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
HOVER = "on $block-hover-background"
PALETTE_RULE = "$foreground 20%"


@dataclass(frozen=True)
class Shown:
    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str


def shown_keys(screen) -> tuple[list[Shown], Shown | None]:
    """What Textual's Footer would show for `screen`: the first shown binding of each action, in
    order, and the command palette key (None when the app has no palette)."""
    app = screen.app
    active = screen.active_bindings
    first: dict[str, Shown] = {}
    for _node, binding, enabled, tooltip in active.values():
        if binding.show:
            first.setdefault(
                binding.action,
                Shown(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip or "",
                ),
            )
    palette = None
    entry = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
    if entry is not None:
        _node, binding, enabled, _tooltip = entry
        palette = Shown(
            binding.key,
            app.get_key_display(binding),
            binding.description,
            enabled,
            binding.tooltip or binding.description,
        )
    return list(first.values()), palette


def key_content(shown: Shown, hovered: bool, compact: bool = False) -> Content:
    """` k description ` (compact: `k description`), dimmed when the key does nothing now; its
    key in the style's meta."""
    key, description = (
        (shown.key_display, f" {shown.description}")
        if compact
        else (f" {shown.key_display} ", f"{shown.description} ")
    )
    part = Content.assemble(
        (key, KEY_STYLE), (description if shown.description else "", DESCRIPTION_STYLE)
    )
    if not shown.enabled:
        part = part.stylize_before("dim")
    if hovered:
        part = part.stylize_before(HOVER)
    return part.stylize_before(Style.from_meta({"footer_key": shown.key}))


def fitted_keys(keys: list[Shown], room: int, hovered: str | None = None) -> Content:
    """The keys in `room` cells as Footer draws them when they fit; else the ones that do not
    fit are left out before the last (the help key, which lists them all), so a narrow terminal
    still shows how to find every key rather than losing the end of the line."""
    full = Content("").join(key_content(k, k.key == hovered) for k in keys)
    if full.cell_length <= room or not keys:
        return full
    parts = [key_content(k, k.key == hovered, True) for k in keys]
    last, rest = parts[-1], parts[:-1]
    while rest:
        line = Content(" ") + Content("  ").join([*rest, Content("…"), last]) + Content(" ")
        if line.cell_length <= room:
            return line
        rest.pop()
    return (Content(" ") + last).truncate(max(room, 0))


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.keys: list[Shown] = []
        self.palette: Shown | None = None
        self.hovered: str | None = None
        self._lines: dict[tuple, Strip] = {}

    def on_mount(self) -> None:
        # Immediate: the keys change in the same frame as the screen that changed them.
        self.screen.bindings_updated_signal.subscribe(self, self.update_keys, immediate=True)
        self.update_keys(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def update_keys(self, screen) -> None:
        # (Not while the terminal is unfocused: blurring changes the bindings for a moment.)
        if not self.is_attached or screen is not self.screen or not screen.app.app_focus:
            return
        keys, palette = shown_keys(screen)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()  # one line, same size: a repaint, no layout

    def render_line(self, y: int) -> Strip:
        # The footer goes back and forth between a few states (a question, an answer box,
        # a revealed card): their lines are kept, as drawing one took most of a millisecond.
        key = (tuple(self.keys), self.palette, self.hovered, self.size.width, self.app.theme)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 32:
                self._lines.clear()
            strip = self._lines[key] = super().render_line(y)
        return strip

    def render(self) -> Content:
        right = Content("")
        if self.palette is not None:
            # Compact and a cell from the edge, as Footer draws it.
            right = Content.assemble(
                ("▏", PALETTE_RULE),
                key_content(self.palette, self.palette.key == self.hovered, True),
                " ",
            )
        room = self.size.width - right.cell_length
        left = fitted_keys(self.keys, room, self.hovered)
        return left + Content(" " * max(room - left.cell_length, 0)) + right

    def shown_at(self, style) -> Shown | None:
        key = style.meta.get("footer_key")
        return next((k for k in [*self.keys, self.palette] if k is not None and k.key == key), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        shown = self.shown_at(event.style)
        key = shown.key if shown else None
        if key != self.hovered:
            self.hovered = key
            self.tooltip = (shown.tooltip or None) if shown else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.shown_at(event.style)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
