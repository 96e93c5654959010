"""Two-column "term, definition" files (Quizlet exports, Anki text exports, spreadsheets) to a
lint-clean YAML deck of `basic` cards.

Handled: tab, comma or semicolon separated (sniffed, or Anki's `#separator:` line); Anki's other
`#key:value` header lines (`#html:true` turns the fields' HTML back into text; `#tags column:N`
gives the tags; guid/notetype/deck columns are skipped); an optional header row such as
"term,definition" or "front,back"; quoted fields with separators, quotes and newlines; a UTF-8
BOM or a UTF-16 BOM (Excel's "Unicode text"); CRLF or CR line ends.
Every problem is reported as `FILE:LINE: message`, never as a traceback.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quiz.content.deck import ID_RE, LIMITS

MAX_BYTES = 20 * 1024 * 1024
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "colon": ":", "space": " "}
HEAD_TERM = {"term", "terms", "front", "question", "questions", "prompt", "word", "side 1", "card"}
HEAD_DEF = {
    "definition",
    "definitions",
    "back",
    "answer",
    "answers",
    "meaning",
    "side 2",
    "translation",
    "description",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>|</div>|</p>", re.I)
MAX_SHOWN = 20


class ImportProblems(Exception):
    """The file cannot be imported; `lines` are `FILE:LINE: message` texts."""

    def __init__(self, lines: list[str]):
        super().__init__(lines[0] if lines else "import failed")
        self.lines = lines


@dataclass(frozen=True)
class Row:
    line: int
    term: str
    definition: str
    tags: tuple[str, ...] = ()


@dataclass
class Parsed:
    rows: list[Row]
    separator: str
    header: bool = False  # a header row was skipped
    extra_columns: int = 0  # columns beyond term and definition, ignored
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportProblems(
                [f"{name}:1: not valid UTF-16 text despite its byte-order mark"]
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportProblems(
            [
                f"{name}:{line}: not UTF-8 text (byte 0x{data[e.start]:02x}); "
                "save the file as UTF-8 and try again"
            ]
        ) from None


def clean(text: str, as_html: bool = False) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if as_html:
        text = html.unescape(_TAG.sub("", _BR.sub("\n", text)))
        text = text.replace("\xa0", " ")
    return _CONTROL.sub("", text).strip()


def _header_lines(text: str) -> tuple[dict[str, str], int]:
    """Anki's `#key:value` lines at the top: the settings and how many lines they take."""
    settings: dict[str, str] = {}
    count = 0
    for line in io.StringIO(text, newline=""):
        m = re.match(r"#([a-z ]+):(.*)$", line.rstrip("\r\n"), re.I)
        if not m:
            break
        settings[m.group(1).strip().lower()] = m.group(2).strip()
        count += 1
    return settings, count


