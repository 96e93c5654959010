"""A tab of `quiz serve`: the class password comes before the home screen, and switching to a
learner with a PIN asks for it."""

from __future__ import annotations

from tui_support import MCQ, make_app

from quiz.store.pins import hash_secret, set_pin
from quiz.tui.screens.home import HomeScreen
from quiz.tui.served import PasswordScreen, PinScreen


async def test_password_first_then_home(store, learner, make_deck, monkeypatch):
    monkeypatch.setenv("QUIZ_SERVED", "1")
    monkeypatch.setenv("QUIZ_SERVE_GATE", hash_secret("open sesame"))
    app = make_app(store, learner, [make_deck(MCQ)], start="home")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PasswordScreen)
        await pilot.press(*"wrong", "enter")
        assert isinstance(app.screen, PasswordScreen)
        await pilot.press(*"open sesame", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_switching_to_a_learner_with_a_pin_asks_for_it(
    store, learner, make_deck, monkeypatch
):
    monkeypatch.setenv("QUIZ_SERVED", "1")
    monkeypatch.delenv("QUIZ_SERVE_GATE", raising=False)
    zoe = store.learner("zoe")
    set_pin(store, zoe.id, "4321")
    app = make_app(store, learner, [make_deck(MCQ)], start="home")
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        home.chose_learner("zoe")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        await pilot.press(*"1111", "enter")
        await pilot.pause()
        assert app.learner.name == "ann"
        await pilot.press(*"4321", "enter")
        await pilot.pause()
        assert app.learner.name == "zoe" and isinstance(app.screen, HomeScreen)


async def test_not_served_no_pin_asked(store, learner, make_deck, monkeypatch):
    monkeypatch.delenv("QUIZ_SERVED", raising=False)
    set_pin(store, store.learner("zoe").id, "4321")
    app = make_app(store, learner, [make_deck(MCQ)], start="home")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.chose_learner("zoe")
        await pilot.pause()
        assert app.learner.name == "zoe"
