"""`quiz lint` on the bundled decks, and the bundled content travelling inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def bundled_files(folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ROOT / folder).iterdir()) if p.is_file()}


def test_bundled_decks_lint_clean():
    result = CliRunner().invoke(cli, ["lint", "--strict"], obj={})
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    decks = len(list((ROOT / "decks").glob("*.yaml")))
    assert result.stderr.startswith(f"{decks} decks, ")
    assert result.stderr.strip().endswith("no problems")


def test_bundled_decks_lint_clean_from_another_folder(tmp_path):
    exe = Path(sys.executable).with_name("quiz")
    proc = subprocess.run(
        [str(exe), "lint"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.strip().endswith("no problems")


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="no ../shared/seeds beside the checkout")
def test_seeds_are_byte_identical_to_the_shared_seeds():
    ours = bundled_files("seeds")
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.iterdir() if p.is_file()}
    assert shared, "shared seeds folder is empty"
    for name, data in shared.items():
        assert ours.get(name) == data, f"seeds/{name} differs from {SHARED_SEEDS / name}"
    # every article text we ship comes from the shared seeds (articles.yaml is ours)
    assert {n for n in ours if n.endswith(".txt")} == {n for n in shared if n.endswith(".txt")}


def build_wheel(out: Path) -> Path:
    try:
        import hatchling  # noqa: F401

        isolation = ["--no-build-isolation"]  # offline: use the hatchling we have
    except ImportError:
        isolation = []
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "-q",
            "-w",
            str(out),
            *isolation,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and not isolation and "hatchling" in proc.stderr:
        pytest.skip("cannot fetch hatchling to build the wheel (offline); pip install hatchling")
    assert proc.returncode == 0, proc.stderr
    wheels = list(out.glob("quiz-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_carries_decks_and_seeds_and_works_from_anywhere(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for folder in ("decks", "seeds"):
            files = bundled_files(folder)
            assert files
            for name, data in files.items():
                member = f"quiz/_bundled/{folder}/{name}"
                assert member in names, member
                assert z.read(member) == data, f"{member} differs from the checkout"
        assert "quiz/cli/main.py" in names and "quiz/tui/quiz.tcss" in names
        # an honest install without a network: unpack the wheel and run it from elsewhere
        site = tmp_path / "site"
        z.extractall(site)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import quiz, quiz.paths as p; print(quiz.__file__); print(p.decks_dir())",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, decks_dir = probe.stdout.splitlines()
    assert module_file.startswith(str(site)), "the unpacked wheel was not the quiz imported"
    assert decks_dir == str(site / "quiz" / "_bundled" / "decks")
    proc = subprocess.run(
        [sys.executable, "-m", "quiz", "lint"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    decks = len(bundled_files("decks"))
    assert proc.stderr.startswith(f"{decks} decks, ") and proc.stderr.strip().endswith(
        "no problems"
    )
