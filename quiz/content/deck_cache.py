"""A parse cache for deck files, so the app starts without re-parsing decks that did not change.

Parsing YAML with line numbers and checking every card is the slow part of start-up (seconds
for 100,000 cards); reading and hashing the same files takes milliseconds. So the app keeps,
per deck file, the result of its last parse as JSON, keyed by the file's path and sha256 and
by fingerprints of the parser's code and of the articles (a changed quote check must not be
served stale). Only the app's start-up uses it: `quiz lint` always parses in full.

Two shortcuts come first, for the app's start-up (load_catalog(cached=True, store=store)):
- a small index of each file's (size, mtime, ctime, inode) -> sha256, so an unchanged file
  is not even read (as git's index does; a write always moves ctime);
- a file whose sha256 is the store's decks.content_hash is not parsed at all: its cards are
  already in the store, and quiz.stored_deck reads them from there when they are needed.

A first-ever start (a new user's first impression) finds no cache and no store: the bundled
decks then come parsed with the package (bundled_decks.json beside this module, made by
tests/test_bundled_parse.py), each used only for a file in the bundled folder whose sha256, and
the parser's and the articles' fingerprints, are the ones it was made from; any other file, or
any difference, is parsed as before. The cost: that file (the decks' parse, ~150 KB) must be
regenerated when a bundled deck, an article or the parser changes (the test fails until then;
meanwhile starts only parse as they did).

Safety: the cache is plain JSON (never pickle: a planted cache file must not run code), every
field is type-checked on the way in, and anything unexpected (missing, corrupt, truncated,
unreadable, another version) is a miss: the file is parsed again and the entry rewritten.
Writes go to a temporary file and are renamed into place, so a crash leaves no half entry.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
from dataclasses import replace
from functools import cached_property, lru_cache, partial
from pathlib import Path

from quiz import __version__, paths
from quiz.content import yamlfile
from quiz.content.articles import Library
from quiz.content.cache_files import read_regular as _read_regular
from quiz.content.cache_files import write_file as _write_file
from quiz.content.cache_files import write_json as _write_json
from quiz.content.deck import (
    LoadResult,
    deck_files,
    parse_deck,
    parse_deck_checked,
    read_deck_file,
)
from quiz.content.deck_json import result_from_json, result_to_json

FORMAT = "quiz-deck-cache"
VERSION = 1
STAT_INDEX = "files.index"  # JSON too; not *.json, which are the entries
SHIPPED = Path(__file__).with_name("bundled_decks.json")
# The modules whose code decides what a parse returns; a change to any of them is a miss.
_PARSER_MODULES = (
    "deck.py",
    "yamlfile.py",
    "yamlfast.py",
    "yaml_events.py",
    "yaml_values.py",
    "deck_delta.py",
    "articles.py",
    "../text.py",  # quiz/text.py: printable(), in every problem's message
    "deck_cache.py",
    "deck_json.py",
)


def cache_dir() -> Path:
    env = os.environ.get("QUIZ_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "decks"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("quiz", appauthor=False)) / "decks"


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    h = hashlib.sha256(f"{FORMAT}:{VERSION}:{__version__}".encode())
    here = Path(__file__).resolve().parent
    for name in _PARSER_MODULES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(b"?" + name.encode())
    return h.hexdigest()


def library_fingerprint(library: Library) -> str:
    h = hashlib.sha256()
    for article_id in sorted(library.articles):
        a = library.articles[article_id]
        h.update(json.dumps([a.id, a.file, a.title, a.author, a.publication, a.date]).encode())
        h.update(hashlib.sha256(a.text.encode("utf-8", "surrogatepass")).digest())
    return h.hexdigest()


class DeckCache:
    """Reads deck files through the cache. One per load: it holds the fingerprints."""

    def __init__(
        self,
        library: Library,
        folder: Path | None = None,
        *,
        store=None,
        use_json: bool = True,
        later: list | None = None,
    ):
        self.library = library
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.use_json = use_json
        self.synced = _synced_decks(store) if store is not None else {}
        self.store_path = store.path if store is not None else None
        self._stat_index: dict | None = None
        self._stat_dirty = False
        self.hits = 0  # from the JSON cache
        self.stored = 0  # unchanged since the store's last sync: cards left in the store
        self.misses = 0
        self.edited = 0  # changed since the store's sync: only the changed cards parsed
        self.shipped = 0  # bundled decks, parsed with the package (SHIPPED)
        self._shipped_decks: dict | None = None
        # Cache writes the caller lets wait (the app: until its first screen is drawn), else
        # done at once. Losing them costs the next start a parse, never a wrong card: an index
        # or entry names the sha256 it describes.
        self.later = later

    @cached_property
    def key(self) -> dict:
        """What an entry must have been made from. Worked out when first needed: a start with
        every file unchanged (the stored decks) never needs it, and hashing the articles'
        text for it was 0.6 ms of every start."""
        return {"parser": parser_fingerprint(), "library": library_fingerprint(self.library)}

    def read(self, path: Path) -> LoadResult:
        """What read_deck_file(path) returns, from the cache when the file is unchanged."""
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode) or st.st_size > yamlfile.MAX_BYTES:
            return read_deck_file(path, self.library)  # it reports what is wrong
        data = None
        digest = self._known_digest(path, st)
        if digest is None:
            data = _read_regular(path)
            if data is None:
                return read_deck_file(path, self.library)
            digest = hashlib.sha256(data).hexdigest()
            self._note(path, st, digest)
        row = self.synced.get(digest)
        if row is not None:
            from quiz.content.stored_deck import stored_deck

            self.stored += 1
            return LoadResult(stored_deck(row, self.store_path, str(path)), [])
        entry = self._entry(path)
        if self.store_path is not None:
            if data is None:
                data = _read_regular(path)
                if data is None:
                    return read_deck_file(path, self.library)
                digest = hashlib.sha256(data).hexdigest()
            edited = self._reread(entry, str(path), digest, data)
            if edited is not None:
                self.edited += 1
                return edited
        if self.use_json:
            cached = self._load(entry, str(path), digest)
            if cached is not None:
                self.hits += 1
                return cached
        if data is None:
            data = _read_regular(path)
            if data is None:
                return read_deck_file(path, self.library)
            digest = hashlib.sha256(data).hexdigest()
        shipped = self._shipped(path, digest)
        if shipped is not None:
            # Nothing written for it: the next start finds the deck in the store, and an edit
            # of a bundled file (its author's) is parsed in full once, as a miss.
            self.shipped += 1
            return shipped
        self.misses += 1
        result, checker, text = parse_deck_checked(data, str(path), self.library)
        if self.use_json:
            self._defer(self._store, entry, str(path), digest, result)
        if self.store_path is not None and checker is not None:
            self._defer(self._index_parsed, entry, str(path), (text, digest, checker, result), data)
        return result

    def _shipped(self, path: Path, digest: str) -> LoadResult | None:
        if Path(path).parent != paths.decks_dir():
            return None
        if self._shipped_decks is None:
            self._shipped_decks = _read_shipped(self.key)
        doc = self._shipped_decks.get(Path(path).name)
        if not isinstance(doc, dict) or doc.get("sha256") != digest:
            return None
        try:
            return result_from_json(doc, str(path), digest)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None

    def _defer(self, job, *args) -> None:
        if self.later is None:
            job(*args)
        else:
            self.later.append(partial(job, *args))

    def _index_parsed(self, entry: Path, path: str, parsed: tuple, data: bytes) -> None:
        from quiz.content import deck_delta  # only for a file just parsed: after the first card

        index = deck_delta.build_index(*parsed, data)
        if index is not None:
            self._write_index(entry, path, index, data)

    # -- an edited file: only its changed cards parsed (quiz.content.deck_delta) -------------

    def _index_name(self, entry: Path) -> str:
        return entry.stem + ".cards"

    def _write_index(self, entry: Path, path: str, index: dict, data: bytes) -> None:
        # The file as indexed, beside the index and named by its sha256 (written first: the
        # index names it), so the next edit is found by comparing the two files' bytes, not by
        # cutting and hashing every card again (deck_delta._cut_since).
        keep = self._text_name(entry, index["sha256"])
        _write_file(self.folder, keep, data)
        doc = {"format": FORMAT, "version": VERSION, "path": path, **self.key, "index": index}
        _write_json(self.folder, self._index_name(entry), doc)
        try:
            for name in os.listdir(self.folder):
                if name.startswith(entry.stem + ".") and name.endswith(".text") and name != keep:
                    os.unlink(self.folder / name)
        except OSError:
            pass

    def _text_name(self, entry: Path, digest: str) -> str:
        return f"{entry.stem}.{digest}.text"

    def _indexed_bytes(self, entry: Path, index: dict) -> bytes | None:
        """The bytes the index was made from, if their copy is there and whole. Trusted as the
        parse cache's entries are (written by us, atomically, under their content's name),
        not hashed again: that was a tenth of what the start after an edit spent."""
        try:
            with open(self.folder / self._text_name(entry, index["sha256"]), "rb") as f:
                data = f.read(yamlfile.MAX_BYTES + 1)
        except OSError:
            return None
        return data if len(data) == index["layout"][1] else None

    def _reread(self, entry: Path, path: str, digest: str, data: bytes) -> LoadResult | None:
        try:
            with open(self.folder / self._index_name(entry), "rb") as f:
                doc = json.loads(f.read(yamlfile.MAX_BYTES))
            # Imported only now: an unchanged start never gets here, a first start has no index.
            from quiz.content import deck_delta

            if not (
                isinstance(doc, dict)
                and doc.get("format") == FORMAT
                and doc.get("version") == VERSION
                and doc.get("path") == path
                and doc.get("parser") == self.key["parser"]
                and doc.get("library") == self.key["library"]
            ):
                return None
            index = deck_delta.checked_index(doc["index"])
            row = self.synced.get(index["sha256"])
            if row is None or row["id"] != index["deck"][0]:
                return None  # the store does not hold the version the index describes
            old = self._indexed_bytes(entry, index)
            text = yamlfile.decode(data)
            found = deck_delta.reread(text, digest, path, index, self.library, data, old)
        except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
        except yamlfile.YamlError:
            return None
        if found is None:
            return None
        result, delta, new_index = found
        self._defer(self._write_index, entry, path, new_index, data)
        from quiz.content.stored_deck import EditedCards

        library = self.library

        def reparse():
            full = parse_deck(data, path, library).deck
            return full.cards if full is not None else ()

        cards = EditedCards(self.store_path, result.deck.id, digest, path, delta, reparse)
        return LoadResult(replace(result.deck, cards=cards), result.problems)

    # -- which files are unchanged: (size, mtime, ctime, inode) -> sha256 ---------------------
    # Like git's index: a write always moves ctime (no tool can set it back), so a file whose
    # four stat fields all match what we saw when we hashed it still has that hash, and start-up
    # need not read 60 MB of YAML to learn that nothing changed.

    def _stats(self) -> dict:
        if self._stat_index is None:
            self._stat_index = {}
            try:
                with open(self.folder / STAT_INDEX, "rb") as f:
                    doc = json.loads(f.read(16 * 1024 * 1024))
                if (
                    isinstance(doc, dict)
                    and doc.get("format") == FORMAT
                    and doc.get("version") == VERSION
                    and isinstance(doc.get("files"), dict)
                ):
                    self._stat_index = doc["files"]
            except (OSError, ValueError, RecursionError):
                pass
        return self._stat_index

    def _known_digest(self, path: Path, st: os.stat_result) -> str | None:
        seen = self._stats().get(str(path))
        if (
            isinstance(seen, list)
            and len(seen) == 5
            and isinstance(seen[4], str)
            and seen[:4] == [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        ):
            return seen[4]
        return None

    def _note(self, path: Path, st: os.stat_result, digest: str) -> None:
        self._stats()[str(path)] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest]
        self._stat_dirty = True

    def save(self) -> None:
        """Write what was learnt about the files (best effort: a failure only costs a re-read)."""
        if not self._stat_dirty:
            return
        self._stat_dirty = False
        doc = {"format": FORMAT, "version": VERSION, "files": self._stats()}
        self._defer(_write_json, self.folder, STAT_INDEX, doc)

    # -- entries ------------------------------------------------------------------------------

    def _entry(self, path: Path) -> Path:
        name = hashlib.sha256(os.fsencode(str(path))).hexdigest()[:40]
        return self.folder / f"{name}.json"

    def _load(self, entry: Path, path: str, digest: str) -> LoadResult | None:
        # Decoding makes a million small objects and no cycles: the collector's passes over the
        # growing heap would double the time, so it waits until we are done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._decode(entry, path, digest)
        finally:
            if collecting:
                gc.enable()

    def _decode(self, entry: Path, path: str, digest: str) -> LoadResult | None:
        try:
            with open(entry, "rb") as f:
                raw = f.read(yamlfile.MAX_BYTES * 4)
            doc = json.loads(raw)
            if not (
                isinstance(doc, dict)
                and doc.get("format") == FORMAT
                and doc.get("version") == VERSION
                and doc.get("path") == path
                and doc.get("sha256") == digest
                and doc.get("parser") == self.key["parser"]
                and doc.get("library") == self.key["library"]
            ):
                return None
            return result_from_json(doc, path, digest)
        except (
            OSError,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            AttributeError,
            RecursionError,
        ):
            return None

    def _store(self, entry: Path, path: str, digest: str, result: LoadResult) -> None:
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "path": path,
            "sha256": digest,
            **self.key,
            **result_to_json(result),
        }
        _write_json(self.folder, entry.name, doc)


def shipped_parse(library: Library) -> dict:
    """What SHIPPED holds: each bundled deck file's parse, with what it was made from."""
    decks = {}
    for path in deck_files([paths.decks_dir()]):
        data = path.read_bytes()
        result = parse_deck(data, str(path), library)
        decks[path.name] = {"sha256": hashlib.sha256(data).hexdigest(), **result_to_json(result)}
    key = {"parser": parser_fingerprint(), "library": library_fingerprint(library)}
    return {"format": FORMAT, "version": VERSION, **key, "decks": decks}


def _read_shipped(key: dict) -> dict:
    """The shipped parses by file name, or {} when absent, damaged or made from other code or
    other articles."""
    try:
        with open(SHIPPED, "rb") as f:
            doc = json.loads(f.read(yamlfile.MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    if not (
        isinstance(doc, dict)
        and doc.get("format") == FORMAT
        and doc.get("version") == VERSION
        and doc.get("parser") == key["parser"]
        and doc.get("library") == key["library"]
        and isinstance(doc.get("decks"), dict)
    ):
        return {}
    return doc["decks"]


def _synced_decks(store) -> dict[str, dict]:
    """The store's decks by content hash (a hash two decks share is left out: ambiguous)."""
    by_hash: dict[str, dict] = {}
    twice: set[str] = set()
    for row in store.rows("SELECT id, title, description, content_hash FROM decks"):
        digest = row["content_hash"]
        if not digest:
            continue
        if digest in by_hash:
            twice.add(digest)
        by_hash[digest] = row
    for digest in twice:
        del by_hash[digest]
    return by_hash
