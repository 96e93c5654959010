"""What an app start imports: PyYAML only when a deck file needs it.

The bundled decks and seeds/articles.yaml are plain block YAML, which quiz.content.yamlfast
reads on its own, so neither a first start nor an unchanged one imports PyYAML (some 10 ms of
every start); a file the fast reader declines still goes to PyYAML and loads. Each start runs
in a fresh interpreter (quiz.cli.launch.run, with QuizApp.run replaced by a probe of
sys.modules at the moment the first screen would be drawn).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quiz.paths import decks_dir

WATCHED = ["yaml", "quiz.content.yaml_events", "quiz.content.deck_delta"]

PROBE = """
import json, sys
from pathlib import Path
import quiz.tui.app
from quiz.cli import launch

seen = {}
watched = %r

def probe(self):
    seen["first_frame"] = [m for m in watched if m in sys.modules]
    seen["decks"] = sorted(d.id for d in self.decks)

quiz.tui.app.QuizApp.run = probe
launch.run(Path(sys.argv[1]), "ann", start="study")
seen["after"] = [m for m in watched if m in sys.modules]
print(json.dumps(seen))
"""


def start(tmp_path: Path, db: Path, library: Path | None = None) -> dict:
    env = {
        **os.environ,
        "QUIZ_CACHE_DIR": str(tmp_path / "cache"),
        "QUIZ_LIBRARY": str(library or tmp_path / "no-library"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE % WATCHED, str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_first_and_unchanged_starts_do_not_import_pyyaml(tmp_path):
    db = tmp_path / "quiz.db"
    bundled = sorted(p.stem for p in decks_dir().glob("*.yaml"))
    first = start(tmp_path, db)
    assert len(first["decks"]) == len(bundled)
    # A first start parses every bundled deck, with the fast reader alone.
    assert "yaml" not in first["first_frame"] and "yaml" not in first["after"]
    unchanged = start(tmp_path, db)
    assert unchanged["decks"] == first["decks"]
    # Nothing parsed at all: no reader but the article index's, no re-read of an edit.
    assert unchanged["first_frame"] == [] and unchanged["after"] == []


def test_a_deck_outside_the_plain_subset_still_loads_through_pyyaml(tmp_path):
    library = tmp_path / "library"
    (library / "decks").mkdir(parents=True)
    text = (decks_dir() / "thorn-in-ties.yaml").read_text(encoding="utf-8")
    text = text.replace("id: thorn-in-ties", "id: thorn-again  # a comment: libyaml's part", 1)
    (library / "decks" / "again.yaml").write_text(text, encoding="utf-8")
    seen = start(tmp_path, tmp_path / "quiz.db", library)
    assert "thorn-again" in seen["decks"]
    assert "yaml" in seen["first_frame"]
