"""A class answering at once: N writer processes on one SQLite file, each recording answers
through the real domain code (drill answers and study answers, alternating).

    python bench/load_writers.py [--writers 30] [--answers 200] [--db PATH]

Prints the rows written, failures, and latency per answer (the time a learner waits for
their answer to be saved). tests/test_load_writers.py runs a smaller version and asserts the
exact row count; this script is for measuring.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the checkout's quiz, even without an install
    sys.path.insert(0, str(ROOT))

from quiz.classroom.drill import DrillRun, DrillSettings, open_drill
from quiz.content.catalog import load_catalog
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.study.session import StudySession

DRILL_DECKS = ("authors-compared", "streltsov", "wrong-premise")


@dataclass
class WriterResult:
    index: int
    saved: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def writer(path: str, index: int, answers: int, decks, start, out, fresh: bool = False) -> None:
    """One learner's machine: open the store, then answer as fast as possible."""
    result = WriterResult(index)
    try:
        if fresh:
            start.wait()  # all open (create, migrate, sync) the new file at the same moment
        store = Store(path)
        sync_decks(store, decks)
        name = f"writer-{index:02d}"
        store.update_learner(store.learner(name).id, new_per_day=100_000)  # never run out of cards
        learner = store.learner(name)
        # Everyone opens the same drill at the same moment: one drills row, found by uid.
        drill = open_drill(store, decks, DrillSettings(DRILL_DECKS, 40, "load"))
        run = DrillRun(store, drill, learner)
        session = StudySession(store, learner, decks)
        if not fresh:
            start.wait()
        for i in range(answers):
            t0 = time.perf_counter()
            try:
                if i % 2 == 0:
                    q = drill.questions[(i // 2) % len(drill.questions)]
                    run.answer(q, q.card.answer_text() if i % 4 == 0 else "wrong", 1500)
                else:
                    item = session.next_item()
                    preview = session.previews(item)[3 if i % 3 else 1]
                    session.answer(item, preview, given=None, correct=None, duration_ms=2000)
                result.saved += 1
            except Exception as e:  # noqa: BLE001 - counted: the test asserts there are none
                result.errors.append(f"{type(e).__name__}: {e}")
            result.latencies_ms.append(1000 * (time.perf_counter() - t0))
        store.close()
    except Exception as e:  # noqa: BLE001 - counted as well
        result.errors.append(f"setup {type(e).__name__}: {e}")
    out.put(result)


def run_load(
    path: Path, writers: int, answers: int, *, fresh: bool = False
) -> tuple[list[WriterResult], float]:
    """Prepare the store once (as a teacher's machine would), then start the writers together;
    with `fresh`, the writers create the file themselves, all at once (`quiz serve` on a new
    database: every browser tab's quiz migrates and syncs). Returns each writer's result and
    the wall time."""
    catalog = load_catalog()
    if not fresh:
        with Store(path) as store:
            sync_decks(store, catalog.decks)
    ctx = multiprocessing.get_context("fork")  # cheap start; each child opens its own connection
    start = ctx.Barrier(writers + 1)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(str(path), i, answers, catalog.decks, start, out, fresh))
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    start.wait(timeout=120)
    t0 = time.perf_counter()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join(timeout=60)
    return sorted(results, key=lambda r: r.index), wall


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--answers", type=int, default=200, help="answers per writer")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--fresh", action="store_true", help="writers create the file together")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "load.db"
        results, wall = run_load(path, args.writers, args.answers, fresh=args.fresh)
        with Store(path) as store:
            rows = store.scalar("SELECT count(*) FROM reviews")
            drills = store.scalar("SELECT count(*) FROM drills")
    expected = args.writers * args.answers
    errors = [e for r in results for e in r.errors]
    lat = [x for r in results for x in r.latencies_ms]
    print(
        f"{args.writers} writers x {args.answers} answers: {rows} rows (expected {expected}), "
        f"{len(errors)} failures, {drills} drills row(s), {wall:.1f} s, {rows / wall:.0f} answers/s"
    )
    print(
        f"latency per answer: median {percentile(lat, 0.5):.0f} ms, "
        f"p95 {percentile(lat, 0.95):.0f} ms, "
        f"max {max(lat, default=0):.0f} ms"
    )
    for e in errors[:10]:
        print("  " + e)
    return 0 if rows == expected and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
