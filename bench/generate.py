"""Generate a synthetic collection for the benchmarks: deck YAML files and a matching store.

    python bench/generate.py --size small|large|tiny [--force] [--verify]

Writes bench/data/<size>/decks/*.yaml (lint-clean: every card cites a real quote from the
bundled decks), bench/data/<size>/quiz.db (cards synced with the files' sha256 as content hash,
so app start-up sees them unchanged; learners; drills; reviews over the years; FSRS-like
card_state rows), and bench/data/<size>/lint/bench-lint.yaml (one big deck for `quiz lint`).
bench/data/ is git-ignored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _common import HEAVY, SIZES, Size, db_path, decks_dir, lint_file, manifest_path, size_dir

from quiz.content.catalog import load_catalog
from quiz.content.deck import Card, Deck, Source, parse_deck
from quiz.content.deck_sync import sync_decks
from quiz.store.connection import Store

DAY = 86400.0
TYPES = ("typed", "mcq", "truefalse", "cloze", "basic")
GENERATOR_VERSION = 6  # bump when the output changes, so old data is regenerated
BATCH = 50_000


class Progress:
    """One line per phase, updated in place on a terminal; plain lines otherwise."""

    def __init__(self):
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def step(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        final = done >= total
        if not final and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        pct = 100 * done / total if total else 100
        line = f"[{now - self.start:6.1f}s] {phase}: {done:,}/{total:,} ({pct:.0f}%)"
        if self.tty:
            sys.stderr.write("\r\033[K" + line + ("\n" if final else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def note(self, text: str) -> None:
        sys.stderr.write(f"[{time.perf_counter() - self.start:6.1f}s] {text}\n")
        sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Decks


@dataclass(frozen=True)
class Quote:
    article: str
    text: str
    words: tuple[str, ...]  # distinct words of 4+ letters, for blanks, answers and choices


def real_quotes() -> list[Quote]:
    """The (article, quote) pairs cited by the bundled decks: lint accepts them as verbatim."""
    seen: dict[tuple[str, str], Quote] = {}
    for deck in load_catalog().decks:
        for card in deck.cards:
            src = card.source
            if src is None or src.quote is None or "{" in src.quote or "|" in src.quote:
                continue
            words = tuple(dict.fromkeys(re.findall(r"\b[A-Za-z]{4,}\b", src.quote)))
            if len(words) >= 2:
                seen.setdefault((src.article, src.quote), Quote(src.article, src.quote, words))
    quotes = sorted(seen.values(), key=lambda q: (q.article, q.text))
    if not quotes:
        sys.exit("bench: the bundled decks cite no usable quotes")
    return quotes


def make_card(n: int, card_id: str, quote: Quote, pool: list[str], rng: random.Random) -> Card:
    kind = TYPES[n % len(TYPES)]
    word = quote.words[n % len(quote.words)]
    gap = re.sub(rf"\b{word}\b", "_____", quote.text, count=1)
    explanation = (
        f"Bench card {n}: the cited passage from '{quote.article}' reads "
        f'"{quote.text[:120]}", which settles it.'
    )
    common = dict(
        id=card_id,
        type=kind,
        explanation=explanation,
        source=Source(quote.article, quote.text),
        tags=("bench", kind),
    )
    if kind == "typed":
        return Card(
            prompt=f'Card {n}: which word fills the gap in "{gap}"?',
            answer=word,
            accept=(word.lower(),) if word.lower() != word else (),
            **common,
        )
    if kind == "mcq":
        choices = [word]
        while len(choices) < 4:
            other = pool[rng.randrange(len(pool))]
            if other.lower() not in {c.lower() for c in choices}:
                choices.append(other)
        rng.shuffle(choices)
        return Card(
            prompt=f'Card {n}: which word completes "{gap}"?',
            answer=word,
            choices=tuple(choices),
            **common,
        )
    if kind == "truefalse":
        return Card(
            prompt=f'Card {n}: the article says "{quote.text[:160]}" (true or false?)',
            answer=n % 3 != 0,
            **common,
        )
    if kind == "cloze":
        blanked = re.sub(rf"\b{word}\b", "{{" + word + "}}", quote.text, count=1)
        return Card(prompt=f"Card {n}: {blanked}", answer=None, **common)
    return Card(
        prompt=f'Card {n}: what does the article say about "{word}"?',
        answer=quote.text[:400],
        **common,
    )


def q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; ensure_ascii keeps it plain ASCII so
    # no character can be read as a YAML line break.
    return json.dumps(text, ensure_ascii=True)


def deck_yaml(deck: Deck) -> tuple[bytes, list[int]]:
    """The deck file's bytes, and the line each card starts on (Card.line as the parser sets it)."""
    out = [
        "# Generated by bench/generate.py: synthetic cards citing real quotes.",
        "deck:",
        f"  id: {deck.id}",
        f"  title: {q(deck.title)}",
        f"  description: {q(deck.description)}",
        f"  articles: [{', '.join(deck.articles)}]",
        "cards:",
    ]
    lines: list[int] = []
    for c in deck.cards:
        lines.append(len(out) + 1)
        out.append(f"  - id: {c.id}")
        out.append(f"    type: {c.type}")
        out.append(f"    prompt: {q(c.prompt)}")
        if c.type == "truefalse":
            out.append(f"    answer: {'true' if c.answer else 'false'}")
        elif c.type != "cloze":
            out.append(f"    answer: {q(c.answer)}")
        if c.accept:
            out.append(f"    accept: [{', '.join(q(a) for a in c.accept)}]")
        if c.choices:
            out.append(f"    choices: [{', '.join(q(a) for a in c.choices)}]")
        out.append(f"    explanation: {q(c.explanation)}")
        out.append("    source:")
        out.append(f"      article: {c.source.article}")
        out.append(f"      quote: {q(c.source.quote)}")
        out.append(f"    tags: [{', '.join(c.tags)}]")
    return ("\n".join(out) + "\n").encode("utf-8"), lines


