"""The drill, results and presenter screens driven through Pilot: untimed and timed drills in
both feedback modes, the rows they write, and presenter mode writing nothing."""

from __future__ import annotations

import asyncio

from textual.content import Content
from textual.widgets import Digits, Input, Static
from tui_support import CLOZE, MCQ, TRUEFALSE, TYPED, card, make_app, reviews

from quiz.classroom.drill import DrillRun, DrillSettings, Results, open_drill
from quiz.content.deck_sync import sync_decks
from quiz.tui.screens.drill import DrillScreen, DrillSetupScreen
from quiz.tui.screens.drill_results import DrillResultsScreen
from quiz.tui.screens.presenter import PresenterScreen
from quiz.tui.widgets.fast.answer_box import AnswerBox

SIZE = (100, 40)
HOSTILE = card(
    "hostile", "typed", '"[bold]Tricky[/] [@click=app.quit]x[/] name?"', '  answer: "[red]x"\n'
)


def text_of(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


def make_run(store, learner, decks, *, count=4, time_limit=None, feedback="now"):
    sync_decks(store, decks)
    drill = open_drill(
        store, decks, DrillSettings(tuple(d.id for d in decks), count, "7", time_limit, feedback)
    )
    return DrillRun(store, drill, learner, decks=decks)


def drill_app(store, learner, decks, screen_factory):
    return make_app(store, learner, decks, start_screen_factory=screen_factory)


async def answer(pilot, question, *, right: bool) -> None:
    """Answer the question on screen with the keys a learner would press."""
    screen = pilot.app.screen
    c = question.card
    if c.type == "mcq":
        choice = c.answer if right else next(x for x in question.choices if x != c.answer)
        await pilot.press(str(question.choices.index(choice) + 1))
    elif c.type == "truefalse":
        await pilot.press("t" if c.answer == right else "f")
    else:
        values = [alts[0] for alts in c.blanks] if c.type == "cloze" else [c.answer]
        for box, value in zip(screen.query(".drill-input").results(AnswerBox), values):
            box.focus()
            box.value = value if right else "wrong"
            await pilot.press("enter")
    await pilot.pause()


async def test_untimed_drill_with_feedback_now(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ + TRUEFALSE + CLOZE)
    run = make_run(store, learner, [deck])
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        for i, q in enumerate(run.drill.questions):
            screen = app.screen
            assert isinstance(screen, DrillScreen)
            assert text_of(screen.query_one("#drill-prompt")).startswith(
                q.card.prompt.split("{{")[0]
            )
            assert f"Question {q.number} of 4" in text_of(screen.query_one("#drill-progress"))
            right = i % 2 == 0
            await answer(pilot, q, right=right)
            verdict = text_of(screen.query_one("#drill-verdict"))
            assert verdict.startswith("✓ Right" if right else "✗ Wrong")
            assert q.card.answer_text() in verdict
            assert "Source:" in text_of(screen.query_one("#drill-source"))  # the quote, at once
            assert len(reviews(store)) == i + 1  # saved before the next question
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, DrillResultsScreen)
        assert "Score 2 / 4" in text_of(app.screen.query_one("#results-score"))
        assert "mini: 2 missed" in text_of(app.screen.query_one("#results-review"))
        await pilot.press("escape")
        await pilot.pause()
    assert isinstance(app.return_value, Results) and app.return_value.score == 2
    rows = reviews(store)
    assert [r["correct"] for r in rows] == [1, 0, 1, 0]
    assert all(
        r["mode"] == "drill" and r["drill_id"] == run.drill.id and r["rating"] is None for r in rows
    )


async def test_feedback_end_shows_nothing_until_the_end(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ + TRUEFALSE)
    run = make_run(store, learner, [deck], count=3, feedback="end")
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        first, second, third = run.drill.questions
        await answer(pilot, first, right=False)
        screen = app.screen
        assert screen.question == second  # straight on, no verdict
        assert text_of(screen.query_one("#drill-verdict")) == ""
        assert not screen.query_one("#drill-verdict").display
        await answer(pilot, second, right=True)
        await answer(pilot, third, right=True)
        assert isinstance(app.screen, DrillResultsScreen)
        results = app.screen.results
        assert results.score == 2 and results.answers[1].correct is False
        verdicts = [text_of(w) for w in app.screen.query(".results-verdict").results(Static)]
        assert verdicts[0].startswith("✗ Wrong") and first.card.answer_text() in verdicts[0]
        sources = [text_of(w) for w in app.screen.query(".results-source").results(Static)]
        assert all("Northern Territories" in s for s in sources)  # each question's quote
    assert [r["correct"] for r in reviews(store)] == [0, 1, 1]


async def wait_for_rows(store, n: int, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if len(reviews(store)) >= n:
            return
        await asyncio.sleep(0.05)


async def test_timed_drill_time_out_counts_as_wrong(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ)
    run = make_run(store, learner, [deck], count=2, time_limit=0.5, feedback="now")
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.query_one("#drill-timer").display  # a visible countdown
        assert "⏱" in text_of(screen.query_one("#drill-timer"))
        await wait_for_rows(store, 1)  # nobody answers
        await pilot.pause()
        assert "time ran out" in text_of(screen.query_one("#drill-verdict"))
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, run.drill.questions[1], right=True)  # in time
    first, second = reviews(store)
    assert (first["given"], first["correct"]) == ("", 0) and first["duration_ms"] == 500
    assert second["correct"] == 1 and second["duration_ms"] < 500


