"""quiz's own widgets (quiz/tui/widgets/fast/) against the Textual widgets they replace.

Each fast widget copies the look of a Textual original (Input, Footer, Header, a row of Buttons)
and OneLayout copies the vertical layout's result while skipping a second layout. Here both are
drawn in the same small app (same size, theme, content, focus, cursor, bindings) and compared
cell by cell: the character and what the terminal shows of its style (colours and attributes;
a blank cell's foreground, which nothing shows, is not compared). After a Textual upgrade that
changes an original's looks, these fail: read the original again and follow it in the copy.
A snapshot of each fast widget next to its original (tests/__snapshots__/) shows the same to
the eye, and fails if Textual's drawing of the fast widget itself drifts.

Where the copy differs on purpose, the test says so and compares what must match:
- AnswerBox: no blinking cursor (the Input here has cursor_blink off), no selection (Input's
  select_on_focus and shift+arrows), no validation, suggestions or password mode; after the
  cursor jumps left in a text wider than the box, it may scroll by a different amount (the
  cursor is in view in both, and the text around it is the same).
- KeyFooter: no binding groups and no compact mode (quiz uses neither); keys too many for the
  width: Footer lets the line run (hidden) under the palette key, KeyFooter leaves out the keys
  before the last (the help key) that do not fit and shows "…" in their place.
- TitleBar: no clock and no tall mode (Header's click on the title toggles it).
- GradeBar: in the ANSI theme its border is not Button's (xfail below: a gap not closed);
  no press animation (Button's -active: the card is graded and the bar goes);
  at widths where `3 Good  10m` does not fit, the label is shortened (Buttons would cut it).
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Static

from quiz.study.scheduler import RATINGS, Preview
from quiz.tui.textual_internals import screen_lines, watch_layouts
from quiz.tui.widgets.fast.answer_box import AnswerBox
from quiz.tui.widgets.fast.grade_bar import GradeBar
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.one_layout import OneLayout
from quiz.tui.widgets.fast.title_bar import TitleBar

THEMES = ["textual-dark", "textual-light", "ansi-dark"]

Cell = tuple[str, str]  # the character, and the terminal's SGR codes for it


def cells(segments: list[Segment]) -> list[Cell]:
    out = []
    for segment in segments:
        style = segment.style or Style()
        shows_fg = style.reverse or style.underline or style.strike or style.overline
        for char in segment.text:
            drawn = style if char != " " or shows_fg else Style(bgcolor=style.bgcolor)
            out.append((char, drawn._make_ansi_codes(ColorSystem.TRUECOLOR)))
    return out


def differences(fast: list[list[Cell]], original: list[list[Cell]]) -> list[str]:
    """Where the two drawings differ, first ten, readable in a failure."""
    found = [
        f"line {y} col {x}: fast {a!r}, Textual {b!r}"
        for y, (row_a, row_b) in enumerate(zip(fast, original, strict=True))
        for x, (a, b) in enumerate(zip(row_a, row_b, strict=True))
        if a != b
    ]
    return found[:10]


def text(drawing: list[list[Cell]]) -> list[str]:
    return ["".join(c for c, _ in row) for row in drawing]


class Sheet(App):
    """One screen with the given widgets on it, in a theme; nothing focused unless asked."""

    AUTO_FOCUS = None
    CSS = "Screen { background: $background; }"

    def __init__(self, *widgets: Widget, theme: str, title: str | None = None):
        super().__init__()
        self.widgets = widgets
        self.theme = theme
        if title is not None:
            self.title = title

    def compose(self) -> ComposeResult:
        yield from self.widgets


async def drawn(app: App, size: tuple[int, int], act=None) -> list[list[Cell]]:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if act is not None:
            await act(pilot)
        await pilot.pause()
        await pilot.pause()
        return [cells(list(strip)) for strip in screen_lines(app.screen)]


async def assert_same(fast: App, original: App, size: tuple[int, int], act=None) -> list[str]:
    a, b = await drawn(fast, size, act), await drawn(original, size, act)
    assert differences(a, b) == []
    return text(a)


# -- AnswerBox and Input ------------------------------------------------------------------


def plain_input(placeholder: str = "") -> Input:
    # The AnswerBox's cursor does not blink and it has no selection: Input with neither.
    field = Input(placeholder=placeholder, select_on_focus=False)
    field.set_reactive(Input.cursor_blink, False)
    return field


def keys(typed: str) -> list[str]:
    return ["space" if c == " " else c for c in typed]


def answer_act(focus: bool, typed: str = "", then: tuple[str, ...] = (), blur: bool = False):
    async def act(pilot):
        field = pilot.app.screen.children[0]
        if focus:
            field.focus()
            await pilot.pause()
        await pilot.press(*keys(typed), *then)
        if blur:
            pilot.app.screen.set_focus(None)

    return act


BOX_STATES = {
    "placeholder": ("Your answer", answer_act(False)),
    "placeholder-focused": ("Your answer", answer_act(True)),
    "empty-focused": ("", answer_act(True)),
    "typed": ("Your answer", answer_act(True, "Northern")),
    "typed-blurred": ("Your answer", answer_act(True, "Northern Kurils", blur=True)),
    "cursor-moved": ("", answer_act(True, "Northern Territories", ("left",) * 4)),
    "word-moves-and-deletes": (
        "",
        answer_act(True, "the Southern Kurils", ("ctrl+left", "ctrl+w", "home", "delete")),
    ),
    "wide-characters": ("", answer_act(True, "北方領土 Hoppō", ("left", "left"))),
    "wider-than-the-box": ("", answer_act(True, "The Northern Territories and the Kurils")),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("state", BOX_STATES)
async def test_answer_box_draws_as_input(theme, state):
    placeholder, act = BOX_STATES[state]
    lines = await assert_same(
        Sheet(AnswerBox(placeholder), theme=theme),
        Sheet(plain_input(placeholder), theme=theme),
        (30, 3),
        act,
    )
    assert lines[0].startswith("▊▔") and lines[2].startswith("▊▁")


@pytest.mark.parametrize("theme", THEMES)
async def test_answer_box_scrolled_back_shows_the_cursor_and_its_text_as_input(theme):
    # Moving left in a text wider than the box: both scroll to keep the cursor in view, by
    # amounts that may differ (an intended difference); the cursor cell and the text from it
    # on are the same.
    long = "The Northern Territories and the Kurils"
    act = answer_act(True, long, ("ctrl+left",) * 4)
    fast = await drawn(Sheet(AnswerBox(), theme=theme), (30, 3), act)
    original = await drawn(Sheet(plain_input(), theme=theme), (30, 3), act)

    def from_cursor(drawing):
        row = drawing[1]
        # Not the border (0, -1), the padding (1) or the text's own style (3).
        others = {row[0][1], row[1][1], row[3][1], row[-1][1]}
        cursor_codes = {codes for _, codes in row} - others
        at = next(i for i, (_, codes) in enumerate(row) if codes in cursor_codes)
        return at, row[at:-1]

    (at_fast, fast_rest), (at_original, original_rest) = from_cursor(fast), from_cursor(original)
    shorter = min(len(fast_rest), len(original_rest))
    assert fast_rest[:shorter] == original_rest[:shorter]
    assert "".join(c for c, _ in fast_rest).strip() in long
    assert fast[0] == original[0] and fast[2] == original[2]
    assert 3 <= at_fast and 3 <= at_original


# -- KeyFooter and Footer -----------------------------------------------------------------


class Keys(App):
    """A screen's bindings as the study screen has them: shown and hidden, a key display, two
    bindings for one action, one disabled for now, and the command palette's."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "reveal", "Reveal"),
        Binding("space", "reveal", "Reveal", show=False),
        Binding("s", "source", "Source", tooltip="Open the article"),
        Binding("x", "off", "Not now"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("question_mark", "help", "Keys", key_display="?"),
    ]

    def __init__(self, footer: Widget, theme: str):
        super().__init__()
        self.footer, self.theme = footer, theme

    def compose(self) -> ComposeResult:
        yield self.footer

    def check_action(self, action: str, parameters) -> bool | None:
        return None if action == "off" else True  # None: shown, dimmed

    def action_reveal(self) -> None:
        self.revealed = True


