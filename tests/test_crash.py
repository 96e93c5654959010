"""SIGKILL a real study session at random moments: nothing it showed as recorded is ever lost.

tests/crash_driver.py answers cards in a loop and prints each review id the moment
`StudySession.answer` returns. We kill it at a seeded random moment (after a random number of
lines plus 0-50 ms, or at a random point of its start-up, when it may be creating or migrating
the file), then check the file: it opens, `PRAGMA integrity_check` is ok, every printed answer is
there, every confirmed undo is gone, and each card's state agrees with its reviews (the review row
and the state are written in one transaction: `reps` equals the number of reviews).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from quiz.store.connection import Store

DRIVER = Path(__file__).with_name("crash_driver.py")
KILLS = 60
SEED = 20_251_123


@dataclass
class Ledger:
    """What the driver has shown, by review uid, replayed in order."""

    present: dict[str, tuple[str, str]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)
    answers: int = 0

    def feed(self, line: str) -> None:
        kind, rid, *rest = line.split()
        if kind == "R":
            self.present[rid] = (rest[0], rest[1])
            self.gone.discard(rid)
            self.uncertain.discard(rid)
            self.answers += 1
        elif kind == "u":
            self.uncertain.add(rid)
        elif kind == "U":
            self.present.pop(rid, None)
            self.uncertain.discard(rid)
            self.gone.add(rid)


def run_and_kill(
    db: Path,
    run: int,
    rng: random.Random,
    ledger: Ledger,
    *,
    tui: bool = False,
    most_lines: int = 40,
) -> None:
    args = [sys.executable, str(DRIVER), str(db), str(run), *(["--tui"] if tui else [])]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[bytes] = []
    if rng.random() < 0.15:
        time.sleep(rng.uniform(0, 0.3))  # somewhere in start-up: opening, migrating, syncing
    else:
        target = rng.randint(1, most_lines)
        while len(lines) < target:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(rng.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    # Read the rest through the same buffered reader: communicate() would read the pipe
    # directly and drop lines readline() has already buffered.
    rest = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
    lines.extend(rest.splitlines(keepends=True))
    for line in lines:
        if line.endswith(b"\n"):  # a line cut by the kill was never shown
            ledger.feed(line.decode())


def check(db: Path, ledger: Ledger) -> None:
    with Store(db) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("PRAGMA foreign_key_check") is None
        rows = {
            r["uid"]: (r["deck_id"], r["card_id"])
            for r in store.db.query("SELECT uid, deck_id, card_id FROM reviews")
        }
        # an undo in flight when the kill came: the file says which way it went
        for rid in list(ledger.uncertain):
            if rid in rows:
                ledger.uncertain.discard(rid)
            else:
                ledger.feed(f"U {rid}")
        for rid, where in ledger.present.items():
            assert rows.get(rid) == where, f"review {rid} was shown as recorded but is missing"
        for rid in ledger.gone:
            assert rid not in rows, f"review {rid} was undone but is still there"
        mismatched = list(
            store.db.query(
                """SELECT cs.deck_id, cs.card_id, cs.reps, count(r.id) AS n FROM card_state cs
               LEFT JOIN reviews r ON r.learner_id = cs.learner_id AND r.deck_id = cs.deck_id
                 AND r.card_id = cs.card_id
               GROUP BY cs.learner_id, cs.deck_id, cs.card_id HAVING cs.reps != n"""
            )
        )
        assert mismatched == [], "card state and reviews disagree (half a transaction?)"
        orphans = store.scalar(
            """SELECT count(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM card_state cs
               WHERE cs.learner_id = r.learner_id AND cs.deck_id = r.deck_id
                 AND cs.card_id = r.card_id)"""
        )
        assert orphans == 0


def test_sigkill_never_loses_a_recorded_answer(tmp_path):
    db = tmp_path / "crash.db"
    rng = random.Random(SEED)
    ledger = Ledger()
    started = time.monotonic()
    for run in range(KILLS):
        run_and_kill(db, run, rng, ledger)
        check(db, ledger)
    elapsed = time.monotonic() - started
    # the kills did land among answers, not only in start-up
    assert ledger.answers > 5 * KILLS, ledger.answers
    print(
        f"\ncrash: {KILLS} kills, {ledger.answers} answers shown, "
        f"{len(ledger.present)} reviews kept, {elapsed:.1f}s",
        file=sys.stderr,
    )
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".bak")]  # no migration happened


TUI_KILLS = 5


def test_sigkill_of_the_study_screen_never_loses_a_recorded_answer(tmp_path):
    """The same, through QuizApp's study screen driven by key presses in a headless app."""
    db = tmp_path / "crash.db"
    rng = random.Random(SEED + 1)
    ledger = Ledger()
    started = time.monotonic()
    for run in range(TUI_KILLS):
        run_and_kill(db, run, rng, ledger, tui=True, most_lines=5)
        check(db, ledger)
    assert ledger.answers >= TUI_KILLS, ledger.answers
    print(
        f"\ncrash (tui): {TUI_KILLS} kills, {ledger.answers} answers shown, "
        f"{len(ledger.present)} reviews kept, {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
