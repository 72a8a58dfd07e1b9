"""Working time for the sample simulation: shifts, weekends and German public holidays.

The simulation counts time in whole seconds of *local wall-clock time* (Europe/Berlin) since the start of
the sample period, so "the office opens at 08:00" stays true across the daylight-saving switch. Only when
the log is written are these seconds turned into aware datetimes (``to_datetime``), which gives each
timestamp the offset of its own date (+01:00 in winter, +02:00 in summer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Berlin")
PERIOD_START = date(2026, 1, 1)
PERIOD_END = date(2026, 9, 30)  # last day of the sample period (inclusive)
MINUTE = 60
HOUR = 3600
DAY = 86400

# Nationwide public holidays in Germany that fall on a weekday of the sample period: nobody works.
HOLIDAYS = frozenset(
    {
        date(2026, 1, 1),  # New Year
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),  # Labour Day
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
    }
)


def day_of(seconds: int) -> date:
    return PERIOD_START + timedelta(days=seconds // DAY)


def seconds_of(day: date, time_of_day: int = 0) -> int:
    """Local wall-clock seconds since the period start for ``day`` at ``time_of_day`` seconds."""
    return (day - PERIOD_START).days * DAY + time_of_day


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


@lru_cache(maxsize=4096)
def _works_on(day_index: int) -> bool:
    return is_working_day(PERIOD_START + timedelta(days=day_index))


def to_datetime(seconds: int) -> datetime:
    """The aware Europe/Berlin datetime of a simulation time (all working times exist in local time)."""
    naive = datetime(PERIOD_START.year, PERIOD_START.month, PERIOD_START.day) + timedelta(seconds=seconds)
    return naive.replace(tzinfo=TIMEZONE)


def iso(seconds: int) -> str:
    """ISO 8601 with the offset of that date, e.g. ``2026-01-05T09:12:07+01:00``."""
    day, time_of_day = divmod(seconds, DAY)
    date_text, offset = _day_texts(day)
    if offset is None:  # the day clocks change: each moment its own offset
        return to_datetime(seconds).isoformat()
    hours, rest = divmod(time_of_day, HOUR)
    return f"{date_text}T{hours:02d}:{rest // MINUTE:02d}:{rest % MINUTE:02d}{offset}"


@lru_cache(maxsize=4096)
def _day_texts(day_index: int) -> tuple[str, str | None]:
    """The date and, when it holds all day, the UTC offset of a day, as ``isoformat`` writes them."""
    first, last = to_datetime(day_index * DAY), to_datetime(day_index * DAY + DAY - 1)
    offset = first.isoformat()[19:]
    return first.date().isoformat(), offset if last.isoformat()[19:] == offset else None


def utc_offsets(seconds: list[int]) -> list[int]:
    """The UTC offset in seconds of each simulation moment (one zone lookup per distinct hour)."""
    by_hour: dict[int, int] = {}
    out = []
    for moment in seconds:
        hour = moment // HOUR
        offset = by_hour.get(hour)
        if offset is None:
            delta = to_datetime(hour * HOUR).utcoffset()
            offset = by_hour[hour] = int(delta.total_seconds()) if delta is not None else 0
        out.append(offset)
    return out


@dataclass(frozen=True)
class Shift:
    """The opening hours of one team, Monday to Friday except public holidays."""

    opens: int  # seconds after local midnight
    closes: int

    def fit(self, ready: int, duration: int) -> int:
        """The earliest moment at or after ``ready`` when a task of ``duration`` fits in one shift.

        Tasks are never split over two days: work that would run past closing time starts the next
        working morning.
        """
        t = ready
        while True:
            day_start = t - t % DAY
            if not _works_on(t // DAY):
                t = day_start + DAY + self.opens
                continue
            t = max(t, day_start + self.opens)
            if t + duration <= day_start + self.closes:
                return t
            t = day_start + DAY + self.opens

    def working_days_later(self, t: int, days: int, time_of_day: int) -> int:
        """The moment ``time_of_day`` on the ``days``-th working day after the day of ``t``."""
        day = day_of(t)
        left = days
        while left > 0:
            day += timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return seconds_of(day, time_of_day)
