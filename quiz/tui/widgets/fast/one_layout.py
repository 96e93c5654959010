"""OneLayout: a widget whose new size does not ask for a second layout.

When a layout gives a widget a new size, Textual sets its `virtual_size`, a reactive that asks
for another layout of the whole screen on the next tick. On the study screen every card changes
the size of the card panel, its two faces, the feedback and the grade row, so each answer and
each reveal was laid out twice: the second pass (2-3 ms) changed nothing on screen, but a key
pressed right after the frame waited for it. These widgets' sizes never depend on their virtual
size (no scrolling of their own, or, for the card panel, scrollbars that are reactives that ask
for their own layout when they appear or go), so the size is kept without asking again.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive


class OneLayout:
    """Mix in before the Widget class: `class Face(OneLayout, Widget)`."""

    # Already drawn at its new size by the layout that set it: no repaint, no second layout.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)
