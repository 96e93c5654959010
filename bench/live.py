"""A live session with a class of learner processes on one store (issue 18's bench).

    python bench/live.py [--learners 40] [--questions 10]      (bench/run.py --only live)

The host is the real host screen (quiz.tui.screens.live_host) in this process under Pilot; each
learner is its own process (`bench/live.py --learner ...`) that follows the session exactly as
the learner screen does (quiz.classroom.live: poll data_version every 0.1 s, then answer after a
short think). Measured, p50/p95 over the session:
  - answer committed -> the host's count shows it (host redraw latency),
  - host "next" committed -> each learner process sees the question,
  - rows lost (answers the learners committed vs the rows in reviews) and "database is
    locked" errors (both must be 0), and peak RSS per learner process.
The yardstick, measured in the same run on the same file: one bare write transaction (BEGIN
IMMEDIATE, one INSERT, COMMIT with synchronous=FULL); figures are also given as its ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POLL = 0.1  # the learner screen's poll (quiz.tui.screens.live_join.POLL_SECONDS)


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


# -- one learner process ----------------------------------------------------------------------


def learner_main(db: str, code: str, name: str, seed: int) -> None:
    from quiz.classroom import live
    from quiz.classroom.drill import load_drill
    from quiz.store.connection import Store

    rng = random.Random(seed)
    store = Store(db)
    me = store.learner(name)
    session = live.join(store, code, me)
    drill = load_drill(store, session.drill_id)
    seen_version, shown, locked = None, 0, 0
    out = sys.stdout
    while True:
        time.sleep(POLL)
        try:
            version = live.changed(store)
            if version == seen_version:
                continue
            seen_version = version
            s = live.load_session(store, code)
            if s.phase == "ended":
                break
            if s.phase == "question" and s.question != shown:
                shown = s.question
                print(json.dumps({"q": shown, "seen": time.time()}), file=out, flush=True)
                time.sleep(rng.uniform(0.2, 1.5))  # thinking
                q = drill.questions[shown - 1]
                given = q.card.answer if rng.random() < 0.7 else "no idea"
                live.answer(store, code, me, q, given)
                print(json.dumps({"q": shown, "committed": time.time()}), file=out, flush=True)
        except live.LiveError:
            continue
        except Exception as e:  # counted, never fatal: the bench reports them
            locked += "locked" in str(e)
            print(json.dumps({"error": str(e)}), file=out, flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": rss, "locked": locked}), file=out, flush=True)
    store.close()


# -- the host and the whole session -----------------------------------------------------------


def yardstick(db: Path, n: int = 50) -> float:
    conn = sqlite3.connect(db, isolation_level=None, timeout=60)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_yard (x)")
    times = []
    for i in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_yard VALUES (?)", [i])
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t)
    conn.execute("DROP TABLE bench_yard")
    conn.close()
    return statistics.median(times)


async def session(learners: int, questions: int) -> dict:
    from quiz.classroom import live
    from quiz.classroom.drill import LIVE_FEEDBACK, DrillSettings, open_drill
    from quiz.content.catalog import load_catalog
    from quiz.content.deck_sync import sync_decks
    from quiz.store.connection import Store
    from quiz.store.learners import Learner
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.live_host import LiveHostScreen

    work = Path(tempfile.mkdtemp(prefix="quiz-live-bench-"))
    db = work / "live.db"
    store = Store(db)
    decks = load_catalog().decks
    sync_decks(store, decks)
    ids = tuple(d.id for d in decks)
    drill = open_drill(store, decks, DrillSettings(ids, questions, "bench", None, LIVE_FEEDBACK))
    s = live.host_session(store, drill, code="404040")
    yard = yardstick(db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--learner", str(db), s.code, f"l{i:02d}", str(i)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(learners)
    ]
    nobody = Learner(id=0, uid="", name="host")
    app = QuizApp(store, nobody, decks, start_screen_factory=lambda: LiveHostScreen(drill, s))
    nexts: dict[int, float] = {}
    shown_at: dict[int, list[tuple[int, float]]] = {}  # question -> (count, when drawn)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        deadline = time.time() + 120
        while len(live.joined(store, s.code)) < learners and time.time() < deadline:
            await pilot.pause(0.05)
        for n in range(1, len(drill.questions) + 1):
            nexts[n] = time.time()
            await pilot.press("space")
            last, marks, end = 0, [], time.time() + 15
            while last < learners and time.time() < end:
                await pilot.pause(0.005)
                room = screen.room
                if room is not None and room.answered != last:
                    last = room.answered
                    marks.append((last, time.time()))
            shown_at[n] = marks
            await pilot.press("r")
        await pilot.press("e")
        await pilot.pause(0.2)
    seen, committed, rss, locked, errors = [], {}, [], 0, 0
    for p in procs:
        out, _ = p.communicate(timeout=60)
        for line in out.splitlines():
            rec = json.loads(line)
            if "seen" in rec:
                seen.append(rec["seen"] - nexts[rec["q"]])
            elif "committed" in rec:
                committed.setdefault(rec["q"], []).append(rec["committed"])
            elif "rss_mb" in rec:
                rss.append(rec["rss_mb"])
                locked += rec["locked"]
            elif "error" in rec:
                errors += 1
    to_host = []
    for n, times in committed.items():
        marks = shown_at.get(n, [])
        for rank, t in enumerate(sorted(times), start=1):
            drawn = next((when for count, when in marks if count >= rank), None)
            if drawn is not None:
                to_host.append(max(0.0, drawn - t))
    given = sum(len(v) for v in committed.values())
    rows = store.scalar("SELECT count(*) FROM reviews WHERE drill_id = ?", [drill.id])
    store.close()
    return {
        "learners": learners,
        "questions": len(drill.questions),
        "yardstick_ms": yard * 1000,
        "answer_to_host_ms": (pct(to_host, 50) * 1000, pct(to_host, 95) * 1000),
        "next_to_learner_ms": (pct(seen, 50) * 1000, pct(seen, 95) * 1000),
        "answers_given": given,
        "rows_lost": given - rows,
        "locked_errors": locked,
        "other_errors": errors,
        "rss_per_learner_mb": statistics.median(rss) if rss else float("nan"),
    }


def markdown(r: dict) -> str:
    y = r["yardstick_ms"]
    a50, a95 = r["answer_to_host_ms"]
    n50, n95 = r["next_to_learner_ms"]
    return "\n".join(
        [
            f"Live session: {r['learners']} learner processes, {r['questions']} questions "
            f"(bench/live.py); yardstick = one bare write transaction, {y:.2f} ms",
            "",
            "| figure | p50 | p95 | p95 / yardstick | target |",
            "|---|---|---|---|---|",
            f"| answer committed -> host count shows it | {a50:.0f} ms | {a95:.0f} ms "
            f"| {a95 / y:.0f}x | p95 <= 500 ms |",
            f"| host next -> learner sees the question | {n50:.0f} ms | {n95:.0f} ms "
            f"| {n95 / y:.0f}x | p95 <= 500 ms |",
            "",
            f"Answers given {r['answers_given']}, rows lost {r['rows_lost']} (must be 0), "
            f"'database is locked' {r['locked_errors']} (must be 0), other errors "
            f"{r['other_errors']}; peak RSS per learner process {r['rss_per_learner_mb']:.0f} MB.",
        ]
    )


def run(learners: int = 40, questions: int = 10) -> str:
    return markdown(asyncio.run(session(learners, questions)))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--learner":
        learner_main(argv[1], argv[2], argv[3], int(argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args(argv)
    print(run(args.learners, args.questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
