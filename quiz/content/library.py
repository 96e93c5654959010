"""The user's library beside the bundled content: their own articles and decks.

Layout of the library folder (default <user data dir>/library, or QUIZ_LIBRARY / --library):
    articles/articles.yaml   the index, in the same format as seeds/articles.yaml
    articles/<id>.txt        each article's stored text: plain UTF-8, one paragraph per block
    decks/*.yaml             the user's decks, read with the bundled ones

Bundled ids cannot be shadowed: a library article or deck reusing one is an error naming both
files, never a silent replacement (progress is keyed on deck and card ids).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from quiz import paths
from quiz.content.articles import Article, ArticlesError, Library, bundled_library, load_library

INDEX = "articles.yaml"
INDEX_HEADER = (
    "# Your articles, added with `quiz articles add`. Same fields as the bundled\n"
    "# seeds/articles.yaml, plus where each came from (so adding a file twice is a no-op).\n"
)


@dataclass(frozen=True)
class UserLibrary:
    root: Path

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def decks_dir(self) -> Path:
        return self.root / "decks"

    @property
    def index(self) -> Path:
        return self.articles_dir / INDEX

    def article_path(self, article: Article) -> Path:
        return self.articles_dir / article.file


def user_library(root: Path | None = None) -> UserLibrary:
    return UserLibrary(root if root is not None else paths.library_dir())


def user_articles(lib: UserLibrary) -> Library:
    """The library's own articles (none when it has no index yet)."""
    if not lib.index.is_file():
        return Library({})
    return load_library(lib.articles_dir)


def index_entries(lib: UserLibrary) -> list[dict]:
    """The index as plain dicts (for rewriting it); [] when there is none."""
    if not lib.index.is_file():
        return []
    import yaml  # here, not at the top: every start reads the library, few rewrite its index

    try:
        data = yaml.load(lib.index.read_text(encoding="utf-8"), Loader=_safe_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ArticlesError(f"{lib.index}: cannot read ({e})") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ArticlesError(f"{lib.index}:1: expected a list of articles")
    return data


def current_library(root: Path | None = None) -> Library:
    """Bundled articles, then the user's; a user article reusing a bundled id is an error."""
    bundled = bundled_library()
    lib = user_library(root)
    mine = user_articles(lib)
    if not mine.articles:
        return bundled
    for article_id, article in mine.articles.items():
        if article_id in bundled.articles:
            theirs = paths.seeds_dir() / bundled.articles[article_id].file
            raise ArticlesError(
                f"{lib.article_path(article)}: article id '{article_id}' is already the bundled "
                f"article {theirs}; bundled ids cannot be shadowed (give it another id)"
            )
    return Library({**bundled.articles, **mine.articles})


def origin(article_id: str) -> str:
    return "bundled" if article_id in bundled_library().articles else "library"


def deck_dirs(root: Path | None = None) -> list[Path]:
    """Where decks are read from when no files are named: bundled first, then the library's."""
    mine = user_library(root).decks_dir
    return [paths.decks_dir(), mine] if mine.is_dir() else [paths.decks_dir()]


def is_bundled_path(path: str | Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(paths.decks_dir().resolve())
    except OSError:
        return False


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, then rename it into place: never half a file.
    Durable: on the disk before the rename (what a person wrote); not for a cache, which the
    next start can make again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_index(lib: UserLibrary, entries: list[dict]) -> None:
    import yaml

    body = (
        yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
        if entries
        else "[]\n"
    )
    write_atomic(lib.index, (INDEX_HEADER + body).encode("utf-8"))


def _safe_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a pure-Python build has no C one


@dataclass(frozen=True)
class Added:
    article: Article
    new: bool  # False: the same file was already in the library (a no-op)


def add_article(
    lib: UserLibrary,
    source: Path,
    *,
    article_id: str | None = None,
    title: str | None = None,
    author: str | None = None,
    publication: str | None = None,
    date: str | None = None,
) -> Added:
    """Import `source` into the library: text file first, then the index, each written
    atomically (a crash between leaves an unlisted text file, never a listed missing one)."""
    from quiz.content.article_import import ImportRefused, import_file, slug
    from quiz.content.deck import ID_RE

    imported = import_file(source)
    entries = index_entries(lib)
    for entry in entries:
        if entry.get("source_sha256") == imported.sha256 and (
            article_id is None or entry.get("id") == article_id
        ):
            known = user_articles(lib).get(str(entry.get("id")))
            if known is not None:
                return Added(known, new=False)
    title = (title or imported.title or source.stem).strip()
    article_id = article_id or slug(title) or slug(source.stem) or "article"
    if not ID_RE.match(article_id) or len(article_id) > 80:
        raise ImportRefused(f"article id '{article_id}' must be kebab-case (a-z, 0-9, '-')")
    bundled = bundled_library()
    if article_id in bundled.articles:
        raise ImportRefused(
            f"article id '{article_id}' is a bundled article's; choose another with --id"
        )
    if any(e.get("id") == article_id for e in entries):
        raise ImportRefused(
            f"article id '{article_id}' is already taken in {lib.index} by another file; "
            "choose another with --id"
        )
    entry = {
        "id": article_id,
        "file": f"{article_id}.txt",
        "title": title,
        "author": author if author is not None else imported.author,
        "publication": publication if publication is not None else imported.publication,
        "date": date if date is not None else imported.date,
        "source": source.name,
        "source_sha256": imported.sha256,
        "kind": imported.kind,
    }
    write_atomic(lib.articles_dir / entry["file"], imported.text.encode("utf-8"))
    write_index(lib, [*entries, entry])
    article = user_articles(lib).get(article_id)
    assert article is not None
    return Added(article, new=True)


def remove_article(lib: UserLibrary, article_id: str) -> Path:
    """Drop the article from the index, then its text file. The caller checks no deck cites it."""
    entries = index_entries(lib)
    kept = [e for e in entries if e.get("id") != article_id]
    if len(kept) == len(entries):
        raise ArticlesError(f"no article '{article_id}' in the library ({lib.index})")
    gone = next(e for e in entries if e.get("id") == article_id)
    write_index(lib, kept)
    text = lib.articles_dir / Path(str(gone.get("file", ""))).name
    try:
        text.unlink()
    except OSError:
        pass
    return text
