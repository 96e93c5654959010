"""Making untrusted text safe to print in a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(value, limit: int = 200) -> str:
    """Text with control characters (escape sequences) made visible, cut to `limit` characters."""
    text = value if isinstance(value, str) else str(type(value).__name__)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plain(text: str) -> str:
    """Deck text for display: control characters removed, tabs and newlines kept."""
    return _CONTROL.sub("", text.replace("\t", "    "))
