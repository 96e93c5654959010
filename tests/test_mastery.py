"""Mastery by paragraph: each paragraph's level from the FSRS recall of the cards citing it,
and the reader's `m` toggle that shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui_support import BASIC, QUOTE, make_app

from quiz.content.paragraphs import paragraphs_touching
from quiz.store import reviews
from quiz.store.card_state import CardState
from quiz.store.times import iso
from quiz.study.mastery import paragraph_mastery
from quiz.tui.screens.reader import ReaderScreen

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def cards_citing(store, article_id: str, paragraph) -> list[tuple[str, str]]:
    rows = store.rows(
        'SELECT deck_id, card_id FROM card_passages WHERE article = ? AND start < ? AND "end" > ?',
        [article_id, paragraph.end, paragraph.start],
    )
    return [(r["deck_id"], r["card_id"]) for r in rows]


def studied(stability: float, days_ago: float) -> CardState:
    last = NOW - timedelta(days=days_ago)
    return CardState(
        state=2,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=iso(last + timedelta(days=stability)),
        last_review=iso(last),
        first_review=iso(last),
        reps=3,
    )


def put(store, learner, keys, state: CardState) -> None:
    with store.write() as db:
        for deck_id, card_id in keys:
            reviews.put_state(db, learner.id, deck_id, card_id, state)


def the_quoted_paragraph(library, article_id: str, quote: str):
    article = library.get(article_id)
    span = library.locate(article_id, quote)
    from quiz.content.paragraphs import paragraphs

    (paragraph,) = paragraphs_touching(paragraphs(article.text), span)
    return article, paragraph


def level_of(store, learner, article, paragraph) -> str:
    levels = paragraph_mastery(store, learner, article, NOW)
    return next(m for m in levels if m.paragraph.index == paragraph.index).level


def test_levels_follow_the_recall_of_the_cards_citing_each_paragraph(store, learner, library):
    article, paragraph = the_quoted_paragraph(library, "thorn-in-ties", QUOTE)
    keys = cards_citing(store, article.id, paragraph)
    assert keys, "a bundled card cites the quote"
    levels = paragraph_mastery(store, learner, article, NOW)
    assert {m.level for m in levels} <= {"not yet", "untaught"}  # nothing studied yet
    assert any(m.level == "untaught" for m in levels)
    assert level_of(store, learner, article, paragraph) == "not yet"

    put(store, learner, keys[:1], studied(stability=30, days_ago=1))
    expect = "known" if len(keys) == 1 else "shaky"  # some of its cards not studied yet
    assert level_of(store, learner, article, paragraph) == expect

    put(store, learner, keys, studied(stability=30, days_ago=1))
    assert level_of(store, learner, article, paragraph) == "known"

    put(store, learner, keys[:1], studied(stability=2, days_ago=20))  # forgotten by now
    m = next(
        m
        for m in paragraph_mastery(store, learner, article, NOW)
        if m.paragraph.index == paragraph.index
    )
    assert m.level == "shaky" and m.recall < learner.retention
    assert m.studied == m.cards == len(keys)


def test_another_learner_sees_their_own_levels(store, learner, library):
    article, paragraph = the_quoted_paragraph(library, "thorn-in-ties", QUOTE)
    put(store, learner, cards_citing(store, article.id, paragraph), studied(30, 1))
    bob = store.learner("bob")
    assert level_of(store, bob, article, paragraph) == "not yet"


async def test_m_in_the_reader_shows_and_hides_the_levels(store, learner, make_deck):
    app = make_app(store, learner, [make_deck(BASIC)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "s")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        labels = reader.query(".reader-mastery")
        assert labels and not any(label.display for label in labels)
        await pilot.press("m")
        await pilot.pause()
        shown = [str(label.render()) for label in labels if label.display]
        assert shown and all(
            text.split(" ")[1] in ("known", "shaky", "not", "untaught") for text in shown
        )
        assert reader.query_one(".reader-legend").display
        # The card on screen is not answered yet: the quote's paragraph is "not yet" known.
        quoted = reader.query_one(".reader-para.-quote")
        children = list(quoted.parent.children)
        label = children[children.index(quoted) - 1]
        assert label.has_class("-m-not-yet") and str(label.render()).startswith("▌ not yet")
        await pilot.press("m")
        await pilot.pause()
        assert not any(label.display for label in labels)
