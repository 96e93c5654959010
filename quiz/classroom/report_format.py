"""The report's output: CSV for spreadsheets, JSON for scripts, and aligned text tables."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import fields, is_dataclass

from quiz.classroom.item_stats import THRESHOLDS
from quiz.classroom.report_records import AnswerRow, DrillStats, DrillSummary, LearnerSummary
from quiz.text import printable

_C1 = re.compile("[\x7f-\x9f]")
CSV_COLUMNS = [
    "drill_id",
    "learner",
    "deck",
    "card",
    "question",
    "given",
    "correct",
    "duration_ms",
    "answered_at",
]


def to_csv(rows: list[AnswerRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    cells: dict[str, str] = {}  # names and answers repeat: make each one printable once

    def cell(text: str) -> str:
        out = cells.get(text)
        if out is None:
            out = cells[text] = _cell(text)
        return out

    for r in rows:
        writer.writerow(
            [
                r.drill_id,
                cell(r.learner),
                r.deck,
                r.card,
                r.question,
                cell(r.given),
                r.correct,
                r.duration_ms,
                r.answered_at,
            ]
        )
    return buf.getvalue()


def _cell(text: str) -> str:
    # Names and answers are untrusted text. Control characters are shown escaped (the CSV may
    # be printed to a terminal), and a cell a spreadsheet would run as a formula (=, +, -, @)
    # gets a leading apostrophe (OWASP's advice on CSV injection).
    text = printable(text, 100_000)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_json(
    learners: list[LearnerSummary], drills: list[DrillStats], answers: list[AnswerRow]
) -> str:
    # The text json.dumps(doc, ensure_ascii=False, indent=2) gives, built faster (see _dumps);
    # the answers are flat records of plain values, so they skip the checks.
    parts = {
        "thresholds": _dumps(THRESHOLDS, 1),
        "learners": _dumps([_plain(x) for x in learners], 1),
        "drills": _dumps([_plain(d) for d in drills], 1),
        "answers": _dumps_records([vars(a) for a in answers], 1),
    }
    text = "{\n" + ",\n".join(f'  "{key}": {value}' for key, value in parts.items()) + "\n}"
    # json leaves DEL and the C1 controls (U+0080-U+009F, e.g. CSI) raw; as \u escapes they
    # are still the same JSON strings but can no longer act on a terminal. (isascii() is free,
    # the scan of 40 MB is not.)
    if text.isascii() and "\x7f" not in text:
        return text
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value):
    """dataclasses.asdict for our frozen records, without its deep copies (0.8 s on 200 drills)."""
    if type(value) in _SCALARS:
        return value
    if is_dataclass(value):
        names = _FIELDS.get(type(value)) or _FIELDS.setdefault(
            type(value), tuple(f.name for f in fields(value))
        )
        return {name: _plain(getattr(value, name)) for name in names}
    return [_plain(v) for v in value]  # tuples and lists


_encode_str = json.encoder.encode_basestring  # what json.dumps(s, ensure_ascii=False) uses (in C)


def _scalar(value) -> str:
    return _encode_str(value) if type(value) is str else json.dumps(value)


def _dumps(value, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), character for character, for str keys
    and plain values, but fast: indent= makes json use its pure-Python encoder (8 s for the
    report's 150,000 answers). A container of plain values goes through the C encoder in one
    call, with its indentation passed as the item separator."""
    if type(value) in _SCALARS:
        return _scalar(value)
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
    values = value.values() if isinstance(value, dict) else value
    if all(type(v) in _SCALARS for v in values):
        flat = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
        return flat[0] + inner + flat[1:-1] + pad + flat[-1]
    if isinstance(value, dict):
        parts = [_encode_str(k) + ": " + _dumps(v, depth + 1) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(parts) + pad + "}"
    if all(type(v) is dict and v and _SCALARS.issuperset(map(type, v.values())) for v in value):
        return _dumps_records(value, depth)
    return "[" + inner + ("," + inner).join(_dumps(v, depth + 1) for v in value) + pad + "]"


def _dumps_records(records: list[dict], depth: int) -> str:
    """_dumps of a list of non-empty dicts of plain values, in one call of the C encoder: the
    records' indentation is the separator, then the seams between records ("},<newline>
    <indent>{") get the list's. A newline inside a JSON string is escaped, so no value can
    contain a seam."""
    if not records:
        return "[]"
    pad, outer, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1), "\n" + "  " * (depth + 2)
    flat = json.dumps(
        records, ensure_ascii=False, separators=("," + inner, ": "), check_circular=False
    )
    body = flat.replace(
        "}," + inner + "{", outer + "}," + outer + "{" + inner
    )  # 40 MB: copy it once
    return "".join(("[", outer, "{", inner, body[2:-2], outer, "}", pad, "]"))


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def learner_table(learners: list[LearnerSummary]) -> tuple[list[str], list[list[str]]]:
    head = [
        "learner",
        "drills",
        "drill answers",
        "drill accuracy",
        "cards studied",
        "reviews",
        "retention",
    ]
    rows = [
        [
            s.name + (" (removed)" if s.removed else ""),
            str(s.drills),
            str(s.drill_answers),
            pct(s.drill_accuracy),
            str(s.cards_studied),
            str(s.study_reviews),
            pct(s.retention),
        ]
        for s in learners
    ]
    return head, rows


def drill_table(drills: list[DrillSummary]) -> tuple[list[str], list[list[str]]]:
    head = [
        "drill",
        "created",
        "decks",
        "seed",
        "questions",
        "learners",
        "complete",
        "mean",
        "alpha",
    ]
    rows = [
        [
            str(d.id),
            d.created_at[:16].replace("T", " "),
            ",".join(d.decks),
            d.seed,
            str(d.questions),
            str(d.attempts),
            str(d.complete),
            pct(d.mean_score),
            num(d.alpha),
        ]
        for d in drills
    ]
    return head, rows


def item_table(stats: DrillStats) -> tuple[list[str], list[list[str]]]:
    head = [
        "#",
        "deck",
        "card",
        "type",
        "n",
        "facility",
        "discrimination",
        "flags",
        "wrong answers",
    ]
    rows = [
        [
            str(i.number),
            i.deck_id,
            i.card_id,
            i.type,
            str(i.attempts),
            pct(i.facility),
            num(i.discrimination),
            " ".join(i.flags),
            wrong_text(i.wrong),
        ]
        for i in stats.items
    ]
    return head, rows


def wrong_text(wrong: tuple[tuple[str, int], ...], limit: int = 40) -> str:
    parts = []
    for text, n in wrong:
        label = text if text else "(blank)"
        if len(label) > limit:
            label = label[: limit - 1] + "…"
        parts.append(f"{label}: {n}")
    return "; ".join(parts)


def format_table(head: list[str], rows: list[list[str]]) -> str:
    """A plain text table; callers make cells printable first."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(head)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)
