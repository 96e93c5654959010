"""Full garbage collections while the learner reads a card, not while the next one is drawn.

Python's cyclic collector walks every tracked object in a full (generation 2) pass. In the app
that pass took tens of milliseconds and fell on whichever answer happened to trigger it: the
slow tail of answer -> next card (bench/RESULTS.md). So, once the first screen is up:
- what start-up built and keeps for the whole run (Textual's CSS, the widgets, the decks) is
  frozen out of the collector (`gc.freeze`): it is never garbage, and no pass walks it again;
- young collections stay automatic (they take a fraction of a millisecond);
- middle (generation 1) passes, about a millisecond each, ran every tenth young pass, so inside
  one frame in five or so: they now run at the app's once-a-second tick, between frames,
  whether or not keys are coming. Should the ticks fall behind, Python runs one by itself
  after `MIDDLE_CEILING` young passes;
- full passes wait for a quiet moment, `QUIET` seconds after the last key or click. If none
  comes for a long time of steady work, a pass runs anyway once `CEILING` young passes have
  piled up, so memory held in cycles stays bounded as before.
- what a screen builds to keep while it is open (the card browser's rows: at 100,000 cards a
  full pass over them took 110 ms, bench/RESULTS.md "Card browser"; and each filter's
  matches, a list of up to 100,000 rows that made every young and middle pass it was in 4 ms
  longer) is frozen too (`freeze_now`), and given back when the screen closes (`thaw`): the
  next quiet full pass frees what is garbage by then and freezes the rest again. Freezing is
  O(1) and takes whatever is alive with it; what refcounting frees is still freed at once, so
  only garbage in cycles made while the screen is open waits for it to close.
On exit the collector is put back as it was (tests run many apps in one process).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET = 0.5  # seconds without input before a full pass may run
CHECK_EVERY = 1.0  # seconds between looks
DUE = 10  # generation-1 passes since the last full one: Python's own trigger for a full pass
CEILING = 100  # ... and the most that may pile up while input keeps coming
NEVER = 1_000_000_000  # a generation-2 threshold the interpreter never reaches
MIDDLE_CEILING = 100  # young passes before a generation-1 pass runs by itself


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.last_input = clock()
        self.saved: tuple[int, int, int] | None = None
        self.full_passes = 0
        self.refreeze = False  # thawed: freeze again after the next full pass

    def start(self) -> None:
        if self.saved is not None:
            return
        self.saved = gc.get_threshold()
        gc.freeze()
        young, _middle, _full = self.saved
        gc.set_threshold(young, MIDDLE_CEILING, NEVER)

    def stop(self) -> None:
        if self.saved is None:
            return
        gc.set_threshold(*self.saved)
        gc.unfreeze()  # back into the oldest generation, collectable again
        self.saved = None

    def freeze_now(self) -> None:
        """Freeze everything alive now out of later passes (call it right after building data
        meant to last, such as the browser's rows). Frozen objects are still freed as soon as
        nothing refers to them; only cycles wait for thaw() and the full pass after it."""
        if self.saved is not None:
            gc.freeze()

    def thaw(self) -> None:
        """What was frozen may be garbage now (the screen that built it closed): back into the
        collector, for the next quiet full pass to free, which then freezes what is left."""
        if self.saved is not None:
            gc.unfreeze()
            self.refreeze = True

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def quiet(self) -> bool:
        """No key or click for QUIET seconds: the learner is reading or thinking."""
        return self.clock() - self.last_input >= QUIET

    def tick(self) -> bool:
        """Run a full pass if one is due and the moment is quiet (or the backlog too long).
        Returns whether it ran."""
        if self.saved is None:
            return False
        if gc.get_count()[1] >= self.saved[1]:
            gc.collect(1)
        pending = gc.get_count()[2]  # generation-1 passes since the last full one
        if pending >= CEILING or ((pending >= DUE or self.refreeze) and self.quiet()):
            gc.collect()
            self.full_passes += 1
            if self.refreeze:
                gc.freeze()
                self.refreeze = False
            return True
        return False
