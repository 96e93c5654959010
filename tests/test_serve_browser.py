"""`quiz serve` in a real browser: headless Chromium (Debian's package) opens the page, the app
runs in the tab, an answer typed there is a row in the store, the class password comes first
off loopback, and the page asks nothing of any other host. Skipped where Chromium is missing
(.ci/run installs it)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path

import pytest
from cdp_browser import CHROMIUM, Browser, free_port, serve

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is missing")


def rows(db: Path, sql: str) -> list[tuple]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error:  # not made yet, or being made
        return []
    finally:
        conn.close()


async def until(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await asyncio.sleep(0.2)
    return check()


REVIEWS = "SELECT l.name, r.mode, r.rating FROM reviews r JOIN learners l ON l.id = r.learner_id"


async def answer_first_card(browser: Browser) -> None:
    """From the home screen: study, show the answer, grade it Again."""
    await browser.type("s")
    await asyncio.sleep(1.5)
    await browser.press("Enter")
    await asyncio.sleep(1)
    await browser.type("1")


def test_an_answer_in_a_browser_tab_is_saved_and_nothing_outside_is_asked(tmp_path):
    db, port = tmp_path / "q.db", free_port()
    server = serve(db, port)

    async def session() -> list[str]:
        async with Browser() as browser:
            await browser.open(f"http://127.0.0.1:{port}/")
            # The tab is a guest learner until one is chosen; home is up once it exists.
            assert await until(lambda: rows(db, "SELECT 1 FROM learners WHERE name = 'guest'"))
            await asyncio.sleep(1)
            await answer_first_card(browser)
            saved = await until(lambda: rows(db, REVIEWS))
            if not saved:
                await browser.screenshot(tmp_path / "tab.png")
            assert saved == [("guest", "study", 1)], f"see {tmp_path / 'tab.png'}"
            return browser.requests

    try:
        requests = asyncio.run(session())
    finally:
        server.terminate()
        server.wait()
    ours = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    outside = [u for u in requests if not u.startswith(ours) and not u.startswith("data:")]
    assert requests and outside == []


def test_off_loopback_the_class_password_comes_before_anything(tmp_path):
    db, port = tmp_path / "q.db", free_port()
    env = {**os.environ, "QUIZ_SERVE_PASSWORD": "tulips-42"}
    server = serve(db, port, "--host", "0.0.0.0", env=env)

    async def session() -> None:
        async with Browser() as browser:
            await browser.open(f"http://127.0.0.1:{port}/")
            await asyncio.sleep(1.5)
            await browser.type("nope")
            await browser.press("Enter")
            await answer_first_card(browser)  # these keys reach only the password box
            await asyncio.sleep(2)
            assert rows(db, REVIEWS) == []
            await browser.press("Backspace")  # the "1" left in the box
            await browser.type("tulips-42")
            await browser.press("Enter")
            await asyncio.sleep(1.5)
            await answer_first_card(browser)
            saved = await until(lambda: rows(db, REVIEWS))
            if not saved:
                await browser.screenshot(tmp_path / "tab.png")
            assert saved == [("guest", "study", 1)], f"see {tmp_path / 'tab.png'}"

    try:
        asyncio.run(session())
    finally:
        server.terminate()
        server.wait()
