"""Screens that may be the app's first screen (`quiz drill`, `quiz report --tui`) as well as
pushed from home: loading their CSS, and closing them, work either way through these."""

from __future__ import annotations

from textual.screen import Screen


def ensure_css(screen: Screen) -> None:
    """Textual loads a screen's CSS_PATH when the screen is pushed, but not when it is the
    app's first screen (QuizApp's start_screen_factory, as `quiz drill` uses): load it then."""
    app = screen.app
    missing = [p for p in screen.css_path if not app.stylesheet.has_source(str(p), "")]
    for path in missing:
        app.stylesheet.read(path)
    if missing:
        app.refresh_css(animate=False)


def close(screen: Screen, result=None) -> None:
    """Back to the screen below, or quit when this is the first screen (`quiz drill`)."""
    if len(screen.app.screen_stack) > 1:
        screen.dismiss(result)
    else:
        screen.app.exit(result)
