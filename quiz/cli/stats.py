"""`quiz stats`: a learner's study statistics as text and plots, or --json."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option, open_db
from quiz.text import printable

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def existing_learner(store, name: str | None, option_hint: str = "--learner NAME"):
    """The learner named, else the one last used, else the login name; never created here
    (stats and exports only read). Fails with the known names when there is none."""
    from quiz.store.learners import login_name

    root = click.get_current_context().find_root().obj or {}
    name = name or root.get("learner")
    if not name:
        last = store.get_meta("learner")
        name = last or login_name()
    learner = store.learner(name.strip(), create=False) if name.strip() else None
    if learner is None:
        known = ", ".join(printable(x.name, 60) for x in store.learners()[:20])
        hint = (
            f"; known learners: {known}" if known else "; nobody has studied with this database yet"
        )
        fail(f"no learner named '{printable(name, 60)}' (pass {option_hint}){hint}", 1)
    return learner


@click.command()
@click.option("--learner", help="Whose statistics (default: the learner last used).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead.")
@click.option(
    "--weeks",
    type=click.IntRange(1, 53),
    default=26,
    show_default=True,
    help="Weeks of history in the reviews-per-day calendar.",
)
@library_option
@db_option
def command(learner: str | None, as_json: bool, weeks: int, db: Path | None):
    """Study statistics: reviews per day (calendar), due forecast, true retention per deck,
    cards by state and time spent.

    True retention counts reviews of mature cards (scheduled interval of 21 days or more when
    reviewed, as Anki defines mature); a review counts as recalled when rated Hard, Good or
    Easy. Days are local calendar days."""
    from quiz.insight import stats

    store = open_db(db)
    try:
        person = existing_learner(store, learner)
        figures = stats.compute(store, person, weeks=weeks)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(render(figures)))


def render(figures) -> list[str]:
    from quiz.insight import stats_text as st

    width = min(100, max(60, shutil.get_terminal_size((80, 24)).columns))
    out = [
        f"Statistics for {printable(figures.learner, 60)}, "
        f"{figures.now.astimezone():%Y-%m-%d %H:%M}",
        "",
    ]
    out.append(f"Reviews per day, last {len(figures.days)} days (weeks as columns)")
    out += st.heatmap_lines(figures.days)
    out += [
        "",
        f"Due in the next {len(figures.forecast)} days: "
        f"{sum(d.count for d in figures.forecast)} cards "
        f"({figures.overdue} overdue, counted today)",
    ]
    out += forecast_chart(figures.forecast, width)
    out += [""] + st.summary_lines(figures)
    out += ["", st.custom_study_line(figures)]
    return out


def forecast_chart(forecast, width: int, height: int = 12) -> list[str]:
    import plotext as plt

    from quiz.insight.stats_text import draw_forecast

    draw_forecast(plt, forecast)
    plt.theme("clear")  # no colour: the bars are solid blocks
    plt.plotsize(width, height)
    text = _ANSI.sub("", plt.build())
    plt.clear_figure()
    return [line.rstrip() for line in text.splitlines()]
