"""quiz.content.yaml_values types plain scalars without PyYAML: its copy of the YAML 1.1
implicit resolver must give PyYAML's tag for every value, and its own constructors PyYAML's
value wherever it does not hand the value back to PyYAML."""

from __future__ import annotations

import itertools
import random

import pytest
import yaml

from quiz.content import yaml_values
from quiz.content.yaml_values import NOT_SIMPLE, simple_value

RESOLVER = yaml.resolver.Resolver()
CONSTRUCTOR = yaml.constructor.SafeConstructor()

WORDS = [
    "", "~", "null", "Null", "NULL", "nULL", "none", "yes", "Yes", "YES", "yEs", "no", "No",
    "NO", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
    "Off", "OFF", "y", "n", "Y", "N", "=", "<<", "<", "!", "&", "*", "0", "-0", "+0", "00",
    "07", "08", "0o7", "0b101", "-0b1", "0x1F", "0x_1f", "0xg", "1_000", "1__0", "12", "-12",
    "+12", "012", "1:30", "1:60", "-1:30", "190:20:30", "1.5", "-1.5", "+.5", ".5", "1.",
    "1.e+3", "1.0e3", "1e3", "6.8523015e+5", "685.230_15e+03", "190:20:30.15", ".inf",
    "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "nan", "inf", "2024-01-01", "2024-1-1",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15 2:59:43.10",
    "2002-12-14", "2024-13-45", "1956", "1956 Joint Declaration", "type", "tags", "typed",
    "truefalse", "northern-territories", "yes\n", "true\n", "null\n", "12\n", "12\n\n",
    "\u0661\u0662", "\uff11", "-", "+", ".", "..", "1-2", "- 1", "0.0.1", "0x1f\n", "1.5\n",
    "2024-01-01\n", "<<\n", "=\n", "~\n", "\n", "000_d11719b1d9265267.txt", "1e3x", "0b12",
]  # fmt: skip


def cases() -> list[str]:
    rng = random.Random(22)
    alphabet = "0123456789-+._:xboeEtTnNyYfFlLaAsSuU ~<=\n"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    pairs = ["".join(p) for p in itertools.product(WORDS[:40], repeat=2)]
    return WORDS + pairs + made


def test_the_resolver_copy_gives_pyyamls_tag_for_every_value():
    for value in cases():
        theirs = RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        assert yaml_values._resolve(value) == theirs, repr(value)


def pyyaml_value(tag: str, text: str):
    return CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, text), deep=False)


def test_simple_values_are_what_pyyaml_constructs():
    built = 0
    for value in cases():
        tag = yaml_values._resolve(value)
        if tag not in yaml_values._SCALAR_TAGS or tag == yaml_values._STR:
            continue
        ours = simple_value(tag, value)
        if ours is NOT_SIMPLE:
            continue
        built += 1
        theirs = pyyaml_value(tag, value)
        assert type(ours) is type(theirs) and ours == theirs, repr(value)
    assert built > 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("Off", False), ("~", None), ("null", None), ("-12", -12), ("0", 0)],
)
def test_common_scalars_are_built_here(text, expected):
    value = simple_value(yaml_values._resolve(text), text)
    assert type(value) is type(expected) and value == expected


@pytest.mark.parametrize("text", ["0x1f", "012", "1_000", "1:30", "1.5", ".inf", "2024-01-01"])
def test_rarer_forms_go_to_pyyaml(text):
    assert simple_value(yaml_values._resolve(text), text) is NOT_SIMPLE
