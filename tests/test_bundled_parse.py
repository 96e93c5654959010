"""The bundled decks' parse shipped with the package (quiz/content/bundled_decks.json): a
first-ever start reads it instead of parsing the seven bundled decks. It must be exactly what
parsing them gives now; when a bundled deck, an article or the parser changes, regenerate it:

    python tests/test_bundled_parse.py

(until then starts parse as before: the file names the fingerprints it was made from)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.content import deck_cache
from quiz.content.articles import bundled_library
from quiz.content.deck_cache import SHIPPED, DeckCache, shipped_parse
from quiz.content.deck_json import result_to_json


def render(library) -> str:
    return json.dumps(shipped_parse(library), ensure_ascii=False, indent=0) + "\n"


def test_the_shipped_parse_is_what_parsing_gives_now():
    assert SHIPPED.read_text(encoding="utf-8") == render(bundled_library()), (
        "quiz/content/bundled_decks.json is stale: run `python tests/test_bundled_parse.py`"
    )


def read_all(cache: DeckCache, folder: Path) -> list:
    return [result_to_json(cache.read(p)) for p in sorted(folder.glob("*.yaml"))]


def test_a_first_start_reads_the_bundled_decks_parsed(tmp_path, library):
    from quiz.paths import decks_dir

    cache = DeckCache(library, tmp_path / "cache")
    shipped = read_all(cache, decks_dir())
    assert (cache.shipped, cache.misses) == (len(shipped), 0)
    parsed = read_all(DeckCache(library, tmp_path / "other", use_json=False), decks_dir())
    assert shipped == parsed


def test_only_a_file_as_it_was_shipped_comes_from_it(tmp_path, monkeypatch, library):
    folder = tmp_path / "decks"
    shutil.copytree(Path(__file__).resolve().parents[1] / "decks", folder)
    edited = sorted(folder.glob("*.yaml"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace(f"id: {edited.stem}", f"id: {edited.stem}-2", 1))
    monkeypatch.setattr(deck_cache.paths, "decks_dir", lambda: folder)
    cache = DeckCache(library, tmp_path / "cache")
    results = read_all(cache, folder)
    assert (cache.shipped, cache.misses) == (len(results) - 1, 1)
    assert results[0]["deck"]["id"] == f"{edited.stem}-2"
    # Another folder with the same files: parsed (the shipped parse is the bundled folder's).
    cache = DeckCache(library, tmp_path / "cache2")
    read_all(cache, shutil.copytree(folder, tmp_path / "elsewhere"))
    assert cache.shipped == 0


def test_other_parser_code_is_never_served_the_shipped_parse(tmp_path, monkeypatch, library):
    from quiz.paths import decks_dir

    monkeypatch.setattr(deck_cache, "parser_fingerprint", lambda: "another parser")
    cache = DeckCache(library, tmp_path / "cache")
    read_all(cache, decks_dir())
    assert cache.shipped == 0 and cache.misses == len(list(decks_dir().glob("*.yaml")))


if __name__ == "__main__":
    SHIPPED.write_text(render(bundled_library()), encoding="utf-8")
    print(f"wrote {SHIPPED}")
