"""The card browser's domain: every card of the loaded decks with a learner's state, searched,
filtered and sorted in memory.

Rows are loaded once (one query over the cards table and the learner's card_state rows) and
then filtered in Python: at 100,000 cards a filter is a pass over a list with each card's
search text casefolded in advance, a few tens of milliseconds (bench/RESULTS.md, group
"browser"), where a query per keystroke would read the cards' JSON again every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import State

from quiz.store.times import iso, start_of_next_day
from quiz.study.scheduler import local_day_start

STATES = ("new", "learning", "review", "due", "suspended", "buried", "leech")  # filter values
COLUMNS = ("deck", "type", "prompt", "state", "due", "interval", "lapses", "last_review")

_STATE_NAMES = {
    State.Learning.value: "learning",
    State.Review.value: "review",
    State.Relearning.value: "relearning",
}


@dataclass(frozen=True, slots=True)
class CardRow:
    deck_id: str
    card_id: str
    type: str  # card type as in the deck (typed, mcq, truefalse, cloze, basic, ...)
    prompt: str  # plain text (never markup-interpreted by the UI)
    state: str  # "new" | "learning" | "review" | "relearning"
    due: str | None  # ISO UTC, as stored
    interval_days: float | None
    lapses: int
    last_review: str | None
    suspended: bool
    buried: bool  # buried when loaded (filters look at buried_until against their own now)
    leech: bool
    tags: tuple[str, ...]
    haystack: str  # casefolded prompt + answer + explanation + tags + quote, for search
    # Beyond the contract: what the filters need.
    position: int = 0  # the card's place in its deck (sorting by deck keeps deck order)
    buried_until: str | None = None
    failed_at: str | None = None  # the last study answer rated Again (or wrong) on the load day
    article: str | None = None  # the article the card cites (source.article)
    span: tuple[int, int] | None = None  # where its quote is in that article's body

    @property
    def key(self) -> tuple[str, str]:
        return (self.deck_id, self.card_id)


@dataclass(frozen=True)
class CardFilter:
    search: str = ""
    deck: str | None = None
    type: str | None = None
    tag: str | None = None
    state: str | None = None  # one of STATES
    failed_today: bool = False  # rated Again (or wrong) today, in study
    due_within_days: int | None = None  # due now or in the next N days
    article: str | None = None  # cards citing this article (its id in the library/seeds)
    passage: tuple[str, int, int] | None = None  # (article, start, end): cited span overlaps


# One query: every live card of the decks (in deck order, then position) with the learner's
# state, its cited span and whether it was failed in study since :day. The cards' JSON is read
# by json_extract, so Python decodes only the tags. The interval is what the last review set:
# due - last_review, in days.
_ROWS_SQL = """
    WITH failed AS (
        SELECT deck_id, card_id, max(reviewed_at) AS at FROM reviews
        WHERE learner_id = :learner AND reviewed_at >= :day AND mode = 'study'
          AND (rating = 1 OR correct = 0)
        GROUP BY deck_id, card_id)
    SELECT c.deck_id, c.card_id, c.type, c.prompt, c.answer, c.position,
           json_extract(c.data, '$.explanation'), json_extract(c.data, '$.tags'),
           json_extract(c.data, '$.source.quote'), json_extract(c.data, '$.source.article'),
           cs.state, cs.due, julianday(cs.due) - julianday(cs.last_review), cs.lapses,
           cs.last_review, cs.suspended, cs.buried_until, cs.leech,
           p.start, p."end", f.at
    FROM json_each(:decks) d
    JOIN cards c ON c.deck_id = d.value AND c.removed_at IS NULL
    LEFT JOIN card_state cs ON cs.learner_id = :learner AND cs.deck_id = c.deck_id
      AND cs.card_id = c.card_id
    LEFT JOIN card_passages p ON p.deck_id = c.deck_id AND p.card_id = c.card_id
    LEFT JOIN failed f ON f.deck_id = c.deck_id AND f.card_id = c.card_id
    ORDER BY d.key, c.position
