"""A fast reader for the plain block YAML that deck files are written in, or None.

Deck files are block mappings and sequences of one-line scalars (plain, "double" or 'single'
quoted) and one-line flow lists (`[a, "b"]`); the article index (seeds/articles.yaml) is a
block sequence of such mappings. For such a file this builds exactly what
quiz.content.yamlfile's event builder builds (Map/Seq/scalars, the same lines), three to four
times faster: libyaml hands Python an event object and two marks per scalar, which was most of
the time `quiz lint` took (bench/RESULTS.md).

It accepts only that subset and only when it is certainly valid YAML with one meaning: any line
it does not fully understand (anchors, aliases, tags, block scalars, multi-line or commented
values, flow mappings, odd indentation, duplicate keys, tabs, unusual characters...) makes it
return None, and the caller reads the file through libyaml as before, which reports what is
wrong. tests/test_yamlfast.py compares the two on the bundled decks, the test decks and
thousands of mutated files.
"""

from __future__ import annotations

import re
from sys import intern

from quiz.content.yaml_values import (
    _SCALAR_TAGS,
    _STR,
    NOT_SIMPLE,
    Map,
    Seq,
    _plain_tag,
    _scalar_constructor,
    simple_value,
)

# Characters after which libyaml's reading differs from "the text as written" (line breaks of
# YAML 1.1, BOMs, characters the reader refuses): any of them sends the file to libyaml. Named
# as the characters themselves, not as the complement of what is allowed: the same set, and
# compiled in a twentieth of the time (the complement's ranges up to U+10FFFF took 4-10 ms of
# every start, which reads seeds/articles.yaml through this module).
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# First characters a plain scalar may not start with here (YAML indicators, quotes, space).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}#:]*")
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_MAX_DEPTH = 20


class _Unsure(Exception):
    """Not in the subset: read the file through libyaml."""


def load(text: str):
    """The document as yamlfile.load builds it, or None when the file is outside the subset."""
    if _UNUSUAL.search(text) or "\t" in text or "\r" in text:
        return None
    try:
        return _Reader(_pieces(text)).document()
    except (_Unsure, ValueError, OverflowError, IndexError):
        return None


class Unsure(Exception):
    """Raised while streaming (stream_file): from here on the file is outside the subset."""


def stream_file(f, last: str = "cards"):
    """For a deck file (open for reading, binary) whose root mapping ends with the key `last`
    holding a block sequence, the root mapping up to that key (`last` in it, an empty Seq with
    its line) and an iterator of (line, item) of that sequence, each item built as load() builds
    it; or None when that is not so from the start. The file is read a piece at a time, and
    its text, tree and items are never held whole: `quiz lint` reads a 10,000-card file so
    (quiz.content.deck_stream). The iterator raises Unsure when the rest of the file is outside
    the subset (or not UTF-8) or `last` is not the last key: its items so far are then to be
    thrown away and the file read with load() (and libyaml) instead."""
    return _stream(_file_pieces(f), last)


def _file_pieces(f):
    """The file's text a piece of whole lines at a time, as _pieces() cuts a text: a UTF-8
    byte 0x0A is always a line break, so each piece decodes alone."""
    carry = f.read(_CHUNK)
    if carry[:3] == b"\xef\xbb\xbf":
        carry = carry[3:]  # the BOM the "utf-8-sig" reading of yamlfile.decode allows
    while True:
        more = f.read(_CHUNK)
        if more:
            carry += more
            cut = carry.rfind(b"\n")
            if cut < 0:
                continue
            piece, carry = carry[:cut], carry[cut + 1 :]
        else:
            piece, carry = carry, None
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unsure from None
        if _UNUSUAL.search(text) or "\t" in text or "\r" in text:
            raise _Unsure
        yield text
        if carry is None:
            return


def _stream(pieces, last: str):
    try:
        r = _Reader(pieces)
        first = r.tok
        if first is None or first[2] != "key" or first[1] != 0:
            return None
        root = r.mapping(0, stop=last)
    except (_Unsure, ValueError, OverflowError, IndexError):
        return None
    if not r.stopped:
        return None
    return root, r.items(r.tok[1])


# One match per line: indent, "- " (an item), "key:" (a key), and the rest, spaces trimmed.
# (A key of over 1024 characters is not YAML: keys here are at most 128.)
_LINE = re.compile(r"^( *)(- )?([A-Za-z_][A-Za-z0-9_-]{0,127}:(?= |$))? *(.*)$", re.MULTILINE)


