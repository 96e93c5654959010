"""Finding and loading the decks a command works on, and syncing them into the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quiz.content.articles import Library
from quiz.content.deck import Deck, DeckFileError, LoadResult, Problem, deck_files, read_deck_file


@dataclass
class Catalog:
    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    clashes: list[Problem] = field(default_factory=list)  # a deck id used by two files

    def by_id(self) -> dict[str, Deck]:
        return {d.id: d for d in self.decks}


def load_catalog(
    targets: list[Path] | None = None,
    library: Library | None = None,
    *,
    cached: bool = False,
    store=None,
    later: list | None = None,
) -> Catalog:
    """Parse the deck files.

    For app start-up only (`quiz lint` leaves both off and always parses in full):
    - `cached=True`: a file unchanged since its last parse comes from the parse cache
      (quiz.deck_cache) instead of being parsed again;
    - `store=`: a file whose sha256 is the content hash the store synced last is not parsed
      at all: its deck reads its cards from the store when they are needed
      (quiz.stored_deck), so a collection of 100,000 cards starts in milliseconds and small.
    - `later=`: a list that receives the cache's writes as callables, for the caller to run
      when it has time (the app: once its first screen is drawn); else they are done here.
    """
    from quiz.content import library as user_library

    library = library or user_library.current_library()
    catalog = Catalog()
    if cached or store is not None:
        from quiz.content.deck_cache import DeckCache

        cache = DeckCache(library, store=store, use_json=cached, later=later)
        read = cache.read
    else:

        def read(path: Path) -> LoadResult:
            return read_deck_file(path, library)

    for path in deck_files(targets or user_library.deck_dirs()):
        try:
            result = read(path)
        except DeckFileError as e:
            catalog.unreadable.append(str(e))
            continue
        catalog.problems.extend(result.problems)
        if result.deck is not None:
            catalog.decks.append(result.deck)
    if cached or store is not None:
        cache.save()
    if not targets:  # the default set: bundled decks, then the library's
        _refuse_shadowing(catalog)
    catalog.decks.sort(key=lambda d: study_order(d, library))
    return catalog


def _refuse_shadowing(catalog: Catalog) -> None:
    """In the default set, a deck id used by two files keeps the first (bundled decks are read
    first) and the other is a problem naming both: a library deck cannot shadow a bundled one.
    (Files named on the command line are checked one by one, as before.)"""
    first: dict[str, Deck] = {}
    kept: list[Deck] = []
    for deck in catalog.decks:
        if deck.id in first:
            clash = clash_problem(deck, first[deck.id].path)
            catalog.clashes.append(clash)
            catalog.problems.append(clash)
            continue
        first[deck.id] = deck
        kept.append(deck)
    catalog.decks = kept


def clash_problem(deck: Deck, first_path: Path) -> Problem:
    return Problem(
        deck.path,
        1,
        f"deck id '{deck.id}' is already used by {first_path}; "
        "a deck id cannot be shadowed: give this deck another id",
    )


def study_order(deck: Deck, library: Library) -> tuple:
    """One-article decks first, in the articles' own order, then decks that span several
    (comparisons, timelines), which build on the others; file name breaks ties."""
    ids = list(library.articles)
    if len(deck.articles) == 1 and deck.articles[0] in ids:
        return (0, ids.index(deck.articles[0]), deck.path)
    return (1, 0, deck.path)


def select(catalog: Catalog, wanted: list[str]) -> list[Deck]:
    """Decks by id (or file name); an unknown name raises KeyError with the name."""
    if not wanted:
        return list(catalog.decks)
    by_id = catalog.by_id()
    by_file = {Path(d.path).stem: d for d in catalog.decks}
    out = []
    for name in wanted:
        deck = by_id.get(name) or by_file.get(Path(name).stem)
        if deck is None:
            raise KeyError(name)
        out.append(deck)
    return out
