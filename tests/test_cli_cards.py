"""`quiz cards`: the round trip on the bundled decks, and bad input in one line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from quiz.cli.main import cli


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "cards", *args])


def listed(db, *args) -> list[dict]:
    result = run(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def card_text(catalog, deck_id: str, card_id: str) -> str:
    card = next(c for c in catalog.by_id()[deck_id].cards if c.id == card_id)
    quote = card.source.quote if card.source else ""
    return " ".join([card.prompt, card.answer_text(), card.explanation, quote, *card.tags])


def test_search_suspend_list_suspended_unsuspend(tmp_path, catalog):
    db = tmp_path / "quiz.db"
    found = listed(db, "--search", "Kunashiri", "--learner", "ann")
    assert found and all(
        "kunashiri" in card_text(catalog, c["deck"], c["card"]).casefold() for c in found
    )
    assert len(found) < len(listed(db, "--learner", "ann"))
    refs = [f"{c['deck']}:{c['card']}" for c in found[:2]]
    result = run(db, "suspend", *refs, "--learner", "ann")
    assert result.exit_code == 0 and "suspended 2 cards" in result.output
    suspended = listed(db, "--state", "suspended", "--learner", "ann")
    assert [f"{c['deck']}:{c['card']}" for c in suspended] == refs
    assert all(c["suspended"] for c in suspended)
    assert listed(db, "--state", "suspended", "--learner", "bob") == []  # per learner
    table = run(db, "--state", "suspended", "--learner", "ann")
    assert table.exit_code == 0 and all(r.split(":")[1] in table.stdout for r in refs)
    result = run(db, "unsuspend", refs[0], "--learner", "ann")
    assert result.exit_code == 0 and "unsuspended 1 card " in result.output
    assert [
        f"{c['deck']}:{c['card']}" for c in listed(db, "--state", "suspended", "--learner", "ann")
    ] == refs[1:]


def test_an_unknown_card_is_one_line_and_exit_1(tmp_path):
    db = tmp_path / "quiz.db"
    for ref in ("timeline:no-such-card", "no-such-deck:x", "not-a-ref", "timeline:\x1b[2J"):
        result = run(db, "suspend", ref, "--learner", "ann")
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
        assert "\x1b" not in result.output
    assert listed(db, "--state", "suspended", "--learner", "ann") == []


def test_filters_and_reset_from_the_command_line(tmp_path):
    db = tmp_path / "quiz.db"
    timeline = listed(db, "--deck", "timeline", "--learner", "ann")
    assert timeline and {c["deck"] for c in timeline} == {"timeline"}
    mcq = listed(db, "--type", "mcq", "--sort", "prompt")
    assert mcq and {c["type"] for c in mcq} == {"mcq"}
    assert [c["prompt"].casefold() for c in mcq] == sorted(c["prompt"].casefold() for c in mcq)
    tag = timeline[0]["tags"][0]
    assert all(tag in c["tags"] for c in listed(db, "--tag", tag))
    result = run(db, "reset", f"timeline:{timeline[0]['card']}", "--learner", "ann")
    assert result.exit_code == 0 and "already new" in result.output
    assert run(db, "--state", "nonsense").exit_code == 2
    assert run(db, "--deck", "no-such-deck").exit_code == 2
    assert "no cards match" in run(db, "--search", "zzqqx-nothing").output
