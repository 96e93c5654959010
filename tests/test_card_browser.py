"""The card browser's domain: every card with the learner's state, filtered and sorted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quiz.study import card_actions
from quiz.study.card_browser import (
    COLUMNS,
    STATES,
    CardFilter,
    describe,
    filter_rows,
    load_rows,
    narrows,
    sort_ahead,
    sort_rows,
)
from quiz.study.session import StudySession

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def answer(store, learner, decks, rating, now=NOW):
    s = StudySession(store, learner, decks, clock=lambda: now)
    item = s.next_item()
    s.answer(item, s.previews(item)[rating], given="x", correct=rating > 1, duration_ms=900)
    return item


def test_every_card_of_the_loaded_decks_is_a_row_in_deck_order(store, learner, catalog):
    rows = load_rows(store, learner, catalog.decks, NOW)
    expected = [(d.id, c.id) for d in catalog.decks for c in d.cards]
    assert [r.key for r in rows] == expected
    assert all(r.state == "new" and r.due is None and r.lapses == 0 for r in rows)
    first = catalog.decks[0].cards[0]
    assert rows[0].prompt == first.prompt and rows[0].type == first.type
    assert rows[0].tags == first.tags


def test_rows_carry_the_learners_state(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    item = answer(store, learner, [deck], 4)
    rows = {r.key: r for r in load_rows(store, learner, [deck], NOW)}
    row = rows[(deck.id, item.card.id)]
    assert row.state == "review" and row.last_review is not None and row.due > row.last_review
    assert row.interval_days == pytest.approx(
        (datetime.fromisoformat(row.due) - datetime.fromisoformat(row.last_review)).total_seconds()
        / 86400
    )
    other = load_rows(store, store.learner("bob"), [deck], NOW)
    assert all(r.state == "new" for r in other)


def test_search_reads_prompt_answer_explanation_tags_and_quote(store, learner, catalog):
    rows = load_rows(store, learner, catalog.decks, NOW)
    card = catalog.by_id()["thorn-in-ties"].cards[0]
    for text in (card.prompt, card.answer_text(), card.explanation, card.source.quote):
        words = text.split()[:3]
        found = filter_rows(rows, CardFilter(search=" ".join(words).upper()), NOW)
        assert ("thorn-in-ties", card.id) in [r.key for r in found]
    tag = card.tags[0]
    assert all(tag in r.tags for r in filter_rows(rows, CardFilter(tag=tag.upper()), NOW))
    assert filter_rows(rows, CardFilter(search="zzqqx-nothing"), NOW) == []


def test_filters_by_deck_type_state_and_combine(store, learner, catalog):
    decks = catalog.decks
    deck = catalog.by_id()["timeline"]
    item = answer(store, learner, [deck], 4)
    rows = load_rows(store, learner, decks, NOW)
    assert {r.deck_id for r in filter_rows(rows, CardFilter(deck="timeline"), NOW)} == {"timeline"}
    mcq = filter_rows(rows, CardFilter(type="mcq"), NOW)
    assert mcq and all(r.type == "mcq" for r in mcq)
    review = filter_rows(rows, CardFilter(state="review"), NOW)
    assert [r.key for r in review] == [("timeline", item.card.id)]
    both = filter_rows(rows, CardFilter(deck="timeline", state="new"), NOW)
    assert len(both) == len(deck.cards) - 1
    # due: not today, but within the days it was scheduled for
    assert filter_rows(rows, CardFilter(state="due"), NOW) == []
    later = NOW + timedelta(days=review[0].interval_days + 1)
    assert [r.key for r in filter_rows(rows, CardFilter(state="due"), later)] == [review[0].key]
    within = CardFilter(due_within_days=int(review[0].interval_days) + 1)
    assert [r.key for r in filter_rows(rows, within, NOW)] == [review[0].key]


def test_suspended_buried_leech_and_failed_today(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    failed = answer(store, learner, [deck], 1)
    a, b, c = (deck.id, deck.cards[3].id), (deck.id, deck.cards[4].id), (deck.id, deck.cards[5].id)
    card_actions.suspend(store, learner, [a])
    s = StudySession(store, learner, [deck], clock=lambda: NOW)
    s.bury(s.next_item(exclude=((deck.id, failed.card.id), a)))
    store.conn.execute(
        "INSERT INTO card_state (learner_id, deck_id, card_id, leech) VALUES (?, ?, ?, 1)",
        [learner.id, *c],
    )
    rows = load_rows(store, learner, [deck], NOW)

    def keys(**kw):
        return [r.key for r in filter_rows(rows, CardFilter(**kw), NOW)]

    assert keys(state="suspended") == [a]
    assert len(keys(state="buried")) == 1 and keys(state="buried") != [a]
    assert keys(state="leech") == [c]
    assert keys(failed_today=True) == [(deck.id, failed.card.id)]
    assert keys(failed_today=True) and not filter_rows(
        rows, CardFilter(failed_today=True), NOW + timedelta(days=1)
    )
    assert b not in keys(state="suspended")


def test_article_and_passage_filters(store, learner, catalog):
    rows = load_rows(store, learner, catalog.decks, NOW)
    cited = [r for r in rows if r.span is not None]
    assert cited
    one = cited[0]
    by_article = filter_rows(rows, CardFilter(article=one.article), NOW)
    assert by_article and all(r.article == one.article for r in by_article)
    passage = filter_rows(rows, CardFilter(passage=(one.article, *one.span)), NOW)
    assert one in passage and all(
        r.article == one.article and r.span[0] < one.span[1] and one.span[0] < r.span[1]
        for r in passage
    )


def test_unknown_state_is_a_value_error(store, learner, catalog):
    with pytest.raises(ValueError):
        filter_rows([], CardFilter(state="nonsense"), NOW)
    assert set(STATES) >= {"new", "due", "leech"}


def test_sort_by_every_column_with_empty_values_last(store, learner, catalog):
    deck = catalog.by_id()["thorn-in-ties"]
    answer(store, learner, [deck], 4)
    answer(store, learner, [deck], 3)
    rows = load_rows(store, learner, catalog.decks, NOW)
    for column in COLUMNS:
        for reverse in (False, True):
            out = sort_rows(rows, column, reverse)
            assert sorted(map(id, out)) == sorted(map(id, rows))
    by_due = sort_rows(rows, "due")
    assert by_due[0].due is not None and by_due[-1].due is None
    assert sort_rows(rows, "due", reverse=True)[-1].due is None
    prompts = [r.prompt.casefold() for r in sort_rows(rows, "prompt")]
    assert prompts == sorted(prompts)
    assert sort_rows(rows, "deck") == sorted(rows, key=lambda r: (r.deck_id, r.position))
    with pytest.raises(ValueError):
        sort_rows(rows, "nope")


def test_sort_keeps_ties_in_their_order_both_ways(store, learner, catalog):
    rows = load_rows(store, learner, catalog.decks, NOW)
    for column in ("type", "state"):
        for reverse in (False, True):
            out = sort_rows(rows, column, reverse)
            expected = sorted(rows, key=lambda r: getattr(r, column), reverse=reverse)
            assert [r.key for r in out] == [r.key for r in expected]


def test_describe_says_the_filter_in_one_line():
    assert describe(CardFilter()) == "all cards"
    text = describe(CardFilter(deck="kuril-islands", state="due"))
    assert text == "deck kuril-islands, state due"
    assert "failed today" in describe(CardFilter(failed_today=True, due_within_days=3))
    assert "3 days" in describe(CardFilter(due_within_days=3))


def test_a_deck_not_in_the_store_still_lists_its_cards(store, learner, make_deck):
    deck = make_deck(
        """
        - id: one
          type: basic
          prompt: What do the Japanese call the islands?
          answer: The Northern Territories
          explanation: So the article says.
          source:
            article: thorn-in-ties
            quote: >-
              what the Japanese call their Northern Territories and what the Russians term
              the Southern Kurils
        """,
        deck_id="unsynced",
    )
    rows = load_rows(store, learner, [deck], NOW)
    assert [r.key for r in rows] == [("unsynced", "one")]
    assert filter_rows(rows, CardFilter(search="northern territories"), NOW) == rows


def test_narrows_lets_a_search_box_filter_the_last_result(store, learner, catalog):

    rows = load_rows(store, learner, catalog.decks, NOW)
    old, new = CardFilter(search="isl"), CardFilter(search="island treaty")
    assert narrows(old, new) and not narrows(new, old)
    assert not narrows(CardFilter(search="isl"), CardFilter(search="isl", deck="timeline"))
    assert narrows(CardFilter(), CardFilter(search="x"))
    first = filter_rows(rows, old, NOW)
    assert filter_rows(first, new, NOW) == filter_rows(rows, new, NOW)


def test_search_takes_curly_quotes_and_dashes_as_a_keyboard_types_them(store, learner, make_deck):
    deck = make_deck(
        """
        - id: one
          type: basic
          prompt: What – says the piece – can history not do?
          answer: Settle it
          explanation: So the article says.
          source:
            article: thorn-in-ties
            quote: "this is irrelevant since the issue can’t be settled by historical or legal"
        """,
        deck_id="curly",
    )
    rows = load_rows(store, learner, [deck], NOW)
    for search in ("issue can't be settled", "ISSUE CAN’T BE", "what - says", "– says the"):
        assert filter_rows(rows, CardFilter(search=search), NOW) == rows, search
    assert filter_rows(rows, CardFilter(search="can`t"), NOW) == []  # not any character
    assert narrows(CardFilter(search="can’"), CardFilter(search="can't be"))


def test_sort_ahead_makes_every_order_sort_rows_makes_until_told_to_stop(store, learner, catalog):
    rows = load_rows(store, learner, catalog.decks, NOW)
    ahead: dict = {("due", False): ["kept"]}
    sort_ahead(rows, ahead)
    assert set(ahead) == {(c, r) for c in COLUMNS for r in (False, True)}
    assert ahead["due", False] == ["kept"]  # one already made is not made again
    assert all(ahead[c, r] == sort_rows(rows, c, r) for c, r in ahead if (c, r) != ("due", False))
    calls = []
    stopped: dict = {}
    sort_ahead(rows, stopped, lambda: calls.append(1) or len(calls) > 3)
    assert len(stopped) == 3
