"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static


def binding_rows(app: App, *nodes: DOMNode) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) for each described binding of the nodes.

    Bindings of one action with different parameters share a row ("1 2 3 4  Again / Hard /
    Good / Easy"). Where one key has several bindings (Enter: reveal, then accept), only those
    enabled right now are listed."""
    rows: dict[tuple[int, str], dict] = {}
    for n, node in enumerate(nodes):
        bindings = list(Binding.make_bindings(getattr(node, "BINDINGS", [])))
        per_key: dict[str, int] = {}
        for b in bindings:
            per_key[b.key] = per_key.get(b.key, 0) + 1
        for binding in bindings:
            if not binding.description or binding.system:
                continue
            if per_key[binding.key] > 1 and not _enabled(node, binding):
                continue
            name = binding.action.partition("(")[0]
            group = (n, name if "(" in binding.action else binding.action + binding.description)
            row = rows.setdefault(group, {"keys": [], "descriptions": [], "tip": binding.tooltip})
            key = binding.key_display or app.get_key_display(binding)
            if key not in row["keys"]:
                row["keys"].append(key)
            if binding.description not in row["descriptions"]:
                row["descriptions"].append(binding.description)
    out = []
    for row in rows.values():
        separator = " " if len(row["keys"]) > 2 else " / "
        description = " / ".join(row["descriptions"])
        tip = row["tip"]
        if len(row["descriptions"]) > 1:
            # "Choice a / Choice b / ...": a long list is better said by the tooltip
            description, tip = (tip, "") if len(description) > 30 and tip else (description, "")
        out.append((separator.join(row["keys"]), description, tip))
    return out


def _enabled(node: DOMNode, binding: Binding) -> bool:
    name, _, _ = binding.action.partition("(")
    try:
        return node.check_action(name, ()) is not False
    except Exception:  # a check that needs parameters: keep the row
        return True


def help_content(rows: list[tuple[str, str, str]]) -> Content:
    width = max((len(k) for k, _, _ in rows), default=0)
    lines = [
        Content.assemble(
            (f"{keys:>{width}}", "bold $text-accent"),
            "   ",
            description,
            (f"  {tip}" if tip else "", "dim"),
        )
        for keys, description, tip in rows
    ]
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", key_display="Esc"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]):
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content(f"Keys on {self.title_text}"), classes="dialog-title")
            yield Static(help_content(self.rows), id="help-keys")
            yield Static("Esc, q or ? closes this.", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
