"""The core is Textual-free (harlequin's contract): only quiz/tui/ may import textual.

Each check runs in a fresh interpreter, so nothing another test imported can hide a leak.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quiz"


def core_modules() -> list[str]:
    """Every module of the package outside quiz/tui/ that exists today."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[1:2] == ("tui",) or parts[-1] == "__main__":
            continue
        found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(found)


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_core_modules_do_not_import_textual():
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name + ' imported textual'\n"
        "print('ok')\n"
    )
    proc = run(code)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


@pytest.mark.parametrize("args", [["lint"], ["--help"], ["lint", "--help"]])
def test_cli_paths_do_not_import_textual(args):
    code = (
        "import sys\n"
        "from quiz.cli.main import cli\n"
        "try:\n"
        f"    cli({args!r}, obj={{}})\n"
        "except SystemExit as e:\n"
        "    code = e.code or 0\n"
        "else:\n"
        "    code = 0\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "print('ok', file=sys.stderr)\n"
    )
    proc = run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().endswith("ok")


@pytest.mark.parametrize("name", ["doctor", "backup"])
def test_reliability_commands_do_not_import_textual(name, tmp_path):
    db = tmp_path / "q.db"
    code = (
        "import sys\n"
        "from quiz.cli.main import cli\n"
        "try:\n"
        f"    cli([{name!r}, '--db', {str(db)!r}], obj={{}})\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "print('ok', file=sys.stderr)\n"
    )
    proc = run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().endswith("ok")


def test_the_study_path_does_not_import_sqlite_utils(tmp_path):
    """Opening a store, loading unchanged decks, studying and answering use the connection
    directly: sqlite-utils' import was a tenth of `quiz study`'s start-up (bench/RESULTS.md).
    Everything else (reports, stats, merge) still goes through it, imported on first use."""
    from quiz.store.connection import Store

    db = tmp_path / "s.db"
    Store(db).close()  # made (and migrated, which uses sqlite-utils) beforehand
    code = (
        "import sys\n"
        "from quiz.cli.launch import load_decks, resolve_learner\n"
        "from quiz.study.session import StudySession\n"
        "from quiz.store.connection import Store\n"
        f"store = Store({str(db)!r})\n"
        "decks = load_decks(store)\n"
        "learner = resolve_learner(store, 'ann')\n"
        "session = StudySession(store, learner, decks)\n"
        "item = session.next_item()\n"
        "session.answer(item, session.previews(item)[3], given='x', correct=True, duration_ms=5)\n"
        "assert session.remaining() >= 0\n"
        "assert store.scalar('SELECT count(*) FROM reviews') == 1\n"
        "assert 'sqlite_utils' not in sys.modules, 'the study path imported sqlite_utils'\n"
        "store.db.execute('SELECT 1')  # and it is there when asked for\n"
        "assert 'sqlite_utils' in sys.modules\n"
        "print('ok')\n"
    )
    done = run(code)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
