"""Editing a card from the browser: in the authoring form when the card quotes an article of
the library (the form re-checks and saves it as `quiz lint` would), else in $EDITOR at the
card's line (the line `quiz lint` reports for it). Afterwards the deck file is read and synced
again, so the browser and the study screen see the card as it is now."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from quiz.content.deck import Card, Deck, DeckFileError, read_deck_file
from quiz.content.deck_sync import sync_decks


def edit_card(screen: Screen, deck: Deck, card_id: str, done: Callable[[Deck | None], None]):
    """Open the card for editing; `done` gets the re-read deck (None: nothing to reload)."""
    app = screen.app
    if getattr(app, "served", False):
        # A tab of `quiz serve` is a learner in a browser: the deck files are the class's.
        screen.notify("Cards are edited on the teacher's machine, not in a served tab.")
        return
    path = Path(deck.path) if deck.path else None
    if path is None or not path.is_file():
        screen.notify("This deck has no file to edit (it was imported).", severity="warning")
        return
    try:
        parsed = read_deck_file(path, app.library).deck
    except DeckFileError:
        parsed = None  # the editor shows the file as it is; reload() says what is wrong
    card = next((c for c in parsed.cards if c.id == card_id), None) if parsed else None
    article = _article(app, card)
    if card is not None and article is not None:
        from quiz.tui.screens.author import AuthorScreen

        app.push_screen(
            AuthorScreen(article, path, edit_card=card_id), lambda _r: done(reload(screen, path))
        )
        return
    line = card.line if card is not None and card.line else 1
    if open_in_editor(screen, path, line):
        done(reload(screen, path))


def _article(app, card: Card | None):
    source = card.source if card else None
    if source is None or not source.article or not source.quote:
        return None
    article = app.library.get(source.article)
    # The form selects the quote in the text: it must be found there to be kept.
    return article if article and app.library.locate(article.id, source.quote) else None


def editor_command(path: Path, line: int) -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    # `+LINE FILE` is understood by vi, vim, nano, emacs, micro and kakoune.
    return [*shlex.split(editor), f"+{line}", str(path)]


def open_in_editor(screen: Screen, path: Path, line: int) -> bool:
    """Run the editor with the app suspended; False (and a notice) if it could not run."""
    from textual.app import SuspendNotSupported

    command = editor_command(path, line)
    try:
        with screen.app.suspend():
            subprocess.run(command, check=False)
    except SuspendNotSupported:
        screen.notify(f"Edit the card in {path}:{line}", markup=False)
        return False
    except OSError as e:
        screen.notify(
            f"Could not run the editor {command[0]!r}: {e.strerror or e}. Set $EDITOR.",
            severity="error",
            markup=False,
        )
        return False
    return True


def reload(screen: Screen, path: Path) -> Deck | None:
    """The deck file read again and synced into the store; None (with the problem shown) if it
    no longer loads."""
    app = screen.app
    try:
        result = read_deck_file(path, app.library)
    except DeckFileError as e:
        screen.notify(str(e), title="Not reloaded", severity="error", markup=False)
        return None
    if result.deck is None or result.errors:
        problems = result.errors
        screen.notify(
            str(problems[0]) if problems else f"{path}: could not be read",
            title="Not reloaded",
            severity="error",
            markup=False,
        )
        return None
    deck = result.deck
    sync_decks(app.store, [deck])
    app.decks = [deck if d.id == deck.id else d for d in app.decks]
    return deck
