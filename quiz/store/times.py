"""Time as the store keeps it: fixed-width UTC text, so text order is time order in SQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """A fixed-width UTC timestamp, so text order is time order in SQL."""
    return dt.astimezone(UTC).strftime(ISO)


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, ISO).replace(tzinfo=UTC)


def new_uid() -> str:
    return uuid.uuid4().hex


def start_of_next_day(moment: datetime) -> datetime:
    """Local midnight after `moment`, in UTC: when buried cards come back."""
    local = moment.astimezone()
    return (
        (local + timedelta(days=1))
        .replace(hour=0, minute=0, second=0, microsecond=0)
        .astimezone(UTC)
    )
