"""The values both YAML readers build (quiz.content.yamlfile's event builder and
quiz.content.yamlfast's block reader): mappings and lists that remember their lines, and how a
plain scalar is typed. Apart from both so that neither reader imports the other's module for
them (yamlfile calls yamlfast first; yamlfast needs only these)."""

from __future__ import annotations

import yaml

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


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
    return yaml.constructor.SafeConstructor()


_PLAIN_TAGS: dict[str, str] = {}


def _plain_tag(value: str) -> str:
    """The resolver's tag for a plain scalar, remembered for short values: keys like `id` and
    `type` come back on every card, and resolving runs a handful of regexes each time."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if len(value) <= 40 and len(_PLAIN_TAGS) < 4096:
            _PLAIN_TAGS[value] = tag
    return tag
