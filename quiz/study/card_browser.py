"""The card browser's domain: every card of the loaded decks with a learner's state, searched,
filtered and sorted in memory.

Rows are loaded once (one query over the cards table and the learner's card_state rows) and
then filtered in Python: at 100,000 cards a filter is a pass over a list with each card's
search text casefolded in advance, a few tens of milliseconds (bench/RESULTS.md, group
"browser"), where a query per keystroke would read the cards' JSON again every time.
"""

from __future__ import annotations

import gc
import json
import time
from dataclasses import dataclass, replace
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
    haystack: str  # prompt + answer + explanation + tags + quote + id, for search (search_fold)
    # Beyond the contract: what the filters need.
    position: int = 0  # the card's place in its deck (sorting by deck keeps deck order)
    buried_until: str | None = None
    failed_at: str | None = None  # the last study answer rated Again (or wrong) on the load day
    article: str | None = None  # the article the card cites (source.article)
    span: tuple[int, int] | None = None  # where its quote is in that article's body
    tag_keys: tuple[str, ...] = ()  # the tags casefolded, for the tag filter

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


# Per deck, in deck order (cards_position): every live card with the learner's state and
# its cited span. The cards' JSON is read by json_extract, so Python decodes only the tags
# (and those once per distinct list). The interval is what the last review set: due -
# last_review, in days.
_ROWS_SQL = """
    SELECT c.card_id, c.type, c.prompt, c.answer, c.position,
           json_extract(c.data, '$.explanation'), json_extract(c.data, '$.tags'),
           json_extract(c.data, '$.source.quote'), json_extract(c.data, '$.source.article'),
           cs.state, cs.due, julianday(cs.due) - julianday(cs.last_review), cs.lapses,
           cs.last_review, cs.suspended, cs.buried_until, cs.leech, p.start, p."end"
    FROM cards c
    LEFT JOIN card_state cs ON cs.learner_id = :learner AND cs.deck_id = c.deck_id
      AND cs.card_id = c.card_id
    LEFT JOIN card_passages p ON p.deck_id = c.deck_id AND p.card_id = c.card_id
    WHERE c.deck_id = :deck AND c.removed_at IS NULL
    ORDER BY c.position
"""
# The cards failed in study since :day (a range of reviews_learner_time: one day's rows).
_FAILED_SQL = """
    SELECT deck_id, card_id, max(reviewed_at) FROM reviews
    WHERE learner_id = :learner AND reviewed_at >= :day AND mode = 'study'
      AND (rating = 1 OR correct = 0)
    GROUP BY deck_id, card_id
"""


def haystack(*parts) -> str:
    return search_fold("\n".join(p for p in parts if p))


# Typographic punctuation as a keyboard types it: a search for "don't" or "1855-56" finds
# "don’t" and "1855–56". It also keeps a row's search text in one byte a character (curly
# quotes and dashes were what made a fifth of the bench's rows two bytes a character, and a
# one-byte word is sought in those a fifth slower: bench/browser.py).
_TYPED = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\u2013", "-"), ("\u2014", "-"), ("\u2026", "..."),
)  # fmt: skip


def search_fold(text: str) -> str:
    """The form cards and searches are compared in: casefolded, typographic punctuation as
    typed (_TYPED)."""
    text = text.casefold()
    if text.isascii():  # O(1), and most cards' text
        return text
    for typographic, typed in _TYPED:
        text = text.replace(typographic, typed)
    return text


def load_rows(store, learner, decks, now: datetime) -> list[CardRow]:
    """Every card of the loaded decks, with the learner's state, in deck order."""
    # 100,000 new objects set off a dozen collections of the young generation, each walking
    # all of them, for nothing: none of them is garbage (a fifth of the load: bench/browser.py).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_rows(store, learner, decks, now)
    finally:
        if enabled:
            gc.enable()


