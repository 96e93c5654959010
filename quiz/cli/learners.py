"""`quiz learners`: list, add, rename, remove and configure learners."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli.common import db_option, fail, open_db
from quiz.store.learners import MAX_NAME
from quiz.text import printable


def _valid_name(name: str) -> str:
    name = name.strip()
    if not name:
        fail("a learner name cannot be empty", 2)
    if len(name) > MAX_NAME:
        fail(f"a learner name has at most {MAX_NAME} characters", 2)
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        fail("a learner name cannot contain control characters", 2)
    return name


def _existing(store, name: str):
    learner = store.learner(name, create=False)
    if learner is None:
        fail(f"no learner named '{name}' (see 'quiz learners list')", 1)
    return learner


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def command():
    """Create, list, rename and remove learners, and set their extra time.

    Names match without regard to case. Removing keeps a learner's history for reports
    unless --purge is given."""


@command.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include removed learners.")
@db_option
def list_(show_all: bool, db: Path | None):
    """List learners with their settings."""
    store = open_db(db)
    learners = store.learners(include_removed=show_all)
    if not learners:
        click.echo("no learners yet (add one with 'quiz learners add NAME')", err=True)
        return
    from quiz.classroom.report_format import format_table

    head = [
        "learner",
        "time factor",
        "retention",
        "new/day",
        "reviews/day",
        "leech",
        "siblings",
        "created",
    ]
    created = {
        r["id"]: r["created_at"] for r in store.db.query("SELECT id, created_at FROM learners")
    }
    rows = [
        [
            printable(x.name, MAX_NAME) + (" (removed)" if x.removed_at else ""),
            f"{x.time_factor:g}",
            f"{x.retention:g}",
            str(x.new_per_day),
            str(x.reviews_per_day),
            f"{x.leech_threshold} {x.leech_action}",
            "buried" if x.bury_siblings else "shown",
            created[x.id][:10],
        ]
        for x in learners
    ]
    rows = [[*row, _parameters(x)] for row, x in zip(rows, learners)]
    click.echo(format_table([*head, "FSRS"], rows))


def _parameters(learner) -> str:
    # Whether `quiz optimize` fitted this learner's FSRS parameters. Stored ones fsrs refuses (a
    # hand-edited or merged file) are not used: the scheduler falls back to its defaults.
    if learner.fsrs_params is None:
        return "defaults"
    from quiz.study.scheduler import usable

    return "fitted" if usable(learner.fsrs_params) else "unusable"


@command.command()
@click.argument("name")
@db_option
def add(name: str, db: Path | None):
    """Add a learner (or bring back a removed one, history and all)."""
    name = _valid_name(name)
    store = open_db(db)
    known = store.learner(name, create=False)
    if known is not None and known.removed_at is None:
        fail(f"learner '{printable(known.name)}' already exists", 1)
    if known is not None:
        store.update_learner(known.id, removed_at=None)
        click.echo(f"restored learner '{printable(known.name)}'")
        return
    store.learner(name)
    click.echo(f"added learner '{printable(name)}'")


@command.command()
@click.argument("old")
@click.argument("new")
@db_option
def rename(old: str, new: str, db: Path | None):
    """Rename a learner; their history follows."""
    new = _valid_name(new)
    store = open_db(db)
    learner = _existing(store, old)
    other = store.learner(new, create=False)
    if other is not None and other.id != learner.id:
        fail(f"another learner is already named '{printable(other.name)}'", 1)
    store.update_learner(learner.id, name=new)
    click.echo(f"renamed '{printable(learner.name)}' to '{printable(new)}'")


@command.command()
@click.argument("name")
@click.option(
    "--purge",
    is_flag=True,
    help="Also delete all their answers and study progress (cannot be undone).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def remove(name: str, purge: bool, yes: bool, db: Path | None):
    """Remove a learner. Their history stays in reports unless --purge deletes it."""
    store = open_db(db)
    learner = _existing(store, name)
    shown = printable(learner.name)
    if not purge:
        if not yes:
            click.confirm(
                f"Remove learner '{shown}'? Their history is kept for reports.", abort=True
            )
        store.update_learner(learner.id, removed_at=_now())
        click.echo(
            f"removed learner '{shown}' (history kept; 'quiz learners add' brings them back)"
        )
        return
    reviews = store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [learner.id])
    states = store.scalar("SELECT count(*) FROM card_state WHERE learner_id = ?", [learner.id])
    if not yes:
        click.confirm(
            f"Delete learner '{shown}' and ALL their history: {reviews} answers and "
            f"progress on {states} cards?",
            abort=True,
        )
        click.confirm(
            "This cannot be undone (make a 'quiz backup' first if unsure). Really delete it all?",
            abort=True,
        )
    store.purge_learner(learner.id)
    click.echo(f"deleted learner '{shown}' with {reviews} answers and progress on {states} cards")


@command.command("set")
@click.argument("name")
@click.option(
    "--time-factor",
    type=click.FloatRange(1.0, 10.0),
    help="Extra time in timed drills: the time limit is multiplied by this (e.g. 1.5).",
)
@click.option(
    "--retention",
    metavar="0.7-0.99",
    callback=lambda _c, _p, v: _setting("retention", v),
    help="Target recall for spaced repetition (0.7-0.99; default 0.9).",
)
@click.option(
    "--new-per-day",
    metavar="N",
    callback=lambda _c, _p, v: _setting("new_per_day", v),
    help="New cards introduced per day (0-9999; default 20).",
)
@click.option(
    "--reviews-per-day",
    metavar="N",
    callback=lambda _c, _p, v: _setting("reviews_per_day", v),
    help="Most due reviews asked per day (Anki's maximum reviews/day; 0-99999; default 200).",
)
@click.option(
    "--leech-threshold",
    metavar="N",
    callback=lambda _c, _p, v: _setting("leech_threshold", v),
    help="Lapses that make a card a leech (1-99; default 8, as in Anki).",
)
@click.option(
    "--leech-action",
    metavar="suspend|tag",
    callback=lambda _c, _p, v: _setting("leech_action", v),
    help="What happens to a leech: suspended, or only tagged (default suspend).",
)
@click.option(
    "--bury-siblings/--no-bury-siblings",
    default=None,
    help="Answering a card hides cards citing the same passage until tomorrow (default: on).",
)
@click.option(
    "--pin",
    "pin",
    is_flag=True,
    help="Set a PIN (asked for twice, hidden) that `quiz serve` tabs ask before switching to "
    "this learner; stored as a scrypt hash. With QUIZ_PIN set, that is the PIN.",
)
@click.option("--clear-pin", is_flag=True, help="Remove the learner's PIN.")
@db_option
def set_(
    name: str,
    time_factor: float | None,
    retention: float | None,
    new_per_day: int | None,
    reviews_per_day: int | None,
    leech_threshold: int | None,
    leech_action: str | None,
    bury_siblings: bool | None,
    pin: bool,
    clear_pin: bool,
    db: Path | None,
):
    """Change a learner's settings."""
    fields = {
        k: v
        for k, v in {
            "time_factor": time_factor,
            "retention": retention,
            "new_per_day": new_per_day,
            "reviews_per_day": reviews_per_day,
            "leech_threshold": leech_threshold,
            "leech_action": leech_action,
            "bury_siblings": None if bury_siblings is None else int(bury_siblings),
        }.items()
        if v is not None
    }
    if not fields and not pin and not clear_pin:
        fail(
            "nothing to set: give --time-factor, --retention, --new-per-day, "
            "--reviews-per-day, --leech-threshold, --leech-action, --bury-siblings or --pin",
            2,
        )
    store = open_db(db)
    learner = _existing(store, name)
    if pin or clear_pin:
        _set_pin(store, learner, clear=clear_pin)
        if not fields:
            return
    store.update_learner(learner.id, **fields)
    shown = ", ".join(
        f"{k.replace('_', ' ')} {v if isinstance(v, str) else format(v, 'g')}"
        for k, v in fields.items()
    )
    click.echo(f"learner '{printable(learner.name)}': {shown}")


def _setting(name: str, value: str | None):
    """A study setting from the command line, checked as the app's settings screen checks it
    (quiz.study.learner_settings)."""
    from quiz.study.learner_settings import SettingError, parse

    if value is None:
        return None
    try:
        return parse(name, value)
    except SettingError as e:
        raise click.BadParameter(str(e)) from None


def _set_pin(store, learner, *, clear: bool) -> None:
    import os

    from quiz.store.pins import set_pin

    if clear:
        set_pin(store, learner.id, None)
        click.echo(f"learner '{printable(learner.name)}': PIN removed")
        return
    value = os.environ.get("QUIZ_PIN") or click.prompt(
        "PIN", hide_input=True, confirmation_prompt=True
    )
    value = value.strip()
    if not 4 <= len(value) <= 20:
        fail("a PIN has 4 to 20 characters", 2)
    set_pin(store, learner.id, value)
    click.echo(f"learner '{printable(learner.name)}': PIN set")


def _now() -> str:
    from quiz.store.times import iso, now_utc

    return iso(now_utc())
