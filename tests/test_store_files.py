"""Bad store files: each gives one line that says what to do, and the user's file is never changed.

Checked at two levels: `Store(path)` raising `StoreError`, and the real `quiz doctor` / `quiz
backup` commands in a subprocess. Permission cases need a user that permissions apply to: as root
(who ignores them) the subprocess drops to `nobody`; as anyone else chmod is enough.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from unprivileged import python_as_nobody

from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store
from quiz.store.doctor import backup, default_backup_path, diagnose
from quiz.store.errors import StoreError
from quiz.store.schema import SCHEMA_VERSION
from quiz.study.session import StudySession

QUIZ = str(Path(sys.executable).with_name("quiz"))
ROOT = os.geteuid() == 0


def _limits(fsize: int | None):
    def setup():
        if fsize is not None:
            # A "full disk" without mounting one: writes past `fsize` bytes fail (EFBIG).
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return setup


def _command(unprivileged: bool, *, quiz: bool) -> tuple[list[str], dict[str, str]]:
    """The command that starts quiz (or Python), and what to add to its environment. Root
    ignores file permissions, so a permission test runs as `nobody`, from a readable copy of
    this checkout (tests/unprivileged.py): `python -m quiz` rather than the venv's script."""
    if not (unprivileged and ROOT):
        return ([QUIZ] if quiz else [sys.executable]), {}
    prefix, env = python_as_nobody()
    return ([*prefix, "-m", "quiz"] if quiz else prefix), env


