"""Deck files linted one at a time, in this process (`quiz lint --jobs 1`) or in worker
processes (by default one per core when the files are large enough: default_workers), for
`quiz lint` (quiz/cli/lint.py): each file read a card at a time (quiz.content.deck_stream),
checked and its item-writing rules run, and what is kept of it is only what is printed.

A file's result is its problems already sorted and printed to text, so that a worker sends back
one string rather than thousands of objects, and lint of a million cards holds no more than the
files in flight (the printing in quiz/cli/lint.py keeps its order and lets go of each file).
"""

from __future__ import annotations

import gc
import heapq
import os
import zlib
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from quiz.content.articles import Library
from quiz.content.deck import DeckFileError, Problem, read_deck_file
from quiz.content.deck_stream import stream_deck
from quiz.content.item_rules import DeckCheck

_PIECE = 1 << 15  # characters of a worker's text compressed at a time
# Below this many files a pool costs more to start than it saves.
PARALLEL_FILES = 3
# ... and, unless asked for, below this many bytes of files (the bundled decks lint in 0.2 s).
PARALLEL_BYTES = 1 << 20


@dataclass
class FileLint:
    """One file's lint: its parse problems, and its deck's item-writing warnings."""

    path: str
    unreadable: str | None = None  # why the file could not be read at all
    problems: list[Problem] = field(default_factory=list)  # parsing and checking
    deck_id: str | None = None
    deck_path: str = ""
    cards: int = 0
    warnings: int = 0  # item-writing warnings (errors under --strict)
    text: str = ""  # every problem, warnings included, in line order: the lines lint prints
    lines: list[int] = field(default_factory=list)  # the line number of each of them

    packed: list[bytes] = field(default_factory=list)  # the text compressed (pack), in pieces

    def pack(self) -> FileLint:
        """Its text compressed in pieces and its lines as an array, as a worker sends them: a
        file's lines are mostly the same few messages (a tenth of the size packed), and the
        parent holds the packed form until the file's turn to print, then prints it a piece at
        a time (pieces()): a 10,000-card file's 4 MB of text is never one string there."""
        if self.packed:
            return self  # packed as it was made
        text = self.text
        self.text = ""
        return self.packed_from(text[i : i + _PIECE] for i in range(0, len(text), _PIECE))

    def packed_from(self, pieces: Iterable[str]) -> FileLint:
        """Packed (pack()) from its text's pieces, each compressed as it comes."""
        self.packed = [zlib.compress(t.encode("utf-8", "surrogatepass"), 1) for t in pieces]
        self.lines = array("i", self.lines)
        return self

    def pieces(self) -> Iterator[str]:
        """The text, in pieces (packed or not)."""
        if not self.packed:
            yield self.text
        for piece in self.packed:
            yield zlib.decompress(piece).decode("utf-8", "surrogatepass")

    def unpack(self) -> FileLint:
        """The text and lines as lint_file made them."""
        if self.packed:
            self.text = "".join(self.pieces())
            self.packed = []
        self.lines = list(self.lines)
        return self

    def without_warnings(self, extra: list[Problem]) -> None:
        """Only the parse problems and `extra` (a deck refused for its id is not checked)."""
        self.text, self.lines = render([*self.problems, *extra])
        self.packed = []
        self.warnings = 0


def render(problems: list[Problem], warnings: Iterable[Problem] = ()) -> tuple[str, list[int]]:
    """The printed lines, in line order (a stable sort: a line's problems in the order found),
    and `warnings` (already in line order, made as they are printed) after the problems of
    their line."""
    lines: list[int] = []
    return "".join(_rendered(problems, warnings, lines)), lines


def _rendered(problems: list[Problem], warnings: Iterable[Problem], lines: list[int]):
    """render()'s text in pieces of about _PIECE characters, each line's number put in
    `lines`: a worker compresses each piece as it comes, and never holds the whole text."""
    parts, size = [], 0
    for p in heapq.merge(sorted(problems, key=_line), warnings, key=_line):
        text = ("note: " if p.note and not p.rule else "") + f"{p}\n"
        parts.append(text)
        lines.append(p.line)
        size += len(text)
        if size >= _PIECE:
            yield "".join(parts)
            parts, size = [], 0
    if parts:
        yield "".join(parts)


def _line(p: Problem) -> int:
    return p.line


def lint_file(path: Path, library: Library, packed: bool = False) -> FileLint:
    """The file's lint; `packed`, its text packed (FileLint.pack) as it is made."""
    # The collector has nothing to find in a deck's objects (no cycles), and tracing the
    # hundreds of thousands of them made a tenth of lint's time: it is back on after the file.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _lint_file(path, library, packed)
    finally:
        if enabled:
            gc.enable()


def _lint_file(path: Path, library: Library, packed: bool) -> FileLint:
    name = str(path)
    # A card at a time: each card checked, its own rules run, and only its Item kept for the
    # rules comparing cards (the whole parsed file was 3x the memory); the file is read whole
    # (and each of its errors reported) where that cannot be.
    check = DeckCheck(name, library)
    result = stream_deck(path, library, check.add)
    if result is None:
        check = None
        try:
            result = read_deck_file(path, library)
        except DeckFileError as e:
            return FileLint(name, unreadable=str(e))
    out = FileLint(name, problems=result.problems)
    deck = result.deck
    if deck is None:
        out.text, out.lines = render(result.problems)
        return out
    if check is None:
        check = DeckCheck(name, library)
        for card in deck.cards:
            check.add(card)
    out.deck_id, out.deck_path, out.cards = deck.id, deck.path, check.cards
    found = check.found_in_order()
    out.warnings = len(found)
    if packed:
        return out.packed_from(_rendered(result.problems, map(check.problem, found), out.lines))
    out.text, out.lines = render(result.problems, map(check.problem, found))
    return out


def default_workers(paths: list[Path]) -> int:
    """How many worker processes `quiz lint` uses when not told: one per core this process
    may run on, at most one per file, and none (1) where a pool does not pay for itself."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    workers = min(cores, len(paths))
    if workers < 2 or len(paths) < PARALLEL_FILES:
        return 1
    size = 0
    for p in paths:
        try:
            size += os.stat(p).st_size
        except OSError:
            continue  # linting it says why
        if size >= PARALLEL_BYTES:
            return workers
    return 1


_library: Library | None = None


def _start_worker(library: Library) -> None:
    global _library
    _library = library


def _lint_in_worker(path: Path) -> FileLint:
    return lint_file(path, _library, packed=True).pack()


def lint_files(paths: list[Path], library: Library, workers: int = 1) -> Iterator[FileLint]:
    """Each file's lint, in the order given (a worker's comes packed: FileLint.pieces, unpack).
    With `workers` > 1 and a few files, files are linted in that many worker processes, at
    most two per worker in flight, so memory is that of a few files however many there are
    (each worker holds one file's cards)."""
    if workers < 2 or len(paths) < PARALLEL_FILES:
        for path in paths:
            yield lint_file(path, library)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(library,)) as pool:
        pending = []
        ahead = iter(paths)
        for path in ahead:
            pending.append(pool.submit(_lint_in_worker, path))
            if len(pending) >= 2 * workers:
                break
        while pending:
            result = pending.pop(0).result()
            path = next(ahead, None)
            if path is not None:
                pending.append(pool.submit(_lint_in_worker, path))
            yield result