def build_deck(
    deck_id: str,
    title: str,
    count: int,
    offset: int,
    quotes: list[Quote],
    pool: list[str],
    articles: tuple[str, ...],
    path: Path,
    rng: random.Random,
) -> Deck:
    prefix = deck_id.rsplit("-", 1)[-1]
    cards = [
        make_card(offset + i, f"c{prefix}-{i:06d}", quotes[(offset + i) % len(quotes)], pool, rng)
        for i in range(count)
    ]
    draft = Deck(
        deck_id,
        title,
        f"{count:,} synthetic cards for benchmarks.",
        articles,
        tuple(cards),
        str(path),
        "",
    )
    data, lines = deck_yaml(draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    # The in-memory deck equals what the parser makes of the file: line numbers and hash too.
    cards = tuple(Card(**{**c.__dict__, "line": line}) for c, line in zip(cards, lines))
    return Deck(
        deck_id,
        title,
        draft.description,
        articles,
        cards,
        str(path),
        hashlib.sha256(data).hexdigest(),
    )


def write_decks(
    size: Size, quotes: list[Quote], rng: random.Random, progress: Progress
) -> list[Deck]:
    pool = sorted({w for qt in quotes for w in qt.words})
    articles = tuple(sorted({qt.article for qt in quotes}))
    per = -(-size.cards // size.decks)
    decks = []
    made = 0
    for d in range(size.decks):
        count = min(per, size.cards - made)
        deck_id = f"bench-{size.name}-{d + 1:02d}"
        path = decks_dir(size) / f"{deck_id}.yaml"
        decks.append(
            build_deck(
                deck_id,
                f"Bench deck {d + 1} ({size.name})",
                count,
                made,
                quotes,
                pool,
                articles,
                path,
                rng,
            )
        )
        made += count
        progress.step("deck files", made, size.cards)
    build_deck(
        "bench-lint",
        "Bench lint deck",
        size.lint_cards,
        7,
        quotes,
        pool,
        articles,
        lint_file(size),
        rng,
    )
    progress.note(f"lint deck: {size.lint_cards:,} cards in {lint_file(size)}")
    return decks


def verify(decks: list[Deck], library, progress: Progress, every: bool) -> None:
    """Parse the written files and check they are lint-clean and equal to what went into the
    store (the hash most of all: a mismatch would make app start-up re-sync)."""
    for deck in decks if every else decks[:1]:
        result = parse_deck(Path(deck.path).read_bytes(), deck.path, library)
        if result.problems:
            sys.exit(f"bench: generated deck has problems: {result.problems[0]}")
        if result.deck != deck:
            sys.exit(f"bench: {deck.path} does not parse back to the generated deck")
    progress.note(
        f"verified {'all' if every else 'the first'} deck file(s): lint-clean, same cards and hash"
    )


# ---------------------------------------------------------------------------------------------
# History: learners, drills, reviews and card states


def iso_ts(t: float) -> str:
    whole = int(t)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((t - whole) * 1e6):06d}Z"
    )


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


