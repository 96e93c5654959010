"""Read untrusted YAML into plain values that remember their line numbers.

Plain block YAML (what deck files and seeds/articles.yaml are) is read by quiz.content.yamlfast
without PyYAML; anything else, and every file with a problem, by quiz.content.yaml_events from
the events of libyaml's *safe* parser, so:
- no tag ever constructs an object (``!!python/...`` is reported, never run);
- every mapping knows the line of each of its keys, for compiler-style messages;
- aliases share the value they point to instead of copying it, so an alias bomb stays small
  in memory (callers must still check types before walking a value).

This module imports neither reader's dependencies: PyYAML (some 10 ms) is imported only for a
file the fast reader declines, so an app start that parses nothing never imports it.
"""

from __future__ import annotations

from quiz.content.yaml_values import Map, Seq, YamlError

__all__ = ["MAX_BYTES", "Map", "Seq", "YamlError", "decode", "load"]

MAX_BYTES = 64 * 1024 * 1024


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is allowed); a bad byte is reported with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise YamlError(1, "not UTF-8 text: the file is UTF-16; save it as UTF-8") from None
        line = data[: e.start].count(b"\n") + 1
        raise YamlError(line, f"not UTF-8 text (byte 0x{data[e.start]:02x})") from None


def load(text: str, *, fast: bool = True):
    """Parse one YAML document into Map/Seq/scalars. Raises YamlError."""
    if fast:
        from quiz.content import yamlfast

        # Plain block YAML is read without libyaml's events, 3-4x faster (and without
        # importing PyYAML); anything else goes through libyaml as before.
        doc = yamlfast.load(text)
        if doc is not None:
            return doc
    from quiz.content import yaml_events

    return yaml_events.load(text)