@pytest.mark.parametrize("theme", THEMES)
async def test_key_footer_draws_as_footer(theme):
    lines = await assert_same(
        Keys(KeyFooter(), theme), Keys(Footer(), theme), (100, 2), lambda pilot: pilot.pause()
    )
    assert lines[1].startswith(" ⏎ Reveal  s Source  x Not now  - Bury  ? Keys  ")
    assert lines[1].rstrip().endswith("▏^p palette")


@pytest.mark.parametrize("width", [44, 30])
async def test_a_narrow_key_footer_keeps_the_help_key(width):
    line = text(await drawn(Keys(KeyFooter(), "textual-dark"), (width, 2)))[1]
    assert len(line) == width
    assert "? Keys" in line and line.rstrip().endswith("▏^p palette")  # the help key stays
    assert "- Bury" not in line  # what does not fit is left out
    if width == 44:
        assert line.startswith(" ⏎ Reveal  s Source  …  ? Keys ")


@pytest.mark.parametrize("theme", THEMES)
async def test_key_footer_under_the_mouse_as_footer(theme):
    async def hover(pilot):
        await pilot.hover(offset=(16, 1))  # "s Source"
        await pilot.pause()

    await assert_same(Keys(KeyFooter(), theme), Keys(Footer(), theme), (100, 2), hover)


