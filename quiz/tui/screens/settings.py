"""The current learner's study settings, each checked (quiz.study.learner_settings, as `quiz
learners set` checks them) and saved the moment it holds a valid value."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, Switch

from quiz.store.errors import StoreError
from quiz.study.learner_settings import SETTINGS, SettingError, parse, save
from quiz.tui.screens.first_screen import close, ensure_css
from quiz.tui.widgets.fast.key_footer import KeyFooter
from quiz.tui.widgets.fast.title_bar import TitleBar


def shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class SettingsScreen(Screen):
    CSS_PATH = "settings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "focus_next", "Next setting", key_display="Tab"),
        Binding("shift+tab", "focus_previous", "Previous setting", show=False),
        Binding("escape", "close", "Back", key_display="Esc"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="settings", classes="panel"):
            yield Static(id="settings-learner")
            for s in SETTINGS.values():
                with Horizontal(classes="setting"):
                    yield Label(s.label, classes="setting-label")
                    if s.kind == "bool":
                        yield Switch(id=f"set-{s.name}")
                    elif s.kind == "choice":
                        yield Select(
                            [(Content(c), c) for c in s.choices],
                            allow_blank=False,
                            id=f"set-{s.name}",
                        )
                    else:
                        yield Input(id=f"set-{s.name}", classes="setting-input")
                    hint = f"{s.low:g}–{s.high:g}" if s.kind in ("int", "float") else ""
                    if s.help:
                        hint = f"{hint} · {s.help}" if hint else s.help
                    yield Static(Content(hint), classes="setting-hint")
                yield Static(id=f"err-{s.name}", classes="setting-error")
            yield Static(id="settings-saved")
        yield KeyFooter()

    def on_mount(self) -> None:
        ensure_css(self)
        self.title = "quiz · Settings"
        learner = self.app.learner
        self.query_one("#settings-learner", Static).update(
            Content.assemble(("Settings of ", "dim"), (learner.name, "bold"))
        )
        with self.prevent(Input.Changed, Select.Changed, Switch.Changed):
            for s in SETTINGS.values():
                value = getattr(learner, s.name)
                widget = self.query_one(f"#set-{s.name}")
                if isinstance(widget, Input):
                    widget.value = shown(value)
                else:
                    widget.value = value
        self.query_one("#set-retention", Input).focus()

    @on(Input.Changed, ".setting-input")
    @on(Select.Changed)
    @on(Switch.Changed)
    def changed(self, event) -> None:
        widget = event.control
        name = (widget.id or "").removeprefix("set-")
        if name in SETTINGS:
            self.change(name, widget.value)

    def change(self, name: str, value) -> None:
        error = self.query_one(f"#err-{name}", Static)
        saved = self.query_one("#settings-saved", Static)
        try:
            parsed = parse(name, value)
            if parsed == getattr(self.app.learner, name):
                error.update(Content(""))
                return
            self.app.learner = save(self.app.store, self.app.learner, name, parsed)
        except SettingError as e:
            error.update(Content.styled(f"{e}: not saved", "$text-error"))
            saved.update(Content(""))
            return
        except StoreError as e:
            error.update(Content.styled(f"{e}: not saved", "$text-error"))
            return
        error.update(Content(""))
        label = SETTINGS[name].label
        shown_value = ("on" if parsed else "off") if isinstance(parsed, bool) else shown(parsed)
        saved.update(Content.styled(f"Saved: {label.lower()} {shown_value}", "$text-success"))

    def action_close(self) -> None:
        close(self)
