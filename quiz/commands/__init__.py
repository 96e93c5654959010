"""Subcommands of `quiz`, one module each, imported lazily by quiz.cli."""