async def test_a_click_on_a_footer_key_presses_it_as_on_footer():
    for footer in (KeyFooter(), Footer()):
        app = Keys(footer, "textual-dark")
        app.revealed = False
        async with app.run_test(size=(100, 2)) as pilot:
            await pilot.pause()
            await pilot.click(offset=(3, 1))
            await pilot.pause()
            assert app.revealed, type(footer).__name__


# -- TitleBar and Header ------------------------------------------------------------------


def titled(bar: Widget, theme: str, title: str = "quiz · Study") -> Sheet:
    app = Sheet(bar, theme=theme, title=title)
    app.sub_title = "ann"
    return app


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", [100, 24])
async def test_title_bar_draws_as_header(theme, width):
    lines = await assert_same(titled(TitleBar(), theme), titled(Header(), theme), (width, 2))
    assert lines[0].startswith(" ⭘")
    assert ("quiz · Study — ann" if width == 100 else "…") in lines[0]


@pytest.mark.parametrize("theme", THEMES)
async def test_title_bar_icon_under_the_mouse_as_header(theme):
    async def hover(pilot):
        await pilot.hover(offset=(2, 0))
        await pilot.pause()

    await assert_same(titled(TitleBar(), theme), titled(Header(), theme), (100, 2), hover)


async def test_a_new_sub_title_shows_as_on_header():
    async def switch(pilot):
        pilot.app.sub_title = "bea"
        await pilot.pause()

    lines = await assert_same(
        titled(TitleBar(), "textual-dark"), titled(Header(), "textual-dark"), (80, 2), switch
    )
    assert "quiz · Study — bea" in lines[0]


# -- GradeBar and the row of Buttons it replaced ------------------------------------------

INTERVALS = {1: "1m", 2: "6m", 3: "10m", 4: "4d"}


class ButtonRow(Horizontal):
    """The grade row as it was before GradeBar (git show 0a13df7^:quiz/tui/widgets/grade_bar.py,
    and its rules in quiz.tcss): four Buttons, the suggested one primary, then the hint."""

    DEFAULT_CSS = """
    ButtonRow { height: auto; }
    ButtonRow Button { min-width: 12; width: 1fr; margin-right: 1; }
    ButtonRow Button.-suggested { text-style: bold; }
    ButtonRow Static { width: auto; height: 3; content-align: left middle; color: $text-muted; }
    """

    def __init__(self, suggested: int, hovered: int | None = None):
        from quiz.tui.widgets.fast.grade_bar import button_label, hint_content

        buttons = []
        for rating in RATINGS:
            label = button_label(rating, INTERVALS[rating], 1000)
            button = Button(label, variant="primary" if rating == suggested else "default")
            button.can_focus = False
            button.set_class(rating == suggested, "-suggested")
            buttons.append(button)
        super().__init__(*buttons, Static(hint_content(suggested)))


def grade_bar(suggested: int) -> GradeBar:
    bar = GradeBar()
    previews = {r: Preview(r, None, interval) for r, interval in INTERVALS.items()}
    bar.show(previews, suggested)
    return bar


# A gap found, not closed yet: in the ANSI theme Button draws its tall border with other cells
# (reverse half blocks) than GradeBar's copy of the truecolor look.
ANSI_BUTTON_GAP = pytest.mark.xfail(
    strict=True, reason="GradeBar does not copy Button's ANSI-theme border yet"
)
BAR_THEMES = [pytest.param(t, marks=ANSI_BUTTON_GAP) if t.startswith("ansi") else t for t in THEMES]


