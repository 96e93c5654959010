"""Property tests (hypothesis): the deck loader, the grader and the scheduler wrapper.

- parse_deck takes any bytes or text and returns a LoadResult (never raises), and every problem
  is one `path:line: ...` line;
- grade never raises; the exact answer is always right; changing case, punctuation or a leading
  article keeps a right answer right; a different number is never right;
- a review's due date is never before the review, and undo restores the exact prior state.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.content.deck import Card, Deck, LoadResult, Source, parse_deck
from quiz.content.deck_sync import sync_decks
from quiz.store.card_state import CardState
from quiz.store.connection import Store
from quiz.store.times import parse_iso
from quiz.study.grading import grade, grade_blanks, normalize
from quiz.study.scheduler import RATINGS
from quiz.study.session import StudySession

LINE = re.compile(r"^.+:\d+: ")
# QUIZ_PROPERTY_EXAMPLES=5000 for a long hunt; the default keeps the file near 5 s.
EXAMPLES = int(os.environ.get("QUIZ_PROPERTY_EXAMPLES", "150"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=max(25, EXAMPLES // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def check_result(result) -> None:
    assert isinstance(result, LoadResult)
    for p in result.problems:
        text = str(p)
        assert LINE.match(text) and "\n" not in text and p.line >= 1, text
    if result.deck is not None:
        assert all(isinstance(c, Card) and isinstance(c.id, str) for c in result.deck.cards)
        ids = [c.id for c in result.deck.cards]
        assert len(ids) == len(set(ids))


# -- the deck loader -------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=2000))
def test_parse_deck_any_bytes(library, data):
    check_result(parse_deck(data, "x.yaml", library))


@FAST
@given(st.text(max_size=2000))
def test_parse_deck_any_text(library, text):
    check_result(parse_deck(text.encode("utf-8", "surrogatepass"), "x.yaml", library))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        ["typed", "mcq", "cloze", "truefalse", "basic", "thorn-in-ties", "{{x}}", "[bold]", "yes"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
KEYS = [
    "id",
    "type",
    "prompt",
    "answer",
    "accept",
    "choices",
    "explanation",
    "source",
    "tags",
    "extra",
]
cards = st.dictionaries(st.sampled_from(KEYS), values, max_size=9)
decks = st.fixed_dictionaries(
    {
        "deck": st.one_of(
            values,
            st.fixed_dictionaries(
                {
                    "id": st.one_of(st.just("d"), values),
                    "title": st.one_of(st.just("T"), values),
                    "articles": st.one_of(st.just(["thorn-in-ties"]), values),
                }
            ),
        ),
        "cards": st.one_of(values, st.lists(cards, max_size=6)),
    }
)


@FAST
@given(decks)
def test_parse_deck_yaml_shaped(library, doc):
    """Deck-shaped documents with any value of any type in any field."""
    text = yaml.safe_dump(doc, allow_unicode=True)
    check_result(parse_deck(text.encode("utf-8", "surrogatepass"), "x.yaml", library))


SNIPPETS = [
    "&a ",
    "*a ",
    "!!python/object/apply:os.system ",
    "!!binary ",
    "!x ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "\t",
    "\n",
    "  ",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "<<: *a\n",
    "|\n",
    ">-\n",
    "\ufeff",
    "\r\n",
    "%YAML 1.1\n",
    "\x00",
    "\x1b[2J",
]


@FAST
@given(decks, st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(SNIPPETS)), max_size=8))
def test_parse_deck_mutated_yaml(library, doc, edits):
    """Valid YAML with tags, anchors, aliases, brackets and control characters spliced in."""
    text = yaml.safe_dump(doc, allow_unicode=True)
    for at, snippet in edits:
        at %= len(text) + 1
        text = text[:at] + snippet + text[at:]
    check_result(parse_deck(text.encode("utf-8", "surrogatepass"), "x.yaml", library))


# -- the grader ------------------------------------------------------------------------------------

ASCII_WORD = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10
)
PHRASE = st.lists(ASCII_WORD, min_size=1, max_size=5).map(" ".join)
SOURCE = Source("thorn-in-ties", "quote")


def typed(answer: str, accept=()) -> Card:
    return Card(
        id="c", type="typed", prompt="Q?", answer=answer, accept=tuple(accept), source=SOURCE
    )


any_card = st.one_of(
    st.builds(typed, st.text(max_size=50), st.lists(st.text(max_size=20), max_size=3)),
    st.builds(
        lambda a, cs: Card("c", "mcq", "Q?", a, choices=tuple(cs)),
        st.text(max_size=20),
        st.lists(st.text(max_size=20), max_size=4),
    ),
    st.builds(lambda a: Card("c", "truefalse", "Q?", a), st.booleans()),
    st.builds(
        lambda p: Card("c", "cloze", p, None),
        st.text(max_size=80).map(lambda t: t + "{{x|y}} {{}} {{"),
    ),
    st.builds(lambda a: Card("c", "basic", "Q?", a), st.text(max_size=20)),
)
any_given = st.one_of(st.none(), st.text(max_size=60))


@FAST
@given(any_card, any_given, st.booleans(), st.lists(st.text(max_size=10), max_size=3))
def test_grade_never_raises(card, given_, flag, blanks):
    """Any text (or nothing) for every card; a bool for true/false; a list of blanks for cloze.
    (The contract: `given` is the chosen bool only for truefalse cards.)"""
    if card.type == "truefalse":
        assert grade(card, flag).correct is (flag == card.answer)
    if card.type == "cloze":
        grade(card, blanks)
    verdict = grade(card, given_)
    assert verdict.correct in (True, False, None)
    if card.type == "basic":
        assert verdict.correct is None
    grade_blanks(card, [given_ if isinstance(given_, str) else "", "x"])


@FAST
@given(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=3))
def test_exact_answer_is_always_right(answer, accept):
    # An answer with no letters or digits at all cannot be typed right (normalize keeps words only).
    assume(normalize(answer))
    card = typed(answer, accept)
    assert grade(card, answer).correct is True
    for form in accept:
        if normalize(form):
            assert grade(card, form).correct is True


@FAST
@given(st.lists(st.text(min_size=1, max_size=15), min_size=3, max_size=4, unique=True), st.data())
def test_exact_choice_and_truth_are_always_right(choices, data):
    answer = data.draw(st.sampled_from(choices))
    assert grade(Card("c", "mcq", "Q?", answer, choices=tuple(choices)), answer).correct is True
    truth = data.draw(st.booleans())
    assert grade(Card("c", "truefalse", "Q?", truth), truth).correct is True
    assert grade(Card("c", "truefalse", "Q?", truth), not truth).correct is False


@FAST
@given(st.lists(st.lists(ASCII_WORD, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3))
def test_cloze_exact_blanks_are_right(blanks):
    prompt = " and ".join("{{" + b + "}}" for b in blanks)
    card = Card("c", "cloze", prompt, None, source=SOURCE)
    assert grade_blanks(card, blanks).correct is True
    assert grade(card, " / ".join(blanks)).correct is True


PUNCT = st.sampled_from([".", ",", "!", "?", ";", ":", "'", '"', "(", ")", "-", "…", "«", "»"])


@FAST
@given(
    PHRASE,
    st.sampled_from(["upper", "lower", "swapcase", "title"]),
    PUNCT,
    PUNCT,
    st.sampled_from(["", "the ", "The ", "a ", "an "]),
)
def test_normalisation_keeps_a_right_answer_right(answer, case, before, after, article):
    # An answer made only of articles ("A") keeps them, so "the A" is not "A": left out.
    assume(any(w.lower() not in ("the", "a", "an") for w in answer.split()))
    card = typed(answer)
    variant = article + before + getattr(answer, case)().replace(" ", f"{after} ") + after
    assert grade(card, variant).correct is True, variant


@FAST
@given(
    st.lists(ASCII_WORD, max_size=3),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.lists(ASCII_WORD, max_size=3),
)
def test_a_different_number_is_never_right(head, number, other, tail):
    assume(number != other)
    answer = " ".join([*head, str(number), *tail])
    card = typed(answer, accept=[" ".join([*head, str(number)])])
    wrong = " ".join([*head, str(other), *tail])
    assert grade(card, wrong).correct is False
    assert grade(card, wrong.upper() + ".").correct is False


# -- the scheduler wrapper -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sched_store(tmp_path_factory, catalog):
    store = Store(tmp_path_factory.mktemp("prop") / "prop.db")
    deck = catalog.decks[0]
    small = Deck(
        deck.id,
        deck.title,
        deck.description,
        deck.articles,
        deck.cards[:4],
        deck.path,
        deck.content_hash,
    )
    sync_decks(store, [small])
    yield store, small
    store.close()


_names = count()
T0 = datetime(2025, 1, 1, 12, tzinfo=UTC)
steps = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "bury", "suspend", "undo"]),
        st.sampled_from(sorted(RATINGS)),
        st.integers(0, 60 * 24 * 40),
    ),  # minutes until the next step
    min_size=1,
    max_size=25,
)


@SLOW
@given(steps)
def test_due_never_before_review_and_undo_is_exact(sched_store, plan):
    store, deck = sched_store
    learner = store.learner(f"prop {next(_names)}")
    now = T0
    session = StudySession(store, learner, [deck], clock=lambda: now)
    history: list[
        tuple[str, str, CardState | None, int]
    ] = []  # card, kind, state before, reviews before

    def stored(card_id: str) -> CardState | None:
        row = store.one(
            "SELECT * FROM card_state WHERE learner_id = ? AND card_id = ?", [learner.id, card_id]
        )
        return CardState.from_row(row) if row else None

    def reviews() -> int:
        return store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [learner.id])

    for kind, rating, gap in plan:
        if kind == "undo":
            if not history:
                assert session.undo() is None
                continue
            card_id, _kind, before, count_before = history.pop()
            item = session.undo()
            assert item is not None and item.card.id == card_id
            assert stored(card_id) == before  # exactly the prior state (or no row at all)
            assert reviews() == count_before  # the review row is gone
            continue
        item = session.next_item(now)
        if item is None:
            now += timedelta(minutes=gap)
            continue
        before, count_before = stored(item.card.id), reviews()
        if kind == "answer":
            previews = session.previews(item, now)
            for preview in previews.values():
                assert parse_iso(preview.state.due) >= now
                assert preview.state.last_review == preview.state.last_review  # stored text
                assert parse_iso(preview.state.last_review) == now
            session.answer(
                item, previews[rating], given="x", correct=rating > 1, duration_ms=1, now=now
            )
            after = stored(item.card.id)
            assert after == previews[rating].state
            assert parse_iso(after.due) >= parse_iso(after.last_review)
            assert after.reps == item.state.reps + 1
        elif kind == "bury":
            session.bury(item, now)
            assert parse_iso(stored(item.card.id).buried_until) > now
        else:
            session.suspend(item)
            assert stored(item.card.id).suspended == 1
        history.append((item.card.id, kind, before, count_before))
        now += timedelta(minutes=gap)
    while history:  # unwinding everything leaves the learner as new
        session.undo()
        history.pop()
    assert reviews() == 0
    assert store.scalar("SELECT count(*) FROM card_state WHERE learner_id = ?", [learner.id]) == 0
