"""The class's accuracy per paragraph (`quiz report --passages`): answers to every card citing
a paragraph count for it, weakest first, in the three formats."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from quiz.classroom.passages import passage_accuracy
from quiz.cli.main import cli
from quiz.content.coverage import coverage
from quiz.store.reviews import Review, add_review
from quiz.store.times import iso, now_utc


def answer(store, learner, deck, card, correct):
    with store.write() as tx:
        add_review(
            tx,
            Review(
                learner.id,
                deck,
                card,
                "study",
                iso(now_utc()),
                rating=3 if correct else 1,
                correct=correct,
            ),
        )


def test_weakest_paragraph_first(store, catalog, library):
    ann, bob = store.learner("ann"), store.learner("bob")
    # thorn-in-ties: islands-names is in ¶4; miller-reasons-author in ¶3.
    report = coverage(library, catalog.decks, ["thorn-in-ties"])
    cards = {p.paragraph.index: p.cards for p in report[0].items if p.cards}
    weak_deck, weak_card = cards[4][0].split(":", 1)
    good_deck, good_card = cards[3][0].split(":", 1)
    answer(store, ann, weak_deck, weak_card, False)
    answer(store, bob, weak_deck, weak_card, True)
    answer(store, bob, weak_deck, weak_card, False)
    answer(store, ann, good_deck, good_card, True)
    rows = passage_accuracy(store, report)
    by_para = {r.paragraph: r for r in rows}
    assert set(by_para) >= {3, 4}
    assert rows[0].paragraph == 4
    assert (by_para[4].answers, by_para[4].right, by_para[4].learners) == (3, 1, 2)
    assert by_para[3].accuracy == 1.0
    assert by_para[4].cards == len(cards[4])


def test_cli_formats_and_drill_filter(store, catalog, library, db_path):
    ann = store.learner("ann")
    report = coverage(library, catalog.decks, ["thorn-in-ties"])
    key = next(p.cards[0] for p in report[0].items if p.cards)
    deck, card = key.split(":", 1)
    answer(store, ann, deck, card, False)
    store.close()
    run = CliRunner().invoke
    out = run(cli, ["report", "--db", str(db_path), "--passages", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)["passages"]
    assert rows[0]["article"] == "thorn-in-ties" and rows[0]["accuracy"] == 0.0
    out = run(cli, ["report", "--db", str(db_path), "--passages", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(out.output)))
    assert table[0]["answers"] == "1"
    out = run(cli, ["report", "--db", str(db_path), "--passages"])
    assert out.exit_code == 0 and "thorn-in-ties" in out.output and "0%" in out.output
    out = run(cli, ["report", "--db", str(db_path), "--passages", "--learner", "ann"])
    assert out.exit_code == 2 and out.output.startswith("quiz: ")
