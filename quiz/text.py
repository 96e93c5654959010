"""Making untrusted text safe to print in a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(value, limit: int = 200) -> str:
    """Text with control characters (escape sequences) made visible, cut to `limit` characters."""
    text = value if isinstance(value, str) else str(type(value).__name__)
    if len(text) > limit:
        text = text[:limit] + "…"
    # Newlines too: one problem is one line.
    return _CONTROL_OR_NEWLINE.sub(_escape, text)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED.get(ch) or f"\\x{ord(ch):02x}"


def plain(text: str) -> str:
    """Deck text for display: control characters removed, tabs and newlines kept."""
    return _CONTROL.sub("", text.replace("\t", "    "))
