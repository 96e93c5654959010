"""The study screen, driven by keys through Pilot: every card type, the review rows written,
undo, bury, suspend, the reader, the summary, and deck text shown literally."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static
from tui_support import BASIC, CLOZE, MCQ, QUOTE, TRUEFALSE, TYPED, card, make_app, reviews, state

from quiz.study.scheduler import RATINGS
from quiz.tui.model import LETTERS, choice_order
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.reader import ReaderScreen
from quiz.tui.screens.study import StudyScreen
from quiz.tui.textual_internals import screen_lines, watch_layouts, watch_repaints
from quiz.tui.widgets.card_view import CardView
from quiz.tui.widgets.fast.answer_box import AnswerBox
from quiz.tui.widgets.fast.grade_bar import GradeBar
from quiz.tui.widgets.feedback import Feedback
from quiz.tui.widgets.summary import SessionSummary

SIZE = (100, 40)


def answers(store) -> list[tuple]:
    """(rating, correct, given) of each review row, in order."""
    return [(r["rating"], r["correct"], r["given"]) for r in reviews(store)]


def text_of(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


def feedback(app) -> str:
    return text_of(app.screen.query_one(Feedback))


def spans_with(content: Content, style_word: str) -> list[str]:
    return [content.plain[s.start : s.end] for s in content.spans if style_word in str(s.style)]


def face_lines(face) -> list[str]:
    return [line.rstrip() for line in face.render().plain.splitlines()]


def choice_rows(screen) -> list[tuple[str, str, str | None]]:
    """(key, text, mark) per choice on screen, checked against what the card's lower face
    draws: a row per choice, padded to the width."""
    view = screen.query_one(CardView)
    if not view.tail.region.area:
        return []
    drawn = view.tail.render().plain.splitlines()
    rows = []
    for i, (key, text) in enumerate(zip(view.keys, view.choices)):
        assert drawn[i] == f"  {key}   {text}".ljust(view.tail.size.width), drawn[i]
        rows.append((key, text, view.marks[i] if view.marks else None))
    return rows


def grade_row(app) -> str:
    """The grade bar's middle line as drawn: the four labels and the Enter hint."""
    return app.screen.query_one(GradeBar).render_line(1).text.rstrip()


async def type_text(pilot, text: str) -> None:
    """Into the focused AnswerBox (set directly: pressing each key is slow; test_letters_type_...
    presses real keys)."""
    field = pilot.app.focused
    assert isinstance(field, AnswerBox)
    field.value = text
    field.cursor_position = len(text)
    await pilot.pause()


