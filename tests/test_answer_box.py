"""The answer box on its own, driven by keys through Pilot: typing, moving, deleting, pasting,
clicking, scrolling long and wide text, and what it draws (focus, cursor, text never markup)."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from quiz.tui.widgets.fast.answer_box import MAX_LENGTH, PAD, AnswerBox


class BoxApp(App):
    def __init__(self, width: int = 40, placeholder: str = "Your answer"):
        super().__init__()
        self.width = width
        self.placeholder = placeholder
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        box = AnswerBox(self.placeholder)
        box.styles.width = self.width
        yield box
        yield Static("below", id="below")

    def on_answer_box_submitted(self, event: AnswerBox.Submitted) -> None:
        self.submitted.append(event.value)


def text_line(box: AnswerBox) -> str:
    """The box's middle line as drawn, without the border and the padding: the cells for the
    text and the cursor after it (plain characters here, one cell each)."""
    return box.render_line(1).text[PAD : box.size.width - PAD]


def cursor_text(box: AnswerBox) -> str:
    """The character drawn with the cursor's style ('' when no cursor is drawn)."""
    cursor_style = box._styles()[1]
    return "".join(s.text for s in box.render_line(1) if s.style == cursor_style)


async def test_typing_moving_and_deleting():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        assert app.focused is box
        await pilot.press(*"abc")
        assert (box.value, box.cursor_position) == ("abc", 3)
        await pilot.press("left", "left", "x")
        assert (box.value, box.cursor_position) == ("axbc", 2)
        await pilot.press("home", "z")
        assert box.value == "zaxbc"
        await pilot.press("end", "backspace")
        assert box.value == "zaxb"
        await pilot.press("ctrl+a", "delete", "ctrl+e", "space", "q")
        assert (box.value, box.cursor_position) == ("axb q", 5)
        await pilot.press("right", "right")  # at the end already: stays
        assert box.cursor_position == 5


async def test_word_moves_and_deletes():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        box.value = "southern kuril islands"
        await pilot.press("ctrl+left")
        assert box.cursor_position == len("southern kuril ")
        await pilot.press("ctrl+left", "ctrl+left", "ctrl+left")  # stops at the start
        assert box.cursor_position == 0
        await pilot.press("ctrl+right")
        assert box.cursor_position == len("southern ")
        await pilot.press("ctrl+f")  # deletes the word to the right
        assert box.value == "southern islands"
        await pilot.press("end", "ctrl+w")
        assert box.value == "southern "
        await pilot.press("left", "ctrl+k")
        assert box.value == "southern"
        await pilot.press("left", "left", "ctrl+u")
        assert (box.value, box.cursor_position) == ("rn", 0)


async def test_enter_submits_the_value():
    app = BoxApp()
    async with app.run_test() as pilot:
        await pilot.press(*"Habomai", "enter")
        await pilot.pause()
        assert app.submitted == ["Habomai"]


async def test_keys_bound_elsewhere_are_typed():
    class Bound(BoxApp):
        BINDINGS: ClassVar[list[BindingType]] = [("q", "quit_app", "Quit"), ("1", "bell", "One")]

        def action_quit_app(self) -> None:
            raise AssertionError("q reached the app")

    app = Bound()
    async with app.run_test() as pilot:
        await pilot.press("q", "1", "space", "@")
        assert app.query_one(AnswerBox).value == "q1 @"


async def test_paste_takes_the_first_line_without_control_characters():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        box.value = "<>"
        box.cursor_position = 1
        box.post_message(events.Paste("Iturup\tand\x1b[31m Kunashir\nsecond line"))
        await pilot.pause()
        assert box.value == "<Iturup and[31m Kunashir>"
        assert box.cursor_position == len("<Iturup and[31m Kunashir")


async def test_length_is_capped():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        box.value = "x" * (MAX_LENGTH + 100)
        assert len(box.value) == MAX_LENGTH
        await pilot.press("y")
        box.post_message(events.Paste("more"))
        await pilot.pause()
        assert box.value == "x" * MAX_LENGTH


async def test_placeholder_shown_until_typing_with_the_cursor_on_it():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        assert text_line(box).startswith("Your answer")
        assert cursor_text(box) == "Y"
        await pilot.press("a")
        assert text_line(box).rstrip() == "a"
        assert cursor_text(box) == " "  # after the last character


async def test_focus_is_drawn_without_restyling():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        focused_top = box.render_line(0)
        restyled = []
        update_nodes = app.stylesheet.update_nodes
        app.stylesheet.update_nodes = lambda nodes, **kw: (
            restyled.extend(nodes),
            update_nodes(nodes, **kw),
        )
        app.set_focus(None)
        await pilot.pause()
        assert box not in restyled
        assert cursor_text(box) == ""  # no cursor without focus
        blurred_top = box.render_line(0)
        assert blurred_top.text == focused_top.text == "▊" + "▔" * 38 + "▎"
        border = {s.style.color for s in focused_top}, {s.style.color for s in blurred_top}
        assert border[0] != border[1]  # the border's colour shows where the focus is
        box.focus()
        await pilot.pause()
        assert box not in restyled and cursor_text(box) == "Y"


async def test_long_text_scrolls_to_keep_the_cursor_in_view():
    app = BoxApp(width=20)  # room for 14 cells of text and the cursor, as Input
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        await pilot.press(*alphabet)
        assert text_line(box) == "nopqrstuvwxyz "  # the end in view, the cursor after it
        assert cursor_text(box) == " "
        await pilot.press("home")
        assert text_line(box) == "abcdefghijklmn" and cursor_text(box) == "a"
        await pilot.press("end", *["backspace"] * 20)
        assert text_line(box).rstrip() == "abcdef"  # shorter again: all of it in view


async def test_wide_characters_keep_the_border_in_place():
    app = BoxApp(width=20)
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        box.post_message(events.Paste("択捉島と国後島と色丹島と歯舞群島"))
        await pilot.pause()
        for y in range(3):
            assert cell_len(box.render_line(y).text) == 20
        assert box.render_line(1).text.endswith("▎")
        assert cursor_text(box) == " "
        await pilot.press("home")
        assert text_line(box).startswith("択捉島と") and cursor_text(box) == "択"


async def test_click_moves_the_cursor():
    app = BoxApp()
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        box.value = "Shikotan"
        await pilot.click(AnswerBox, offset=(PAD + 4, 1))
        assert box.cursor_position == 4
        await pilot.click(AnswerBox, offset=(30, 1))  # past the end
        assert box.cursor_position == len("Shikotan")


async def test_text_is_never_markup():
    app = BoxApp(placeholder="[bold]not bold[/]")
    async with app.run_test() as pilot:
        box = app.query_one(AnswerBox)
        assert text_line(box).startswith("[bold]not bold[/]")
        await pilot.press(*"[red]x[/red]")
        assert box.value == "[red]x[/red]"
        assert text_line(box).startswith("[red]x[/red]")
        await pilot.pause()
        assert all(not s.style.bold for s in box.render_line(1) if s.text.strip())
