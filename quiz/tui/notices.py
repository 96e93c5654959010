"""Notices several screens give the same way."""

from __future__ import annotations

from textual.widget import Widget

from quiz.study.limits import leech_notice


def notify_leech(widget: Widget, learner) -> None:
    """The leech notice, by the learner's rule as stored now (study and drill answers both
    apply it). Not markup: nothing in it is the app's to style."""
    widget.notify(leech_notice(learner), title="Leech", severity="warning", timeout=8, markup=False)
