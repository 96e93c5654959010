"""The libyaml path of quiz.content.yamlfile: Map/Seq/scalars built from the events of the C (or
pure) *safe* parser, in one pass with an explicit stack (no node graph: that is 4-5x faster on
big decks), with quiz's own line-numbered errors. Imported only for a file that
quiz.content.yamlfast declines (anchors, block scalars, flow mappings, a problem...): it is
the module that imports PyYAML.
"""

from __future__ import annotations

import re

import yaml

from quiz.content.yaml_values import (
    _SCALAR_TAGS,
    _STR,
    Map,
    Seq,
    YamlError,
    _plain_tag,
    _scalar_constructor,
)

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

# A deck needs a nesting depth of about 5. libyaml's composer recurses in C without Python's
# recursion limit, so a file of 40,000 '[' crashes the interpreter (SIGSEGV) unless we refuse
# deep files first, from the parser's events (the parser itself keeps an explicit stack).
MAX_DEPTH = 100
_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"


def load(text: str):
    """Parse one YAML document through libyaml. Raises YamlError."""
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's own message is cryptic, so say it plainly.
        for n, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(n, "tab used for indentation (YAML allows spaces only)")
    try:
        return _Builder().run(yaml.parse(text, Loader=_Loader))
    except yaml.reader.ReaderError as e:
        raise _reader_error(text, e) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        if _is_nesting_limit(e):
            raise YamlError(line, _TOO_DEEP) from None
        problem = e.problem or e.context or "invalid YAML"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as e:
        raise YamlError(1, f"invalid YAML: {e.__class__.__name__}") from None
    except RecursionError:
        raise YamlError(1, _TOO_DEEP) from None


# libyaml (with PyYAML 6.0.4) has a nesting limit of its own, and its scanner reads far ahead
# of the events we count, so a line of '[' meets its limit before ours. Recognised by type and
# by the error's own fields (problem, context), not one exact sentence, so that any PyYAML says
# it in quiz's words.
_NESTING_WORDS = re.compile(r"nest|depth|flow level", re.IGNORECASE)


