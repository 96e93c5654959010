"""The end of a study session: how it went and what comes next."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from quiz.tui.model import Tally, elapsed_text


def summary_content(tally: Tally, due_tomorrow: int | None, *, standalone: bool) -> Content:
    """`due_tomorrow` None: a custom (cram) session, which moves no card's schedule."""
    if tally.cards == 0 and due_tomorrow is None:
        head = Content.styled("Nothing to study", "bold")
        body = [Content("No cards in this custom study.")]
    elif tally.cards == 0:
        head = Content.styled("Nothing to study right now", "bold")
        body = [Content("No cards are due in these decks, and today's new cards are done.")]
    else:
        head = Content.styled("Session complete", "bold $text-success")
        if tally.accuracy is None:
            accuracy = "no objective cards"
        else:
            accuracy = f"{tally.right} of {tally.objective} right ({tally.accuracy:.0%})"
        body = [
            Content.assemble(("Cards     ", "dim"), str(tally.cards)),
            Content.assemble(("Accuracy  ", "dim"), accuracy),
            Content.assemble(("Time      ", "dim"), elapsed_text(tally.ms)),
        ]
    if due_tomorrow is None:
        body.append(
            Content.assemble(("Schedule  ", "dim"), "untouched: custom study moves no card")
        )
    else:
        body.append(Content.assemble(("Tomorrow  ", "dim"), f"{due_tomorrow} cards come due"))
    keys = Content.assemble(
        ("h", "bold reverse"),
        " home   ",
        ("q", "bold reverse"),
        " quit" if standalone else " back",
        "   ",
        ("u", "bold reverse"),
        " undo the last answer",
    )
    return Content("\n").join([head, Content(""), *body, Content(""), keys])


class SessionSummary(Static):
    pass