def _records(text: str, sep: str, first_line: int, name: str):
    """(start line, fields) per record; blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    last = 0
    while True:
        start = first_line + last
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise ImportProblems([f"{name}:{first_line + reader.line_num - 1}: {e}"]) from None
        last = reader.line_num
        if record and any(f.strip() for f in record):
            yield start, record


def sniff(text: str, name: str) -> str:
    """The separator that splits the first rows most consistently into two or more columns;
    ties go to the one the file name suggests, then tab (Quizlet's default), comma, semicolon."""
    sample = "".join(itertools.islice(io.StringIO(text, newline=""), 200))
    suffix = Path(name).suffix.lower()
    order = ["\t", ",", ";"]
    if suffix == ".csv":
        order = [",", ";", "\t"]
    best, best_score = order[0], None
    for rank, sep in enumerate(order):
        try:
            widths = [len(r) for _, r in _records(sample, sep, 1, name)]
        except ImportProblems:
            continue
        if not widths:
            continue
        two_plus = sum(w >= 2 for w in widths) / len(widths)
        common = Counter(widths).most_common(1)[0][1] / len(widths)
        score = (round(two_plus, 3), round(common, 3), -rank)
        if best_score is None or score > best_score:
            best, best_score = sep, score
    return best


def _column(settings: dict[str, str], key: str) -> int | None:
    try:
        return int(settings[key]) - 1
    except (KeyError, ValueError):
        return None


def parse(data: bytes, name: str) -> Parsed:
    """Rows of (term, definition) with their line numbers. Raises ImportProblems."""
    if len(data) > MAX_BYTES:
        raise ImportProblems(
            [
                f"{name}: too large to import ({len(data) / 1e6:.1f} MB; at most "
                f"{MAX_BYTES // (1024 * 1024)} MB)"
            ]
        )
    text = decode(data, name)
    settings, skipped = _header_lines(text)
    body = "".join(io.StringIO(text, newline="").readlines()[skipped:]) if skipped else text
    sep_name = settings.get("separator", "")
    sep = SEPARATORS.get(sep_name.lower(), sep_name if len(sep_name) == 1 else "") or sniff(
        body, name
    )
    as_html = settings.get("html", "").lower() == "true"
    meta = {
        c
        for c in (_column(settings, k) for k in ("guid column", "notetype column", "deck column"))
        if c is not None
    }
    tags_col = _column(settings, "tags column")
    if tags_col is not None:
        meta.add(tags_col)
    problems: list[str] = []
    rows: list[Row] = []
    parsed = Parsed(rows, sep)
    first = True
    for line, record in _records(body, sep, skipped + 1, name):
        fields = [f for i, f in enumerate(record) if i not in meta]
        if first:
            first = False
            if (
                len(fields) >= 2
                and clean(fields[0]).lower() in HEAD_TERM
                and clean(fields[1]).lower() in HEAD_DEF
            ):
                parsed.header = True
                continue
        if len(fields) < 2:
            problems.append(
                f"{name}:{line}: expected two columns (term and definition)"
                + (", found one" if fields else "")
            )
            continue
        parsed.extra_columns = max(parsed.extra_columns, len(fields) - 2)
        term, definition = clean(fields[0], as_html), clean(fields[1], as_html)
        tags: tuple[str, ...] = ()
        if tags_col is not None and tags_col < len(record):
            tags = tuple(t[:40] for t in record[tags_col].split() if t)
        for label, value, limit in (
            ("term", term, LIMITS["prompt"]),
            ("definition", definition, LIMITS["answer"]),
        ):
            if not value:
                problems.append(f"{name}:{line}: empty {label}")
            elif len(value) > limit:
                problems.append(
                    f"{name}:{line}: {label} is too long ({len(value)} characters; at most {limit})"
                )
        if "{{" in term:
            problems.append(
                f"{name}:{line}: '{{{{' in a term: blanks belong to cloze cards, "
                "which import does not make"
            )
        rows.append(Row(line, term, definition, tags))
    if problems:
        raise ImportProblems(problems)
    if not rows:
        raise ImportProblems(
            [f"{name}:1: no rows to import (expected lines of term and definition)"]
        )
    return parsed


def slug(text: str, limit: int = 60) -> str:
    """Kebab-case ASCII from text ("Château d'If" -> "chateau-d-if"); "" if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(out) > limit:
        cut = out[:limit]
        out = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return out.strip("-")


def unique_ids(terms: list[str]) -> list[str]:
    """One id per term, from the term; repeats get -2, -3, ... (never clashing with a real one)."""
    bases = [slug(t) or "card" for t in terms]
    used: set[str] = set()
    out = []
    for base in bases:
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out


def deck_document(parsed: Parsed, deck_id: str, title: str, origin: str) -> dict:
    cards = []
    for card_id, row in zip(unique_ids([r.term for r in parsed.rows]), parsed.rows):
        card = {
            "id": card_id,
            "type": "basic",
            "prompt": row.term,
            "answer": row.definition,
            "source": {"imported": origin},
        }
        if row.tags:
            card["tags"] = list(row.tags)
        cards.append(card)
    return {
        "deck": {"id": deck_id, "title": title, "description": f"Imported from {origin}"},
        "cards": cards,
    }


def dump_yaml(doc: dict, progress=None, chunk: int = 1000) -> tuple[str, list[str]]:
    """yaml.safe_dump's representation (the C emitter when present), as the deck head (ending
    in "cards:") and the cards in chunks of YAML list items: joined they are the file, and each
    chunk can be checked on its own, so progress can move on a large import."""
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):
        pass

    def text(dumper, value: str):
        # Multi-line text as a literal block (PyYAML falls back to quotes where it must).
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    options = dict(
        Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1 << 30, default_flow_style=False
    )
    head = yaml.dump({"deck": doc["deck"]}, **options) + "cards:\n"
    cards = doc["cards"]
    chunks = []
    for i in range(0, len(cards), chunk):
        chunks.append(yaml.dump(cards[i : i + chunk], **options))
        if progress is not None:
            progress.update(len(cards[i : i + chunk]))
    return head, chunks


def check_yaml(
    head: str,
    chunks: list[str],
    path: str,
    library,
    progress=None,
    *,
    total: int = 0,
    chunk: int = 1000,
):
    """The deck's lint errors, found exactly as `quiz lint` finds them, a chunk at a time.
    (Card ids are unique by construction, so checking chunks apart misses nothing.)"""
    from quiz.content.deck import parse_deck

    errors = []
    for i, part in enumerate(chunks):
        result = parse_deck((head + part).encode("utf-8"), path, library)
        errors.extend(result.errors)
        if progress is not None:
            progress.update(min(chunk, total - i * chunk))
    return errors


def default_deck_id(out: Path) -> str:
    return slug(out.stem, 80) or "imported"


def default_title(out: Path) -> str:
    words = re.sub(r"[-_]+", " ", out.stem).strip()
    return (words[:1].upper() + words[1:])[:200] or "Imported deck"


def check_deck_id(deck_id: str) -> str | None:
    if not ID_RE.match(deck_id) or len(deck_id) > 80:
        return f"deck id '{deck_id}' must be kebab-case (a-z, 0-9, '-'), at most 80 characters"
    return None
