"""Progress for long imports and exports: a bar on stderr, only when stderr is a terminal and
the work has already taken more than a second (short jobs stay silent, pipes stay clean)."""

from __future__ import annotations

import sys
import time

import click

DELAY_S = 1.0


class Progress:
    def __init__(
        self, total: int, label: str, *, enabled: bool | None = None, delay: float = DELAY_S
    ):
        self.total = max(0, total)
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.delay = delay
        self.started = time.monotonic()
        self.done = 0
        self._bar = None

    def __enter__(self) -> Progress:
        return self

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is None:
            if not self.enabled or time.monotonic() - self.started < self.delay:
                return
            self._bar = click.progressbar(length=self.total or 1, label=self.label, file=sys.stderr)
            self._bar.__enter__()
            self._bar.update(self.done)
            return
        self._bar.update(n)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
            self._bar = None
