"""Learner PINs and the class password of `quiz serve`: hashed with scrypt (hashlib's standard
KDF, salted per hash), compared in constant time. Only the hash is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.store.connection import Store

# scrypt's interactive-login cost (RFC 7914 recommends N=2**14, r=8 for interactive use): about
# 50 ms here, and 16 MB of memory per guess for anyone who copies the database.
N, R, P = 2**14, 8, 1


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def check_secret(secret: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def pin_hash(store: Store, learner_id: int) -> str | None:
    return store.scalar("SELECT pin_hash FROM learners WHERE id = ?", [learner_id])


def set_pin(store: Store, learner_id: int, pin: str | None) -> None:
    """Set (or with None, clear) a learner's PIN."""
    value = hash_secret(pin) if pin else None
    with store.write() as db:
        db.execute("UPDATE learners SET pin_hash = ? WHERE id = ?", [value, learner_id])


def check_pin(store: Store, learner_id: int, pin: str) -> bool:
    """True when the learner has no PIN, or `pin` is theirs."""
    stored = pin_hash(store, learner_id)
    return stored is None or check_secret(pin, stored)