async def test_typed_right_is_saved_as_good(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.item.card.id == "typed-name"
        assert isinstance(app.focused, AnswerBox)
        await type_text(pilot, "northern territories")
        await pilot.press("enter")
        assert screen.phase == "revealed"
        assert "✓ Right" in feedback(app)
        assert screen.suggested == 3
        await pilot.press("enter")  # accept the suggestion
        await pilot.pause()
    rows = reviews(store)
    assert len(rows) == 1
    row = rows[0]
    assert (row["card_id"], row["rating"], row["correct"], row["given"], row["mode"]) == (
        "typed-name",
        3,
        1,
        "northern territories",
        "study",
    )
    assert row["duration_ms"] >= 0
    assert state(store, learner, "typed-name")["reps"] == 1


async def test_typed_wrong_shows_marked_differences_and_suggests_again(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Northern Teritory")
        await pilot.press("enter")
        screen = app.screen
        assert "✗ Not right" in feedback(app)
        assert "The Northern Territories" in feedback(app)
        content = screen.query_one(Feedback).content
        assert spans_with(content, "strike")  # the learner's wrong letters
        assert spans_with(content, "underline")  # what was missing
        assert screen.suggested == 1
        grades = screen.query_one(GradeBar)
        assert grades.display and grades.suggested == 1
        assert grade_row(app).endswith("Enter = Again")
        await pilot.press("enter")
        await pilot.pause()
    assert answers(store) == [(1, 0, "Northern Teritory")]


async def test_grade_buttons_show_intervals_and_keys_override_it(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "nope")
        await pilot.press("enter")
        previews = app.screen.previews
        shown = grade_row(app)
        for rating, name in RATINGS.items():
            assert f"{rating} {name}  {previews[rating].interval}" in shown
        await pilot.press("4")  # the learner overrides the suggested Again
        await pilot.pause()
    assert [(r["rating"], r["correct"]) for r in reviews(store)] == [(4, 0)]


async def test_grades_are_hovered_and_clicked(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED + MCQ)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("enter")  # not known: Again suggested
        bar = app.screen.query_one(GradeBar)
        hard = next(x for x in range(bar.size.width) if bar.rating_at(x) == 2)
        hard += bar.styles.gutter.left  # rating_at counts from the content's edge
        plain = bar.render_line(1)
        await pilot.hover(GradeBar, offset=(hard, 1))
        assert bar.hovered == 2
        assert bar.render_line(1).text == plain.text and bar.render_line(1) != plain  # darker
        await pilot.hover(GradeBar, offset=(1, 1))  # the padding: no grade
        assert bar.hovered is None
        await pilot.click(GradeBar, offset=(hard, 1))
        await pilot.pause()
        assert app.screen.item.card.type == "mcq"  # the next card
    assert answers(store) == [(2, 0, None)]


async def test_focus_moving_does_not_repaint_the_whole_screen(store, learner, make_deck):
    # Textual repaints the whole screen when focus moves; the study screen leaves that to the
    # widgets whose looks change (two such moves per typed card: bench/RESULTS.md).
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        box = screen.card_view.inputs[0]
        assert screen.focused is box
        renders = []
        watch_repaints(screen, renders.append)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is None
        assert "escape" not in [key for key, _, _ in footer_keys(app)]
        box.focus()
        await pilot.pause()
        assert screen.focused is box
        assert [key for key, _, _ in footer_keys(app)] == ["escape"]
        assert "partial" in renders and "full" not in renders


async def test_a_reveal_and_an_answer_are_laid_out_once_each(store, learner, make_deck):
    # A new size used to ask for a second layout on the next tick (quiz/tui/widgets/one_layout.py)
    app = make_app(store, learner, [make_deck(TYPED + MCQ + CLOZE)])  # cloze: two blanks
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)  # the first card, its count and the grade bar mounted
        screen = app.screen
        layouts = []
        watch_layouts(screen, lambda: layouts.append(screen.phase))
        for key in ("enter", "3", "enter", "3"):  # typed, then mcq: reveal, answer
            before = screen.item
            await pilot.press(key)
            for _ in range(3):
                await pilot.pause()
            assert screen.item is not before or screen.phase == "revealed"
        assert screen.item.card.type == "cloze"  # its boxes were there before it came
        assert layouts == ["revealed", "question", "revealed", "question"]


async def test_empty_enter_reveals_as_not_known(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert "Not answered" in feedback(app)
        await pilot.press("enter")
        await pilot.pause()
    assert answers(store) == [(1, 0, None)]


async def test_letters_type_into_the_answer_box(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"qsu", "minus", *"atf")
        screen = app.screen
        assert screen.query_one(AnswerBox).value == "qsu-atf"
        assert screen.phase == "question" and app.is_running and reviews(store) == []
        await pilot.press("escape")  # leave the box: now keys are commands
        assert not isinstance(app.focused, AnswerBox)
        await pilot.press("enter")
        assert screen.phase == "revealed"
        assert "qsu-atf" in feedback(app)


async def test_cloze_one_input_per_blank(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(CLOZE)])
    async with app.run_test(size=SIZE) as pilot:
        first, second = app.screen.card_view.inputs
        assert app.focused is first
        await type_text(pilot, "northern territories")
        await pilot.press("enter")  # Enter walks to the next empty blank first
        assert app.focused is second and app.screen.phase == "question"
        await pilot.press("shift+tab")
        assert app.focused is first
        await pilot.press("tab")
        await type_text(pilot, "south kurils")  # an accepted alternative
        await pilot.press("enter")
        assert app.screen.phase == "revealed"
        assert "✓ Right" in feedback(app)
        assert app.focused is None and not any(f.focusable for f in app.screen.query(AnswerBox))
        await pilot.click(AnswerBox)  # a click cannot reopen a box: keys still grade
        await pilot.press("x")
        assert app.focused is None and first.value == "northern territories"
        await pilot.press("3")
        await pilot.pause()
    assert answers(store) == [(3, 1, "northern territories / south kurils")]


async def test_mcq_picked_by_letter_in_a_stable_shuffle(store, learner, make_deck):
    deck = make_deck(MCQ)
    app = make_app(store, learner, [deck])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        order = choice_order(deck.id, deck.cards[0], 0)
        shown = [text for _, text, _ in choice_rows(screen)]
        assert shown == order
        wrong = next(i for i, c in enumerate(order) if c != "Southern Kurils")
        await pilot.press(LETTERS[wrong])
        assert screen.phase == "revealed"
        rows = choice_rows(screen)
        assert [text for _, text, _ in rows] == order  # the same order during the reveal
        assert rows[wrong][2] == "wrong"
        assert rows[order.index("Southern Kurils")][2] == "right"
        assert {mark for _, _, mark in rows} == {"right", "wrong", "other"}
        assert screen.suggested == 1
        await pilot.press("enter")
        await pilot.pause()
    assert answers(store) == [(1, 0, order[wrong])]


async def test_mcq_right_letter(store, learner, make_deck):
    deck = make_deck(MCQ)
    app = make_app(store, learner, [deck])
    async with app.run_test(size=SIZE) as pilot:
        right = choice_order(deck.id, deck.cards[0], 0).index("Southern Kurils")
        await pilot.press(LETTERS[right])
        assert "✓ Right" in feedback(app)
        await pilot.press("enter")
        await pilot.pause()
    assert answers(store) == [(3, 1, "Southern Kurils")]


async def test_truefalse_with_t_and_f(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TRUEFALSE)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert "✗ Not right" in feedback(app)
        await pilot.press("u")  # nothing answered yet: nothing to undo, the card stays
        await pilot.press("1")
        await pilot.pause()
        # the card comes back (learning step); this time the right answer
        await pilot.press("f")
        assert "✓ Right" in feedback(app)
        await pilot.press("enter")
        await pilot.pause()
    assert answers(store) == [(1, 0, "True"), (3, 1, "False")]


async def test_basic_card_is_self_graded(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        assert not [box for box in app.screen.query(AnswerBox) if box.region.area]  # none shown
        await pilot.press("enter")
        assert "grade yourself" in feedback(app)
        assert "Southern Kurils (Russia)" in feedback(app)
        assert app.screen.suggested == 3
        await pilot.press("2")
        await pilot.pause()
    assert answers(store) == [(2, None, None)]


async def test_each_answer_is_committed_before_the_next_card(store, learner, make_deck):
    deck = make_deck(TYPED + BASIC + TRUEFALSE)
    app = make_app(store, learner, [deck])
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for expected_rows in (1, 2, 3):
            seen.append(app.screen.item.card.id)
            await pilot.press("escape", "enter", "4")
            await pilot.pause()
            # already on disk, read through a separate connection
            import sqlite3

            with sqlite3.connect(store.path) as other:
                assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == expected_rows
        assert seen == ["typed-name", "basic-two-names", "tf-japanese-name"]
        view = app.screen.query_one(CardView)  # hidden behind the summary now; drawn anyway
        assert view.draw_head(60, False).plain.splitlines()[0].endswith("3 answered · 0 to go")


async def test_undo_restores_the_card_and_deletes_the_review(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC + TRUEFALSE)])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("enter", "3")
        await pilot.pause()
        assert screen.item.card.id == "tf-japanese-name"
        assert len(reviews(store)) == 1 and state(store, learner, "basic-two-names") is not None
        await pilot.press("u")
        await pilot.pause()
        assert reviews(store) == []
        assert state(store, learner, "basic-two-names") is None  # a new card is new again
        assert screen.item.card.id == "basic-two-names" and screen.phase == "question"
        assert screen.tally.cards == 0
        # grading again after the undo writes one fresh row
        await pilot.press("enter", "4")
        await pilot.pause()
    assert [(r["card_id"], r["rating"]) for r in reviews(store)] == [("basic-two-names", 4)]


