"""A new database is made from the squashed schema (quiz.store.schema_squashed) in one go; this
checks that it is exactly what the migrations make, so the two can never drift apart.

    python tests/test_schema_squashed.py > quiz/store/schema_squashed.py
    ruff format quiz/store/schema_squashed.py

rewrites the module from the migrations (after appending one, if new databases should skip it
too; otherwise the migrations after SQUASHED_VERSION run on top of it)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.store import schema_squashed
from quiz.store.connection import Store
from quiz.store.schema import MIGRATIONS, SCHEMA_VERSION


def migrated(path: Path, upto: int = SCHEMA_VERSION) -> Path:
    """A file made the old way: each migration in turn, as Store.migrate runs them."""
    import sqlite_utils

    conn = sqlite3.connect(str(path))
    db = sqlite_utils.Database(conn)
    with conn:
        for number, step in enumerate(MIGRATIONS[:upto], start=1):
            step(db)
            conn.execute(f"PRAGMA user_version = {number}")
    conn.close()
    return path


def schema(path: Path) -> tuple[int, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        return version, rows
    finally:
        conn.close()


def statements(path: Path) -> list[str]:
    """Each table's, index's and trigger's SQL, in the order they were made."""
    conn = sqlite3.connect(str(path))
    try:
        return [
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
            )
        ]
    finally:
        conn.close()


def test_a_new_database_has_exactly_the_migrated_schema(tmp_path):
    with Store(tmp_path / "new.db") as store:
        assert store.version() == SCHEMA_VERSION
    assert schema(tmp_path / "new.db") == schema(migrated(tmp_path / "old.db"))


def test_the_squashed_statements_are_the_migrations_own_sql_in_order(tmp_path):
    path = migrated(tmp_path / "old.db", schema_squashed.SQUASHED_VERSION)
    assert list(schema_squashed.STATEMENTS) == statements(path)


def test_a_new_database_does_not_import_sqlite_utils(tmp_path):
    import subprocess

    code = (
        "import sys; from quiz.store.connection import Store; "
        f"Store({str(tmp_path / 'x.db')!r}).close(); print('sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_later_migration_runs_on_top_of_the_squashed_schema(tmp_path, monkeypatch):
    import quiz.store.connection as store_module

    def m_extra(db):
        db.execute("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, m_extra])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store(tmp_path / "new.db") as store:
        assert store.version() == SCHEMA_VERSION + 1
        assert store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'extra'") == 1


def render(statements: list[str], version: int) -> str:
    """The module's text for these statements (each split into lines short enough for ruff)."""
    out = [schema_squashed.__doc__ and f'"""{schema_squashed.__doc__}"""', ""]
    out += ["from __future__ import annotations", "", f"SQUASHED_VERSION = {version}", ""]
    out.append("STATEMENTS = (")
    for sql in statements:
        pieces = []
        for line in sql.splitlines(keepends=True):
            while len(line) > 80:
                cut = line.rfind(" ", 0, 80) + 1 or 80
                pieces.append(line[:cut])
                line = line[cut:]
            pieces.append(line)
        out.append("    (")
        out += [f"        {piece!r}" for piece in pieces]
        out.append("    ),")
    out.append(")")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        made = statements(migrated(Path(tmp) / "m.db"))
    sys.stdout.write(render(made, SCHEMA_VERSION))