def _is_nesting_limit(e: yaml.MarkedYAMLError) -> bool:
    if not isinstance(e, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        return False
    return any(isinstance(f, str) and _NESTING_WORDS.search(f) for f in (e.problem, e.context))


def _reader_error(text: str, e: yaml.reader.ReaderError) -> YamlError:
    # libyaml reports a byte offset, PyYAML a character offset: find the character instead.
    ch = e.character if isinstance(e.character, str) else chr(e.character)
    at = text.find(ch)
    line = text.count("\n", 0, at) + 1 if at >= 0 else 1
    utf16 = ch == "\x00" and text.count("\x00") * 3 > len(text)  # every other byte is NUL
    hint = " (the file looks like UTF-16; save it as UTF-8)" if utf16 else ""
    return YamlError(line, f"invalid YAML: control character 0x{ord(ch):02x} is not allowed{hint}")


_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_NOKEY = object()  # a mapping frame waiting for its next key
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_SEQ_START, _MAP_START = yaml.SequenceStartEvent, yaml.MappingStartEvent
_SEQ_END, _MAP_END = yaml.SequenceEndEvent, yaml.MappingEndEvent
_DOC_START = yaml.DocumentStartEvent


class _Later(YamlError):
    """A problem the composer (level 3) or the value checks (level 4) would report: a syntax
    error anywhere in the file still takes precedence, as it did when the whole file was
    parsed before anything was built."""

    def __init__(self, level: int, line: int, message: str):
        super().__init__(line, message)
        self.level = level


class _Builder:
    """Map/Seq/scalars straight from the parser's events. Depth is checked as the events come
    (libyaml's own composer recursed in C without a limit: 40,000 '[' crashed Python)."""

    def __init__(self):
        self.constructor = _scalar_constructor()
        self.anchors: dict[str, tuple] = {}  # name -> (value, line, scalar tag or None)
        self.depth = 0
        self.documents = 0
        self.root = None

    def run(self, events):
        events = iter(events)
        # A frame: [container, is_map, pending key or _NOKEY].
        stack: list[list] = []
        for event in events:
            try:
                self.event(event, stack)
            except _Later as problem:
                self.drain(events, problem)  # raises
        return self.root

    def event(self, event, stack: list[list]) -> None:
        """Place one event's value in its parent (or make it the document)."""
        cls = event.__class__
        if cls is _SEQ_END or cls is _MAP_END:
            self.depth -= 1
            stack.pop()
            return
        if cls is _DOC_START:
            self.documents += 1
            if self.documents > 1:
                raise _Later(
                    3, event.start_mark.line + 1, "invalid YAML: but found another document"
                )
            return
        if (
            cls is not _SCALAR
            and cls is not _ALIAS
            and cls is not _SEQ_START
            and cls is not _MAP_START
        ):
            return  # stream start/end, document end
        line = event.start_mark.line + 1
        starts = cls is _SEQ_START or cls is _MAP_START
        if starts:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise YamlError(line, _TOO_DEEP)
        if cls is not _ALIAS and event.anchor is not None:
            if event.anchor in self.anchors:  # as the composer says it
                raise _Later(3, line, "invalid YAML: second occurrence")
            self.anchors[event.anchor] = (None, line, None)  # known from here on
        frame = stack[-1] if stack else None
        at_key = frame is not None and frame[1] and frame[2] is _NOKEY
        if cls is _SCALAR:
            tag = event.tag
            if tag is None or tag == "!":
                tag = _plain_tag(event.value) if event.implicit[0] else _STR
            if at_key and tag == _MERGE:
                raise _Later(4, line, "mapping keys must be plain text")
            value = self.scalar(event, tag, line)
            scalar_tag = tag
        elif cls is _ALIAS:
            entry = self.anchors.get(event.anchor)
            if entry is None:
                raise _Later(3, line, "invalid YAML: found undefined alias")
            value, line, scalar_tag = entry  # an alias stands where its anchor was
            if at_key and (scalar_tag is None or scalar_tag == _MERGE):
                raise _Later(4, line, "mapping keys must be plain text")
        else:
            if at_key:
                raise _Later(4, line, "mapping keys must be plain text")
            is_map = cls is _MAP_START
            want = _MAP if is_map else _SEQ
            tag = event.tag
            if tag is not None and tag != "!" and tag != want:
                raise _Later(4, line, f"unsupported tag {tag!s:.60}")
            value = Map() if is_map else Seq()
            if is_map:
                value.key_lines = {}
            else:
                value.item_lines = []
            value.line = line
            scalar_tag = None
        if cls is not _ALIAS and event.anchor is not None:
            self.anchors[event.anchor] = (value, line, scalar_tag)
        if frame is None:
            self.root = value
        else:
            container = frame[0]
            if not frame[1]:
                container.item_lines.append(line)
                container.append(value)
            elif at_key:
                key = value if isinstance(value, str) else str(value)
                if key in container:
                    raise _Later(4, line, f"duplicate key '{key[:60]}'")
                container.key_lines[key] = line
                frame[2] = key
            else:
                container[frame[2]] = value
                frame[2] = _NOKEY
        if starts:
            stack.append([value, cls is _MAP_START, _NOKEY])

    def drain(self, events, problem: _Later):
        """Read the rest of the file for what used to be reported first: syntax and depth
        errors (the parser's, raised by the iteration itself), then the composer's."""
        composer = problem.level == 4
        for event in events:
            cls = event.__class__
            if cls is _SEQ_START or cls is _MAP_START:
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    line = event.start_mark.line + 1
                    raise YamlError(line, _TOO_DEEP)
            elif cls is _SEQ_END or cls is _MAP_END:
                self.depth -= 1
            elif cls is _DOC_START:
                self.documents += 1
                if composer and self.documents > 1:
                    problem = _Later(
                        3, event.start_mark.line + 1, "invalid YAML: but found another document"
                    )
                    composer = False
            if composer and self.documents <= 1:
                line = event.start_mark.line + 1
                if cls is _ALIAS and event.anchor not in self.anchors:
                    problem, composer = (
                        _Later(3, line, "invalid YAML: found undefined alias"),
                        False,
                    )
                elif cls is not _ALIAS and getattr(event, "anchor", None) is not None:
                    if event.anchor in self.anchors:
                        problem, composer = (
                            _Later(3, line, "invalid YAML: second occurrence"),
                            False,
                        )
                    else:
                        self.anchors[event.anchor] = (None, line, None)
        raise YamlError(problem.line, problem.message)

    def scalar(self, event, tag: str, line: int):
        if tag == _STR:
            return event.value
        if tag not in _SCALAR_TAGS:
            raise _Later(4, line, f"unsupported tag {tag!s:.60} (plain values only)")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=False)
        except (yaml.YAMLError, ValueError, OverflowError, IndexError):
            # IndexError: PyYAML's int constructor on an empty `!!int` value.
            raise _Later(4, line, f"bad value for {tag.rsplit(':', 1)[-1]}") from None
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            value = str(event.value)  # dates and timestamps: keep the text as written
        return value
