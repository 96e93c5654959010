"""The browser table's cells (quiz.tui.widgets.card_table.Cell) draw what Rich's Text draws for
a one-line cell: the same characters and styles at every width, cut, padded or justified."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from quiz.tui.widgets.card_table import Cell

CASES = [
    ("Which islands did Japan claim?", {"overflow": "ellipsis", "no_wrap": True}),
    ("kuril-islands-and-more", {"overflow": "ellipsis", "no_wrap": True}),
    ("北方領土の問題はいつから", {"overflow": "ellipsis", "no_wrap": True}),  # wide characters
    ("12d", {"justify": "right"}),
    ("3", {"justify": "right", "style": "dim"}),
    ("leech", {"style": "bold", "no_wrap": True}),
    ("", {"style": "bold"}),
    ("—", {"style": "dim"}),
]


def drawn(renderable, width: int) -> list[list[tuple[str, object]]]:
    console = Console(width=80, color_system="truecolor", legacy_windows=False)
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = console.render_lines(renderable, options)
    # Segments split differently are the same cells: compare character by character.
    return [
        [(ch, seg.style) for seg in line for ch in seg.text]
        for line in (Segment.simplify(line) for line in lines)
    ]


@pytest.mark.parametrize("text,kwargs", CASES)
@pytest.mark.parametrize("width", [1, 2, 5, 10, 24, 40])
def test_a_cell_draws_as_text_does(text, kwargs, width):
    assert drawn(Cell(text, **kwargs), width) == drawn(Text(text, **kwargs), width)


def test_a_cell_is_read_as_text():
    cell = Cell("[bold]not markup[/]", style="bold")
    assert cell.plain == "[bold]not markup[/]" == str(cell)
    assert isinstance(cell, Text)
