"""The core is Textual-free (harlequin's contract): only quiz/tui/ may import textual.

Each check runs in a fresh interpreter, so nothing another test imported can hide a leak.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quiz"
CORE = ["quiz.deck", "quiz.store", "quiz.scheduler", "quiz.grading", "quiz.articles",
        "quiz.catalog", "quiz.cli"]


def core_modules() -> list[str]:
    """Every quiz/*.py and quiz/commands/*.py that exists today (others add modules later)."""
    found = {f"quiz.{p.stem}" for p in PACKAGE.glob("*.py")
             if p.stem not in ("__init__", "__main__")}
    found |= {f"quiz.commands.{p.stem}" for p in (PACKAGE / "commands").glob("*.py")
              if p.stem != "__init__"}
    return sorted(set(CORE) | found)


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
        "from quiz.cli import cli\n"
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
        "from quiz.cli import cli\n"
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
