"""The values both YAML readers build (quiz.content.yaml_events' event builder and
quiz.content.yamlfast's block reader): mappings and lists that remember their lines, how a
plain scalar is typed, and the error both raise. Apart from both so that neither reader imports
the other's module for them (yamlfile calls yamlfast first; yamlfast needs only these).

PyYAML is not imported here: the fast reader of a plain deck file (and every app start, which
reads seeds/articles.yaml through it) types its plain scalars with a copy of PyYAML's YAML 1.1
implicit resolver, and builds booleans, nulls and decimal integers itself; anything rarer goes
to PyYAML's SafeConstructor, imported then. tests/test_yaml_values.py checks the copy against
PyYAML's own resolver and constructor."""

from __future__ import annotations

import re

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"


class YamlError(Exception):
    """A problem in a YAML file, with the 1-based line where it was found (either reader's;
    quiz.content.yamlfile is where callers take it from)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# Slots, not an instance __dict__ each: a 10,000-card file is some 60,000 of these, and the
# dicts were a third of the parsed file's memory. Both readers set every attribute.
class Map(dict):
    """A dict that knows its own line and the line of each key."""

    __slots__ = ("line", "key_lines")
    line: int
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list


def _scalar_constructor():
    import yaml

    return yaml.constructor.SafeConstructor()


# PyYAML's Resolver (yaml/resolver.py, PyYAML 6.0): (tag, pattern) by the value's first
# character, tried in this order; a value whose first character is not here is a string.
_IMPLICIT = {
    "bool": (
        _BOOL,
        r"""^(?:yes|Yes|YES|no|No|NO
        |true|True|TRUE|false|False|FALSE
        |on|On|ON|off|Off|OFF)$""",
    ),
    "float": (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    ),
    "int": (
        _INT,
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
    ),
    "merge": ("tag:yaml.org,2002:merge", r"^(?:<<)$"),
    "null": (_NULL, r"""^(?: ~ |null|Null|NULL | )$"""),
    "timestamp": (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
         (?:[Tt]|[ \t]+)[0-9][0-9]?
         :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
         (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    ),
    "value": ("tag:yaml.org,2002:value", r"^(?:=)$"),
    "yaml": ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$"),
}
_FIRST: dict[str, list[str]] = {}
for _name, _chars in (
    ("bool", "yYnNtTfFoO"),
    ("float", "-+0123456789."),
    ("int", "-+0123456789"),
    ("merge", "<"),
    ("null", "~nN"),
    ("timestamp", "0123456789"),
    ("value", "="),
    ("yaml", "!&*"),
):
    for _c in _chars:
        _FIRST.setdefault(_c, []).append(_name)
_FIRST[""] = ["null"]
_COMPILED: dict[str, re.Pattern] = {}  # compiled when a value first needs them


# The patterns that are a list of words, as sets: `^(?:yes|...)$` matches exactly these, or
# one of them followed by a final line break (where `$` also matches).
_WORDS = {
    "bool": frozenset(
        "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF".split()
    ),
    "merge": frozenset(["<<"]),
    "null": frozenset(["~", "null", "Null", "NULL", ""]),
    "value": frozenset(["="]),
    "yaml": frozenset(["!", "&", "*"]),
}
# Every character a number's pattern can match (after one sign): a value with another is not
# that number, and its pattern need not be compiled at all (every start reads file names such
# as `000_d11719b1d9265267.txt`, which begin with a digit).
_NUMBER_CHARS = {
    "int": frozenset("0123456789_:bxabcdefABCDEF"),
    "float": frozenset("0123456789_.:eE+-iInNfFaA"),
}


def _matches(name: str, value: str) -> bool:
    bare = value[:-1] if value[-1:] == "\n" else value
    words = _WORDS.get(name)
    if words is not None:
        return bare in words
    if name == "timestamp":
        if bare[4:5] != "-":  # both forms start with four digits and a dash
            return False
    elif not _NUMBER_CHARS[name].issuperset(bare[1:] if bare[:1] in "+-" else bare):
        return False
    pattern = _COMPILED.get(name)
    if pattern is None:
        pattern = _COMPILED[name] = re.compile(_IMPLICIT[name][1], re.X)
    return pattern.match(value) is not None


def _resolve(value: str) -> str:
    for name in _FIRST.get(value[:1], ()):
        if _matches(name, value):
            return _IMPLICIT[name][0]
    return _STR


_PLAIN_TAGS: dict[str, str] = {}


def _plain_tag(value: str) -> str:
    """The resolver's tag for a plain scalar, remembered for short values: keys like `id` and
    `type` come back on every card, and resolving runs a handful of regexes each time."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _resolve(value)
        if len(value) <= 40 and len(_PLAIN_TAGS) < 4096:
            _PLAIN_TAGS[value] = tag
    return tag


_BOOLS = {
    w: v for words, v in (("yes true on", True), ("no false off", False)) for w in words.split()
}
_DECIMAL = re.compile(r"[-+]?[1-9][0-9]*|[-+]?0")
NOT_SIMPLE = object()


def simple_value(tag: str, text: str):
    """What SafeConstructor makes of a plain scalar so tagged, for the common cases (a boolean,
    a null, a decimal integer without `_`), else NOT_SIMPLE: the caller asks PyYAML."""
    if tag == _BOOL:
        value = _BOOLS.get(text.lower())
        return NOT_SIMPLE if value is None else value
    if tag == _NULL:
        return None
    if tag == _INT and _DECIMAL.fullmatch(text):
        return int(text)
    return NOT_SIMPLE
