"""The fast reader of plain block YAML builds exactly what libyaml's events build, or declines.

A file it accepts must be valid YAML with the same values, lines and key order; anything it is
not sure of it must leave to libyaml (which reports the problems)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from quiz.content import yaml_events, yamlfast, yamlfile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "decks").glob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))


def libyaml(text: str):
    return yaml_events._Builder().run(yaml.parse(text, Loader=yaml_events._Loader))


def difference(a, b, where="$") -> str | None:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        if list(a) != list(b) or a.line != b.line or a.key_lines != b.key_lines:
            return (
                f"{where}: keys or lines {list(a)} {a.line} {a.key_lines} / {b.line} {b.key_lines}"
            )
        for k in a:
            if found := difference(a[k], b[k], f"{where}.{k}"):
                return found
    elif isinstance(a, list):
        if len(a) != len(b) or a.line != b.line or a.item_lines != b.item_lines:
            return f"{where}: items or lines {a.line} {a.item_lines} / {b.line} {b.item_lines}"
        for i, (x, y) in enumerate(zip(a, b)):
            if found := difference(x, y, f"{where}[{i}]"):
                return found
    elif a != b:
        return f"{where}: {a!r} vs {b!r}"
    return None


def agrees(text: str) -> bool:
    """Whether the fast reader took the file (and, if so, built what libyaml builds)."""
    fast = yamlfast.load(text)
    if fast is None:
        return False
    try:
        reference = libyaml(text)
    except yaml.YAMLError as e:
        pytest.fail(f"accepted a file libyaml refuses ({e}):\n{text[:2000]}")
    found = difference(reference, fast)
    assert found is None, f"{found}\n{text[:2000]}"
    return True


def test_bundled_decks_take_the_fast_path_and_agree():
    taken = [p.name for p in sorted((ROOT / "decks").glob("*.yaml")) if agrees(p.read_text())]
    assert len(taken) == len(list((ROOT / "decks").glob("*.yaml")))


def test_the_article_index_takes_the_fast_path_and_agrees():
    # Every start reads it: through the fast reader, PyYAML is not imported at all.
    assert agrees((ROOT / "seeds" / "articles.yaml").read_text())


@pytest.mark.parametrize(
    "text",
    [
        "- a\n- b: c\n  d: [e, f]\n",
        "- id: x\n  list:\n    - from: y\n      to: z\n    - w\n",
        "- a\nb: c\n",
        "a: b\n- c\n",
        "- - a\n",
        "-\n  a: b\n",
    ],
)
def test_root_lists_agree_or_decline(text):
    agrees(text)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_agree_or_decline(path):
    try:
        text = yamlfile.decode(path.read_bytes())
    except yamlfile.YamlError:
        return
    agrees(text)


PIECES = [
    "- ",
    ": ",
    " #",
    "#",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "|",
    ">",
    "\\",
    '\\"',
    "\\u00e9",
    "\\x41",
    "\\/",
    "\\ud800",
    "yes",
    "~",
    "null",
    "12",
    "0x1f",
    "1e3",
    "2024-01-01",
    "  ",
    "---",
    "...",
    "? ",
    "%",
    "@",
    "`",
    "-",
    "<<: ",
    "\u00e9",
    "\u2028",
    "\x85",
    "\ufeff",
    "''",
    "key:",
    "\n",
    "\n  ",
    "\n    - x",
    "\n  y: 1",
]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(6)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(rng.randrange(len(lines)), lines[i])
        elif op == 2:
            lines[i] = " " * rng.choice((1, 2, 3)) + lines[i]
        elif op == 3:
            lines[i] = lines[i][rng.choice((1, 2)) :]
        else:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(PIECES) + lines[i][at:]
    return "\n".join(lines)


def test_mutated_decks_agree_or_decline():
    rng = random.Random(22)
    base = [p.read_text() for p in sorted((ROOT / "decks").glob("*.yaml"))]
    base.append((ROOT / "seeds" / "articles.yaml").read_text())  # a list at the root
    # Small pieces of the decks, so mutations land on every kind of line.
    pieces = []
    for text in base:
        lines = text.split("\n")
        for start in range(0, len(lines), 40):
            pieces.append("\n".join(lines[:8] + lines[max(8, start) : start + 40]))
    taken = sum(agrees(mutate(rng.choice(pieces), rng)) for _ in range(5000))
    assert taken > 300  # the check means something: many mutants are still plain block YAML
