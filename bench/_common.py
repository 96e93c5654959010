"""What the benchmark sizes are and where their generated data lives (shared by generate/run)."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Generated collections (git-ignored); BENCH_DATA moves them (the smoke test uses a tmp dir).
DATA = Path(os.environ.get("BENCH_DATA") or BENCH / "data")

# The checkout's quiz package, even when bench/ is run from elsewhere without an install.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEAVY = "bench"  # the learner with years of history and a big backlog of due cards


@dataclass(frozen=True)
class Size:
    name: str
    cards: int  # cards over all generated decks
    decks: int
    reviews: int  # study + drill review rows
    years: float  # history spread over this many years, ending now
    learners: int
    drills: int
    drill_questions: int
    lint_cards: int  # the single big deck file timed by `quiz lint` and sync
    repeats: int  # how many times each measurement runs
    answers: int  # answer -> next card samples

    def params(self) -> dict:
        return asdict(self)


SIZES = {
    # For the smoke test: everything runs, nothing is big.
    "tiny": Size(
        "tiny",
        cards=300,
        decks=3,
        reviews=3_000,
        years=1,
        learners=3,
        drills=3,
        drill_questions=10,
        lint_cards=500,
        repeats=2,
        answers=10,
    ),
    "small": Size(
        "small",
        cards=1_000,
        decks=4,
        reviews=10_000,
        years=3,
        learners=5,
        drills=10,
        drill_questions=20,
        lint_cards=10_000,
        repeats=3,
        answers=40,
    ),
    "large": Size(
        "large",
        cards=100_000,
        decks=10,
        reviews=1_000_000,
        years=3,
        learners=40,
        drills=200,
        drill_questions=20,
        lint_cards=10_000,
        repeats=5,
        answers=200,
    ),
}


def size_dir(size: str | Size) -> Path:
    name = size if isinstance(size, str) else size.name
    return DATA / name


def decks_dir(size: str | Size) -> Path:
    return size_dir(size) / "decks"


def db_path(size: str | Size) -> Path:
    return size_dir(size) / "quiz.db"


def lint_file(size: str | Size) -> Path:
    return size_dir(size) / "lint" / "bench-lint.yaml"


def manifest_path(size: str | Size) -> Path:
    return size_dir(size) / "manifest.json"