_CHUNK = 1 << 16  # characters of text made into tokens at a time


def _pieces(text: str):
    """The text a chunk of whole lines at a time. A chunk ends before a line break, which it
    leaves out: the lines matched are the same as in the whole text, its last (empty) line
    included."""
    start = 0
    while True:
        end = text.find("\n", start + _CHUNK) if start + _CHUNK < len(text) else -1
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _tokens(pieces):
    """(line, column, kind, key or text, value) for each token, with kind "key" (`key:` or
    `key: value`), "item" (`- `, its content follows as its own token, same line) or "scalar"
    (the content of an item that is not a key). Made a chunk of whole lines at a time
    (_pieces), not all at once: a 10,000-card file's 100,000 tokens held together were 45 MB."""
    n = 0
    for piece in pieces:
        for indent, dash, key, rest in _LINE.findall(piece):
            n += 1
            col = len(indent)
            if rest and rest[-1] == " ":
                rest = rest.rstrip(" ")
            if dash:
                yield (n, col, "item", None, None)
                col += 2
                if key:
                    # Interned: every card repeats the same few keys.
                    yield (n, col, "key", intern(key[:-1]), rest)
                elif rest:
                    yield (n, col, "scalar", rest, None)
                else:
                    raise _Unsure  # the item's value on the next lines
            elif key:
                yield (n, col, "key", intern(key[:-1]), rest)
            elif rest and rest[0] != "#":
                raise _Unsure  # a continued value, a block scalar's text, a flow mapping...


