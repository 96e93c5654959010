"""Read untrusted YAML into plain values that remember their line numbers.

We compose the node graph with the C (or pure) *safe* loader and build values ourselves, so:
- no tag ever constructs an object (``!!python/...`` is reported, never run);
- every mapping knows the line of each of its keys, for compiler-style messages;
- aliases share the value they point to instead of copying it, so an alias bomb stays small
  in memory (callers must still check types before walking a value).
"""

from __future__ import annotations

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

MAX_BYTES = 64 * 1024 * 1024

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class YamlError(Exception):
    """A problem in a YAML file, with the 1-based line where it was found."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class Map(dict):
    """A dict that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    line: int = 0
    item_lines: list


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is allowed); a bad byte is reported with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise YamlError(line, f"not UTF-8 text (byte 0x{data[e.start]:02x})") from None


def _scalar_constructor():
    return yaml.constructor.SafeConstructor()


def load(text: str):
    """Parse one YAML document into Map/Seq/scalars. Raises YamlError."""
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's own message is cryptic, so say it plainly.
        for n, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(n, "tab used for indentation (YAML allows spaces only)")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problem = e.problem or e.context or "invalid YAML"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as e:
        raise YamlError(1, f"invalid YAML: {e.__class__.__name__}") from None
    except RecursionError:
        raise YamlError(1, "invalid YAML: nested too deeply") from None
    if node is None:
        return None
    return _Builder().build(node)


class _Builder:
    def __init__(self):
        self.memo: dict[int, object] = {}
        self.constructor = _scalar_constructor()

    def build(self, node):
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node, line)
            self.memo[key] = value
            return value
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in ("tag:yaml.org,2002:seq",):
                raise YamlError(line, f"unsupported tag {node.tag!s:.60}")
            seq = Seq()
            seq.line = line
            seq.item_lines = []
            self.memo[key] = seq
            for item in node.value:
                seq.item_lines.append(item.start_mark.line + 1)
                seq.append(self._child(item))
            return seq
        if isinstance(node, yaml.MappingNode):
            if node.tag not in ("tag:yaml.org,2002:map",):
                raise YamlError(line, f"unsupported tag {node.tag!s:.60}")
            mapping = Map()
            mapping.line = line
            mapping.key_lines = {}
            self.memo[key] = mapping
            for knode, vnode in node.value:
                kline = knode.start_mark.line + 1
                if not isinstance(knode, yaml.ScalarNode) or knode.tag == "tag:yaml.org,2002:merge":
                    raise YamlError(kline, "mapping keys must be plain text")
                k = self._scalar(knode, kline)
                if not isinstance(k, (str, int, float, bool)) and k is not None:
                    raise YamlError(kline, "mapping keys must be plain text")
                k = str(k) if not isinstance(k, str) else k
                if k in mapping:
                    raise YamlError(kline, f"duplicate key '{k[:60]}'")
                mapping.key_lines[k] = kline
                mapping[k] = self._child(vnode)
            return mapping
        raise YamlError(line, "unsupported YAML node")  # pragma: no cover

    def _child(self, node):
        try:
            return self.build(node)
        except RecursionError:
            raise YamlError(node.start_mark.line + 1, "nested too deeply") from None

    def _scalar(self, node, line):
        if node.tag not in _SCALAR_TAGS:
            raise YamlError(line, f"unsupported tag {node.tag!s:.60} (plain values only)")
        try:
            value = self.constructor.construct_object(node, deep=False)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise YamlError(line, f"bad value for {node.tag.rsplit(':', 1)[-1]}") from None
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            value = str(node.value)  # dates and timestamps: keep the text as written
        return value
