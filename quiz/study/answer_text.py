"""The words of an answer as graded: lowercase, without accents, punctuation or articles."""

from __future__ import annotations

import re
import unicodedata

ARTICLES = frozenset({"the", "a", "an"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_JOINERS = re.compile(r"(?<=\w)['\u2019.](?=\w)")


def normalize(text: str) -> str:
    """Lowercase words without accents, punctuation or articles ("U.S." is "us",
    "gentlemen's" is "gentlemens")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = _WORD.findall(_JOINERS.sub("", text.casefold()))
    content = [w for w in words if w not in ARTICLES]
    return " ".join(content or words)
