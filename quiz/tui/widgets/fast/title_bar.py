"""The screen's title line, drawn by one widget.

Textual's Header is four widgets (itself, an icon, the title, the clock's space), each laid out
and painted on every frame, a measurable part of each answer -> next card on the study
screen (bench/RESULTS.md). This draws the same line with Header's look: the icon on the left
(a click opens the command palette) and the title and subtitle centred (App.format_title).
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Header's icon and clock space: the title is centred between them
CLOCK_WIDTH = 10
HOVER = "on $foreground 10%"


class TitleBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    hovered = False  # the mouse is over the icon

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self.title_changed, init=False)

    def title_changed(self) -> None:
        self.refresh()

    def title_content(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        icon = Content.styled(f" {ICON}".ljust(ICON_WIDTH), HOVER if self.hovered else "")
        if self.app.ENABLE_COMMAND_PALETTE:
            icon = icon.stylize_before(Style.from_meta({"title_icon": True}))
        room = max(width - ICON_WIDTH - CLOCK_WIDTH, 0)
        title = self.title_content()
        if title.cell_length > room:
            title = title.truncate(max(room - 1, 0)) + Content("…")
        left = (room - title.cell_length) // 2
        return Content.assemble(
            icon, " " * left, title, " " * (width - ICON_WIDTH - left - title.cell_length)
        )

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hovered = bool(event.style.meta.get("title_icon"))
        if hovered != self.hovered:
            self.hovered = hovered
            self.tooltip = "Open the command palette" if hovered else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self.hovered:
            self.hovered = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        if event.style.meta.get("title_icon"):
            event.stop()
            await self.run_action("app.command_palette")
