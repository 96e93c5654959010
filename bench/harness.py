"""Cold start in a fresh process: `quiz study` (or a bare Textual app), headless, until the first
card (or the Static) is on screen. Spawned by bench/run.py, which times from spawn to the
FIRST_FRAME line and reads the process's peak RSS.

    python bench/harness.py bare
    python bench/harness.py quiz --db FILE --learner NAME [--answers N]
        [--parse-all | --deck-cache] DECK...

By default `quiz study` starts as quiz.cli.launch does (unchanged deck files are not parsed: their
cards stay in the store); --deck-cache and --parse-all force the slower paths it replaced, for
the before/after rows.

Both apps run the same way: App.run is replaced by a headless App.run_test() session that
watches rendered frames, so the ratio between the two compares like with like.
"""

import time

T0 = time.perf_counter()

import asyncio  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _frames import FrameWatch, card_shown, laid_out  # noqa: E402
from textual.app import App  # noqa: E402

SIZE = (100, 40)


def headless(predicate, answers: int = 0):
    """An App.run replacement: run_test(), report the first frame where `predicate` holds,
    optionally answer `answers` cards (Enter reveals, 3 grades Good), then leave."""

    def run(self, *args, **kwargs):
        async def drive():
            watch = FrameWatch(self)
            watch.expect(predicate)
            async with self.run_test(size=SIZE) as pilot:
                await watch.wait()
                # Wall time since the harness started, and the process's CPU time (interpreter
                # start-up included) at that frame: what a busy machine cannot inflate.
                print(f"FIRST_FRAME {watch.hit_at - T0:.6f} cpu={watch.hit_cpu:.6f}", flush=True)
                for _ in range(answers):
                    if getattr(self.screen, "phase", None) != "question":
                        break
                    await pilot.press("enter")
                    await pilot.press("3")
                print(f"DONE frames={watch.frames}", flush=True)

        asyncio.run(drive())

    return run


def bare() -> None:
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Hello from a bare Textual app")

    Bare.run = headless(lambda app: laid_out(app.screen.query_one(Static)))
    Bare().run()


def patch_launch(mode: str) -> None:
    """Make quiz.cli.launch.load_decks take an older start-up path: "parse" (every deck file parsed,
    load_catalog()) or "cache" (the JSON parse cache, load_catalog(cached=True), but the cards
    still loaded from it rather than left in the store)."""
    import quiz.cli.launch
    import quiz.content.catalog

    plain_catalog = quiz.content.catalog.load_catalog
    plain_load = quiz.cli.launch.load_decks

    def load_decks(store, wanted=(), later=None):
        def load_catalog(*args, **kwargs):
            kwargs.update(cached=mode == "cache", store=None)
            return plain_catalog(*args, **kwargs)

        quiz.content.catalog.load_catalog = load_catalog
        try:
            return plain_load(store, wanted, later)
        finally:
            quiz.content.catalog.load_catalog = plain_catalog

    quiz.cli.launch.load_decks = load_decks


def quiz(argv: list[str]) -> None:
    answers = 0
    if "--answers" in argv:
        at = argv.index("--answers")
        answers = int(argv[at + 1])
        del argv[at : at + 2]
    if "--deck-cache" in argv or "--parse-all" in argv:
        patch_launch("cache" if "--deck-cache" in argv else "parse")
        argv[:] = [a for a in argv if a not in ("--deck-cache", "--parse-all")]
    # The real command line: click, quiz.cli.launch, the store, the decks, QuizApp.
    App.run = headless(card_shown, answers)
    from quiz.cli.main import main

    sys.argv = ["quiz", "study", *argv]
    try:
        main()
    except SystemExit as e:
        if e.code not in (0, None):
            raise


if __name__ == "__main__":
    if sys.argv[1:2] == ["bare"]:
        bare()
    elif sys.argv[1:2] == ["quiz"]:
        quiz(sys.argv[2:])
    else:
        sys.exit(__doc__)
