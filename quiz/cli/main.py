"""The `quiz` command: a click group whose subcommands live one per module in this package."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option

# Subcommands live in quiz/cli/<name>.py (each exposing `command`) and are imported only
# when used, so `quiz lint` or `quiz --help` never pay for Textual's import.
COMMANDS = {
    "study": "Study decks with spaced repetition (opens the study screen).",
    "drill": "Run a seeded classroom drill (or --present it on a projector).",
    "live": "Live classroom session: host it on a projector, or join it with a code.",
    "report": "Teacher report: per learner and per question, as a table, CSV or JSON.",
    "learners": "Create, list, rename and remove learners.",
    "cards": "Find cards and their state; suspend, unsuspend, unbury or reset them.",
    "merge": "Merge results from other quiz databases (lab machines) into this one.",
    "serve": "Serve the app to browsers on this machine (textual-serve).",
    "optimize": "Fit a learner's FSRS parameters to their review history.",
    "stats": "Study statistics: reviews per day, forecast, retention, time spent.",
    "export": "Export decks (Anki .apkg, CSV) or a learner's review log.",
    "import": "Import a two-column CSV/TSV (Quizlet, Anki text) as a YAML deck.",
    "doctor": "Check the database: integrity, orphans, schema version, sizes.",
    "backup": "Copy the database safely while it is in use (SQLite backup API).",
    "articles": "Your own articles: add (txt, md, html), list, show, remove.",
    "coverage": "Which paragraphs of each article the decks teach, and by which cards.",
    "author": "Write cards from an article in the authoring screen.",
    "lint": "Check deck files (default: the bundled decks) like a...",
}
# A command whose name is a Python keyword lives under another module name.
MODULES = {"import": "import_"}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        have = [n for n in COMMANDS if _command_module(n) is not None]
        return sorted([*super().list_commands(ctx), *have])

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name)
        if found is not None or name not in COMMANDS:
            return found
        if _command_module(name) is None:
            return None
        return importlib.import_module(_module_name(name)).command

    def format_commands(self, ctx, formatter):
        # Short help from COMMANDS, so `quiz --help` imports no subcommand module.
        rows = [
            (n, COMMANDS.get(n) or self.get_command(ctx, n).get_short_help_str(60))
            for n in self.list_commands(ctx)
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_name(name: str) -> str:
    return f"quiz.cli.{MODULES.get(name, name)}"


def _command_module(name: str):
    return importlib.util.find_spec(_module_name(name))


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@library_option
@click.option("--learner", help="Learner name (default: the last one used, or your login name).")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, learner: str | None):
    """quiz: study decks written from source articles, with spaced repetition.

    With no command, opens the home screen on the bundled decks."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["learner"] = learner
    if ctx.invoked_subcommand is None:
        from quiz.cli.launch import run_home

        run_home(db, learner)


def main():
    from quiz.store.errors import StoreError  # light: no sqlite-utils, no Textual

    try:
        cli(obj={})
    except KeyboardInterrupt:
        sys.exit(130)
    except StoreError as e:
        # A store problem found mid-command (read-only file, full disk): one line, no traceback.
        fail(str(e), 2)


if __name__ == "__main__":
    main()
