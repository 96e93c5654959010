"""Run this checkout's Python as `nobody`, wherever the checkout is.

Root ignores file permissions, so a permission test runs its subprocess as `nobody`. That user
cannot read a checkout in a folder only its owner can enter (`mktemp -d` makes one, mode 700),
nor a venv inside such a checkout. So it gets a world-readable copy of what it needs, made once
per test process: the whole `quiz` package as it is imported here (copied as a tree, whatever its
modules), the bundled decks and seeds that sit beside it in a checkout, and any site-packages
folder it could not reach. A probe then runs `python -m quiz --help` as `nobody` from that copy;
when even that fails (no setpriv, or an interpreter `nobody` cannot run), the test is skipped
with the reason.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import site
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

NOBODY = 65534

_PROBE = """
import sys, runpy
import quiz
want, lib = tuple(map(int, sys.argv[1].split("."))), sys.argv[2]
assert sys.version_info[:2] == want, f"it runs Python {sys.version.split()[0]}, not {sys.argv[1]}"
assert quiz.__file__.startswith(lib), f"quiz comes from {quiz.__file__}, not the copy in {lib}"
sys.argv = ["quiz", "--help"]
runpy.run_module("quiz", run_name="__main__")
"""


def others_can_reach(path: Path) -> bool:
    """Whether a user who is neither owner nor group can enter every folder down to `path`
    and read it (mode bits only: root's os.access always says yes)."""
    path = path.resolve()
    if not all(os.stat(p).st_mode & stat.S_IXOTH for p in path.parents):
        return False
    mode = os.stat(path).st_mode
    return bool(mode & stat.S_IROTH) and (not stat.S_ISDIR(mode) or bool(mode & stat.S_IXOTH))


def readable_copy(src: Path, dst: Path) -> None:
    """Copy a tree so that anyone can read it: folders 755, files 644 (755 if executable)."""
    shutil.copytree(
        src, dst, ignore_dangling_symlinks=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    for folder, _dirs, files in os.walk(dst):
        os.chmod(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644)


@functools.cache
def _setup() -> tuple[list[str], dict[str, str]] | str:
    """(command prefix, environment to add), or why this machine cannot run as `nobody`."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return "running as root without setpriv: cannot drop privileges for a permission test"
    import quiz

    base = Path(tempfile.mkdtemp(prefix="quiz-nobody-", dir="/tmp"))
    atexit.register(shutil.rmtree, base, True)
    base.chmod(0o755)
    package = Path(quiz.__file__).resolve().parent
    lib = base / "lib"
    readable_copy(package, lib / package.name)
    for name in ("decks", "seeds"):  # a checkout's bundled content (a wheel has it inside)
        if (package.parent / name).is_dir():
            readable_copy(package.parent / name, lib / name)
    path = [str(lib)]
    for n, folder in enumerate(map(Path, site.getsitepackages())):
        if folder.is_dir() and not others_can_reach(folder):
            readable_copy(folder, base / f"site-{n}")
            path.append(str(base / f"site-{n}"))
    env = {
        "PYTHONPATH": os.pathsep.join(path),
        "PYTHONNOUSERSITE": "1",
        "PYTHONSAFEPATH": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable]
    version = "{}.{}".format(*sys.version_info[:2])
    probe = subprocess.run(
        [*prefix, "-c", _PROBE, version, str(lib)],
        env={**os.environ, **env},
        cwd=base,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if probe.returncode != 0:
        said = (probe.stderr.strip().splitlines() or [f"exit status {probe.returncode}"])[-1]
        return f"`nobody` cannot run quiz with {sys.executable} (from a readable copy): {said}"
    return prefix, env


def python_as_nobody() -> tuple[list[str], dict[str, str]]:
    """The command prefix (`setpriv ... python`) and the environment to add to run this
    checkout's quiz as `nobody`; skips the calling test when this machine cannot."""
    setup = _setup()
    if isinstance(setup, str):
        pytest.skip(setup)
    return setup
