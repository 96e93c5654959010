"""A file the user brings (.txt, .md, .html) turned into an article's stored text and metadata.

The stored text is plain UTF-8, one paragraph per block (blank-line separated), so quotes, the
reader and coverage work on it exactly as on the bundled seeds. HTML goes through trafilatura
(the field's standard main-content extractor): body paragraphs kept; menus, promo boxes,
related lists, footers, comments and scripts dropped; title, author, date and site name read
from the page. Every refusal is an ImportRefused with one line to show.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

MAX_BYTES = 16 * 1024 * 1024  # a long book chapter in HTML is ~1 MB; 16 MB is generous
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_BODY_WORDS = 20  # less than this from a page is a menu, not an article


class ImportRefused(Exception):
    """The file cannot become an article; the message is one line for the user."""


@dataclass(frozen=True)
class Imported:
    text: str
    title: str | None
    author: str | None = None
    publication: str | None = None
    date: str | None = None
    kind: str = "text"  # text | markdown | html
    sha256: str = ""


def read_source(path: Path) -> bytes:
    """The file's bytes, refusing what is not a readable regular file of sensible size."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ImportRefused(f"{path}: no such file") from None
    except OSError as e:
        raise ImportRefused(f"{path}: cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(mode):
        raise ImportRefused(f"{path}: is a directory; give an article file (.txt, .md, .html)")
    if not stat.S_ISREG(mode):
        raise ImportRefused(f"{path}: not a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ImportRefused(f"{path}: cannot read ({e.strerror or e})") from None
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{path}: too large for an article (over {MAX_BYTES // 2**20} MB)")
    if not data.strip():
        raise ImportRefused(f"{path}: is empty")
    return data


def import_file(path: Path) -> Imported:
    data = read_source(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        raise ImportRefused(
            f"{path}: PDF is not supported (its text order is unreliable); "
            "save the article as text or HTML first"
        )
    if suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES | MARKDOWN_SUFFIXES and _looks_html(data)
    ):
        result = from_html(data, path)
    elif suffix in TEXT_SUFFIXES | MARKDOWN_SUFFIXES or not suffix:
        text = decode_text(data, path)
        result = from_markdown(text) if suffix in MARKDOWN_SUFFIXES else from_text(text)
    else:
        raise ImportRefused(f"{path}: unsupported file type '{suffix}' (use .txt, .md or .html)")
    if not result.text.strip():
        raise ImportRefused(f"{path}: no article text found")
    return replace(result, sha256=hashlib.sha256(data).hexdigest())


def decode_text(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise ImportRefused(f"{path}: a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportRefused(f"{path}:{line}: not UTF-8 text (save it as UTF-8)") from None
    if _control_share(text) > 0.05:
        raise ImportRefused(f"{path}: a binary file, not text")
    return text


def _control_share(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:65536].lower()


def normalize_blocks(blocks: list[str]) -> str:
    """Paragraphs joined the stored way: each block's lines trimmed, one blank line between."""
    out = []
    for block in blocks:
        lines = [ln.strip() for ln in block.splitlines()]
        joined = "\n".join(ln for ln in lines if ln)
        if joined:
            out.append(joined)
    return "\n\n".join(out) + ("\n" if out else "")


_BLANK = re.compile(r"\n[ \t]*\n")


def from_text(text: str) -> Imported:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK.split(text)
    if len(blocks) == 1:
        # No blank lines at all: one paragraph per line (how many editors save prose).
        blocks = text.split("\n")
    stored = normalize_blocks(blocks)
    return Imported(stored, _title_from_first(stored), kind="text")


def _title_from_first(stored: str) -> str | None:
    first = stored.split("\n\n", 1)[0].strip()
    if first and len(first.split()) <= 15 and not first.endswith((".", ",", ";", ":")):
        return first
    return None


_FRONT = re.compile(r"\A---\n(.*?)\n(---|\.\.\.)\n", re.S)
_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_QUOTE_MARK = re.compile(r"^>\s?", re.M)


def from_markdown(text: str) -> Imported:
    import yaml

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict = {}
    m = _FRONT.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            meta = loaded
        text = text[m.end() :]
    title = None
    h1 = re.search(r"^#\s+(.+)$", text, re.M)
    if h1:
        title = h1.group(1).strip()
    body = _IMAGE.sub("", text)
    body = _LINK.sub(r"\1", body)
    body = _EMPHASIS.sub(r"\2", body)
    body = _QUOTE_MARK.sub("", body)
    body = _HEADING.sub("", body)
    result = from_text(body)

    def field(key: str) -> str | None:
        value = meta.get(key)
        return None if value is None or isinstance(value, (dict, list)) else str(value)

    return replace(
        result,
        kind="markdown",
        title=field("title") or title or result.title,
        author=field("author"),
        publication=field("publication"),
        date=_iso_date(meta.get("date")),
    )


def from_html(data: bytes, path: Path) -> Imported:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
        )
    except Exception:  # the extractor's own failure on a hostile page is still one line
        doc = None
    text = getattr(doc, "text", None) or ""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    title = _clean(getattr(doc, "title", None))
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]  # the headline repeated: the reader shows the title already
    if sum(len(ln.split()) for ln in lines) < MIN_BODY_WORDS:
        raise ImportRefused(f"{path}: no article body found in this HTML page")
    return Imported(
        text=normalize_blocks(lines),
        title=title,
        author=_clean(getattr(doc, "author", None)),
        publication=_clean(getattr(doc, "sitename", None)),
        date=_iso_date(getattr(doc, "date", None)),
        kind="html",
    )


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:300] or None


def _iso_date(value) -> str | None:
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def slug(text: str, limit: int = 60) -> str:
    """A kebab-case id from a title: accents dropped, at most `limit` characters, whole words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")
