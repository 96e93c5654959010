"""bench/live.py still measures: a tiny session (two learner processes, one question)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "live.py"


def test_live_bench_runs_and_loses_nothing():
    out = subprocess.run(
        [sys.executable, str(BENCH), "--learners", "2", "--questions", "1"],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    assert "answer committed -> host count shows it" in out
    assert "rows lost 0" in out and "'database is locked' 0" in out