"""


def haystack(*parts) -> str:
    return "\n".join(p for p in parts if p).casefold()


def load_rows(store, learner, decks, now: datetime) -> list[CardRow]:
    """Every card of the loaded decks, with the learner's state, in deck order."""
    deck_ids = list(dict.fromkeys(d.id for d in decks))
    stamp = iso(now)
    params = {
        "learner": learner.id,
        "decks": json.dumps(deck_ids),
        "day": iso(local_day_start(now)),
    }
    out: list[CardRow] = []
    seen: set[str] = set()
    for (
        deck_id,
        card_id,
        type_,
        prompt,
        answer,
        position,
        explanation,
        tags_json,
        quote,
        article,
        state,
        due,
        interval,
        lapses,
        last_review,
        suspended,
        buried_until,
        leech,
        start,
        end,
        failed_at,
    ) in store.conn.execute(_ROWS_SQL, params):
        seen.add(deck_id)
        tags = _tags(tags_json)
        out.append(
            CardRow(
                deck_id,
                card_id,
                type_,
                prompt,
                _state_name(state, last_review),
                due,
                interval if last_review is not None else None,
                lapses or 0,
                last_review,
                bool(suspended),
                buried_until is not None and buried_until > stamp,
                bool(leech),
                tags,
                haystack(prompt, answer, explanation, " ".join(tags), quote, card_id),
                position,
                buried_until,
                failed_at,
                article,
                (start, end) if start is not None else None,
            )
        )
    missing = [d for d in decks if d.id not in seen and d.id in deck_ids]
    if missing:  # decks not in the store (never synced): their cards, and no history
        out = _merge_unstored(out, missing, deck_ids)
    return out


def _unstored_rows(deck) -> list[CardRow]:
    rows = []
    for i, card in enumerate(deck.cards):
        src = card.source
        quote = src.quote if src else None
        rows.append(
            CardRow(
                deck.id,
                card.id,
                card.type,
                card.prompt,
                "new",
                None,
                None,
                0,
                None,
                False,
                False,
                False,
                tuple(card.tags),
                haystack(
                    card.prompt,
                    card.answer_text(),
                    card.explanation,
                    " ".join(card.tags),
                    quote,
                    card.id,
                ),
                i,
                article=src.article if src else None,
            )
        )
    return rows


def _merge_unstored(rows: list[CardRow], missing, deck_ids: list[str]) -> list[CardRow]:
    by_deck: dict[str, list[CardRow]] = {}
    for r in rows:
        by_deck.setdefault(r.deck_id, []).append(r)
    for deck in missing:
        by_deck.setdefault(deck.id, _unstored_rows(deck))
    return [r for d in deck_ids for r in by_deck.get(d, ())]


def _tags(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(t) for t in value) if isinstance(value, list) else ()


def _state_name(state: int | None, last_review: str | None) -> str:
    if last_review is None or state is None:
        return "new"
    return _STATE_NAMES.get(state, "learning")


# ---------------------------------------------------------------------------------------------
# Filters


def filter_rows(rows: list[CardRow], flt: CardFilter, now: datetime) -> list[CardRow]:
    """The rows that pass every part of the filter, in their order. Search words must all
    appear (casefolded) in a card's prompt, answer, explanation, tags, quote or id."""
    tests = _tests(flt, now)
    if not tests:
        return list(rows)
    if len(tests) == 1:
        (test,) = tests
        return [r for r in rows if test(r)]
    return [r for r in rows if all(t(r) for t in tests)]


