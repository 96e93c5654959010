"""The benchmarks still run: generate a tiny collection and measure everything once.

No time is asserted here (bench/RESULTS.md holds the figures); this only checks that every
measurement works end to end and that the generated collection is what start-up expects:
lint-clean deck files whose sha256 the store already holds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


@pytest.fixture(scope="module")
def bench_env(tmp_path_factory):
    data = tmp_path_factory.mktemp("bench-data")
    env = {
        **os.environ,
        "BENCH_DATA": str(data),
        "PYTHONPATH": str(ROOT),
        "QUIZ_CACHE_DIR": str(data / "cache"),
    }
    env.pop("QUIZ_DB", None)
    return data, env


def run(args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def generated(bench_env):
    data, env = bench_env
    done = run([str(BENCH / "generate.py"), "--size", "tiny", "--verify"], env)
    assert done.returncode == 0, done.stderr
    return data / "tiny"


def test_generated_decks_lint_clean(generated, bench_env):
    _data, env = bench_env
    done = run(["-m", "quiz", "lint", str(generated / "decks"), str(generated / "lint")], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stderr


def test_store_holds_the_files_hashes(generated):
    from quiz.store.connection import Store

    files = {
        p.stem: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (generated / "decks").glob("*.yaml")
    }
    with Store(generated / "quiz.db") as store:
        assert store.deck_hashes() == files
        assert store.scalar("SELECT count(*) FROM reviews") == 3000
        modes = dict(
            store.db.execute("SELECT mode, count(*) FROM reviews GROUP BY mode").fetchall()
        )
        assert set(modes) == {"study", "drill"}
        assert (
            store.scalar("SELECT count(*) FROM reviews WHERE mode = 'drill' AND drill_id IS NULL")
            == 0
        )
        states = {r[0] for r in store.db.execute("SELECT DISTINCT state FROM card_state")}
        assert states <= {1, 2, 3} and 2 in states


def test_run_measures_everything(generated, bench_env, tmp_path):
    _data, env = bench_env
    out = tmp_path / "RESULTS.md"
    done = run(
        [str(BENCH / "run.py"), "--size", "tiny", "--repeats", "1", "--out", str(out)],
        env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    text = out.read_text()
    assert "<!-- size:tiny -->" in text and "## Size `tiny`" in text
    for label in (
        "Bare Textual app",
        "`quiz study`, before: every deck file parsed",
        "stored decks",
        "Answer (key 3) -> next card on screen",
        "Home screen",
        "Stats screen",
        "`quiz report`",
        "`quiz lint`",
        "Sync the",
        "Peak RSS",
        "Browser: load_rows",
        "Browser: filter_rows",
        "Browser screen: filter change -> new table on screen",
    ):
        assert label in text, label
    assert "<!-- browser:tiny -->" in text
    # A second run replaces its own section instead of adding another.
    done = run(
        [
            str(BENCH / "run.py"),
            "--size",
            "tiny",
            "--repeats",
            "1",
            "--out",
            str(out),
            "--only",
            "decks",
        ],
        env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert out.read_text().count("## Size `tiny`") == 1