def _load_rows(store, learner, decks, now: datetime) -> list[CardRow]:
    stamp = iso(now)
    params = {"learner": learner.id, "day": iso(local_day_start(now))}
    failed = {(d, c): at for d, c, at in store.conn.execute(_FAILED_SQL, params)}
    tags_of: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    out: list[CardRow] = []
    for deck in {d.id: d for d in decks}.values():
        deck_id = deck.id
        start_len = len(out)
        for (
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
        ) in store.conn.execute(_ROWS_SQL, {**params, "deck": deck_id}):
            tags = tags_of.get(tags_json)
            if tags is None:
                tags = tags_of[tags_json] = _tags(tags_json)
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
                    tags[0],
                    search_fold(
                        f"{prompt}\n{answer}\n{explanation or ''}\n{' '.join(tags[0])}\n"
                        f"{quote or ''}\n{card_id}"
                    ),
                    position,
                    buried_until,
                    failed.get((deck_id, card_id)),
                    article,
                    (start, end) if start is not None else None,
                    tags[1],
                )
            )
        if len(out) == start_len and len(deck.cards):
            out += _unstored_rows(deck)  # a deck not in the store (never synced): no history
    return out


def reload_rows(
    store, learner, decks, rows: list[CardRow], positions: dict, keys, now: datetime
) -> tuple[list[CardRow], list[CardRow]]:
    """(`rows` with the cards `keys` read again, the fresh rows): a new list, so that a filter
    still running over the old one is seen to be stale; only the changed cards' decks read."""
    wanted = set(keys)
    changed = {deck for deck, _card in wanted}
    fresh = [
        r
        for r in load_rows(store, learner, [d for d in decks if d.id in changed], now)
        if (r.deck_id, r.card_id) in wanted
    ]
    out = list(rows)
    for row in fresh:
        at = positions.get((row.deck_id, row.card_id))
        if at is not None:
            out[at] = row
    return out, fresh


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
                tag_keys=tuple(t.casefold() for t in card.tags),
            )
        )
    return rows


def _tags(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tags, tags casefolded) from the cards' JSON list."""
    try:
        value = json.loads(text) if text else []
    except ValueError:
        value = []
    tags = tuple(str(t) for t in value) if isinstance(value, list) else ()
    return tags, tuple(t.casefold() for t in tags)


def _state_name(state: int | None, last_review: str | None) -> str:
    if last_review is None or state is None:
        return "new"
    return _STATE_NAMES.get(state, "learning")


# ---------------------------------------------------------------------------------------------
# Filters


def filter_rows(rows: list[CardRow], flt: CardFilter, now: datetime) -> list[CardRow]:
    """The rows that pass every part of the filter, in their order. Search words must all
    appear (search_fold: casefolded, curly quotes and dashes as typed) in a card's prompt,
    answer, explanation, tags, quote or id.

    Each part is its own pass over what the parts before it left, cheapest first, each a bare
    comprehension where it can be: at 100,000 rows a function call per row and part costs more
    than the tests themselves (bench/browser.py)."""
    out = rows
    if flt.deck:
        deck = flt.deck
        out = [r for r in out if r.deck_id == deck]
    if flt.type:
        kind = flt.type
        out = [r for r in out if r.type == kind]
    if flt.state:
        out = _state_rows(out, flt.state, now)
    if flt.failed_today:
        day = iso(local_day_start(now))
        out = [r for r in out if r.failed_at is not None and r.failed_at >= day]
    if flt.due_within_days is not None:
        until = iso(start_of_next_day(now + timedelta(days=max(0, flt.due_within_days))))
        out = [
            r
            for r in out
            if r.due is not None and r.due < until and r.last_review is not None and not r.suspended
        ]
    if flt.article:
        article = flt.article
        out = [r for r in out if r.article == article]
    if flt.passage:
        article, start, end = flt.passage
        out = [
            r
            for r in out
            if r.article == article and r.span is not None and r.span[0] < end and start < r.span[1]
        ]
    if flt.tag:
        tag = flt.tag.casefold()
        out = [r for r in out if tag in r.tag_keys]
    # The search last: a substring test over ~500 characters a row is the dearest part (at
    # 100,000 rows it costs what the bench's bare one-test comprehension costs, since that is
    # what it is). Joining the text in blocks to skip non-matching ones measured no faster:
    # the scan in C is the cost. As a search box is typed into, narrows() lets the caller
    # filter the last result instead.
    for word in search_fold(flt.search).split():
        out = [r for r in out if word in r.haystack]
    return out if out is not rows else list(rows)


