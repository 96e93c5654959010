"""Peak memory of a process tree: `quiz lint` lints files in worker processes, and the kernel's
figure for a child (ru_maxrss, what bench/run.py's launcher reports) is the largest single
process of the tree, not what the tree held at once.

A thread samples the tree under a pid every 50 ms (Linux /proc) and keeps the largest sum of its
processes' proportional set sizes (Pss: a page shared by k processes, as a forked worker shares
its parent's imported modules, counts 1/k in each), which is the memory the tree holds at that
moment, each page once. Summing RSS instead would count the shared pages once per worker. A
peak between two samples or a process living less than one is missed, which is why
bench/run.py also takes the kernel's peak of the largest single process (RSS) and reports the
larger.
"""

from __future__ import annotations

import os
import threading


def _parents() -> dict[int, int]:
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        out[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def descendants(root: int) -> list[int]:
    parents = _parents()
    out, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid]
        out += kids
        frontier += kids
    return out


class TreePeak:
    """`with TreePeak(pid) as peak: ...` then `peak.kb`: the largest sum, over samples, of the
    Pss of the processes under `pid` (not `pid` itself)."""

    def __init__(self, root: int, every: float = 0.05):
        self.root, self.every, self.kb = root, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreePeak:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.kb = max(self.kb, sum(_pss_kb(p) for p in descendants(self.root)))
            self._stop.wait(self.every)
