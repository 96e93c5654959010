"""The authoring screen: select a passage, fill the form, save (round-trip, lint-checked),
reload, edit a card keeping its id; and its snapshot."""

from __future__ import annotations

from pathlib import Path

from tui_support import NOW

from quiz.content.articles import bundled_library
from quiz.content.deck import read_deck_file
from quiz.tui.app import QuizApp
from quiz.tui.screens.author import AuthorScreen, Passage

QUOTE_START = "what the Japanese call their Northern Territories"


def author_app(store, learner, deck_path: Path, decks=()):
    article = bundled_library().get("thorn-in-ties")
    return QuizApp(
        store,
        learner,
        list(decks),
        start_screen_factory=lambda: AuthorScreen(article, deck_path),
        clock=lambda: NOW,
    )


async def fill(pilot, **fields):
    screen = pilot.app.screen
    for name, value in fields.items():
        screen.query_one(f"#f-{name}").value = value
    await pilot.pause()


async def select_quote(pilot, quote: str) -> None:
    await pilot.pause()  # the screen's start (after its first refresh) has run
    screen = pilot.app.screen
    para = next(p for p in screen.paras if quote in p.text)
    screen.query_one("#author-paras").highlighted = screen.paras.index(para)
    await pilot.pause()
    start = para.text.index(quote)
    screen.query_one(Passage).select_offsets(start, start + len(quote))
    await pilot.pause()


async def test_save_a_card_then_reload_and_edit_it(store, learner, tmp_path):
    deck_path = tmp_path / "mine.yaml"
    deck_path.write_text(
        "# my notes: keep this comment\ndeck:\n  id: mine\n  title: Mine\n"
        "  articles: [thorn-in-ties]\ncards: []\n"
    )
    app = author_app(store, learner, deck_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await select_quote(pilot, QUOTE_START)
        await pilot.pause()
        assert screen.quote() == QUOTE_START
        screen.query_one("#f-type").value = "mcq"
        await fill(
            pilot,
            id="japanese-name",
            prompt="What do the Japanese call the disputed islands?",
            answer="The Kurils",
            choices="Northern Territories | Southern Kurils | Sakhalin",
            explanation="The Diplomat gives the Japanese name.",
        )
        await pilot.press("ctrl+s")
        errors = str(screen.query_one("#author-errors").render())
        assert "answer not among choices" in errors  # lint's own message
        assert "japanese-name" not in deck_path.read_text()
        await fill(pilot, answer="Northern Territories")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = read_deck_file(deck_path, bundled_library())
        assert saved.errors == []
        (card,) = saved.deck.cards
        assert (card.id, card.type, card.answer) == ("japanese-name", "mcq", "Northern Territories")
        assert card.source.quote == QUOTE_START
        assert deck_path.read_text().startswith("# my notes: keep this comment\n")
        para = next(p for p in screen.paras if QUOTE_START in p.text)
        assert screen.cards_by_para[para.index] == ["mine:japanese-name"]
        # Edit it: the same form, the id locked.
        await select_quote(pilot, QUOTE_START)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert screen.query_one("#f-id").disabled
        assert screen.query_one("#f-answer").value == "Northern Territories"
        await fill(pilot, explanation="Edited: the Japanese name, per the Diplomat.")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (card,) = read_deck_file(deck_path, bundled_library()).deck.cards
    assert card.id == "japanese-name"
    assert card.explanation.startswith("Edited:")


async def test_a_new_deck_file_gets_the_header(store, learner, tmp_path):
    deck_path = tmp_path / "fresh.yaml"
    app = author_app(store, learner, deck_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await select_quote(pilot, QUOTE_START)
        screen.query_one("#f-type").value = "truefalse"
        await fill(
            pilot,
            id="name-true",
            prompt="The Japanese call the islands the Northern Territories.",
            answer="true",
            explanation="So the Diplomat says.",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    deck = read_deck_file(deck_path, bundled_library()).deck
    assert deck.id == "fresh" and deck.articles == ("thorn-in-ties",)
    assert deck.cards[0].answer is True


def test_author_screen_snapshot(snap_compare, store, learner, tmp_path):
    deck_path = tmp_path / "snap.yaml"

    async def select(pilot):
        await select_quote(pilot, QUOTE_START)
        await fill(pilot, id="japanese-name", prompt="What do the Japanese call the islands?")

    assert snap_compare(
        author_app(store, learner, deck_path), run_before=select, terminal_size=(120, 40)
    )