def quiz(*args: str, cwd: Path | None = None, unprivileged: bool = False, fsize: int | None = None):
    """Run the installed `quiz` and return (code, stdout, stderr)."""
    command, extra = _command(unprivileged, quiz=True)
    env = {
        **os.environ,
        "HOME": str(cwd or tempfile.gettempdir()),
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }
    proc = subprocess.run(
        [*command, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits(fsize),
        env=env,
        stdin=subprocess.DEVNULL,
    )
    return proc.returncode, proc.stdout, proc.stderr


def python(code: str, *args: str, unprivileged: bool = False, fsize: int | None = None):
    """Run Python code the same way (for store writes no CLI command makes yet)."""
    command, extra = _command(unprivileged, quiz=False)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **extra}
    proc = subprocess.run(
        [*command, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits(fsize),
        env=env,
        cwd=tempfile.gettempdir(),
    )
    return proc.returncode, proc.stdout, proc.stderr


def one_line_error(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("quiz: "), err
    return lines[0]


@pytest.fixture
def shared_dir():
    """A temporary folder the unprivileged user can reach (pytest's tmp_path is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="quiz-perm-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def good_db(tmp_path, catalog) -> Path:
    path = tmp_path / "quiz.db"
    with Store(path) as store:
        sync_decks(store, catalog.decks)
        learner = store.learner("ann")
        session = StudySession(store, learner, catalog.decks[:1])
        for _ in range(5):
            item = session.next_item()
            session.answer(item, session.previews(item)[3], given="x", correct=True, duration_ms=10)
    return path


# -- files that are not a healthy quiz database ----------------------------------------------------


def make_bad(kind: str, good: Path, target: Path) -> bytes:
    data = good.read_bytes()
    rng = random.Random(kind)
    if kind == "truncated":
        out = data[: len(data) // 2]
    elif kind == "truncated-tail":
        out = data[:-4096]
    elif kind == "truncated-header":
        out = data[:100]
    elif kind == "random-bytes":
        out = bytes(rng.randrange(256) for _ in range(40_000))
    elif kind == "header-then-garbage":
        out = data[:100] + bytes(rng.randrange(256) for _ in range(40_000))
    elif kind == "text-file":
        out = b"deck:\n  id: not-a-database\n"
    elif kind == "newer-version":
        shutil.copyfile(good, target)
        conn = sqlite3.connect(str(target))
        conn.execute("PRAGMA user_version = 99")
        conn.close()
        return target.read_bytes()
    elif kind == "foreign-sqlite":
        conn = sqlite3.connect(str(target))
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
        conn.commit()
        conn.close()
        return target.read_bytes()
    else:  # pragma: no cover
        raise ValueError(kind)
    target.write_bytes(out)
    return out


BAD = {
    # kind: (what Store says, what doctor says)
    "truncated": ("is damaged", "damaged"),
    "truncated-tail": ("is damaged", "damaged"),
    "truncated-header": ("is damaged", "damaged"),
    "random-bytes": ("is not a quiz database (not an SQLite file)", "not an SQLite file"),
    "header-then-garbage": ("is damaged", "damaged"),
    "text-file": ("is not a quiz database (not an SQLite file)", "not an SQLite file"),
    "newer-version": ("written by a newer quiz (schema 99", "newer than this quiz's"),
    "foreign-sqlite": ("is an SQLite database but not a quiz database", "not a quiz database"),
}
ADVICE = ("quiz doctor", "restore a backup", "move it aside", "pass --db", "upgrade quiz")


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_file_gives_one_line_and_stays_untouched(kind, good_db, tmp_path):
    path = tmp_path / f"{kind}.db"
    before = make_bad(kind, good_db, path)
    store_says, doctor_says = BAD[kind]

    with pytest.raises(StoreError) as err:
        Store(path)
    message = str(err.value)
    assert store_says in message and "\n" not in message
    assert any(a in message for a in ADVICE), message
    assert path.read_bytes() == before

    code, out, err_text = quiz("doctor", "--db", str(path), cwd=tmp_path)
    assert code == 1, out + err_text
    problems = [line for line in out.splitlines() if "PROBLEM" in line]
    assert len(problems) == 1 and doctor_says in problems[0], out
    assert any(a in problems[0] for a in ADVICE + ("sqlite3",)), problems[0]
    one_line_error(err_text)
    assert path.read_bytes() == before
    # doctor leaves no -wal/-shm litter beside a file it could not use
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name)) == [path.name]


@pytest.mark.parametrize("kind", ["truncated", "random-bytes", "newer-version", "foreign-sqlite"])
@pytest.mark.parametrize("command", ["study", "stats", "report"])
def test_other_commands_refuse_a_bad_file_in_one_line(kind, command, good_db, tmp_path):
    path = tmp_path / f"{kind}.db"
    before = make_bad(kind, good_db, path)
    code, out, err = quiz(command, "--db", str(path), cwd=tmp_path)
    assert code == 2, out + err
    assert BAD[kind][0] in one_line_error(err)
    assert path.read_bytes() == before


def test_zero_byte_file_is_an_empty_database(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    code, out, _ = quiz("doctor", "--db", str(path))
    assert code == 0 and "empty file" in out
    assert path.read_bytes() == b""  # doctor never initialises it
    with Store(path) as store:
        assert store.version() == SCHEMA_VERSION
        store.learner("ann")
    assert diagnose(path).ok


@pytest.mark.parametrize("as_db", ["folder", "missing"])
def test_doctor_on_a_folder_or_missing_file_exits_2(as_db, tmp_path):
    target = tmp_path if as_db == "folder" else tmp_path / "missing.db"
    code, out, err = quiz("doctor", "--db", str(target))
    assert code == 2 and out == ""
    if as_db == "folder":  # click's own check of --db (a file path): a usage error, in click's
        # words (not ours to assert): one last line that names the option and the folder
        last = err.strip().splitlines()[-1]
        assert "Traceback" not in err and "--db" in last and str(target) in last, err
    else:
        assert "no database at" in one_line_error(err)
    assert not (tmp_path / "missing.db").exists()  # doctor never creates a database
    if as_db == "folder":
        with pytest.raises(StoreError, match="is a directory"):
            Store(tmp_path)


def test_integrity_failure_is_reported(good_db):
    conn = sqlite3.connect(str(good_db))
    # Point an index at other columns without rebuilding it: the classic inconsistent index.
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX reviews_card ON reviews (rating, uid)' "
        "WHERE name = 'reviews_card'"
    )
    conn.commit()
    conn.close()
    code, out, err = quiz("doctor", "--db", str(good_db))
    assert code == 1
    assert "PROBLEM: integrity check failed" in out and "reviews_card" in out
    assert "restore a backup" in out
    one_line_error(err)


def test_orphan_rows_are_reported(good_db):
    conn = sqlite3.connect(str(good_db))  # foreign keys are off on a plain connection
    conn.execute(
        "INSERT INTO reviews (uid, learner_id, deck_id, card_id, reviewed_at, mode) "
        "VALUES ('o1', 99, 'no-deck', 'no-card', '2025-01-01T00:00:00.000000Z', 'study')"
    )
    conn.execute(
        "INSERT INTO reviews (uid, learner_id, deck_id, card_id, reviewed_at, mode, drill_id) "
        "SELECT 'o2', 1, deck_id, card_id, '2025-01-01T00:00:00.000000Z', 'drill', 77 "
        "FROM cards LIMIT 1"
    )
    conn.execute("INSERT INTO card_state (learner_id, deck_id, card_id) VALUES (42, 'x', 'y')")
    conn.commit()
    conn.close()
    diag = diagnose(good_db)
    texts = [f.text for f in diag.problems]
    assert any(t.startswith("1 reviews point at a learner that does not exist") for t in texts), (
        texts
    )
    assert any(t.startswith("1 reviews point at a card that does not exist") for t in texts), texts
    assert any(t.startswith("1 reviews point at a drill that does not exist") for t in texts), texts
    assert any(t.startswith("1 card_state rows point at a learner") for t in texts), texts
    assert any(t.startswith("1 card_state rows point at a card") for t in texts), texts
    code, out, err = quiz("doctor", "--db", str(good_db))
    assert code == 1 and out.count("PROBLEM") == len(texts)
    assert f"{len(texts)} problems found" in one_line_error(err)


def test_doctor_on_a_healthy_store(good_db):
    before = good_db.read_bytes()
    code, out, err = quiz("doctor", "--db", str(good_db))
    assert code == 0, out + err
    assert "PROBLEM" not in out and out.strip().endswith("no problems found")
    assert "ok: integrity check" in out and f"ok: schema version {SCHEMA_VERSION}" in out
    assert "ok: no orphan rows" in out and "ok: foreign keys" in out
    assert "rows: learners 1, " in out and "reviews 5" in out
    assert "size: " in out
    assert good_db.read_bytes() == before
    # --db before the command, and the QUIZ_DB environment variable, work the same way
    code, out2, _ = quiz("--db", str(good_db), "doctor")
    assert code == 0 and out2 == out
    proc = subprocess.run(
        [QUIZ, "doctor"],
        env={**os.environ, "QUIZ_DB": str(good_db)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout == out


# -- permissions -----------------------------------------------------------------------------------

WRITE_ONE = """
import sys
from quiz.store.connection import Store
from quiz.store.errors import StoreError
try:
    store = Store(sys.argv[1])
    print("opened", store.version(), len(store.learners()))
    store.learner("bob")
    print("wrote")
except StoreError as e:
    print("quiz:", e, file=sys.stderr)
    sys.exit(2)
"""


def test_read_only_file(shared_dir, good_db):
    folder = shared_dir / "rw"
    folder.mkdir()
    folder.chmod(0o777)  # the folder is writable, only the file is not
    path = folder / "quiz.db"
    shutil.copyfile(good_db, path)
    path.chmod(0o444)
    before = path.read_bytes()

    code, out, err = python(WRITE_ONE, str(path), unprivileged=True)
    assert code == 2, out + err
    assert "opened" in out  # reading is fine
    line = one_line_error(err)
    assert "is read-only" in line and "writable" in line

    code, out, err = quiz("doctor", "--db", str(path), unprivileged=True, cwd=shared_dir)
    assert code == 0, out + err
    copy = folder / "copy.bak"
    code, out, err = quiz(
        "backup", "--db", str(path), "-o", str(copy), unprivileged=True, cwd=shared_dir
    )
    assert code == 0, out + err
    assert path.read_bytes() == before
    assert sqlite3.connect(str(copy)).execute("SELECT count(*) FROM reviews").fetchone()[0] == 5


def test_study_on_a_read_only_file(shared_dir, good_db):
    folder = shared_dir / "rw"
    folder.mkdir()
    folder.chmod(0o777)
    path = folder / "quiz.db"
    shutil.copyfile(good_db, path)
    path.chmod(0o444)
    before = path.read_bytes()
    code, _out, err = quiz(
        "study", "--db", str(path), "--learner", "zoe", unprivileged=True, cwd=shared_dir
    )
    assert path.read_bytes() == before
    assert code == 2
    assert "is read-only" in one_line_error(err)


def test_read_only_folder(shared_dir, good_db):
    folder = shared_dir / "ro"
    folder.mkdir()
    path = folder / "quiz.db"
    shutil.copyfile(good_db, path)
    path.chmod(0o666)  # the file is writable, but WAL needs -wal/-shm beside it
    folder.chmod(0o555)
    before = path.read_bytes()

    code, out, err = python(WRITE_ONE, str(path), unprivileged=True)
    assert code == 2, out + err
    line = one_line_error(err)
    assert "read-only" in line or "permissions" in line

    code, out, err = quiz("doctor", "--db", str(path), unprivileged=True, cwd=shared_dir)
    assert code == 0, out + err  # doctor still reads it
    assert "ok: integrity check" in out

    code, out, err = quiz("backup", "--db", str(path), unprivileged=True, cwd=shared_dir)
    assert code == 1  # the default name is beside the database, in the read-only folder
    assert "choose a writable folder with -o" in one_line_error(err)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["quiz.db"]


# -- a full disk -----------------------------------------------------------------------------------


def test_full_disk_in_the_middle_of_a_session(store, catalog, learner):
    """SQLITE_FULL on an answer: one line that says what to do, and no half-written answer."""
    session = StudySession(store, learner, catalog.decks[:1])
    item = session.next_item()
    session.answer(item, session.previews(item)[3], given="x", correct=True, duration_ms=1)
    pages = store.scalar("PRAGMA page_count")
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    reviews = store.scalar("SELECT count(*) FROM reviews")
    with pytest.raises(StoreError) as err:
        for _ in range(200):  # until a new page is needed
            item = session.next_item()
            session.answer(
                item, session.previews(item)[3], given="y" * 2000, correct=True, duration_ms=1
            )
            reviews += 1
    assert "is full; free some space and try again" in str(err.value)
    store.db.execute("PRAGMA max_page_count = 1073741823")
    # the failed answer left neither its review row nor its state
    assert store.scalar("SELECT count(*) FROM reviews") == reviews
    assert (
        store.scalar("SELECT count(*) FROM card_state WHERE learner_id = ?", [learner.id])
        == reviews
    )
    assert store.scalar("PRAGMA integrity_check") == "ok"


FILL = """
import sys
from quiz.store.connection import Store
from quiz.store.errors import StoreError
store = Store(sys.argv[1])
try:
    for i in range(100000):
        store.learner(f"learner {i:06d} " + "x" * 500)
except StoreError as e:
    print("quiz:", e, file=sys.stderr)
    print(i)
    sys.exit(2)
"""


def test_file_size_limit_while_writing(good_db):
    """A real write error from the OS (EFBIG past RLIMIT_FSIZE, as with a quota): one line."""
    before = len(list(Store(good_db).learners()))
    code, out, err = python(FILL, str(good_db), fsize=64 * 1024)
    assert code == 2, out + err
    line = one_line_error(err)
    assert "full" in line or "disk I/O error" in line
    assert "try again" in line
    written = int(out.strip())
    with Store(good_db) as store:  # everything committed before the failure is intact
        assert len(store.learners()) == before + written
        assert store.scalar("PRAGMA integrity_check") == "ok"


def test_backup_to_a_full_disk(good_db, tmp_path):
    target = tmp_path / "copy.bak"
    # enough for reading the database (its -shm is 32 KB), too little for the copy
    code, _out, err = quiz("backup", "--db", str(good_db), "-o", str(target), fsize=100 * 1024)
    assert code == 1
    assert "free some space" in one_line_error(err)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


# -- backups ---------------------------------------------------------------------------------------


def test_backup_default_name_beside_the_db(good_db):
    code, out, err = quiz("backup", "--db", str(good_db))
    assert code == 0, err
    made = [
        p
        for p in good_db.parent.iterdir()
        if p.name.startswith("quiz.db.") and p.name.endswith(".bak")
    ]
    assert len(made) == 1 and str(made[0]) in out
    conn = sqlite3.connect(str(made[0]))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 5
    conn.close()
    # twice in the same second: a second name, never the first file again
    first = made[0].read_bytes()
    code, _, _ = quiz("backup", "--db", str(good_db))
    code2, _, _ = quiz("backup", "--db", str(good_db))
    assert code == code2 == 0
    baks = sorted(p for p in good_db.parent.iterdir() if p.name.endswith(".bak"))
    assert len(baks) == 3 and made[0].read_bytes() == first


def test_backup_never_overwrites(good_db, tmp_path):
    target = tmp_path / "precious.db"
    target.write_bytes(b"my thesis")
    code, _out, err = quiz("backup", "--db", str(good_db), "-o", str(target))
    assert code == 1 and "never overwrites" in one_line_error(err)
    assert target.read_bytes() == b"my thesis"
    # a name taken between the check and the copy is not replaced either
    from quiz.store import doctor

    late = tmp_path / "late.bak"
    real = doctor._publish

    def racing(partial, final):
        final.write_bytes(b"appeared meanwhile")
        real(partial, final)

    doctor._publish = racing
    try:
        with pytest.raises(doctor.BackupError, match="never overwrites"):
            backup(good_db, late)
    finally:
        doctor._publish = real
    assert late.read_bytes() == b"appeared meanwhile"
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_backup_while_another_process_writes(good_db, tmp_path):
    """The backup API gives a consistent copy while answers keep landing."""
    stop = threading.Event()

    def writer():
        with Store(good_db) as store:
            i = 0
            while not stop.is_set():
                store.set_meta(f"k{i}", "v")
                i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.05)
        copies = [backup(good_db, tmp_path / f"b{i}.bak") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        conn = sqlite3.connect(str(copy))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 5
        conn.close()


def test_backup_of_missing_or_bad_files(tmp_path):
    code, _, err = quiz("backup", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no database at" in one_line_error(err)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 5000)
    code, _, err = quiz("backup", "--db", str(junk))
    assert code == 1 and "not an SQLite file" in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.db"]


def test_default_backup_path_is_unique(tmp_path):
    from datetime import datetime

    db = tmp_path / "quiz.db"
    moment = datetime(2025, 3, 4, 5, 6, 7)
    first = default_backup_path(db, moment)
    assert first.name == "quiz.db.20250304-050607.bak"
    first.write_bytes(b"")
    assert default_backup_path(db, moment).name == "quiz.db.20250304-050607-1.bak"


def test_upgrading_in_a_read_only_folder(shared_dir):
    """An old file in a folder we cannot write: the backup that comes first cannot be made, so
    the upgrade does not start, and the message says why."""
    folder = shared_dir / "old"
    folder.mkdir()
    path = folder / "quiz.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "stores" / "v1.db", path)
    path.chmod(0o666)
    folder.chmod(0o555)
    before = path.read_bytes()
    code, out, err = python(WRITE_ONE, str(path), unprivileged=True)
    assert code == 2, out + err
    line = one_line_error(err)
    assert "make its folder writable" in line or "read-only" in line or "permissions" in line, line
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["quiz.db"]