async def test_timed_drill_with_feedback_end_moves_on_by_itself(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ)
    run = make_run(store, learner, [deck], count=2, time_limit=0.5, feedback="end")
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_rows(store, 2)
        await pilot.pause()
        assert isinstance(app.screen, DrillResultsScreen)
        assert app.screen.results.score == 0
        assert all(a.timed_out for a in app.screen.results.answers.values())
    assert [(r["given"], r["correct"]) for r in reviews(store)] == [("", 0), ("", 0)]


async def test_deck_text_and_names_are_shown_literally(store, make_deck):
    deck = make_deck(HOSTILE)
    odd = store.learner("[b]Mallory[/b]")
    run = make_run(store, odd, [deck], count=1)
    app = drill_app(store, odd, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert "[bold]Tricky[/] [@click=app.quit]x[/]" in text_of(screen.query_one("#drill-prompt"))
        assert "[b]Mallory[/b]" in text_of(screen.query_one("#drill-progress"))
        box = screen.query_one(AnswerBox)
        box.value = "[red]x"
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ Right" in text_of(screen.query_one("#drill-verdict"))
        assert app.is_running


async def test_leaving_and_coming_back_continues(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ + TRUEFALSE)
    run = make_run(store, learner, [deck], count=3)
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, run.drill.questions[0], right=True)
        await pilot.press("escape")
        await pilot.pause()
    again = make_run(store, learner, [deck], count=3)
    assert again.drill.id == run.drill.id
    app = drill_app(store, learner, [deck], lambda: DrillScreen(again))
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.question.number == 2


async def test_presenter_reveals_and_records_nothing(store, learner, make_deck):
    deck = make_deck(MCQ + TYPED + TRUEFALSE)
    run = make_run(store, learner, [deck], count=3, time_limit=30)
    drill = run.drill
    app = drill_app(store, learner, [deck], lambda: PresenterScreen(drill))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        q = drill.questions[0]
        assert screen.query_one("#present-number", Digits).value == "1"
        assert screen.query_one("#present-clock", Digits).value in ("30", "29")
        assert not screen.query_one("#present-answer").has_class("-shown")
        await pilot.press("r")
        assert screen.query_one("#present-answer").has_class("-shown")
        assert q.card.answer_text() in text_of(screen.query_one("#present-answer"))
        if q.card.type == "mcq":
            rows = list(screen.query(".present-choice").results(Static))
            right = [w for w in rows if w.has_class("-right")]
            assert len(right) == 1 and q.card.answer in text_of(right[0])
        await pilot.press("space")
        await pilot.pause()
        assert screen.query_one("#present-number", Digits).value == "2"
        assert not screen.query_one("#present-answer").has_class("-shown")
        await pilot.press("p")
        await pilot.pause()
        assert screen.query_one("#present-number", Digits).value == "1"
        await pilot.press("q")
        await pilot.pause()
    assert reviews(store) == []


async def test_setup_form_starts_the_drill(store, learner, make_deck):
    deck = make_deck(TYPED + MCQ + TRUEFALSE)
    app = make_app(store, learner, [deck], start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")  # the home screen's way in
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DrillSetupScreen)
        form.query_one("#setup-count", Input).value = "2"
        form.query_one("#setup-seed", Input).value = "class-7"
        form.query_one("#setup-time", Input).value = "abc"
        await pilot.click("#setup-start")
        await pilot.pause()
        assert app.screen is form  # not a number: says so and stays
        assert "numbers" in text_of(form.query_one("#setup-error"))
        form.query_one("#setup-time", Input).value = ""
        form.query_one("#setup-seed", Input).focus()
        await pilot.press("enter")  # Enter in a field starts too
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert len(app.screen.run.drill.questions) == 2
        assert app.screen.run.drill.settings.seed == "class-7"


async def test_a_drill_answer_that_makes_a_leech_says_so(store, learner, make_deck):
    # A drill that counts in study applies the leech rule (quiz.study.limits): the learner is
    # told on the drill screen, as on the study screen, with the rule stored now.
    from tui_support import in_review

    from quiz.store import reviews as store_reviews
    from quiz.tui.textual_internals import notifications

    deck = make_deck(MCQ)
    sync_decks(store, [deck])
    store.update_learner(learner.id, leech_threshold=3, leech_action="tag")
    drill = open_drill(store, [deck], DrillSettings((deck.id,), 1, "7", None, "now"))
    run = DrillRun(store, drill, learner, count_in_study=True, decks=[deck])
    (q,) = run.drill.questions
    with store.write() as db:
        store_reviews.put_state(db, learner.id, q.deck_id, q.card.id, in_review(lapses=2))
    app = drill_app(store, learner, [deck], lambda: DrillScreen(run))
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, q, right=False)
        (notice,) = [n for n in notifications(app) if "leech" in n]
        assert "lapsed 3 times" in notice and "tagged a leech" in notice
    (row,) = store.db.query("SELECT leech, suspended FROM card_state")
    assert (row["leech"], row["suspended"]) == (1, 0)
