"""The deck cache's writes wait until the app's first screen is drawn (quiz.cli.launch), and are
never lost: the jobs run once the first frame is up, or when the app ends."""

from __future__ import annotations

import shutil

from tui_support import make_app

from quiz.cli import launch
from quiz.content.catalog import load_catalog
from quiz.content.deck_cache import DeckCache
from quiz.content.deck_sync import choose_decks, sync_decks
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
    written before quiz exits (here the stat index: the bundled decks come parsed with the
    package, so they leave no entry of their own)."""
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    import quiz.tui.app

    monkeypatch.setattr(quiz.tui.app.QuizApp, "run", lambda self: None)
    launch.run(tmp_path / "quiz.db", "ann", start="study")
    assert (tmp_path / "cache" / "decks" / "files.index").is_file()


def passages(store: Store):
    return store.conn.execute(
        'SELECT deck_id, card_id, article, start, "end" FROM card_passages ORDER BY 1, 2'
    ).fetchall()


def test_passages_of_a_first_sync_come_with_the_job_and_then_the_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    reference = Store(tmp_path / "ref.db")
    sync_decks(reference, load_catalog().decks)
    store = Store(tmp_path / "quiz.db")
    jobs: list = []
    decks = choose_decks(store, (), jobs)
    assert store.scalar("SELECT count(*) FROM cards") == sum(len(d.cards) for d in decks)
    assert passages(store) == [] and set(store.deck_hashes().values()) == {""}
    launch.run_later(jobs)
    assert passages(store) == passages(reference) != []
    assert store.deck_hashes() == reference.deck_hashes()
    store.close()
    reference.close()


def test_a_quiz_stopped_before_the_job_syncs_the_decks_again(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    reference = Store(tmp_path / "ref.db")
    sync_decks(reference, load_catalog().decks)
    store = Store(tmp_path / "quiz.db")
    choose_decks(store, (), [])  # the jobs never run
    store.close()
    store = Store(tmp_path / "quiz.db")
    jobs: list = []
    choose_decks(store, (), jobs)
    launch.run_later(jobs)
    assert passages(store) == passages(reference)
    assert store.deck_hashes() == reference.deck_hashes()
    store.close()
    reference.close()


def test_a_full_sync_in_between_wins_over_the_late_job(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_CACHE_DIR", str(tmp_path / "cache"))
    store = Store(tmp_path / "quiz.db")
    jobs: list = []
    decks = choose_decks(store, (), jobs)
    other = Store(tmp_path / "quiz.db")  # another quiz on the same file syncs in full
    sync_decks(other, decks)
    synced = passages(other)
    other.close()
    assert not store.finish_deck_sync(decks[0].id, decks[0].content_hash, [])
    launch.run_later(jobs)
    assert passages(store) == synced
    store.close()


def test_a_late_job_the_store_refuses_is_dropped_and_the_rest_still_run():
    # A deferred write refused by the store (locked by another process, disk full) must not
    # take down a session that has started; the next start redoes what it would have done.
    from quiz.store.errors import StoreError

    ran = []

    def refused():
        raise StoreError("database is locked by another process")

    jobs = [refused, lambda: ran.append("next")]
    launch.run_later(jobs)
    assert ran == ["next"] and jobs == []
