"""The card browser: search, filters, sorting, paging, and the actions on cards."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select
from tui_support import BASIC, MCQ, NOW, TRUEFALSE, TYPED, card, make_app, reviews, state

from quiz.study import card_actions
from quiz.study.card_browser import COLUMNS, sort_rows
from quiz.tui.screens.browser import DEBOUNCE, BrowserScreen
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.widgets.card_table import PAGE, CardTable

SIZE = (120, 40)
MARKUP = card(
    "markup-prompt",
    "typed",
    "'[bold]Which[/bold] [@click=app.quit]islands[/]?'",
    "  answer: Kurils\n",
)


@pytest.fixture
def decks(make_deck):
    return [
        make_deck(TYPED + BASIC + MARKUP, deck_id="first"),
        make_deck(MCQ + TRUEFALSE, deck_id="second"),
    ]


def shown_ids(table: CardTable) -> list[str]:
    return [table.matches[i].card_id for i in range(table.row_count)]


def status(screen) -> str:
    return str(screen.query_one("#browser-status").content)


async def open_browser(app, pilot) -> BrowserScreen:
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(app.screen, BrowserScreen)
    return app.screen


async def test_home_b_opens_the_browser_with_every_card(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        assert table.row_count == 5
        assert shown_ids(table)[:3] == ["typed-name", "basic-two-names", "markup-prompt"]
        assert status(screen).startswith("5 of 5 cards")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_prompts_are_shown_as_written_never_as_markup(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        prompt = table.get_cell_at((2, 3))
        assert prompt.plain == "[bold]Which[/bold] [@click=app.quit]islands[/]?"
        assert not prompt.spans  # no style came from the brackets
        await pilot.pause()
        assert app.is_running


async def test_search_narrows_the_table_as_you_type(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        await pilot.press("slash")
        assert isinstance(screen.focused, Input)
        await pilot.press(*"dispu")
        assert table.row_count == 5  # debounced: nothing yet
        await pilot.press(*"ted")
        await pilot.pause(DEBOUNCE * 3)
        assert shown_ids(table) == ["typed-name", "basic-two-names"]
        assert status(screen).startswith("2 of 5 cards")
        assert 'search "disputed"' in status(screen)
        await pilot.press("enter")  # back to the table, the search kept
        assert screen.focused is table
        await pilot.press("x")  # clear
        assert table.row_count == 5


async def test_filter_by_state_and_deck(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        card_actions.suspend(store, learner, [("second", "tf-japanese-name")])
        screen.load()
        screen.query_one("#f-state", Select).value = "suspended"
        await pilot.pause()
        assert shown_ids(table) == ["tf-japanese-name"]
        assert str(table.get_cell_at((0, 4))) == "suspended"
        screen.query_one("#f-deck", Select).value = "second"
        await pilot.pause()
        assert shown_ids(table) == ["tf-japanese-name"]
        screen.query_one("#f-state", Select).value = "new"
        screen.query_one("#f-deck", Select).value = "first"
        await pilot.pause()
        assert shown_ids(table) == ["typed-name", "basic-two-names", "markup-prompt"]
        assert "deck first" in status(screen) and "state new" in status(screen)


async def test_suspend_then_unsuspend_from_the_browser_writes_card_state(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        await pilot.press("down")  # basic-two-names
        await pilot.press("at")
        await pilot.pause()
        assert state(store, learner, "basic-two-names")["suspended"] == 1
        assert str(table.get_cell_at((1, 4))) == "suspended"
        assert state(store, learner, "typed-name") is None  # only the cursor's card
        await pilot.press("u")
        await pilot.pause()
        assert state(store, learner, "basic-two-names")["suspended"] == 0
        assert str(table.get_cell_at((1, 4))) == "new"


async def test_space_marks_many_and_the_action_takes_them_all(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("space", "down", "space")  # marks 1 and 3 (space moves down)
        assert "2 marked" in status(screen)
        await pilot.press("at")
        await pilot.pause()
        suspended = {
            r["card_id"]
            for r in store.db.query("SELECT card_id FROM card_state WHERE suspended = 1")
        }
        assert suspended == {"typed-name", "markup-prompt"}


async def test_reset_asks_first(store, learner, decks):
    app = make_app(store, learner, decks, start="study")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.item.card.id == "typed-name"
        await pilot.press(*"The Northern Territories", "enter", "3")
        await pilot.pause()
        app.push_screen(BrowserScreen())
        await pilot.pause()
        screen = app.screen
        assert state(store, learner, "typed-name")["last_review"] is not None
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert state(store, learner, "typed-name")["last_review"] is not None  # untouched
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        row = state(store, learner, "typed-name")
        assert row is None or row["last_review"] is None
        modes = [r["mode"] for r in reviews(store) if r["card_id"] == "typed-name"]
        assert modes == ["study", "reset"]  # history kept
        assert str(screen.query_one(CardTable).get_cell_at((0, 4))) == "new"


async def test_sort_by_a_key_and_by_the_header(store, learner, decks):
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        await pilot.press("o", "o")  # deck, then type
        assert screen.sort_column == "type"
        types = [table.matches[i].type for i in range(table.row_count)]
        assert types == sorted(types)
        await pilot.press("O")  # reversed
        types = [table.matches[i].type for i in range(table.row_count)]
        assert types == sorted(types, reverse=True)
        assert "sorted by type ↓" in status(screen)
        assert str(table.columns["type"].label) == "Type↓"
        await pilot.click(CardTable, offset=(60, 0))  # the prompt's header
        await pilot.pause()
        assert screen.sort_column == "prompt" and not screen.reverse


def many_cards(make_deck):
    """A deck of two and a half pages of cards."""
    text = "".join(
        card(f"c-{i:04d}", "typed", f"Question number {i}?", f"  answer: A{i}\n")
        for i in range(PAGE * 2 + 50)
    )
    return make_deck(text, deck_id="many")


async def test_rows_are_added_a_page_at_a_time(store, learner, make_deck):
    app = make_app(store, learner, [many_cards(make_deck)], start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        assert table.row_count == PAGE
        assert status(screen).startswith(f"{PAGE * 2 + 50} of {PAGE * 2 + 50} cards")
        table.move_cursor(row=PAGE - 1)
        await pilot.pause()
        assert table.row_count == PAGE * 2
        await pilot.press("ctrl+end")  # the last loaded row: the rest come in
        await pilot.pause()
        assert table.row_count == PAGE * 2 + 50
        await pilot.press("a")  # mark all marks every match, loaded or not
        assert len(table.marked) == PAGE * 2 + 50


async def test_info_from_the_browser(store, learner, decks):
    from quiz.tui.screens.card_info import CardInfoScreen

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        assert app.screen.card_id == "typed-name"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)


async def test_source_opens_the_cited_passage(store, learner, decks):
    from quiz.tui.screens.reader import ReaderScreen

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.span is not None


async def test_edit_without_a_terminal_names_the_file_and_line(store, learner, tmp_path, library):
    from quiz.content.deck import read_deck_file
    from quiz.tui.screens import card_edit

    path = tmp_path / "own.yaml"
    path.write_text(
        "deck:\n  id: own\n  title: Own\n  articles: []\ncards:\n"
        "  - id: no-source\n    type: typed\n    prompt: Two plus two?\n    answer: four\n"
        "    explanation: Sums.\n    source:\n      imported: a CSV file\n",
        encoding="utf-8",
    )
    deck = read_deck_file(path, library).deck
    ran = []
    app = make_app(store, learner, [deck], start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        await pilot.press("e")  # headless: no terminal to hand over
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        assert card_edit.editor_command(path, 6)[-2:] == ["+6", str(path)]

        def fake_editor(screen_, p, line):
            ran.append(line)
            p.write_text(p.read_text().replace("Two plus two?", "Two and two?"))
            return True

        card_edit.open_in_editor, real = fake_editor, card_edit.open_in_editor
        try:
            await pilot.press("e")
            await pilot.pause()
        finally:
            card_edit.open_in_editor = real
        assert ran == [6]  # the card's line, as lint reports it
        assert screen.query_one(CardTable).matches[0].prompt == "Two and two?"
        assert store.scalar("SELECT prompt FROM cards WHERE card_id = 'no-source'") == (
            "Two and two?"
        )


async def test_cram_from_the_browser_records_cram_rows_and_leaves_the_schedule(
    store, learner, decks
):
    from quiz.tui.screens.study import StudyScreen

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        screen.query_one("#f-deck", Select).value = "second"
        await pilot.pause()
        before = list(store.db.query("SELECT * FROM card_state ORDER BY card_id"))
        await pilot.press("c")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen) and study.session.is_cram
        assert "Custom study" in study.title and "untouched" in study.sub_title
        seen = []
        for _ in range(2):
            seen.append(study.item.card.id)
            await pilot.press("space", "3")
            await pilot.pause()
        assert sorted(seen) == ["mcq-russian-name", "tf-japanese-name"]
        assert study.phase == "done"
        assert [r["mode"] for r in reviews(store)] == ["cram", "cram"]
        assert list(store.db.query("SELECT * FROM card_state ORDER BY card_id")) == before
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen


def test_now_is_fixed():  # the tests' clock: intervals and due dates do not move
    assert NOW.year == 2025


async def test_quiz_cards_tui_opens_the_browser_with_the_filters(
    db_path, monkeypatch, catalog, store, learner
):
    from click.testing import CliRunner

    from quiz.cli.main import cli

    opened = {}

    def fake_run(self):
        opened.update(factory=self.start_screen_factory, decks=[d.id for d in self.decks])

    monkeypatch.setattr("quiz.tui.app.QuizApp.run", fake_run)
    args = ["cards", "--tui", "--deck", "timeline", "--search", "1956", "--state", "new"]
    result = CliRunner().invoke(cli, [*args, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert opened["decks"] == ["timeline"]
    timeline = [d for d in catalog.decks if d.id == "timeline"]
    app = make_app(store, learner, timeline, start_screen_factory=opened["factory"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        table = screen.query_one(CardTable)
        assert table.matches and all("1956" in r.haystack for r in table.matches)
        assert len(table.matches) < len(screen.rows)
        assert 'search "1956", state new' in status(screen)
        await pilot.press("escape")  # the first screen: Esc quits
        await pilot.pause()
    assert not app.is_running


async def test_help_lists_every_browser_key(store, learner, decks):
    from quiz.tui.screens.help import HelpScreen

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {d for _k, d, _t in app.screen.rows}
        for action in ("Mark", "Search", "Filters", "Clear filters", "Sort", "Reverse sort"):
            assert action in described
        for action in ("Info", "Suspend", "Unsuspend", "Unbury", "Reset", "Source", "Edit"):
            assert action in described
        assert {"Cram", "Back"} <= described


async def test_typing_on_and_sorting_show_what_a_fresh_filter_would(store, learner, decks):
    from quiz.study.card_browser import CardFilter, filter_rows, sort_rows

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        await pilot.press("o", "o", "o")  # by prompt
        for typed in ("w", "wh", "wha", "what"):
            with screen.prevent(Input.Changed):
                screen.query_one("#search", Input).value = typed
            screen.apply()
            fresh = sort_rows(filter_rows(screen.rows, CardFilter(search=typed), NOW), "prompt")
            assert table.matches == fresh


async def test_p_keeps_the_cards_of_the_same_passage_and_c_crams_them(store, learner, catalog):
    from quiz.tui.screens.study import StudyScreen

    deck = next(d for d in catalog.decks if d.id == "thorn-in-ties")
    app = make_app(store, learner, [deck], start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        first = table.cursor_card()
        await pilot.press("p")
        await pilot.pause()
        article, start, end = screen.filter.passage
        assert article == first.article and (start, end) == first.span
        assert first in table.matches and len(table.matches) < len(screen.rows)
        assert all(r.span[0] < end and start < r.span[1] for r in table.matches)
        assert "passage thorn-in-ties" in status(screen)
        await pilot.press("c")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert sorted(study.cram) == sorted(r.key for r in table.matches)
        await pilot.press("escape", "q")  # out of the answer box, back to the browser
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("x")
        assert screen.filter.passage is None and table.row_count == len(screen.rows)


async def test_edit_a_card_quoting_an_article_opens_the_authoring_form(
    store, learner, tmp_path, library
):
    from tui_support import QUOTE

    from quiz.content.deck import read_deck_file
    from quiz.tui.screens.author import AuthorScreen

    path = tmp_path / "mine.yaml"
    path.write_text(
        "deck:\n  id: mine\n  title: Mine\n  articles: [thorn-in-ties]\ncards:\n"
        "  - id: names\n    type: typed\n    prompt: What do the Russians call them?\n"
        "    answer: The Southern Kurils\n    explanation: Both names are in the article.\n"
        f'    source:\n      article: thorn-in-ties\n      quote: "{QUOTE}"\n',
        encoding="utf-8",
    )
    deck = read_deck_file(path, library).deck
    app = make_app(store, learner, [deck], start="home")
    async with app.run_test(size=SIZE) as pilot:
        browser = await open_browser(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        author = app.screen
        assert isinstance(author, AuthorScreen) and author.editing == "names"
        assert author.query_one("#f-prompt", Input).value == "What do the Russians call them?"
        assert author.quote() == QUOTE  # its passage selected: a save keeps the quote
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is browser
        app.served = True  # a tab of `quiz serve`: a learner, who edits no deck file
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is browser


async def test_the_rows_are_frozen_out_of_the_collector_while_open_and_let_go_after(
    store, learner, decks
):
    import gc

    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = gc.get_freeze_count()
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        assert gc.get_freeze_count() > before  # the rows among them
        await pilot.press("escape")
        await pilot.pause()
        assert screen.rows == [] and table.matches == []
        assert gc.get_freeze_count() == 0 and app.collector.refreeze  # thawed


async def test_a_new_filter_adds_the_rows_on_screen_and_a_margin_then_pages(
    store, learner, make_deck
):
    from quiz.tui.widgets.card_table import MARGIN

    app = make_app(store, learner, [many_cards(make_deck)], start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(CardTable)
        await pilot.press("slash", *"number")
        await pilot.pause(DEBOUNCE + 0.1)
        on_screen = table.size.height - table.header_height
        assert 0 < on_screen and table.row_count == on_screen + MARGIN < PAGE
        assert status(screen).startswith(f"{PAGE * 2 + 50} of {PAGE * 2 + 50} cards")
        await pilot.press("enter", "pagedown")  # to the table, a screen down: the next page
        await pilot.pause()
        assert table.row_count == on_screen + MARGIN + PAGE
        assert table.cursor_row >= on_screen - 1


async def threads_done(app, pilot) -> None:
    for _ in range(500):
        if not any(w.is_running for w in app.workers):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_over_many_cards_the_filter_runs_in_a_thread_and_the_last_change_wins(
    store, learner, decks, monkeypatch
):
    from quiz.tui.screens import browser

    monkeypatch.setattr(browser, "THREAD_AT", 1)  # these five cards count as many
    app = make_app(store, learner, decks, start="home")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(app, pilot)
        await threads_done(app, pilot)
        table = screen.query_one(CardTable)
        assert table.row_count == 5 and status(screen).startswith("5 of 5 cards")
        # Every order is made ahead, in a thread, a moment after the first page.
        every = {(c, r) for c in COLUMNS for r in (False, True)}
        for _ in range(300):
            if set(screen.sorted) == every:
                break
            await pilot.pause(0.01)
        assert set(screen.sorted) == every
        assert screen.sorted["prompt", True] == sort_rows(screen.rows, "prompt", True)
        await pilot.press("slash", *"disputed", "enter")
        await threads_done(app, pilot)
        assert shown_ids(table) == ["typed-name", "basic-two-names"]
        assert status(screen).startswith("2 of 5 cards")
        # Two changes before either thread is done: only the second one is shown.
        screen.query_one("#search", Input).value = "kurils"
        screen.apply()
        screen.query_one("#search", Input).value = "tf-japanese"
        screen.apply()
        await threads_done(app, pilot)
        assert shown_ids(table) == ["tf-japanese-name"]
        assert status(screen).startswith("1 of 5 cards")
        await pilot.press("at")  # suspend: the row is read again and redrawn
        await pilot.pause()
        assert str(table.get_cell_at((0, 4))) == "suspended"