@pytest.mark.parametrize("theme", BAR_THEMES)
@pytest.mark.parametrize("suggested", [1, 3])
@pytest.mark.parametrize("width", [100, 76])
async def test_grade_bar_draws_as_a_row_of_buttons(theme, suggested, width):
    lines = await assert_same(
        Sheet(grade_bar(suggested), theme=theme),
        Sheet(ButtonRow(suggested), theme=theme),
        (width, 3),
    )
    assert "3 Good  10m" in lines[1] and f"Enter = {RATINGS[suggested]}" in lines[1]


@pytest.mark.parametrize("theme", BAR_THEMES)
@pytest.mark.parametrize("hovered", [1, 3])
async def test_grade_bar_under_the_mouse_as_a_button(theme, hovered):
    x = {1: 5, 3: 50}[hovered]

    async def hover(pilot):
        await pilot.hover(offset=(x, 1))
        await pilot.pause()

    await assert_same(
        Sheet(grade_bar(3), theme=theme), Sheet(ButtonRow(3), theme=theme), (100, 3), hover
    )


# -- OneLayout and the vertical layout ----------------------------------------------------


class Plain(Static):
    pass


class Kept(OneLayout, Static):
    pass


class PlainColumn(Vertical):
    DEFAULT_CSS = "PlainColumn { height: auto; border: round $primary; }"


class KeptColumn(OneLayout, Vertical):
    DEFAULT_CSS = "KeptColumn { height: auto; border: round $primary; }"


def column(kept: bool) -> Widget:
    box, item = (KeptColumn, Kept) if kept else (PlainColumn, Plain)
    return box(item("A short line", id="a"), item("and another", id="b"))


async def relaid(kept: bool) -> tuple[list[list[Cell]], int]:
    app = Sheet(column(kept), theme="textual-dark")
    layouts = []
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        watch_layouts(app.screen, lambda: layouts.append(1))
        first = app.screen.query_one("#a", Static)
        first.update("A line that is now long enough to wrap onto a second and a third line")
        app.screen.query_one("#b", Static).update("and\nthree\nlines")
        for _ in range(4):
            await pilot.pause()
        return [cells(list(s)) for s in screen_lines(app.screen)], len(layouts)


async def test_one_layout_lays_out_as_the_vertical_layout_and_once():
    plain, plain_layouts = await relaid(False)
    kept, kept_layouts = await relaid(True)
    assert differences(kept, plain) == []
    assert "three" in "".join(text(kept))
    # What OneLayout is for: the new sizes ask for no second layout (if Textual stops laying
    # out again for a new virtual size, the mixin is no longer needed: this fails to say so).
    assert kept_layouts < plain_layouts


# -- snapshots: each fast widget over its original, for the eye ---------------------------


def pairs(*rows: tuple[Widget, Widget]) -> Sheet:
    return Sheet(*(w for pair in rows for w in pair), theme="textual-dark")


def test_snapshot_answer_box_over_input(snap_compare):
    app = pairs(
        (AnswerBox("Your answer"), plain_input("Your answer")),
        (AnswerBox("Blank 1 of 2", id="typed"), plain_input("Blank 1 of 2")),
    )

    async def act(pilot):
        boxes = list(pilot.app.screen.children)
        boxes[2].value = "Northern Territories"
        boxes[3].value = "Northern Territories"
        boxes[2].focus()
        await pilot.pause()

    assert snap_compare(app, run_before=act, terminal_size=(40, 12))


def test_snapshot_key_footer_over_footer(snap_compare):
    class Both(Keys):
        def compose(self) -> ComposeResult:
            yield Vertical(Footer(), KeyFooter(id="fast"), id="stack")

        CSS = "#stack { dock: bottom; height: 2; } #fast { dock: none; }"

    assert snap_compare(Both(Static(), "textual-dark"), terminal_size=(80, 4))


def test_snapshot_title_bar_over_header(snap_compare):
    class Both(Sheet):
        CSS = "#fast { dock: none; margin-top: 1; }"

    app = Both(Header(), TitleBar(id="fast"), theme="textual-dark", title="quiz · Study")
    app.sub_title = "ann"
    assert snap_compare(app, terminal_size=(80, 4))


def test_snapshot_grade_bar_over_buttons(snap_compare):
    assert snap_compare(pairs((grade_bar(3), ButtonRow(3))), terminal_size=(100, 7))
