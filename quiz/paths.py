"""Where bundled content and the default store live."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # An installed wheel carries the content inside the package; a checkout (or an editable
    # install) has it at the top of the repository, one level above the package.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def decks_dir() -> Path:
    return _bundled("decks")


def seeds_dir() -> Path:
    return _bundled("seeds")


def library_dir() -> Path:
    """The user's own articles and decks (`--library DIR` sets QUIZ_LIBRARY for the run)."""
    env = os.environ.get("QUIZ_LIBRARY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("quiz", appauthor=False)) / "library"


def default_db_path() -> Path:
    env = os.environ.get("QUIZ_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("quiz", appauthor=False)) / "quiz.db"
