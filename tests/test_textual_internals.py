"""The private parts of Textual that quiz/tui/textual_internals.py (and two app modules) lean on
are still there and still do what they did in the version they were read from. After a Textual
upgrade a failure here names the part to read again."""

from __future__ import annotations

import inspect

from textual._compositor import Compositor
from textual.app import App
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from quiz.tui import textual_internals as internals
from quiz.tui.screens.study import StudyScreen
from quiz.tui.widgets.fast.one_layout import OneLayout


def test_the_compositor_and_the_display_hook_keep_their_shape():
    for name in ("reflow", "render_strips", "render_full_update", "render_partial_update"):
        assert callable(getattr(Compositor, name, None)), f"Compositor.{name}"
    assert list(inspect.signature(Compositor.reflow).parameters) == ["self", "parent", "size"]
    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]


def test_the_reactives_the_app_redeclares_are_still_reactives():
    # OneLayout redeclares virtual_size without layout; StudyScreen redeclares focused without
    # repaint. Both only help while Textual's own are Reactives that ask for those.
    virtual_size = Widget.__dict__["virtual_size"]
    assert isinstance(virtual_size, Reactive) and virtual_size._layout
    focused = Screen.__dict__["focused"]
    assert isinstance(focused, Reactive) and focused._repaint
    assert not OneLayout.__dict__["virtual_size"]._layout
    assert not StudyScreen.__dict__["focused"]._repaint
    # What StudyScreen's comment relies on: focus styles are updated by this method.
    assert callable(getattr(Screen, "_update_focus_styles", None))


class Two(App):
    def compose(self):
        yield Static("one", id="one")


async def test_the_hooks_see_layouts_repaints_frames_and_notifications():
    app = Two()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        screen = app.screen
        layouts, repaints, frames = [], [], []
        all_layouts = internals.count_all_layouts()
        before = all_layouts()
        internals.watch_layouts(screen, lambda: layouts.append(1))
        internals.watch_repaints(screen, repaints.append)
        internals.on_frame(app, lambda: frames.append(1))
        screen.query_one("#one", Static).update("one, and a much longer line\nand two")
        app.notify("hello", markup=False)
        await pilot.pause()
        await pilot.pause()
        assert layouts and frames and repaints
        assert all_layouts() > before
        assert internals.screen_lines(screen)[0].text.startswith("one, and a much longer line")
        assert internals.notifications(app) == ["hello"]