def _tests(flt: CardFilter, now: datetime) -> list:
    # Cheap tests first: they shrink what the search has to look at.
    tests = []
    if flt.deck:
        deck = flt.deck
        tests.append(lambda r: r.deck_id == deck)
    if flt.type:
        kind = flt.type
        tests.append(lambda r: r.type == kind)
    if flt.tag:
        tag = flt.tag.casefold()
        tests.append(lambda r: any(t.casefold() == tag for t in r.tags))
    if flt.state:
        tests.append(_state_test(flt.state, now))
    if flt.failed_today:
        day = iso(local_day_start(now))
        tests.append(lambda r: r.failed_at is not None and r.failed_at >= day)
    if flt.due_within_days is not None:
        until = iso(start_of_next_day(now + timedelta(days=max(0, flt.due_within_days))))
        tests.append(
            lambda r: (
                r.last_review is not None
                and not r.suspended
                and r.due is not None
                and r.due < until
            )
        )
    if flt.article:
        article = flt.article
        tests.append(lambda r: r.article == article)
    if flt.passage:
        article, start, end = flt.passage
        tests.append(
            lambda r: (
                r.article == article
                and r.span is not None
                and r.span[0] < end
                and start < r.span[1]
            )
        )
    words = flt.search.casefold().split()
    if len(words) == 1:
        (word,) = words
        tests.append(lambda r: word in r.haystack)
    elif words:
        tests.append(lambda r: all(w in r.haystack for w in words))
    return tests


def _state_test(state: str, now: datetime):
    stamp = iso(now)
    if state == "new":
        return lambda r: r.state == "new"
    if state == "learning":
        return lambda r: r.state in ("learning", "relearning")
    if state == "review":
        return lambda r: r.state == "review"
    if state == "suspended":
        return lambda r: r.suspended
    if state == "buried":
        return lambda r: r.buried_until is not None and r.buried_until > stamp
    if state == "leech":
        return lambda r: r.leech
    if state == "due":
        # What the study queue would ask today: learning cards due now, reviews due before
        # the end of the day; neither suspended nor buried.
        day_end = iso(start_of_next_day(now))

        def due(r: CardRow) -> bool:
            if r.suspended or r.due is None or r.last_review is None:
                return False
            if r.buried_until is not None and r.buried_until > stamp:
                return False
            if r.state == "review":
                return r.due < day_end
            return r.due <= stamp

        return due
    raise ValueError(f"unknown state '{state}' (one of {', '.join(STATES)})")


# ---------------------------------------------------------------------------------------------
# Sorting and describing


_KEYS = {
    "deck": lambda r: (r.deck_id, r.position),
    "type": lambda r: r.type,
    "prompt": lambda r: r.prompt.casefold(),
    "state": lambda r: r.state,
    "due": lambda r: r.due,
    "interval": lambda r: r.interval_days,
    "lapses": lambda r: r.lapses,
    "last_review": lambda r: r.last_review,
}


def sort_rows(rows: list[CardRow], column: str, reverse: bool = False) -> list[CardRow]:
    """Sorted by one of COLUMNS (stable: ties keep their order); cards without a value (a new
    card has no due date) come last either way."""
    if column not in _KEYS:
        raise ValueError(f"unknown column '{column}' (one of {', '.join(COLUMNS)})")
    key = _KEYS[column]
    have = [r for r in rows if key(r) is not None]
    empty = [r for r in rows if key(r) is None]
    return sorted(have, key=key, reverse=reverse) + empty


def describe(flt: CardFilter) -> str:
    """The filter in one line, e.g. "deck kuril-islands, state due"; "all cards" when empty."""
    parts = []
    if flt.search.strip():
        parts.append(f'search "{flt.search.strip()}"')
    for name in ("deck", "type", "tag", "state"):
        value = getattr(flt, name)
        if value:
            parts.append(f"{name} {value}")
    if flt.failed_today:
        parts.append("failed today")
    if flt.due_within_days is not None:
        n = flt.due_within_days
        parts.append("due today" if n == 0 else f"due within {n} day{'s' if n != 1 else ''}")
    if flt.article:
        parts.append(f"article {flt.article}")
    if flt.passage:
        article, start, end = flt.passage
        parts.append(f"passage {article} {start}-{end}")
    return ", ".join(parts) or "all cards"
