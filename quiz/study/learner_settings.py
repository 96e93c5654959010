"""A learner's study settings: what each may be, read from text, shared by `quiz learners set`
and the app's settings screen, so both accept and refuse the same values with the same words."""

from __future__ import annotations

from dataclasses import dataclass


class SettingError(ValueError):
    """A value a setting cannot take; the message says what it can."""


@dataclass(frozen=True)
class Setting:
    name: str  # the Learner field (and store column)
    label: str
    kind: str  # "float" | "int" | "choice" | "bool"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "retention",
            "Desired retention",
            "float",
            0.70,
            0.99,
            help="the recall FSRS aims for: higher means more reviews",
        ),
        Setting("new_per_day", "New cards per day", "int", 0, 9999),
        Setting("reviews_per_day", "Reviews per day", "int", 0, 99999),
        Setting(
            "leech_threshold",
            "Leech threshold",
            "int",
            1,
            99,
            help="lapses that make a card a leech",
        ),
        Setting(
            "leech_action",
            "Leech action",
            "choice",
            choices=("suspend", "tag"),
            help="suspend the leech, or only tag it",
        ),
        Setting(
            "bury_siblings",
            "Bury siblings",
            "bool",
            help="answering a card hides those citing the same passage until tomorrow",
        ),
    )
}


def parse(name: str, text) -> float | int | str | bool:
    """The value of setting `name` given as text (or already typed); SettingError if invalid."""
    setting = SETTINGS[name]
    raw = text.strip() if isinstance(text, str) else text
    if setting.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).casefold() in ("1", "yes", "on", "true"):
            return True
        if str(raw).casefold() in ("0", "no", "off", "false"):
            return False
        raise SettingError(f"{setting.label.lower()} is on or off")
    if setting.kind == "choice":
        if raw not in setting.choices:
            raise SettingError(f"{setting.label.lower()} is one of {', '.join(setting.choices)}")
        return raw
    span = f"{setting.low:g} to {setting.high:g}"
    try:
        value = float(raw) if setting.kind == "float" else int(raw)
    except (TypeError, ValueError):
        what = "a number" if setting.kind == "float" else "a whole number"
        raise SettingError(f"{setting.label.lower()} is {what} from {span}") from None
    if value != value or not setting.low <= value <= setting.high:  # NaN fails both
        raise SettingError(f"{setting.label.lower()} must be from {span}")
    return value


def save(store, learner, name: str, value):
    """Store one checked setting; the learner as it is now."""
    value = parse(name, value)
    store.update_learner(learner.id, **{name: int(value) if isinstance(value, bool) else value})
    return store.learner_by_id(learner.id)
