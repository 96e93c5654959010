"""The parse cache's JSON form of a deck file's LoadResult (quiz.content.deck_cache): compact
arrays, checked field by field on the way back in, so a damaged or planted entry is a miss
(ValueError and friends), never a wrong card."""

from __future__ import annotations

from quiz.content.deck import Card, Deck, LoadResult, Problem, Source


def result_to_json(result: LoadResult) -> dict:
    deck = result.deck
    return {
        "deck": None
        if deck is None
        else {
            "id": deck.id,
            "title": deck.title,
            "description": deck.description,
            "articles": list(deck.articles),
            "cards": [_card_to_json(c) for c in deck.cards],
        },
        "problems": [[p.line, p.message, p.card_id, p.note] for p in result.problems],
    }


def _card_to_json(c: Card) -> list:
    src = None if c.source is None else [c.source.article, c.source.quote, c.source.imported]
    return [
        c.id,
        c.type,
        c.prompt,
        c.answer,
        c.explanation,
        list(c.accept),
        list(c.choices),
        src,
        list(c.tags),
        c.line,
    ]


def result_from_json(doc: dict, path: str, digest: str) -> LoadResult:
    problems = [
        Problem(path, _int(line), _str(msg), _opt_str(cid), _bool(note))
        for line, msg, cid, note in _list(doc["problems"])
    ]
    d = doc["deck"]
    if d is None:
        return LoadResult(None, problems)
    if not isinstance(d, dict):
        raise ValueError("deck")
    cards = tuple(_card_from_json(c) for c in _list(d["cards"]))
    deck = Deck(
        _str(d["id"]),
        _str(d["title"]),
        _str(d["description"]),
        _strs(d["articles"]),
        cards,
        path,
        digest,
    )
    return LoadResult(deck, problems)


def _card_from_json(c) -> Card:
    # Inlined type checks: this runs 100,000 times on a big collection.
    if type(c) is not list or len(c) != 10:
        raise ValueError("card")
    cid, ctype, prompt, answer, explanation, accept, choices, src, tags, line = c
    if not (
        type(cid) is str
        and type(ctype) is str
        and type(prompt) is str
        and type(explanation) is str
        and type(line) is int
    ):
        raise ValueError("card fields")
    if answer is not None and type(answer) is not str and type(answer) is not bool:
        raise ValueError("answer")
    source = None
    if src is not None:
        if (
            type(src) is not list
            or len(src) != 3
            or not all(x is None or type(x) is str for x in src)
        ):
            raise ValueError("source")
        source = Source(*src)
    return Card(
        id=cid,
        type=ctype,
        prompt=prompt,
        answer=answer,
        explanation=explanation,
        accept=_strs(accept),
        choices=_strs(choices),
        source=source,
        tags=_strs(tags),
        line=line,
    )


def _list(v) -> list:
    if not isinstance(v, list):
        raise ValueError("list")
    return v


def _str(v) -> str:
    if not isinstance(v, str):
        raise ValueError("str")
    return v


def _opt_str(v) -> str | None:
    return None if v is None else _str(v)


def _strs(v) -> tuple[str, ...]:
    if type(v) is not list:
        raise ValueError("strs")
    if not v:
        return ()
    for x in v:
        if type(x) is not str:
            raise ValueError("strs")
    return tuple(v)


def _int(v) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise ValueError("int")
    return v


def _bool(v) -> bool:
    if not isinstance(v, bool):
        raise ValueError("bool")
    return v
