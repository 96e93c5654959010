"""How deck files scale: `quiz lint` of 10k / 100k / 1M cards, a start right after editing one
card of a 10,000-card file, and a first-ever start on a new database. Called from bench/run.py
(group `scale`); `python bench/deck_scale.py --cards 100000` only makes the lint inputs.

The lint inputs are folders of 10,000-card files (the size's lint deck, bench-lint.yaml, under
other names: hard links where the file system has them, so a million cards take no more disk
than ten thousand), in bench/data/lint-scale/<cards>/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import DATA, SIZES, lint_file

PER_FILE = 10_000
SCALES = {"small": (10_000, 100_000), "large": (10_000, 100_000, 1_000_000)}


def lint_inputs(cards: int, size="small") -> Path:
    """A folder of `cards` cards in 10,000-card deck files (made once, then reused)."""
    source = lint_file(SIZES[size] if isinstance(size, str) else size)
    folder = DATA / "lint-scale" / str(cards)
    want = [folder / f"lint-{i:04d}.yaml" for i in range(-(-cards // PER_FILE))]
    if all(p.exists() and p.stat().st_size == source.stat().st_size for p in want):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in want:
        try:
            os.link(source, p)
        except OSError:
            shutil.copyfile(source, p)
    return folder


def lint_scale(size, env: dict, repeats: int, Figure, spawn) -> list:
    figures = []
    for cards in SCALES["large" if size.cards > 20_000 else "small"]:
        folder = lint_inputs(cards, size)
        # The default (from 100k cards: a worker process per core, quiz.content.lint_files),
        # and for comparison `--jobs 1`: files one at a time in one process. Alternated.
        variants = [("", [])] + ([("_j1", ["--jobs", "1"])] if cards == 100_000 else [])
        rows = {suffix: _lint_rows(cards, suffix, flags, Figure) for suffix, flags in variants}
        for _ in range(1 if cards > 100_000 else repeats):
            for suffix, flags in variants:
                args = [sys.executable, "-m", "quiz", "lint", *flags, str(folder)]
                t, mb, code, out = spawn(args, None, env, tree=True)
                if code != 0:
                    raise SystemExit(
                        f"bench: quiz lint of {cards:,} cards exited {code}:\n{out[-3000:]}"
                    )
                rows[suffix][0].samples.append(t)
                rows[suffix][1].samples.append(mb)
        figures += [f for pair in rows.values() for f in pair]
    return figures


def _lint_rows(cards, suffix, flags, Figure) -> tuple:
    label = f"{cards:,}"
    how = " --jobs 1" if flags else ""
    files = -(-cards // PER_FILE)
    wall = Figure(
        f"lint_{cards}{suffix}",
        f"`quiz lint{how}` of {label} cards ({files} files of 10,000)",
        target=3000 if cards == 100_000 and not flags else None,
        note="subprocess wall time, Python start included; "
        + (
            "files one at a time, in one process"
            if flags
            else "the default: "
            + ("a worker process per core" if files >= 3 else "one file, in one process")
        ),
    )
    rss = Figure(
        f"rss_lint_{cards}{suffix}",
        f"... its peak RSS ({label} cards{how})",
        unit="MB",
        stat="max",
        target=100 if cards == 100_000 and not flags else None,
        note="with its workers, together: the larger of its own peak and its tree's summed Pss "
        "(sampled; bench/tree_rss.py)",
    )
    return wall, rss


# ---------------------------------------------------------------------------------------------
# Start-up right after editing one card of a 10,000-card file, and on a brand new database.


def _harness(db: Path, decks: Path | None) -> list[str]:
    harness = str(Path(__file__).resolve().parent / "harness.py")
    args = [sys.executable, harness, "quiz", "--db", str(db), "--learner", "bench"]
    return args + ([str(decks)] if decks is not None else [])


def _edit_card(path: Path, n: int) -> None:
    """Change one card's prompt (the n-th "Card N:" prompt), as an author's edit does."""
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(r'prompt: "Card (\d+):', text))
    m = found[n % len(found)]
    text = text[: m.end()] + f" (edit {n})" + text[m.end() :]
    path.write_text(text, encoding="utf-8")


def start_scale(size, env: dict, repeats: int, Figure, spawn, first_frame_cpu) -> list:
    """The bare app and two starts of `quiz study`, alternated: right after one card of a
    10,000-card deck file was edited (quiz had started with the file before, as an author's
    previous start did), and the first start ever on a new database with the bundled decks."""
    bare_args = [sys.executable, str(Path(__file__).resolve().parent / "harness.py"), "bare"]
    bare = Figure("scale_bare", "Bare Textual app (yardstick of the two rows below)")
    bare_cpu = Figure("scale_bare_cpu", "... its CPU time to the first frame")
    edit = Figure(
        "start_edited",
        "`quiz study` right after one card of a 10,000-card file was edited",
        note="harness, stored decks; the file's other cards are not parsed again",
    )
    edit_cpu = Figure("start_edited_cpu", "... its CPU time to the first card")
    first = Figure(
        "start_first",
        "`quiz study` on a new database (first start ever), bundled decks",
        note="new file: the squashed schema; every bundled deck parsed and synced (passage "
        "spans and cache writes after the first frame)",
    )
    first_cpu = Figure("start_first_cpu", "... its CPU time to the first card")
    rss_edit = Figure("rss_edited", "Peak RSS to the first card, after the edit", unit="MB")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        decks = tmp / "decks"
        decks.mkdir()
        deck = decks / "edited.yaml"
        shutil.copyfile(lint_file(size), deck)
        db = tmp / "edit.db"
        cache = {**env, "QUIZ_CACHE_DIR": str(tmp / "cache")}
        # The author's previous start: the file parsed once, its cards synced.
        t, _mb, code, out = spawn(_harness(db, decks), "FIRST_FRAME", cache)
        if code != 0:
            raise SystemExit(f"bench: start-up run failed:\n{out[-3000:]}")
        spawn(bare_args, "FIRST_FRAME", env)
        runs = max(repeats, 5)
        for i in range(runs):
            t, _mb, _c, out = spawn(bare_args, "FIRST_FRAME", env)
            bare.samples.append(t)
            bare_cpu.samples.append(first_frame_cpu(out))
            _edit_card(deck, i)
            t, mb, code, out = spawn(_harness(db, decks), "FIRST_FRAME", cache)
            if code != 0:
                raise SystemExit(f"bench: edited start failed:\n{out[-3000:]}")
            edit.samples.append(t)
            edit_cpu.samples.append(first_frame_cpu(out))
            rss_edit.samples.append(mb)
            new_db = tmp / f"first-{i}.db"
            fresh = {**env, "QUIZ_CACHE_DIR": str(tmp / f"cache-{i}")}
            t, _mb, code, out = spawn(_harness(new_db, None), "FIRST_FRAME", fresh)
            if code != 0:
                raise SystemExit(f"bench: first start failed:\n{out[-3000:]}")
            first.samples.append(t)
            first_cpu.samples.append(first_frame_cpu(out))
            print(
                f"  scale start {i + 1}/{runs}: bare {bare.samples[-1] * 1000:.0f} ms, "
                f"edited {edit.samples[-1] * 1000:.0f} ms, first {first.samples[-1] * 1000:.0f} ms",
                file=sys.stderr,
                flush=True,
            )

    def ratio(key, label, fig, base, target):
        r = Figure(key, label, unit="x", target=target)
        r.samples = [statistics.median(fig.samples) / statistics.median(base.samples)]
        return r

    return [
        bare,
        edit,
        ratio("ratio_edited", "Start ratio after the edit / bare (medians)", edit, bare, 2.0),
        ratio("ratio_edited_cpu", "... the same in CPU time", edit_cpu, bare_cpu, 2.0),
        first,
        ratio("ratio_first", "First start ratio / bare (medians)", first, bare, 1.5),
        ratio("ratio_first_cpu", "... the same in CPU time", first_cpu, bare_cpu, 1.5),
        bare_cpu,
        edit_cpu,
        first_cpu,
        rss_edit,
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Make the lint inputs of bench/deck_scale.py.")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    args = parser.parse_args()
    print(lint_inputs(args.cards, args.size))
