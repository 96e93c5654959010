"""`quiz optimize`: fit a learner's FSRS parameters to their study history, or go back to the
defaults."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, open_db
from quiz.text import printable


@click.command()
@click.option("--learner", help="Whose parameters (default: the learner last used).")
@click.option("--reset", is_flag=True, help="Forget the fitted parameters: back to the defaults.")
@db_option
def command(learner: str | None, reset: bool, db: Path | None):
    """Fit the learner's FSRS parameters to their study reviews with fsrs's own Optimizer, show
    how well the current and the fitted parameters predict those reviews (log loss and RMSE;
    lower is better), and keep the fitted ones if they predict better.

    Needs the optimizer extra (torch): pip install 'quiz[optimizer]'. A fit needs 1,000 study
    reviews, 512 of them a day or more after the card's previous one. Cards already scheduled
    keep their due dates; each card's next review uses the new parameters."""
    from quiz.cli.stats import existing_learner

    store = open_db(db)
    try:
        person = existing_learner(store, learner)
        name = printable(person.name, 60)
        if reset:
            store.update_learner(person.id, fsrs_params=None)
            click.echo(f"learner '{name}': FSRS parameters back to the defaults")
            return
        _fit(store, person, name)
    finally:
        store.close()


def _fit(store, person, name: str) -> None:
    from quiz.cli.progress_bar import Progress
    from quiz.study import optimizer

    started = time.monotonic()
    try:
        outcome = optimizer.optimize(store, person, progress=Progress, verbose=sys.stderr.isatty())
    except (optimizer.TooLittleHistory, optimizer.OptimizerMissing, optimizer.FitFailed) as e:
        fail(str(e), 1)
    seconds = time.monotonic() - started
    h = outcome.history
    current = "current (fitted earlier)" if outcome.had_fitted else "current (FSRS defaults)"
    click.echo(
        f"learner '{name}': {h.reviews:,} study reviews of {h.cards:,} cards, "
        f"{h.scored:,} scored (a day or more after the card's previous review)"
    )
    click.echo(f"{'parameters':<26}{'log loss':>10}{'RMSE (bins)':>13}")
    for label, fit in ((current, outcome.before), ("fitted", outcome.after)):
        click.echo(f"{label:<26}{fit.log_loss:>10.4f}{fit.rmse:>13.4f}")
    click.echo("fitted parameters: " + ", ".join(f"{w:.4f}" for w in outcome.parameters))
    if outcome.stored:
        click.echo(
            f"stored the fitted parameters for '{name}' ({seconds:.0f}s): each card's next "
            "review uses them ('quiz optimize --reset' goes back to the defaults)"
        )
    else:
        click.echo(
            f"kept the current parameters ({seconds:.0f}s): the fitted ones do not predict "
            "this history better"
        )
