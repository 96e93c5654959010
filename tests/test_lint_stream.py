"""`quiz lint` reads a deck file a card at a time (deck_stream.stream_deck,
yamlfast.stream_file) and runs each card's own rules as it goes: what it prints must be what
parsing the whole file and then checking the deck prints, for every file, plain or not (a file
outside the plain subset, or one that leaves it half way, is read whole)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_yamlfast import mutate

from quiz.content import yamlfast
from quiz.content.deck import parse_deck
from quiz.content.item_rules import check_deck
from quiz.content.lint_files import lint_file, render

ROOT = Path(__file__).resolve().parent.parent
DECKS = sorted((ROOT / "decks").glob("*.yaml"))


def whole(path: Path, library) -> tuple:
    """The lint of a file as first written: parsed whole, then its deck checked."""
    result = parse_deck(path.read_bytes(), str(path), library)
    deck = result.deck
    warnings = check_deck(deck, library) if deck is not None else []
    text, lines = render([*result.problems, *warnings])
    return text, lines, len(deck.cards) if deck else 0, len(warnings), deck and deck.id


def plain(path: Path) -> bool:
    """Whether the file starts as the plain YAML that is read a card at a time."""
    with open(path, "rb") as f:
        return yamlfast.stream_file(f) is not None


def streamed(path: Path, library) -> tuple:
    r = lint_file(path, library)
    return r.text, r.lines, r.cards, r.warnings, r.deck_id


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_bundled_decks_stream_and_lint_as_read_whole(path, library):
    assert plain(path)
    assert streamed(path, library) == whole(path, library)


@pytest.mark.parametrize("chunk", [None, 5])
def test_mutated_decks_lint_as_read_whole(tmp_path, library, monkeypatch, chunk):
    if chunk:  # the file read a few bytes at a time: pieces end on every kind of line
        monkeypatch.setattr(yamlfast, "_CHUNK", chunk)
    rng = random.Random(2222)
    pieces = []
    for p in DECKS:
        lines = p.read_text(encoding="utf-8").split("\n")
        for start in range(0, len(lines), 60):
            pieces.append("\n".join(lines[:8] + lines[max(8, start) : start + 60]))
    path = tmp_path / "deck.yaml"
    streams = 0
    for _ in range(2000):
        text = mutate(rng.choice(pieces), rng)
        path.write_text(text, encoding="utf-8")
        streams += plain(path)
        assert streamed(path, library) == whole(path, library), text[:3000]
    assert streams > 400  # most mutants still start as plain YAML


@pytest.mark.parametrize(
    "tail",
    [
        "deck:\n  id: late\n  title: Late\n",  # the head after the cards: a duplicate key
        "extra: 1\n",  # a key after the cards
        "    - x\n",  # odd indentation half way
        "  - id: c9\n    type: basic\n    prompt: &a anchored\n",  # an anchor: libyaml's path
    ],
)
def test_a_file_leaving_the_plain_subset_after_its_cards_lints_as_read_whole(
    tmp_path, library, tail
):
    text = (ROOT / "decks" / "timeline.yaml").read_text(encoding="utf-8")
    path = tmp_path / "deck.yaml"
    path.write_text(text.rstrip("\n") + "\n" + tail, encoding="utf-8")
    assert streamed(path, library) == whole(path, library)


@pytest.mark.parametrize(
    "prefix, suffix",
    [
        (b"\xef\xbb\xbf", b""),  # a BOM
        (b"", b"  - id: x\n    type: basic\n    prompt: caf\xe9\n"),  # not UTF-8, late on
        (b"", b"\n  - id: x\r\n"),  # a carriage return
    ],
)
def test_odd_bytes_lint_as_read_whole(tmp_path, library, monkeypatch, prefix, suffix):
    monkeypatch.setattr(yamlfast, "_CHUNK", 64)
    data = (ROOT / "decks" / "timeline.yaml").read_bytes()
    path = tmp_path / "deck.yaml"
    path.write_bytes(prefix + data + suffix)
    assert streamed(path, library) == whole(path, library)


def test_cards_before_the_head_lint_as_read_whole(tmp_path, library):
    text = (ROOT / "decks" / "timeline.yaml").read_text(encoding="utf-8")
    head, cards = text.split("\ncards:\n", 1)
    path = tmp_path / "deck.yaml"
    path.write_text("cards:\n" + cards.rstrip("\n") + "\n" + head + "\n", encoding="utf-8")
    assert streamed(path, library) == whole(path, library)