class _Reader:
    def __init__(self, pieces):
        self._next = _tokens(pieces).__next__
        self.tok = None  # the token at hand, None at the end
        self.advance()
        self.depth = 0
        self.constructor = None
        self.stopped = False  # whether mapping(stop=...) stopped at its key

    def advance(self) -> None:
        try:
            self.tok = self._next()
        except StopIteration:
            self.tok = None

    def document(self):
        first = self.tok
        if first is None or first[1] != 0:
            raise _Unsure
        # A deck is a mapping; an article index (seeds/articles.yaml) a list of mappings.
        root = self.mapping(0) if first[2] == "key" else self.sequence(0)
        if self.tok is not None:
            raise _Unsure
        return root

    def mapping(self, col: int, stop: str | None = None) -> Map:
        """The mapping at `col`; with `stop`, only up to that key when it holds a block
        sequence (left to items(): the mapping's depth stays counted)."""
        self.deeper()
        m = Map()
        m.line = self.tok[0]
        lines = m.key_lines = {}
        while self.tok is not None:
            line, c, kind, key, value = self.tok
            if kind != "key" or c != col:
                break
            if key in m or _plain_tag(key) != _STR:
                raise _Unsure  # duplicate key, or a key YAML reads as true/null/...
            self.advance()
            lines[key] = line
            if value:
                m[key] = self.inline(value, line)
                continue
            if self.tok is None:
                raise _Unsure  # an empty value: where libyaml marks it is its own business
            nline, ncol, nkind, _k, _v = self.tok
            if nkind == "item" and ncol >= col:
                if key == stop:
                    self.stopped = True
                    s = m[key] = Seq()
                    s.line = nline
                    s.item_lines = []
                    return m
                m[key] = self.sequence(ncol)
            elif nkind == "key" and ncol > col:
                m[key] = self.mapping(ncol)
            else:
                raise _Unsure
        self.depth -= 1
        return m

    def sequence(self, col: int) -> Seq:
        self.deeper()
        s = Seq()
        s.line = self.tok[0]
        lines = s.item_lines = []
        while self.tok is not None:
            line, c, kind, _k, _v = self.tok
            if kind != "item" or c != col:
                break
            self.advance()
            nline, ncol, nkind, text, _v = self.tok  # always there: made with the item
            lines.append(line)
            if nkind == "key":
                s.append(self.mapping(ncol))
            else:
                self.advance()
                s.append(self.inline(text, nline))
        self.depth -= 1
        return s

    def items(self, col: int):
        """(line, item) of the block sequence at `col`, one at a time (see stream_file)."""
        try:
            self.deeper()
            while self.tok is not None:
                line, c, kind, _k, _v = self.tok
                if kind != "item" or c != col:
                    break
                self.advance()
                nline, ncol, nkind, text, _v = self.tok
                if nkind == "key":
                    yield line, self.mapping(ncol)
                else:
                    self.advance()
                    yield line, self.inline(text, nline)
        except (_Unsure, ValueError, OverflowError, IndexError):
            raise Unsure from None
        if self.tok is not None:
            raise Unsure  # a key after the sequence: the whole document is read instead

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Unsure  # libyaml's path reports it (and a deck is 5 deep)

    # -- one-line values ----------------------------------------------------------------------

    def inline(self, text: str, line: int):
        first = text[0]
        if first == '"':
            value, rest = _double(text)
        elif first == "'":
            value, rest = _single(text)
        elif first == "[":
            return self.flow(text, line)
        else:
            return self.plain(text)
        if rest.strip(" "):
            raise _Unsure
        return value

    def plain(self, text: str):
        if text[0] in _NOT_PLAIN_START or ": " in text or " #" in text or text[-1] == ":":
            raise _Unsure
        tag = _plain_tag(text)
        if tag == _STR:
            return text
        return self.construct(tag, text)

    def construct(self, tag: str, text: str):
        if tag not in _SCALAR_TAGS:
            raise _Unsure
        value = simple_value(tag, text)
        if value is not NOT_SIMPLE:
            return value
        import yaml  # a number or date of another form: PyYAML's own constructor

        if self.constructor is None:
            self.constructor = _scalar_constructor()
        node = yaml.ScalarNode(tag, text, None, None, None)
        try:
            value = self.constructor.construct_object(node, deep=False)
        except (yaml.YAMLError, ValueError, OverflowError, IndexError):
            raise _Unsure from None
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            value = text  # dates and timestamps: the text as written
        return value

    def flow(self, text: str, line: int) -> Seq:
        s = Seq()
        s.line = line
        s.item_lines = []
        rest = text[1:].lstrip(" ")
        if rest.startswith("]"):
            if rest[1:].strip(" "):
                raise _Unsure
            return s
        while True:
            first = rest[:1]
            if first == '"':
                value, rest = _double(rest)
            elif first == "'":
                value, rest = _single(rest)
            else:
                m = _FLOW_PLAIN.match(rest)
                if m is None:
                    raise _Unsure
                word = m.group().rstrip(" ")
                rest = rest[m.end() :]
                tag = _plain_tag(word)
                value = word if tag == _STR else self.construct(tag, word)
            s.append(value)
            s.item_lines.append(s.line)
            rest = rest.lstrip(" ")
            if rest[:1] == ",":
                rest = rest[1:].lstrip(" ")
                if rest[:1] in ("]", ""):
                    raise _Unsure  # a trailing comma
                continue
            if rest[:1] == "]" and not rest[1:].strip(" "):
                return s
            raise _Unsure


_DOUBLE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.?)")


def _unescape(m: re.Match) -> str:
    esc = m.group(1)
    if len(esc) == 1 and esc in _ESCAPES:
        return _ESCAPES[esc]
    if len(esc) > 1:
        code = int(esc[1:], 16)
        if not (0xD800 <= code <= 0xDFFF or code > 0x10FFFF):
            return chr(code)
    raise _Unsure  # an escape libyaml refuses or reads its own way (\/, a line break...)


def _double(text: str) -> tuple[str, str]:
    """A one-line double-quoted scalar at the start of `text`: (value, what follows it)."""
    end = text.find('"', 1)
    if end > 0 and "\\" not in text[1:end]:
        return text[1:end], text[end + 1 :]
    m = _DOUBLE.match(text)
    if m is None:
        raise _Unsure  # no closing quote on this line
    body = m.group(1)
    if "\\" in body:
        if "\\\\" not in body and body.count("\\") == body.count('\\"'):
            # Only \" (as in prompts quoting the article): each backslash escapes a quote.
            body = body.replace('\\"', '"')
        else:
            body = _ESCAPE.sub(_unescape, body)
    return body, text[m.end() :]


def _single(text: str) -> tuple[str, str]:
    """A one-line single-quoted scalar at the start of `text`: (value, what follows it)."""
    out = []
    i = 1
    while True:
        end = text.find("'", i)
        if end < 0:
            raise _Unsure
        out.append(text[i:end])
        if text[end + 1 : end + 2] == "'":
            out.append("'")
            i = end + 2
            continue
        return "".join(out), text[end + 1 :]
