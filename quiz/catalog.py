"""Finding and loading the decks a command works on, and syncing them into the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quiz import paths
from quiz.articles import Library, bundled_library
from quiz.deck import Deck, DeckFileError, Problem, deck_files, read_deck_file


@dataclass
class Catalog:
    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Deck]:
        return {d.id: d for d in self.decks}


def load_catalog(targets: list[Path] | None = None, library: Library | None = None) -> Catalog:
    library = library or bundled_library()
    catalog = Catalog()
    for path in deck_files(targets or [paths.decks_dir()]):
        try:
            result = read_deck_file(path, library)
        except DeckFileError as e:
            catalog.unreadable.append(str(e))
            continue
        catalog.problems.extend(result.problems)
        if result.deck is not None:
            catalog.decks.append(result.deck)
    return catalog


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
