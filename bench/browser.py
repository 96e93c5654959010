"""Bench rows for the card browser's domain (issue 19): quiz.study.card_browser's load_rows
(every card of the collection with the heavy learner's state, once per browser open) and
filter_rows / sort_rows (at every keystroke of the search box, or change of a filter), each
with a yardstick run in the same process right before it:

- for load_rows, reading the same cards' rows from SQLite and doing nothing with them (what
  any browser must pay to have the cards at all);
- for filter_rows, one bare list comprehension over the same rows testing one substring (the
  least an in-memory filter can cost).

The ratios are what another machine should reproduce; the issue's aim is filter + redraw
p95 <= 100 ms at 100k cards, and this is the filter's part of it.
"""

from __future__ import annotations

import statistics
import time

LOAD_YARDSTICK = """SELECT c.deck_id, c.card_id, c.type, c.prompt, c.answer, c.data
    FROM json_each(:decks) d JOIN cards c ON c.deck_id = d.value AND c.removed_at IS NULL"""


def _filters(rows, CardFilter):
    """What a learner types and picks: a word, two words, a state, a deck and tag, a passage."""
    first = rows[0]
    tag = next((r.tags[0] for r in rows if r.tags), None)
    cited = next((r for r in rows if r.span is not None), None)
    out = [
        ("search one word", CardFilter(search="island")),
        ("search two words", CardFilter(search="treaty japan")),
        ("search, no match", CardFilter(search="zzqqx")),
        ("state due", CardFilter(state="due")),
        ("state suspended", CardFilter(state="suspended")),
        ("deck + tag", CardFilter(deck=first.deck_id, tag=tag)),
        ("due within 3 days", CardFilter(due_within_days=3)),
    ]
    if cited is not None:
        out.append(("passage", CardFilter(passage=(cited.article, *cited.span))))
    return out


def figures(Figure, store, decks, learner, repeats: int, samples: int = 20) -> list:
    import json

    from quiz.store.times import now_utc
    from quiz.study.card_browser import CardFilter, filter_rows, load_rows, sort_rows

    now = now_utc()
    params = {"decks": json.dumps([d.id for d in decks])}
    yard_load = Figure(
        "browser_load_yard", "Browser yardstick: read the cards' rows from SQLite, nothing else"
    )
    load = Figure(
        "browser_load",
        "Browser: load_rows (every card with the learner's state)",
        note="once per browser open; the heavy learner, every card of the collection",
    )
    for _ in range(repeats):
        t = time.perf_counter()
        raw = store.conn.execute(LOAD_YARDSTICK, params).fetchall()
        yard_load.samples.append(time.perf_counter() - t)
        t = time.perf_counter()
        rows = load_rows(store, learner, decks, now)
        load.samples.append(time.perf_counter() - t)
    assert len(raw) == len(rows)
    memory = Figure("browser_rows_mb", "Browser: memory of the rows (tracemalloc)", unit="MB")
    import tracemalloc

    del rows
    tracemalloc.start()
    rows = load_rows(store, learner, decks, now)
    memory.samples.append(tracemalloc.get_traced_memory()[0] / 1e6)
    tracemalloc.stop()
    rows = load_rows(store, learner, decks, now)
    load_ratio = Figure("browser_load_ratio", "... load_rows / the yardstick (medians)", unit="x")
    load_ratio.samples = [statistics.median(load.samples) / statistics.median(yard_load.samples)]

    yard = Figure(
        "browser_filter_yard",
        "Browser yardstick: one list comprehension, one substring test per row",
        stat="p95",
    )
    filt = Figure(
        "browser_filter",
        f"Browser: filter_rows over {len(rows):,} rows (all filters below)",
        stat="p95",
        target=100,
        note="the filters: " + ", ".join(name for name, _ in _filters(rows, CardFilter)),
    )
    per_filter = []
    for name, flt in _filters(rows, CardFilter):
        fig = Figure(f"browser_filter_{name}", f"... {name}", stat="p95")
        for _ in range(samples):
            t = time.perf_counter()
            [r for r in rows if "island" in r.haystack]
            yard.samples.append(time.perf_counter() - t)
            t = time.perf_counter()
            found = filter_rows(rows, flt, now)
            took = time.perf_counter() - t
            fig.samples.append(took)
            filt.samples.append(took)
        fig.note = f"{len(found):,} rows match"
        per_filter.append(fig)
    sort = Figure("browser_sort", "Browser: sort_rows by due, then by prompt", stat="p95")
    for _ in range(repeats):
        for column in ("due", "prompt"):
            t = time.perf_counter()
            sort_rows(rows, column)
            sort.samples.append(time.perf_counter() - t)
    ratio = Figure("browser_filter_ratio", "... filter_rows p95 / the yardstick's p95", unit="x")
    ratio.samples = [filt.summary()["p95"] / yard.summary()["p95"]]
    return [load, yard_load, load_ratio, memory, filt, *per_filter, yard, ratio, sort]
