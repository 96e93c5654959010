"""Textual's Footer, updated in place.

The stock Footer recomposes (unmounts and mounts every key) whenever the screen's bindings may
have changed, which Textual signals on every focus change too. On the study screen that was
five rebuilds per card, a third of the time from an answer to the next card (bench/RESULTS.md).

Here the footer works out what it would show; if nothing changed it does nothing. It keeps every
key it has shown so far (hidden when not wanted now), so the usual changes are made in place:
descriptions, actions and enabled states (Enter turning from "Reveal" into "Accept grade"), and
keys hidden or shown again (letters type into an answer box, so their keys leave the footer
while the box has focus). Only a key never shown before, or keys in another order, recompose.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual's own key widget: same look, same clicks

# (key, key display, description, action, enabled, tooltip, is the command palette key)
Shown = tuple[str, str, str, str, bool, str, bool]


def merged(roster: list[Shown], wanted: list[Shown]) -> list[Shown]:
    """`roster` with the wanted keys updated and new ones placed after their predecessor in
    `wanted`; just `wanted` if the two disagree on the order of keys they share."""
    have = [entry[0] for entry in roster]
    shared = [entry[0] for entry in wanted if entry[0] in have]
    if shared != [key for key in have if key in shared]:
        return list(wanted)
    out = list(roster)
    after = -1  # index in `out` of the last wanted key placed
    for entry in wanted:
        keys = [e[0] for e in out]
        if entry[0] in keys:
            after = keys.index(entry[0])
            out[after] = entry
        else:
            after += 1
            out.insert(after, entry)
    return out


def covers(keys: list[str], wanted: list[Shown]) -> bool:
    """Whether the wanted keys are all among `keys`, in the same order."""
    have = iter(keys)
    return all(any(key == entry[0] for key in have) for entry in wanted)


class KeyFooter(Footer):
    _shown: list[Shown] | None = None  # what the footer shows now
    _roster: tuple[Shown, ...] = ()  # every key it has shown, in order (hidden when not wanted)

    def wanted(self) -> list[Shown] | None:
        """What Footer.compose would show, or None when it would group keys (left to it)."""
        active = self.screen.active_bindings
        first_per_action: dict[str, Shown] = {}
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            first_per_action.setdefault(binding.action, (
                binding.key, self.app.get_key_display(binding), binding.description,
                binding.action, enabled, tooltip or "", False))
        shown = list(first_per_action.values())
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                shown.append((binding.key, self.app.get_key_display(binding), binding.description,
                              binding.action, enabled, binding.tooltip or binding.description,
                              True))
        return shown

    def compose(self) -> ComposeResult:
        wanted = self.wanted() if self._bindings_ready else None
        if wanted is None:
            yield from super().compose()
            return
        self._roster = tuple(merged(list(self._roster), wanted))
        now = {entry[0] for entry in wanted}
        for entry in self._roster:
            key, key_display, description, action, enabled, tooltip, palette = entry
            widget = FooterKey(key, key_display, description, action, disabled=not enabled,
                               tooltip=tooltip, classes="-command-palette" if palette else "")
            widget.display = key in now
            # As Footer.compose: the palette key keeps its own (compact) look.
            yield widget if palette else widget.data_bind(compact=Footer.compact)

    def on_mount(self) -> None:
        # Immediate, unlike Footer's subscription (which posts the update to this widget's
        # queue): the keys change in the same frame as the screen that changed them, not in a
        # second layout pass a frame later (3-4 ms after every answer and every reveal,
        # bench/RESULTS.md). Footer.on_mount still subscribes `bindings_changed`, made a no-op.
        self.screen.bindings_updated_signal.subscribe(self, self.update_keys, immediate=True)

    def bindings_changed(self, screen) -> None:
        pass

    def update_keys(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        wanted = self.wanted()
        if wanted is not None and wanted == self._shown:
            return
        keys = list(self.query_children(FooterKey))
        if wanted is not None and self._shown is not None and covers([k.key for k in keys], wanted):
            entries = {entry[0]: entry for entry in wanted}
            for widget in keys:
                entry = entries.get(widget.key)
                if entry is not None:
                    self._update_key(widget, entry)
                widget.display = entry is not None
        else:  # in this widget's own context (compose binds to it), not the caller's
            self.call_later(self.recompose)
        self._shown = wanted

    @staticmethod
    def _update_key(widget: FooterKey, entry: Shown) -> None:
        _key, key_display, description, action, enabled, tooltip, _palette = entry
        if (widget.description, widget.action, widget._disabled) == (description, action, not enabled):
            return
        widget.key_display = key_display
        widget.description = description
        widget.action = action
        widget._disabled = not enabled
        widget.set_class(not enabled, "-disabled")
        widget.tooltip = tooltip or None
        widget.refresh(layout=True)
