"""`quiz lint` over several files (quiz.content.lint_files, quiz/cli/lint.py): files linted in
worker processes give what linting them here gives, in the order named, and the printed lines
are those of one sort of every problem by (path, line), whatever order the files were named in
and however many times."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.lint_files import FileLint, lint_files

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BUNDLED = Path(__file__).resolve().parents[1] / "decks"


def some_files(tmp_path: Path) -> list[Path]:
    """Files with parse problems, item-writing warnings, no deck at all, and one unreadable."""
    names = ["bad_ids.yaml", "mcq_answer_missing.yaml", "missing_fields.yaml", "cards_string.yaml"]
    out = [tmp_path / f"{i}-{n}" for i, n in enumerate(names)]
    for name, path in zip(names, out):
        shutil.copyfile(HOSTILE / name, path)
    timeline = tmp_path / "9-timeline.yaml"
    text = (BUNDLED / "timeline.yaml").read_text(encoding="utf-8")
    timeline.write_text(text.replace("\n  - id: ", "\n  - id: x", 1), encoding="utf-8")
    (tmp_path / "5-folder.yaml").mkdir()
    return [*out, tmp_path / "5-folder.yaml", timeline]


def summary(results) -> list[tuple]:
    return [(r.path, r.unreadable, r.text, r.lines, r.cards, r.warnings, r.deck_id)
            for r in map(FileLint.unpack, results)]  # fmt: skip


def test_files_linted_in_workers_come_back_as_linted_here_in_the_order_named(tmp_path, library):
    paths = some_files(tmp_path)
    paths = [paths[3], *paths, paths[0]]
    here = summary(lint_files(paths, library, workers=1))
    assert summary(lint_files(paths, library, workers=2)) == here
    assert [r[0] for r in here] == [str(p) for p in paths]
    assert any(r[2] for r in here) and any(r[1] for r in here)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lines_are_printed_by_path_then_line_however_the_files_are_named(tmp_path, library, jobs):
    paths = some_files(tmp_path)
    named = [paths[2], paths[0], paths[2], *sorted(paths)]
    listed = [paths[2], paths[0], paths[2], tmp_path]  # the folder: every file in it
    # What one stable sort of every problem by (path, line) prints.
    every = [
        (r.path, line, text)
        for r in lint_files(named, library, workers=1)
        for line, text in zip(r.lines, r.text.splitlines(True))
    ]
    expected = "".join(text for _p, _l, text in sorted(every, key=lambda x: (x[0], x[1])))
    result = CliRunner().invoke(cli, ["lint", "--jobs", jobs, *map(str, listed)], obj={})
    assert result.exit_code == 2  # 5-folder.yaml cannot be read
    assert result.stdout == expected
    assert result.stderr.count("is a directory") == 1


def test_by_default_files_are_linted_in_a_worker_per_core_when_they_are_large(
    tmp_path, monkeypatch
):
    from quiz.content import lint_files as lf

    paths = []
    for i in range(5):
        paths.append(tmp_path / f"{i}.yaml")
        paths[-1].write_text("x" * 1000)
    monkeypatch.setattr(lf.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert lf.default_workers(paths[:1]) == 1  # one file: no pool
    assert lf.default_workers(paths) == 1  # small files: a pool costs more than it saves
    monkeypatch.setattr(lf, "PARALLEL_BYTES", 2500)
    assert lf.default_workers(paths) == 3  # a worker per core the process may use
    assert lf.default_workers(paths[:2]) == 1  # fewer files than a pool pays for
    monkeypatch.setattr(lf.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert lf.default_workers(paths) == 1
