"""A tab of `quiz serve`: the class password before anything else, then who is answering (with
that learner's PIN when one is set), then the home screen.

`quiz serve` marks the tabs' processes through the environment (textual-serve hands its own
environment to each tab's process): QUIZ_SERVED=1, and QUIZ_SERVE_GATE, the scrypt hash of the
class password (never the password). A served tab is a learner: `app.served` tells screens to
keep learner management and other learners' results out of reach.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from quiz.store.pins import check_pin, check_secret, pin_hash

SERVED_ENV = "QUIZ_SERVED"
GATE_ENV = "QUIZ_SERVE_GATE"
TRIES = 5  # wrong passwords before the tab closes


def served() -> bool:
    return os.environ.get(SERVED_ENV) == "1"


class PasswordScreen(Screen[None]):
    """Asked for first in every served tab; nothing else is drawn until it is right."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Quit")]

    def __init__(self, stored: str, then: Callable[[], None]):
        super().__init__()
        self.stored = stored
        self.then = then
        self.tries = 0
        self.passed = False

    def on_mount(self) -> None:
        # Textual focuses a screen's first input only while the app has focus, and a served
        # tab starts blurred (textual-serve's driver says so before any key): without this
        # the password a learner types straight away goes nowhere until they click the box.
        self.query_one("#gate-in", Input).focus()

    def on_screen_resume(self) -> None:
        if self.passed:  # the app's first screen closed over it: the tab is done
            self.app.exit()

    def compose(self) -> ComposeResult:
        with Vertical(id="gate", classes="dialog"):
            yield Static("quiz · class password", classes="dialog-title")
            yield Input(password=True, placeholder="the password your teacher gave", id="gate-in")
            yield Static(id="gate-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if check_secret(event.value, self.stored):
            self.passed = True
            self.then()
            return
        self.tries += 1
        event.input.value = ""
        if self.tries >= TRIES:
            self.app.exit()
            return
        self.query_one("#gate-error", Static).update(Content("Wrong password; try again."))


class PinScreen(ModalScreen[bool]):
    """A learner's PIN before switching to them; dismisses True when it is right."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, learner_id: int, name: str):
        super().__init__()
        self.learner_id = learner_id
        self.name_shown = name
        self.tries = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="pin", classes="dialog"):
            yield Static(Content.assemble("PIN for ", (self.name_shown, "bold")))
            yield Input(password=True, max_length=20, id="pin-in")
            yield Static(id="pin-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if check_pin(self.app.store, self.learner_id, event.value):
            self.dismiss(True)
            return
        self.tries += 1
        event.input.value = ""
        if self.tries >= TRIES:
            self.dismiss(False)
            return
        self.query_one("#pin-error", Static).update(Content("Wrong PIN."))

    def action_cancel(self) -> None:
        self.dismiss(False)


def needs_pin(app, name: str) -> int | None:
    """In a served tab, the id of learner `name` if switching to them needs their PIN."""
    if not getattr(app, "served", False):
        return None
    learner = app.store.learner(name, create=False)
    if learner is None or pin_hash(app.store, learner.id) is None:
        return None
    return learner.id


def first_screen(app, make: Callable[[], Screen]) -> Screen:
    """The tab's first screen: the password when there is one, then the app as usual."""
    stored = os.environ.get(GATE_ENV)
    if not stored:
        return make()
    return PasswordScreen(stored, lambda: app.push_screen(make()))
