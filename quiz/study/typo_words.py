"""When one slip of the keyboard is a typo, and when it is another word.

"Stallng" for "stalling" is a typo; "stalking" is a different word that happens to be one
letter away, and "remilitarization" is the opposite of "demilitarization". A slip is forgiven
only when it makes no real English word (pyspellchecker's English list, which is cleaned of
common misspellings, plus the words of the card's own article) and does not swap a prefix for
its opposite. British and American spellings of one word ("demilitarisation") are the same
word, not a typo.
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from functools import lru_cache
from pathlib import Path

# Prefixes that turn a word into its opposite; "" is the bare word (un-/"" is "unable"/"able").
# One edit turns "de" into "re", so these are caught here whatever the word list says.
OPPOSITE_PREFIXES = (
    ("de", "re"), ("de", ""), ("un", ""), ("in", ""), ("im", ""), ("il", ""), ("ir", ""),
    ("dis", ""), ("non", ""), ("anti", "pro"), ("anti", ""), ("pre", "post"),
    ("over", "under"), ("in", "ex"), ("im", "ex"), ("in", "out"), ("up", "down"),
    ("inter", "intra"), ("hyper", "hypo"), ("micro", "macro"), ("mis", ""),
)  # fmt: skip
_MIN_STEM = 4  # "de"+"form" / "re"+"form": a shorter stem is no word of its own

# British endings and their American spelling, both the same word.
_US_SPELLING = (
    # "realise", "organisation"; a stem with a vowel, so never "prise" / "prize"
    (r"^(.*[aeiouy].*[^aeiou])is(e|es|ed|ing|er|ers|ation|ations|able)$", r"\1iz\2"),
    (r"ys(e|es|ed|ing|er|ers)$", r"yz\1"),
    # "colour", "behaviour"; a stem with a vowel, so never "pouring" / "poring"
    (r"^(.*[aeiouy][^aeiou]*)our(s|ed|ing|ite|ites|able|er|ers)?$", r"\1or\2"),
    (r"([^aeiou])re(s|d)?$", r"\1er\2"),
    (r"ence(s)?$", r"ense\1"),
    (r"ogue(s)?$", r"og\1"),
    # "travelled", "rivalled" (two syllables before the double l, the last in a, e or o),
    # never "filled" / "filed" nor "refilled" / "refiled"
    (r"^(.*[aeiou][^aeiou]+[aeo])ll(ed|ing|er|ers)$", r"\1l\2"),
)
_NOT_VARIANTS = {"timbre", "genre", "cadre", "ogre", "mediocre", "massacre", "acre", "lucre"}


def one_typo(a: str, b: str) -> bool:
    """True when a and b differ by a single edit (or a swap of neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def opposite_prefix(a: str, b: str) -> bool:
    """True when a and b are one stem with opposite prefixes ("demilitarization",
    "remilitarization"; "able", "unable")."""
    for p, q in OPPOSITE_PREFIXES:
        for x, y in ((a, b), (b, a)):
            if x.startswith(p) and y.startswith(q):
                stem = x[len(p) :]
                if len(stem) >= _MIN_STEM and stem == y[len(q) :]:
                    return True
    return False


def american(word: str) -> str:
    if word in _NOT_VARIANTS or word.rstrip("sd") in _NOT_VARIANTS:
        return word
    for pattern, repl in _US_SPELLING:  # compiled by `re` on first use, then cached
        word = re.sub(pattern, repl, word)
    return word


def same_word_spelt_otherwise(a: str, b: str) -> bool:
    """British and American spellings of one word ("demilitarisation", "defence", "centre")."""
    return a != b and american(a) == american(b)


def plural_of(a: str, b: str) -> bool:
    """One is the other with a plural ending ("incentive", "incentives"; "territory",
    "territories")."""
    short, long_ = sorted((a, b), key=len)
    return long_ in (short + "s", short + "es") or (
        short.endswith("y") and long_ == short[:-1] + "ies"
    )


def is_word(word: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether `word` (casefolded, no accents or apostrophes) is a real word: in the English
    word list or among `also` (the article's own words)."""
    if word in also:
        return True
    return _in_sorted_lines(_word_text(), word)


def _in_sorted_lines(text: str, word: str) -> bool:
    """Whether `word` is a line of `text` ("\n"-framed, lines sorted): a binary search on the
    text itself, so the list is never split into a set (a tenth of a second)."""
    if "\n" in word or not word:
        return False
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind("\n", 0, mid) + 1
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = text[start:end]
        if line == word:
            return True
        if line < word:
            lo = end + 1
        else:
            hi = start - 1  # the "\n" before this line
    return False


# -- the word list ---------------------------------------------------------------------------
# pyspellchecker ships its English list as gzipped JSON (word: count). Parsing it costs a tenth
# of a second; a plain "\nword\n" text derived from it once (in the cache folder, per version of
# the package) loads in about a millisecond and answers a lookup by a substring search, so the
# first typo a learner makes costs a few ms, and an exact answer never loads anything.

_FORMAT = 2  # of the derived text: a change of what it keeps makes a new file
_KEY = r'(?m)^"(.*?)": '


@lru_cache(maxsize=1)
def _word_text() -> str:
    source = _source()
    if source is None:
        return "\n"
    try:
        st = source.stat()
    except OSError:
        return "\n"
    # Keyed on the list's size and time, not the package's version: reading the version
    # (importlib.metadata) costs more than reading the list.
    cached = _cache_path(f"{st.st_size}-{st.st_mtime_ns}")
    if cached is not None:
        try:
            return cached.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    try:
        raw = zlib.decompress(source.read_bytes(), 31).decode("utf-8")
    except (OSError, zlib.error, UnicodeDecodeError):
        return "\n"
    # Possessives ("gentleman's") are left out: folded to "gentlemans" they would make the
    # slip "gentleman's" for "gentlemen's" look like another word.
    words = sorted({k for k in re.findall(_KEY, raw) if "'" not in k})
    text = "\n" + "\n".join(words) + "\n"
    if cached is not None:
        _write_quietly(cached, text)
    return text


def _source() -> Path | None:
    """pyspellchecker's English list, found without importing the package (nor importlib's
    machinery, which costs more than the list)."""
    for entry in sys.path:
        path = Path(entry or ".") / "spellchecker" / "resources" / "en.json.gz"
        if path.is_file():
            return path
    import importlib.util

    try:
        spec = importlib.util.find_spec("spellchecker")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "resources" / "en.json.gz"


def _cache_path(key: str) -> Path | None:
    env = os.environ.get("QUIZ_CACHE_DIR")
    if env:
        folder = Path(env).expanduser() / "words"
    else:
        try:
            from platformdirs import user_cache_dir
        except ImportError:
            return None
        folder = Path(user_cache_dir("quiz", appauthor=False)) / "words"
    return folder / f"en-pyspellchecker-{_FORMAT}-{key}.txt"


def _write_quietly(path: Path, text: str) -> None:
    """A cache: written whole or not at all, and a failure only costs the next run's time."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
