"""Numbers and dates in one spelling, so "five" is "5" and "19 October 1956" is
"October 19th, 1956", while "six" stays six."""

from __future__ import annotations

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
CARDINALS = {w: n for n, w in enumerate(_UNITS)} | _TENS | {"dozen": 12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_ORDINAL_TENS = {"twenty": 20, "thirty": 30}
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH_ABBR = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september",
    "oct": "october", "nov": "november", "dec": "december",
}  # fmt: skip
_SUFFIXES = ("st", "nd", "rd", "th")
# "World War II", "Catherine II": Roman numerals as digits (both sides alike, so "I" the
# pronoun meets itself). "WWII" is "ww2".
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _ordinal(n: int) -> str:
    return f"{n}th"  # one spelling for every ordinal: "1st", "first" and "1th" alike


def is_number(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def _day(token: str) -> int | None:
    digits = token[:-2] if token.endswith(_SUFFIXES) else token
    if digits.isdecimal() and 1 <= int(digits) <= 31:
        return int(digits)
    return None


# "the Strait of La Perouse" is "the La Perouse Strait", "Day of Northern Territories" is
# "Northern Territories Day".
FEATURES = frozenset(
    "strait straits sea gulf bay lake mount river cape peninsula isle island islands day".split()
)


def feature_last(words: list[str]) -> list[str]:
    if len(words) > 2 and words[0] in FEATURES and words[1] == "of":
        return [*words[2:], words[0]]
    return words


def canonical(words: list[str]) -> list[str]:
    """Number words as digits ("twenty five" is "25", "fifth" is "5th"), month abbreviations
    spelt out, a day-month-year date in one order, and "<feature> of X" as "X <feature>"."""
    words = feature_last(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _TENS and nxt in CARDINALS and 0 < CARDINALS[nxt] < 10:
            out.append(str(_TENS[w] + CARDINALS[nxt]))
            i += 2
            continue
        if w in _ORDINAL_TENS and nxt in ORDINALS and ORDINALS[nxt] < 10:
            out.append(_ordinal(_ORDINAL_TENS[w] + ORDINALS[nxt]))
            i += 2
            continue
        if w in CARDINALS:
            out.append(str(CARDINALS[w]))
        elif w in ROMAN:
            out.append(str(ROMAN[w]))
        elif w.startswith("ww") and w[2:] in ROMAN:
            out.append(f"ww{ROMAN[w[2:]]}")
        elif w in ORDINALS:
            out.append(_ordinal(ORDINALS[w]))
        elif w[:-2].isdecimal() and w.endswith(_SUFFIXES):
            out.append(_ordinal(int(w[:-2])))
        else:
            out.append(_MONTH_ABBR.get(w, w))
        i += 1
    # "five (5)": one number, said twice
    out = [w for i, w in enumerate(out) if not (i and w == out[i - 1] and w.isdigit())]
    return _dates(out)


def _dates(words: list[str]) -> list[str]:
    """ "19 october 1956", "19th of october 1956" and "october 19 1956" as "october 19 1956"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        day = _day(w)
        rest = words[i + 1 :]
        if day is not None and rest[:1] == ["of"] and rest[1:2] and rest[1] in MONTHS:
            rest = rest[1:]
            i += 1
        if day is not None and rest and rest[0] in MONTHS:
            out += [rest[0], str(day)]
            i += 2
            continue
        if w in MONTHS and rest and _day(rest[0]) is not None:
            out += [w, str(_day(rest[0]))]
            i += 2
            continue
        out.append(w)
        i += 1
    return out
