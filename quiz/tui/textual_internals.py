"""Every place the bench and the tests reach into Textual's private parts, in one module.

Read from Textual 8.2.8 (the version pyproject pins exactly). Textual may rename or reshape any
of these in a minor release; tests/test_textual_internals.py checks that each still exists with
the shape used here, so an upgrade that breaks one fails there first, with its name, instead of
as a bench that hangs or a test that passes without measuring anything.

- `Screen._compositor` (textual/_compositor.py, Compositor): what a screen has drawn.
  `render_strips()` is the screen as lines of segments; `reflow(parent, size)` is one layout;
  `render_full_update()` / `render_partial_update()` are a whole-screen or a partial repaint.
  If they go, screen_lines() and the layout / repaint counters below raise AttributeError; if
  their meaning changes (say reflow no longer runs once per layout), the study screen's
  "laid out once" and "no full repaint" tests and the bench's new-frame check count wrongly.
- `App._display(screen, renderable)` (textual/app.py): called with each rendered frame, after
  the compositor's update. on_frame() wraps it; if it is renamed the bench's FrameWatch never
  sees a frame and waits until its timeout.
- `App._notifications` (textual/app.py, Notifications): the toasts shown, with `.message`.

The app itself leans on two more, in its own modules, both for speed (bench/RESULTS.md):
`Widget.virtual_size` being a Reactive with layout=True (quiz/tui/widgets/fast/one_layout.py
redeclares it without), and `Screen.focused` being a Reactive whose repaint StudyScreen turns
off. tests/test_fast_widget_parity.py and tests/test_textual_internals.py check both still
have an effect. Nothing on the study path imports this module.
"""

from __future__ import annotations

from collections.abc import Callable

from textual._compositor import Compositor
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

READ_FROM = "8.2.8"  # the Textual version these names were read from


def screen_lines(screen: Screen) -> list[Strip]:
    """What `screen` shows now: one Strip per terminal line, as its compositor last drew it."""
    return screen._compositor.render_strips()


def watch_layouts(screen: Screen, seen: Callable[[], None]) -> None:
    """Call `seen()` at each layout of `screen` (each Compositor.reflow)."""
    compositor = screen._compositor
    reflow = compositor.reflow

    def counted(*args, **kwargs):
        seen()
        return reflow(*args, **kwargs)

    compositor.reflow = counted


def watch_repaints(screen: Screen, seen: Callable[[str], None]) -> None:
    """Call `seen("full")` or `seen("partial")` at each repaint of `screen`."""
    compositor = screen._compositor
    full, partial = compositor.render_full_update, compositor.render_partial_update

    def full_update(*args, **kwargs):
        seen("full")
        return full(*args, **kwargs)

    def partial_update():
        seen("partial")
        return partial()

    compositor.render_full_update = full_update
    compositor.render_partial_update = partial_update


_layouts = 0  # layouts done by any compositor in this process, once count_all_layouts() ran


def count_all_layouts() -> Callable[[], int]:
    """Count every screen's layouts from now on (patches Compositor.reflow once per process);
    returns a function giving the count so far."""
    if not getattr(Compositor.reflow, "_counted", False):
        plain = Compositor.reflow

        def reflow(self, *args, **kwargs):
            global _layouts
            _layouts += 1
            return plain(self, *args, **kwargs)

        reflow._counted = True
        Compositor.reflow = reflow
    return lambda: _layouts


def on_frame(app: App, seen: Callable[[], None]) -> None:
    """Call `seen()` after each frame `app` renders (headless too: there the frame is dropped
    right after, which costs the same for any app)."""
    display = app._display

    def displayed(screen, renderable):
        display(screen, renderable)
        seen()

    app._display = displayed


def notifications(app: App) -> list[str]:
    """The messages of the notifications `app` shows now."""
    return [n.message for n in app._notifications]
