"""Study statistics as plain text, shared by the CLI and the stats screen (no colour needed to
read it): the heatmap, the summary lines and the forecast plot."""

from __future__ import annotations

from datetime import date, timedelta

from quiz.insight.stats import (
    HEAT_CHARS,
    MATURE_DAYS,
    NO_REVIEWS,
    STATE_NAMES,
    DayCount,
    Stats,
)
from quiz.text import printable


def heat_levels(counts: list[int]) -> list[int]:
    """Thresholds: the upper bound of levels 1-3 (level 4 is anything above), from the busiest
    day."""
    top = max(counts, default=0)
    if top <= 4:
        return [1, 2, 3]
    return [max(1, round(top * q)) for q in (0.25, 0.5, 0.75)]


def heat_char(count: int, levels: list[int]) -> str:
    if count <= 0:
        return NO_REVIEWS
    for i, bound in enumerate(levels):
        if count <= bound:
            return HEAT_CHARS[i + 1]
    return HEAT_CHARS[4]


def heatmap_lines(days: list[DayCount]) -> list[str]:
    """A GitHub-style calendar: weeks as columns (Monday first), weekdays as rows, month names
    above, then a legend. Days after the last one stay blank."""
    if not days:
        return ["(no days)"]
    first = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - first).days // 7 + 1
    grid = [[" "] * weeks for _ in range(7)]
    levels = heat_levels([d.count for d in days])
    for d in days:
        col = (d.day - first).days // 7
        grid[d.day.weekday()][col] = heat_char(d.count, levels)
    # A month's name above the first week that starts in it (the first column's month only if
    # the next name leaves it room).
    starts = []
    for col in range(weeks):
        day = max(first + timedelta(weeks=col), days[0].day)
        if not starts or day.month != starts[-1][1]:
            starts.append((col, day.month))
    if len(starts) > 1 and starts[1][0] < 2:
        starts.pop(0)
    months = [" "] * (weeks * 2 + 2)
    for col, month in starts:
        label = date(2000, month, 1).strftime("%b")
        months[col * 2 : col * 2 + len(label)] = label
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    lines = ["    " + "".join(months).rstrip()]
    lines += [f"{names[r]} " + " ".join(grid[r]).rstrip() for r in range(7)]
    ranges = []
    low = 1
    for i, bound in enumerate(levels):
        ranges.append(
            f"{HEAT_CHARS[i + 1]} {low}-{bound}" if bound > low else f"{HEAT_CHARS[i + 1]} {low}"
        )
        low = bound + 1
    ranges.append(f"{HEAT_CHARS[4]} {low}+")
    lines.append(f"    {NO_REVIEWS} none  " + "  ".join(ranges) + "  (reviews a day)")
    return lines


def time_spent_text(ms: int) -> str:
    if ms <= 0:
        return "0m"
    if ms < 59_500:
        return f"{max(1, round(ms / 1000))}s"
    hours, minutes = divmod(round(ms / 60000), 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def summary_lines(stats: Stats) -> list[str]:
    """The figures that are not plots, as aligned text tables."""
    out = [
        f"Reviews: {stats.reviews_in_window} in the last {len(stats.days)} days, "
        f"{stats.days_studied} days studied, streak {_days(stats.streak)}",
        "",
        f"Time spent: today {time_spent_text(stats.time.today_ms)}, last 7 days "
        f"{time_spent_text(stats.time.week_ms)}, total {time_spent_text(stats.time.total_ms)}",
        "",
        f"True retention (mature cards: interval >= {MATURE_DAYS} days; "
        "recalled: Hard, Good or Easy)",
    ]
    rows = [
        (r.title, str(r.reviews), str(r.mature), str(r.recalled), percent(r.rate))
        for r in [*stats.retention, stats.overall_retention]
    ]
    out += _table(("Deck", "Reviews", "Mature", "Recalled", "Retention"), rows)
    out += ["", "Cards by state"]
    states = [(stats.deck_titles.get(d, d), s) for d, s in stats.states.items()]
    states.append(("All decks", stats.total_states))
    out += _table(
        ("Deck", *(n.capitalize() for n in STATE_NAMES)),
        [(t, *(str(getattr(s, n)) for n in STATE_NAMES)) for t, s in states],
    )
    return out


def custom_study_line(stats: Stats) -> str:
    """Cram answers, resets and leeches: kept out of the review figures above, counted here."""
    return (
        f"Custom study: crammed {stats.crammed} (not reviews: the schedule did not move), "
        f"resets {stats.resets}, leeches {stats.leeches}"
    )


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    rows = [tuple(_cut(c, 40) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(r):
        return "  ".join(
            [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:]))]
        ).rstrip()

    return [line(head), *(line(r) for r in rows)]


def _cut(text: str, limit: int) -> str:
    return printable(text, limit - 1) if len(text) > limit else printable(text, limit)


def draw_forecast(plt, forecast: list[DayCount], *, title: str | None = None) -> None:
    """Configure a plotext figure (the `plotext` module, or textual-plotext's `.plt`) as the
    due-forecast bar chart: solid block bars and integer ticks, readable without colour."""
    plt.clear_figure()
    xs = list(range(len(forecast)))
    ys = [d.count for d in forecast]
    plt.bar(xs, ys, marker="█", width=0.6)
    ticks = [i for i in xs if i % 7 == 0]
    plt.xticks(
        ticks, ["today" if i == 0 else f"{forecast[i].day:%b} {forecast[i].day.day}" for i in ticks]
    )
    top = max(ys, default=0)
    step = max(1, -(-top // 4))  # at most five integer ticks
    plt.yticks(list(range(0, top + step, step)))
    plt.ylim(0, max(1, top))
    if title:
        plt.title(title)