RATING_WEIGHTS = ((1, 0.10), (2, 0.15), (3, 0.65), (4, 0.10))


def draw_rating(rng: random.Random) -> int:
    x = rng.random()
    for rating, w in RATING_WEIGHTS:
        if x < w:
            return rating
        x -= w
    return 3


def split_quota(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts, at least 1 each, roughly proportional to weights."""
    n = len(weights)
    spare = max(0, total - n)
    s = sum(weights) or 1.0
    parts = [1 + int(spare * w / s) for w in weights]
    i = 0
    order = sorted(range(n), key=lambda j: -weights[j])
    while sum(parts) < total:
        parts[order[i % n]] += 1
        i += 1
    return parts


STATE_KEYS = (
    "buried_until",
    "difficulty",
    "due",
    "first_review",
    "lapses",
    "last_review",
    "reps",
    "stability",
    "state",
    "step",
    "suspended",
)


def state_json(existed: bool, st: dict) -> str:
    # The shape StudySession.answer() writes into reviews.state_before.
    return json.dumps({"existed": existed, "state": {k: st.get(k) for k in STATE_KEYS}})


def simulate_card(rng: random.Random, first: float, end: float, count: int):
    """Review times and ratings for one card, FSRS-flavoured: intervals grow after a pass and
    shrink after a lapse; scaled to fit between `first` and a last review before `end`."""
    ratings = [draw_rating(rng) for _ in range(count)]
    gaps, s = [], rng.uniform(0.5, 3.0)
    stabilities, difficulty, difficulties = [], rng.uniform(3.0, 7.0), []
    for r in ratings:
        if r == 1:
            s = max(0.1, s * rng.uniform(0.2, 0.5))
            difficulty = min(10.0, difficulty + rng.uniform(0.3, 1.0))
        else:
            s = min(3650.0, s * {2: 1.3, 3: 2.4, 4: 3.5}[r] * rng.uniform(0.8, 1.2))
            difficulty = max(1.0, difficulty - (0.3 if r == 4 else 0.05))
        stabilities.append(s)
        difficulties.append(difficulty)
        gaps.append(s * DAY * rng.uniform(0.8, 1.5))
    # The last review lands so that its due date (last + stability) falls around now: about a
    # tenth of the cards are overdue, the rest come due over the following days and months.
    last = max(first, end - rng.uniform(0.0, 1.1) * stabilities[-1] * DAY)
    planned = sum(gaps[:-1])
    scale = (last - first) / planned if planned > 0 else 0.0
    times = [first]
    for g in gaps[:-1]:
        times.append(times[-1] + g * scale)
    return times, ratings, stabilities, difficulties


def history(size: Size, decks: list[Deck], store: Store, rng: random.Random, progress: Progress):
    now = time.time()
    start = now - size.years * 365 * DAY
    conn = store.db.conn
    cards = [(d.id, c.id, c) for d in decks for c in d.cards]
    n_cards = len(cards)

    # Learners: the heavy one studies a long prefix of the decks since the start.
    names = [HEAVY] + [f"learner-{i:02d}" for i in range(1, size.learners)]
    with store.write():
        conn.executemany(
            "INSERT INTO learners (uid, name, created_at, retention, new_per_day, time_factor) "
            "VALUES (?, ?, ?, 0.9, 20, 1.0)",
            [(uid(rng), name, iso_ts(start - DAY)) for name in names],
        )
    learner_ids = {name: lid for lid, name in conn.execute("SELECT id, name FROM learners")}
    lids = [learner_ids[n] for n in names]

    # Drills first: their answers are counted out of the review budget.
    drills, drill_events = [], []
    # As quiz.classroom.drill records them: objective cards only, mcq choices in the drill's order.
    deck_cards = {d.id: [c for c in d.cards if c.objective] for d in decks}
    budget_drill = int(size.reviews * 0.15)
    per_drill = max(1, budget_drill // max(1, size.drills))
    for k in range(size.drills):
        created = start + (now - start) * (k + rng.random()) / size.drills
        chosen = sorted(rng.sample([d.id for d in decks], k=min(len(decks), rng.choice((1, 1, 2)))))
        pool = [(d, c) for d in chosen for c in deck_cards[d]]
        questions = rng.sample(pool, k=min(len(pool), size.drill_questions))
        takers = max(1, min(len(lids), per_drill // max(1, len(questions))))
        people = rng.sample(lids, k=takers)
        plan = [
            {
                "deck": d,
                "card": c.id,
                "choices": rng.sample(list(c.choices), len(c.choices)) if c.type == "mcq" else [],
            }
            for d, c in questions
        ]
        drills.append(
            (
                k + 1,
                f"{rng.getrandbits(256):064x}",
                iso_ts(created),
                json.dumps(chosen),
                len(questions),
                f"{rng.getrandbits(32):08x}",
                rng.choice((None, 30.0, 60.0)),
                rng.choice(("now", "end")),
                0,
                json.dumps(plan),
            )
        )
        for p in people:
            t = created + rng.uniform(0, 120)
            for d, c in questions:
                t += rng.uniform(5, 40)
                right = rng.random() < 0.7
                drill_events.append(
                    (
                        t,
                        p,
                        d,
                        c.id,
                        None,
                        c.answer_text() if right else "a wrong answer",
                        int(right),
                        rng.randint(3000, 30000),
                        "drill",
                        k + 1,
                        None,
                    )
                )
    with store.write():
        conn.executemany(
            "INSERT INTO drills (id, uid, created_at, decks, count, seed, time_limit, feedback, "
            "count_in_study, questions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            drills,
        )
    progress.note(f"drills: {len(drills):,} with {len(drill_events):,} answers")

    # Study history: the heavy learner gets a quarter of it, the others share the rest.
    budget = max(0, size.reviews - len(drill_events))
    shares = [0.25] + [0.75 / max(1, len(lids) - 1)] * (len(lids) - 1) if len(lids) > 1 else [1.0]
    quotas = (
        split_quota(budget, shares) if budget >= len(lids) else [budget] + [0] * (len(lids) - 1)
    )
    events = []  # (time, learner, deck, card, rating, given, correct, ms, mode, drill, before)
    states = []
    mean_reps = 6.0
    for li, (lid, quota) in enumerate(zip(lids, quotas)):
        if quota <= 0:
            continue
        n = max(1, min(n_cards, int(quota / mean_reps)))
        begin = start if li == 0 else start + rng.uniform(0, 0.6) * (now - start)
        first_card = 0 if li == 0 else rng.randrange(n_cards)
        fracs = [j / n for j in range(n)]
        weights = [(1.05 - f) * rng.expovariate(1.0) + 0.05 for f in fracs]
        counts = split_quota(quota, weights)
        for j in range(n):
            deck_id, card_id, card = cards[(first_card + j) % n_cards]
            first = begin + (now - begin) * 0.97 * fracs[j] + rng.uniform(0, 3600)
            times, ratings, stabs, diffs = simulate_card(rng, first, now, counts[j])
            st: dict = {"reps": 0, "lapses": 0, "suspended": 0}
            for i, (t, r) in enumerate(zip(times, ratings)):
                before = state_json(i > 0, st)
                right = r > 1
                given = (
                    None if card.type == "basic" else (card.answer_text() if right else "not sure")
                )
                events.append(
                    (
                        t,
                        lid,
                        deck_id,
                        card_id,
                        r,
                        given,
                        int(right) if card.type != "basic" else None,
                        rng.randint(2000, 20000),
                        "study",
                        None,
                        before,
                    )
                )
                lapsed = st.get("state") == 2 and r == 1
                st = {
                    "state": 2,
                    "step": None,
                    "stability": round(stabs[i], 4),
                    "difficulty": round(diffs[i], 4),
                    "due": None,
                    "last_review": iso_ts(t),
                    "first_review": st.get("first_review") or iso_ts(t),
                    "reps": st["reps"] + 1,
                    "lapses": st["lapses"] + int(lapsed),
                    "suspended": 0,
                }
            last, r = times[-1], ratings[-1]
            recent = (
                now - last < 2 * DAY
            )  # learning steps are minutes: only recent cards sit in them
            if r == 1 and recent:
                state, step, due = 3 if len(times) > 1 else 1, 0, last + 600
            elif len(times) == 1 and r == 2 and recent:
                state, step, due = 1, 1, last + 600
            else:
                state, step, due = 2, None, last + stabs[-1] * DAY
            states.append(
                (
                    lid,
                    deck_id,
                    card_id,
                    state,
                    step,
                    st["stability"],
                    st["difficulty"],
                    iso_ts(due),
                    st["last_review"],
                    st["first_review"],
                    st["reps"],
                    st["lapses"],
                    None,
                    1 if rng.random() < 0.005 else 0,
                )
            )
        progress.step("simulated learners", li + 1, len(lids))

    events.extend(drill_events)
    events.sort(key=lambda e: e[0])
    total = len(events)
    sql = (
        "INSERT INTO reviews (uid, learner_id, deck_id, card_id, rating, given, correct, "
        "duration_ms, reviewed_at, mode, drill_id, state_before) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for at in range(0, total, BATCH):
        chunk = events[at : at + BATCH]
        with store.write():
            conn.executemany(
                sql,
                [
                    (
                        uid(rng),
                        e[1],
                        e[2],
                        e[3],
                        e[4],
                        e[5],
                        e[6],
                        e[7],
                        iso_ts(e[0]),
                        e[8],
                        e[9],
                        e[10],
                    )
                    for e in chunk
                ],
            )
        progress.step("reviews", at + len(chunk), total)
    del events
    for at in range(0, len(states), BATCH):
        with store.write():
            conn.executemany(
                "INSERT INTO card_state (learner_id, deck_id, card_id, state, step, stability, "
                "difficulty, due, last_review, first_review, reps, lapses, buried_until, "
                "suspended) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                states[at : at + BATCH],
            )
        progress.step("card states", min(len(states), at + BATCH), len(states))
    return {
        "reviews": total,
        "card_states": len(states),
        "drill_answers": len(drill_events),
        "learners": len(lids),
        "drills": len(drills),
    }


# ---------------------------------------------------------------------------------------------


def generate(size: Size, *, force: bool = False, verify_all: bool = False, seed: int = 7) -> dict:
    manifest = manifest_path(size)
    wanted = {"generator": GENERATOR_VERSION, "seed": seed, **size.params()}
    if manifest.exists() and not force:
        try:
            have = json.loads(manifest.read_text())
        except (OSError, ValueError):
            have = {}
        if {k: have.get(k) for k in wanted} == wanted and db_path(size).exists():
            return have
    progress = Progress()
    out = size_dir(size)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    quotes = real_quotes()
    progress.note(f"generating '{size.name}' into {out} ({len(quotes)} real quotes to cite)")
    decks = write_decks(size, quotes, rng, progress)
    from quiz.content.articles import bundled_library

    verify(decks, bundled_library(), progress, verify_all)
    store = Store(db_path(size))
    try:
        store.db.execute("PRAGMA synchronous = OFF")  # generated data: speed over durability
        store.db.execute("PRAGMA cache_size = -262144")
        sync_decks(store, decks)
        progress.note(f"store: {sum(len(d.cards) for d in decks):,} cards synced")
        facts = history(size, decks, store, rng, progress)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    facts.update(wanted)
    facts["seconds"] = round(time.perf_counter() - progress.start, 1)
    facts["db_bytes"] = db_path(size).stat().st_size
    manifest.write_text(json.dumps(facts, indent=2))
    progress.note(
        f"done in {facts['seconds']}s: {facts['reviews']:,} reviews, "
        f"{facts['card_states']:,} card states, db {facts['db_bytes'] / 1e6:.0f} MB"
    )
    return facts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--force", action="store_true", help="regenerate even if up to date")
    parser.add_argument("--verify", action="store_true", help="parse back every deck file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generate(SIZES[args.size], force=args.force, verify_all=args.verify, seed=args.seed)


if __name__ == "__main__":
    main()
