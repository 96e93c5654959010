"""The deck cache's writes wait until the app's first screen is drawn (quiz.cli.launch), and are
never lost: the jobs run once the first frame is up, or when the app ends."""

from __future__ import annotations

import shutil

from tui_support import make_app

from quiz.cli import launch
from quiz.content.catalog import load_catalog
from quiz.content.deck_cache import DeckCache
from quiz.content.deck_sync import sync_decks
from quiz.content.library import current_library
from quiz.paths import decks_dir
from quiz.store.connection import Store


def test_cache_writes_wait_in_the_list_until_run(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "decks"
    shutil.copytree(decks_dir(), folder)
    store = Store(tmp_path / "quiz.db")
    jobs: list = []
    catalog = load_catalog([folder], cached=True, store=store, later=jobs)
    assert catalog.decks and jobs
    assert not (tmp_path / "cache").exists()  # nothing written yet
    launch.run_later(jobs)
    written = {p.suffix for p in (tmp_path / "cache" / "decks").iterdir()}
    assert jobs == [] and written == {".json", ".cards", ".text", ".index"}
    # The next start finds every file unchanged without reading it (the stat index).
    sync_decks(store, catalog.decks)
    cache = DeckCache(current_library(), store=store)
    for path in sorted(folder.glob("*.yaml")):
        cache.read(path)
    assert (cache.stored, cache.misses, cache._stat_dirty) == (len(catalog.decks), 0, False)
    store.close()


async def test_the_app_runs_the_job_once_after_its_first_frame(store, learner, catalog):
    ran = []
    app = make_app(store, learner, catalog.decks, after_first_frame=lambda: ran.append(1))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert ran == [1]
        await pilot.press("enter")
        await pilot.pause()
    assert ran == [1]


def test_launch_runs_what_is_left_when_the_app_ends(tmp_path, monkeypatch):
    """Even when the app never drew a frame (here: its run() does nothing), the cache is
    written before quiz exits."""
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    import quiz.tui.app

    monkeypatch.setattr(quiz.tui.app.QuizApp, "run", lambda self: None)
    launch.run(tmp_path / "quiz.db", "ann", start="study")
    assert list((tmp_path / "cache" / "decks").glob("*.cards"))
