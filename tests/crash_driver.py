"""A study session that answers as fast as it can, for tests/test_crash.py to SIGKILL.

    python tests/crash_driver.py DB SEED          # StudySession directly
    python tests/crash_driver.py DB SEED --tui    # the real Textual study screen, headless

Protocol on stdout, one line each, flushed the moment it is true:
    R <review uid> <deck id> <card id>  the answer is committed ("shown as recorded")
    u <review uid>                      about to undo it (it may or may not be undone)
    U <review uid>                      the undo is committed: the review is gone
(uids, not ids: SQLite reuses the id of an undone last row.)
Each run continues where the last one stopped (same learner, same file). The clock runs ahead
six hours per review already stored, so reviews come due and every queue gets exercised.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from quiz.content.catalog import load_catalog
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.store.times import now_utc
from quiz.study.session import StudySession


def main(db: str, seed: int) -> None:
    rng = random.Random(seed)
    decks = load_catalog().decks
    store = Store(db)
    sync_decks(store, decks)
    learner = store.learner("crash")
    if learner.new_per_day < 100_000:
        store.update_learner(learner.id, new_per_day=100_000)
        learner = store.learner("crash")
    start = now_utc() + timedelta(hours=6 * store.scalar("SELECT count(*) FROM reviews"))
    ticks = 0

    def clock():
        return start + timedelta(minutes=7 * ticks)

    session = StudySession(store, learner, decks, clock=clock)
    out = sys.stdout
    while True:
        item = session.next_item()
        if item is None:
            ticks += 24 * 60 // 7  # nothing due: a day passes
            continue
        rating = rng.choice((1, 2, 3, 3, 3, 4))
        preview = session.previews(item)[rating]
        given = rng.choice(["", "answer", "Northern Territories", "[bold]x[/]"])
        review_id = session.answer(
            item, preview, given=given, correct=rating > 1, duration_ms=rng.randrange(100, 20_000)
        )
        uid = store.scalar("SELECT uid FROM reviews WHERE id = ?", [review_id])
        out.write(f"R {uid} {item.deck_id} {item.card.id}\n")
        out.flush()
        ticks += 1
        if rng.random() < 0.1:
            out.write(f"u {uid}\n")
            out.flush()
            session.undo()
            out.write(f"U {uid}\n")
            out.flush()


async def main_tui(db: str, seed: int) -> None:
    """The same protocol through QuizApp's study screen, driven by key presses (Pilot): an
    answer is "shown as recorded" once the grade key has been handled and the next card is up."""
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.study import StudyScreen

    rng = random.Random(seed)
    decks = load_catalog().decks
    store = Store(db)
    sync_decks(store, decks)
    learner = store.learner("crash-tui")
    if learner.new_per_day < 100_000:
        store.update_learner(learner.id, new_per_day=100_000)
        learner = store.learner("crash-tui")
    start = now_utc() + timedelta(hours=6 * store.scalar("SELECT count(*) FROM reviews"))
    ticks = 0

    def clock():
        return start + timedelta(minutes=7 * ticks)

    out = sys.stdout
    app = QuizApp(store, learner, decks, start="study", clock=clock)

    def last_review():
        return store.one(
            "SELECT uid, deck_id, card_id FROM reviews WHERE learner_id = ? "
            "ORDER BY id DESC LIMIT 1",
            [learner.id],
        )

    def count():
        return store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [learner.id])

    async with app.run_test(size=(100, 40)) as pilot:
        while True:
            screen = app.screen
            if not isinstance(screen, StudyScreen) or screen.phase not in ("question", "revealed"):
                await pilot.pause()
                continue
            if screen.phase == "question":
                if screen.focused is not None:
                    await pilot.press("escape")  # out of the answer box: keys are commands
                await pilot.press("enter")  # reveal (nothing typed: graded as not known)
                continue
            before = count()
            await pilot.press(rng.choice("12334"))
            if count() == before:
                continue  # not handled yet: the next loop sees where the screen is
            row = last_review()
            out.write(f"R {row['uid']} {row['deck_id']} {row['card_id']}\n")
            out.flush()
            ticks += 1
            if rng.random() < 0.1 and screen.phase == "question" and screen.focused is None:
                # (with an answer box focused, `u` would be typed, not pressed)
                out.write(f"u {row['uid']}\n")
                out.flush()
                await pilot.press("u")
                if count() == before:
                    out.write(f"U {row['uid']}\n")
                    out.flush()


if __name__ == "__main__":
    if "--tui" in sys.argv[3:]:
        import asyncio

        asyncio.run(main_tui(sys.argv[1], int(sys.argv[2])))
    else:
        main(sys.argv[1], int(sys.argv[2]))