async def test_undo_of_a_review_card_restores_its_previous_state(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1")  # Again: a learning card that comes straight back
        await pilot.pause()
        before = state(store, learner, "basic-two-names")
        await pilot.press("enter", "3")
        await pilot.pause()
        assert state(store, learner, "basic-two-names") != before
        await pilot.press("u")
        await pilot.pause()
        assert state(store, learner, "basic-two-names") == before
        assert len(reviews(store)) == 1


async def test_bury_and_suspend(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC + TRUEFALSE + TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("minus")
        await pilot.pause()
        assert state(store, learner, "basic-two-names")["buried_until"] > "2025-03-03"
        assert screen.item.card.id == "tf-japanese-name"
        await pilot.press("at")
        await pilot.pause()
        assert state(store, learner, "tf-japanese-name")["suspended"] == 1
        assert screen.item.card.id == "typed-name"
        await pilot.press("escape", "u")  # undo the suspension
        await pilot.pause()
        assert state(store, learner, "tf-japanese-name") is None  # new and unsuspended again
        assert screen.item.card.id == "tf-japanese-name"
    assert reviews(store) == []


LATE_QUOTE = "the Japanese would like to expand their access to Russia’s natural resources"
LATE = BASIC.replace(QUOTE, LATE_QUOTE)


async def test_reader_opens_on_the_highlighted_quote(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(LATE)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # not before the reveal: the article would give the answer away
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.press("enter", "s")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        marked = reader.query(".-quote")
        assert len(marked) == 1
        content = marked.first().content
        assert spans_with(content, "reverse") == [LATE_QUOTE]
        scroll = reader.query_one("#reader")
        assert scroll.scroll_y > 0  # scrolled down to the passage, which is on screen
        assert scroll.region.overlaps(marked.first().region)
        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen) and app.screen.phase == "revealed"
        await pilot.press("s", "q")
        assert isinstance(app.screen, StudyScreen)


async def test_deck_text_is_shown_literally(store, learner, make_deck):
    hostile = (
        "- id: markup\n  type: mcq\n"
        '  prompt: "[bold]Bold?[/bold] [@click=app.quit]Click me[/] [/oops]"\n'
        '  choices: ["[red]red[/red]", "[@click=app.quit]x[/]", "[/]", "plain"]\n'
        '  answer: "[/]"\n'
        '  explanation: "[link=https://example.com]not a link[/link] [b]"\n'
        f'  source:\n    article: thorn-in-ties\n    quote: "{QUOTE}"\n'
    )
    app = make_app(store, learner, [make_deck(hostile)])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        view = screen.query_one(CardView)
        assert "[bold]Bold?[/bold] [@click=app.quit]Click me[/] [/oops]" in face_lines(view.head)
        assert "[@click=app.quit]x[/]" in view.tail.render().plain
        prompt_row = face_lines(view.head).index(
            "[bold]Bold?[/bold] [@click=app.quit]Click me[/] [/oops]"
        )
        await pilot.click(view.head, offset=(5, prompt_row))  # an inert "link": app keeps running
        row = view.choices.index("[@click=app.quit]x[/]")
        await pilot.click(view.tail, offset=(view.tail.size.width - 2, row))  # far right of a row
        assert app.is_running and screen.phase == "revealed"
        assert screen.given == "[@click=app.quit]x[/]"  # the row clicked was picked, nothing run
        assert "[link=https://example.com]not a link[/link] [b]" in feedback(app)
        assert app.is_running
        app.save_screenshot(path=str(store.path.parent), filename="markup.svg")  # renders


async def test_summary_at_the_end_and_home_from_there(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(TYPED + BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "northern territories")
        await pilot.press("enter", "4")  # Easy: due in days, so not back this session
        await pilot.pause()
        await pilot.press("enter", "4")
        await pilot.pause()
        screen = app.screen
        assert screen.phase == "done"
        summary = text_of(screen.query_one(SessionSummary))
        assert "Session complete" in summary
        assert "Cards     2" in summary
        assert "1 of 1 right (100%)" in summary  # accuracy counts objective cards only
        assert "Tomorrow" in summary
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")  # q on home quits, not back to the finished session
        await pilot.pause()
        assert not app.is_running
    assert len(reviews(store)) == 2


async def test_nothing_to_study(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("at")  # suspend the only card
        await pilot.pause()
        assert app.screen.phase == "done"
        assert "Nothing to study" in text_of(app.screen.query_one(SessionSummary))
        await pilot.press("u")  # the summary's undo brings the card back
        await pilot.pause()
        assert app.screen.phase == "question"


async def test_q_quits_when_opened_by_quiz_study(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_help_lists_the_keys(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(MCQ)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        keys = text_of(app.screen.query_one("#help-keys", Static))
        for needle in (
            "Reveal",
            "Again",
            "Easy",
            "multiple-choice",
            "Undo",
            "Bury",
            "Suspend",
            "Source",
            "Quit",
        ):
            assert needle in keys
        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen)


def footer_keys(app) -> list[tuple[str, str, bool]]:
    """The keys the footer shows now: (key, description, dimmed)."""
    from quiz.tui.widgets.fast.key_footer import KeyFooter

    return [(k.key, k.description, not k.enabled) for k in app.screen.query_one(KeyFooter).keys]


async def test_the_footer_is_right_in_the_frame_that_shows_a_typed_card(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(MCQ + TYPED)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.item.card.type == "mcq" and "escape" not in dict_keys(footer_keys(app))
        await pilot.press("a")  # reveal
        app.screen.action_grade(3)  # as the key does; nothing awaited: no frame drawn since
        assert screen.item.card.type == "typed" and screen.focused is screen.card_view.inputs[0]
        assert "escape" in dict_keys(footer_keys(app))  # "Esc Leave the box" already
        assert "s" not in dict_keys(footer_keys(app))  # letters type into the box


def dict_keys(rows) -> list[str]:
    return [key for key, _description, _dimmed in rows]


async def test_footer_follows_each_card(store, learner, make_deck):
    """The footer names what each key does now (Enter: Reveal, then Accept grade; letters
    leave it while an answer box has focus), in the frame that shows the card."""
    from quiz.tui.widgets.fast.key_footer import KeyFooter

    app = make_app(store, learner, [make_deck(TYPED + MCQ + TRUEFALSE + BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert footer_keys(app) == [("escape", "Leave the box", False)]  # typing
        await pilot.press("escape")
        await pilot.pause()
        question = footer_keys(app)
        assert ("enter", "Reveal", False) in question and ("minus", "Bury", False) in question
        assert not any(key == "s" for key, _, _ in question)  # the source comes with the answer
        await pilot.press("enter")
        await pilot.pause()
        revealed = footer_keys(app)
        assert ("enter", "Accept grade", False) in revealed and ("s", "Source", False) in revealed
        footer = app.screen.query_one(KeyFooter)
        assert "Accept grade" in str(footer.render())
        for _ in range(3):  # mcq, true/false, basic: question then answer
            await pilot.press("enter")
            await pilot.pause()
            assert ("enter", "Reveal", False) in footer_keys(app)
            await pilot.press("enter")
            await pilot.pause()
            assert ("enter", "Accept grade", False) in footer_keys(app)
        assert "Accept grade" in str(footer.render()) and "Reveal" not in str(footer.render())
    assert len(reviews(store)) == 3


async def test_a_cloze_with_more_blanks_than_boxes_gets_them_mounted(store, learner, make_deck):
    three = card(
        "cloze-three",
        "cloze",
        '"{{Iturup}}, {{Kunashir}} and {{Shikotan}} are three of the islands."',
    )
    app = make_app(store, learner, [make_deck(three)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        boxes = screen.card_view.inputs
        assert [b.placeholder for b in boxes] == [f"Blank {i} of 3" for i in (1, 2, 3)]
        assert all(b.display for b in boxes) and screen.focused is boxes[0]
        for name in ("Iturup", "Kunashir", "Shikotan"):  # Enter walks to the next blank
            await pilot.press(*name, "enter")
        await pilot.pause()
        assert screen.phase == "revealed" and "✓ Right" in feedback(app)


async def test_one_card_view_serves_every_type_in_turn(store, learner, make_deck):
    """The card view is reused from card to card: each card shows exactly its own answer
    boxes or choices, and nothing typed or marked for one card is left on the next."""
    app = make_app(store, learner, [make_deck(TYPED + MCQ + TRUEFALSE + CLOZE + BASIC)])

    def shown(screen):
        boxes = [
            (b.placeholder, b.value, not b.focusable)
            for b in screen.query(AnswerBox)
            if b.region.area
        ]
        return boxes, choice_rows(screen)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert shown(screen) == ([("Your answer", "", False)], [])
        await type_text(pilot, "Kuril")
        await pilot.press("enter", "1")  # wrong: Again
        await pilot.pause()
        boxes, rows = shown(screen)
        assert boxes == [] and [key for key, _, _ in rows] == list("abcd")
        assert all(mark is None for _, _, mark in rows)  # no marks from before
        await pilot.press("c", "1")
        await pilot.pause()
        boxes, rows = shown(screen)
        assert boxes == [] and [(key, text) for key, text, _ in rows] == [
            ("t", "True"),
            ("f", "False"),
        ]
        assert all(mark is None for _, _, mark in rows)  # the mcq's marks are gone
        await pilot.press("t", "1")
        await pilot.pause()
        assert shown(screen) == ([("Blank 1 of 2", "", False), ("Blank 2 of 2", "", False)], [])
        assert app.focused is screen.card_view.inputs[0]
        await pilot.press("escape", "enter", "1")
        await pilot.pause()
        assert shown(screen) == ([], [])  # basic: recall only
    assert [r["card_id"] for r in reviews(store)] == [
        "typed-name",
        "mcq-russian-name",
        "tf-japanese-name",
        "cloze-names",
    ]


def test_progress_line_draws_what_textuals_bar_draws():
    """The study screen's own progress line (cheaper to paint) has the cells of Textual's
    ProgressBar for every share: whole cells filled, a half-cell cap, an empty bar at 0."""
    from rich.console import Console
    from textual.renderables.bar import Bar

    from quiz.tui.widgets.progress_line import bar_content

    console = Console(width=200)
    for width in (1, 7, 40, 83):
        for total in (1, 3, 20, 97):
            for done in range(0, total + 1, max(1, total // 7)):
                share = int(done / total * width) / width  # ProgressBar's own rounding
                bar = Bar(highlight_range=(0, width * share), width=width)
                with console.capture() as capture:
                    console.print(bar, end="")
                assert bar_content(width, done, total).plain == capture.get(), (width, done, total)


async def test_muted_text_in_a_face_looks_like_css_muted_text():
    """The card's faces draw muted text (deck line, hint, marks) in Content spans; it must come
    out as the grey CSS's `color: $text-muted` gives, not the full white an "auto" colour does."""
    from textual.app import App

    from quiz.tui.widgets.face import MUTED, Face

    class Probe(App):
        CSS = "Screen > * { background: $surface; }  #css { color: $text-muted; }"

        def compose(self):
            face = Face()
            face.show(lambda width, compact: Content.styled("muted", MUTED))
            yield face
            yield Static("muted", id="css")

    def colour(widget):
        return next(s.style.color for s in widget.render_line(0) if s.text.strip())

    app = Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        face, css = app.query_one(Face), app.query_one("#css")
        assert colour(face) == colour(css)


async def test_choice_rows_are_hovered_and_clicked_by_row(store, learner, make_deck):
    deck = make_deck(MCQ)
    app = make_app(store, learner, [deck])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        view = screen.query_one(CardView)
        plain_row = view.tail.render().spans  # before any hover
        await pilot.hover(view.tail, offset=(30, 2))  # past the text of row c
        assert view.tail.hovered == 2
        assert view.tail.render().spans != plain_row  # the hovered row is highlighted
        await pilot.hover(screen.query_one(CardView).head)
        assert view.tail.hovered is None
        await pilot.click(view.tail, offset=(30, 2))
        assert screen.phase == "revealed" and screen.given == view.choices[2]
        await pilot.hover(view.tail, offset=(30, 1))  # marked rows are not picked any more
        assert view.tail.hovered is None
        await pilot.click(view.tail, offset=(30, 1))
        assert screen.given == view.choices[2]


async def test_card_spacing_follows_the_terminal_height(store, learner, make_deck):
    """Blank lines between the card's parts are dropped below 30 rows and come back above,
    when the terminal is resized with a card on screen."""
    app = make_app(store, learner, [make_deck(MCQ)])
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.screen.query_one(CardView)
        assert "" in face_lines(view.head) and "" in face_lines(view.tail)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.has_class("-short")
        assert "" not in face_lines(view.head) and "" not in face_lines(view.tail)
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        await pilot.pause()
        assert "" in face_lines(view.head) and "" in face_lines(view.tail)


async def test_a_click_on_a_footer_key_presses_it_and_the_key_under_the_mouse_lights_up(
    store, learner, make_deck
):
    from quiz.tui.screens.help import HelpScreen
    from quiz.tui.widgets.fast.key_footer import KeyFooter

    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        column = str(footer.render()).index("Reveal")
        await pilot.hover(KeyFooter, offset=(column, 0))
        assert footer.hovered == "enter"
        assert footer.tooltip is None  # (Reveal has none; Bury has one)
        bury = str(footer.render()).index("Bury")
        await pilot.hover(KeyFooter, offset=(bury, 0))
        assert footer.hovered == "minus" and footer.tooltip == "Hide this card until tomorrow"
        await pilot.click(KeyFooter, offset=(column, 0))
        await pilot.pause()
        assert app.screen.phase == "revealed"
        await pilot.click(KeyFooter, offset=(str(footer.render()).index("Keys"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_title_line_names_the_screen_and_its_icon_opens_the_palette(
    store, learner, make_deck
):
    from textual.command import CommandPalette

    from quiz.tui.widgets.fast.title_bar import TitleBar

    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert f"quiz · Study — {learner.name}" in str(bar.render())
        app.sub_title = "someone else"  # (as switching the learner does)
        await pilot.pause()
        first_line = screen_lines(app.screen)[0].text  # what is on screen
        assert "quiz · Study — someone else" in first_line
        await pilot.hover(TitleBar, offset=(1, 0))
        assert bar.hovered and bar.tooltip == "Open the command palette"
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


def test_grade_labels_fit_narrow_buttons():
    from quiz.tui.widgets.fast.grade_bar import button_label

    assert button_label(4, "1.2mo", 20).plain == "4 Easy  1.2mo"
    assert button_label(4, "1.2mo", 12).plain == "4 Easy 1.2mo"  # one space less
    narrow = button_label(4, "1.2mo", 9)
    assert narrow.cell_length == 9 and narrow.plain.endswith("…")