Order = tuple[str, bool] | None  # (column, reversed), or None for deck order
# What the last filtering gave: (its filter, the rows it filtered, the matches).
Last = tuple[CardFilter, list[CardRow], list[CardRow]]


def matches(
    rows: list[CardRow],
    flt: CardFilter,
    order: Order,
    now: datetime,
    sorted_rows: dict[tuple[str, bool], list[CardRow]],
    last: Last | None = None,
) -> Last:
    """The rows passing `flt`, in `order`, as (flt, the rows sorted, the matches) for the next
    call's `last`. Filtering keeps the order, so the rows are sorted once per order (kept in
    `sorted_rows`: a sort of 100,000 rows costs as much as a search) and then filtered; while
    the search only narrows `last`'s, the last matches are filtered instead of every row.
    Pure but for `sorted_rows`, so it may run in a thread over rows no one changes."""
    base = rows
    if order is not None:
        base = sorted_rows.get(order)
        if base is None:
            base = sorted_rows[order] = sort_rows(rows, *order)
    if last is not None and last[1] is base and narrows(last[0], flt):
        return flt, base, filter_rows(last[2], flt, now)
    return flt, base, filter_rows(base, flt, now)


def narrows(old: CardFilter, new: CardFilter) -> bool:
    """Whether every row `new` passes also passes `old` (the search only grew, each old word
    still inside a new one, nothing else changed): then filtering old's result with `new`
    gives what filtering every row would, in a fraction of the time, as a search box is
    typed into."""
    if replace(old, search="") != replace(new, search=""):
        return False
    words = search_fold(new.search).split()
    return all(any(w in n for n in words) for w in search_fold(old.search).split())


def _state_rows(rows: list[CardRow], state: str, now: datetime) -> list[CardRow]:
    stamp = iso(now)
    if state == "new":
        return [r for r in rows if r.state == "new"]
    if state == "learning":
        return [r for r in rows if r.state == "learning" or r.state == "relearning"]
    if state == "review":
        return [r for r in rows if r.state == "review"]
    if state == "suspended":
        return [r for r in rows if r.suspended]
    if state == "buried":
        return [r for r in rows if r.buried_until is not None and r.buried_until > stamp]
    if state == "leech":
        return [r for r in rows if r.leech]
    if state == "due":
        # What the study queue would ask today: learning cards due now, reviews due before
        # the end of the day; neither suspended nor buried.
        day_end = iso(start_of_next_day(now))
        return [
            r
            for r in rows
            if r.due is not None
            and r.last_review is not None
            and not r.suspended
            and (r.buried_until is None or r.buried_until <= stamp)
            and (r.due < day_end if r.state == "review" else r.due <= stamp)
        ]
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
    # Each row's key computed once (the prompt's casefold is most of a sort by prompt, and
    # sorting rows by a key function would take it again for the Nones): indexes sorted by
    # the keys, which keeps ties in their order either way.
    keys = list(map(_KEYS[column], rows))
    have = [i for i, k in enumerate(keys) if k is not None]
    have.sort(key=keys.__getitem__, reverse=reverse)
    empty = [r for r, k in zip(rows, keys) if k is None]
    return [rows[i] for i in have] + empty


def sort_ahead(
    rows: list[CardRow], sorted_rows: dict, stop=lambda: False, ready=lambda: True
) -> None:
    """Every order of `rows` (each column, both ways) put in `sorted_rows` where it is not
    yet, each once `ready()` (polled), until `stop()`: for a thread to run while the browser's
    user reads, so that a first sort by a column costs no more than a later one (a sort of
    100,000 rows is 15-55 ms, bench/browser.py). Like matches(), pure but for `sorted_rows`."""
    for column in COLUMNS:
        for reverse in (False, True):
            while not ready():
                if stop():
                    return
                time.sleep(0.05)
            if stop():
                return
            if (column, reverse) not in sorted_rows:
                # setdefault: one a filter thread made meanwhile stays, and with it the
                # identity that lets matches() narrow the last result
                sorted_rows.setdefault((column, reverse), sort_rows(rows, column, reverse))
            time.sleep(0)  # the lock given up between sorts: a key typed meanwhile goes first


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
