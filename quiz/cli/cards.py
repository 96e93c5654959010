"""`quiz cards`: find cards and see their state for a learner; suspend, unsuspend, unbury or
reset them (for scripts and teachers; the browser screen does the same in the app)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from click.core import ParameterSource

from quiz.cli.common import db_option, fail, library_option, open_db
from quiz.study.card_browser import COLUMNS, STATES
from quiz.text import printable

FORMATS = ("table", "json")
PROMPT_WIDTH = 60
# JSON escapes C0 controls itself; C1 ones (a lone CSI, \x9b) would reach the terminal.
_C1 = re.compile(r"[\x7f-\x9f]")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--search", default="", help="Words found in prompt, answer, explanation, tags or quote."
)
@click.option("--deck", help="Only this deck (an id, or a deck file).")
@click.option("--tag", help="Only cards with this tag.")
@click.option(
    "--type", "type_", help="Only cards of this type (typed, mcq, truefalse, cloze, basic)."
)
@click.option("--state", type=click.Choice(STATES), help="Only cards in this state.")
@click.option("--sort", type=click.Choice(COLUMNS), help="Sort by this column.")
@click.option("--learner", help="Whose state (default: the learner last used).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--tui", is_flag=True, help="Open the browser screen in the app, with these filters set."
)
@library_option
@db_option
@click.pass_context
def command(
    ctx: click.Context,
    search: str,
    deck: str | None,
    tag: str | None,
    type_: str | None,
    state: str | None,
    sort: str | None,
    learner: str | None,
    fmt: str,
    tui: bool,
    db: Path | None,
):
    """List the cards of the bundled decks (or one deck) with a learner's state: due date,
    interval, lapses, and whether suspended, buried or a leech.

    \b
    Subcommands change cards, named DECK:CARD:
      quiz cards suspend|unsuspend|unbury|reset DECK:CARD... [--learner NAME]"""
    if ctx.invoked_subcommand is not None:
        return
    if tui:
        _browse(ctx, db, learner, deck, search=search, tag=tag, type_=type_, state=state, sort=sort)
        return
    from quiz.cli.launch import load_decks
    from quiz.store.times import now_utc
    from quiz.study.card_browser import CardFilter, describe, filter_rows, load_rows, sort_rows

    store = open_db(db)
    try:
        decks = load_decks(store, [deck] if deck else ())
        person = _reading_learner(store, learner)
        now = now_utc()
        flt = CardFilter(search=search, tag=tag, type=type_, state=state)
        rows = filter_rows(load_rows(store, person, decks, now), flt, now)
    finally:
        store.close()
    if sort:
        rows = sort_rows(rows, sort)
    if fmt == "json":
        text = json.dumps([_as_dict(r) for r in rows], ensure_ascii=False, indent=2)
        click.echo(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
        return
    if not rows:
        click.echo(f"no cards match ({describe(flt)})", err=True)
        return
    from quiz.classroom.report_format import format_table

    head = ["card", "type", "state", "due", "interval", "lapses", "flags", "prompt"]
    click.echo(format_table(head, [_cells(r) for r in rows]))
    click.echo(f"{_plural(len(rows))} ({printable(describe(flt), 300)})", err=True)


def _browse(ctx, db, learner, deck, *, search, tag, type_, state, sort) -> None:
    """The app on the browser screen, as `quiz study` opens the study screen (quiz.cli.launch);
    Esc or q there quits."""
    from quiz.cli.launch import run
    from quiz.study.card_browser import CardFilter

    flt = CardFilter(search=search, tag=tag, type=type_, state=state)

    def browser():
        from quiz.tui.screens.browser import BrowserScreen

        return BrowserScreen(initial=flt, sort=sort)

    root = ctx.find_root().obj or {}
    run(
        db,
        learner or root.get("learner"),
        decks=[deck] if deck else (),
        start_screen_factory=browser,
    )


def _reading_learner(store, name: str | None):
    """The learner named (else the last one used, else the login name), not created: listing
    writes nothing. Someone who never studied has every card new."""
    from quiz.store.learners import Learner, login_name

    root = click.get_current_context().find_root().obj or {}
    name = (name or root.get("learner") or store.get_meta("learner") or login_name()).strip()
    return store.learner(name, create=False) or Learner(id=0, uid="", name=name)


def _cells(r) -> list[str]:
    flags = [
        f for f, on in (("suspended", r.suspended), ("buried", r.buried), ("leech", r.leech)) if on
    ]
    return [
        printable(f"{r.deck_id}:{r.card_id}", 120),
        printable(r.type, 20),
        r.state,
        r.due[:16].replace("T", " ") if r.due else "",
        _interval(r.interval_days),
        str(r.lapses),
        ",".join(flags),
        printable(" ".join(r.prompt.split()), PROMPT_WIDTH),
    ]


def _interval(days: float | None) -> str:
    if days is None:
        return ""
    if days < 1:
        return f"{max(1, round(days * 1440))}m"
    return f"{days:.0f}d" if days >= 10 else f"{days:.1f}d"


def _as_dict(r) -> dict:
    return {
        "deck": r.deck_id,
        "card": r.card_id,
        "type": r.type,
        "prompt": r.prompt,
        "state": r.state,
        "due": r.due,
        "interval_days": None if r.interval_days is None else round(r.interval_days, 4),
        "lapses": r.lapses,
        "last_review": r.last_review,
        "suspended": r.suspended,
        "buried": r.buried,
        "leech": r.leech,
        "tags": list(r.tags),
    }


# ---------------------------------------------------------------------------------------------
# Changing cards

ACTIONS = {  # name: (help, what was done, what the others already were)
    "suspend": (
        "Suspend cards: they are not asked until unsuspended.",
        "suspended",
        "already suspended",
    ),
    "unsuspend": ("Bring suspended cards back into study.", "unsuspended", "not suspended"),
    "unbury": ("Bring buried cards back now instead of tomorrow.", "unburied", "not buried"),
    "reset": (
        "Put cards back to new; their history is kept (a reset row each, counted in stats).",
        "reset to new",
        "already new",
    ),
}


def _plural(n: int, word: str = "card") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _action(name: str, help_text: str, done: str, already: str):
    @command.command(name, help=help_text)
    @click.argument("cards", nargs=-1, required=True)
    @click.option("--learner", help="Whose cards (created if new; default: the last one used).")
    @library_option
    @db_option
    @click.pass_context
    def run(ctx: click.Context, cards: tuple[str, ...], learner: str | None, db: Path | None):
        from quiz.cli.launch import load_decks, resolve_learner
        from quiz.store.times import now_utc
        from quiz.study import card_actions

        group = ctx.parent.params if ctx.parent is not None else {}
        # `quiz cards --db X suspend ...` names the file on the group: it must be the one
        # written, not the default store nor QUIZ_DB (which only fills an option not given).
        if group.get("db") and ctx.get_parameter_source("db") is not ParameterSource.COMMANDLINE:
            db = group["db"]
        store = open_db(db)
        try:
            decks = load_decks(store)
            try:
                keys = card_actions.parse_card_refs(list(cards), decks)
            except card_actions.UnknownCard as e:
                fail(str(e), 1)
            root = ctx.find_root().obj or {}
            person = resolve_learner(store, learner or group.get("learner") or root.get("learner"))
            if name == "reset":
                changed = card_actions.reset(store, person, keys, now_utc())
            else:
                changed = getattr(card_actions, name)(store, person, keys)
        finally:
            store.close()
        unchanged = len(keys) - changed
        tail = f" ({unchanged} {already})" if unchanged else ""
        click.echo(f"{done} {_plural(changed)} for '{printable(person.name, 60)}'{tail}")

    return run


for _name, _texts in ACTIONS.items():
    _action(_name, *_texts)
