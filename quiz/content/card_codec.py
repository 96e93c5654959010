"""Cards as the store keeps them: one JSON object per card in cards.data."""

from __future__ import annotations

import json

from quiz.content.deck import Card, Source

# One encoder, made once: json.dumps(..., ensure_ascii=False) makes a new JSONEncoder at every
# call, a third of what encoding a card cost (a first start encodes every bundled card).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def card_json(card: Card) -> str:
    data = {
        "id": card.id,
        "type": card.type,
        "prompt": card.prompt,
        "answer": card.answer,
        "explanation": card.explanation,
        "accept": list(card.accept),
        "choices": list(card.choices),
        "tags": list(card.tags),
    }
    if card.source is not None:
        data["source"] = {k: v for k, v in card.source.__dict__.items() if v is not None}
    return _ENCODE(data)


def card_from_json(text: str) -> Card:
    """The inverse of card_json (the YAML line number is not stored: it is 0)."""
    data = json.loads(text)
    src = data.get("source")
    return Card(
        id=data["id"],
        type=data["type"],
        prompt=data["prompt"],
        answer=data.get("answer"),
        explanation=data.get("explanation") or "",
        accept=tuple(data.get("accept") or ()),
        choices=tuple(data.get("choices") or ()),
        tags=tuple(data.get("tags") or ()),
        source=Source(src.get("article"), src.get("quote"), src.get("imported")) if src else None,
    )
